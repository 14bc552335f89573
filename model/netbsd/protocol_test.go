package netbsd

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// probe is a test checker: it names a "violation" for each property the
// test watches, so that the engine gives a replayable trace to it.
type probe struct {
	m     *model.Machine
	step  func(p *probe, k *model.K, pre, post *model.State) []string
	state func(p *probe, s *model.State) []string
}

func (p *probe) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	if p.step == nil {
		return vs
	}
	for _, n := range p.step(p, k, pre, post) {
		vs = append(vs, explore.Violation{Name: n})
	}
	return vs
}

func (p *probe) State(s *model.State, vs []explore.Violation) []explore.Violation {
	if p.state == nil {
		return vs
	}
	for _, n := range p.state(p, s) {
		vs = append(vs, explore.Violation{Name: n})
	}
	return vs
}

func (p *probe) Terminal(s *model.State) (explore.Violation, bool) {
	return model.HangViolation(p.m, s)
}

func parseSpec(t *testing.T, text string) *specs.Spec {
	t.Helper()
	sp, err := specs.Parse("test.yaml", []byte(text))
	require.NoError(t, err)
	return sp
}

// explorePB runs spec on revision rev with the probe and returns the findings
// by name, each replayed and checked to recur.
func explorePB(t *testing.T, rev *model.Revision, sp *specs.Spec, p *probe) map[string]explore.Finding {
	t.Helper()
	m, err := model.New(rev, sp)
	require.NoError(t, err)
	p.m = m
	m.Check = p
	r, err := explore.Run(context.Background(), m, explore.Options{Workers: 2})
	require.NoError(t, err)
	out := map[string]explore.Finding{}
	for _, f := range r.Findings {
		out[f.Name] = f
		states, err := explore.Replay[model.State](m, f.Init, f.Trace)
		require.NoError(t, err, f.Name)
		last := &states[len(states)-1]
		var vs []explore.Violation
		if f.OnState {
			vs = explore.StateViolations[model.State](m, last)
		} else {
			st, ok := explore.Step[model.State](m, &states[len(states)-2], f.Trace[len(f.Trace)-1])
			require.True(t, ok)
			vs = st.Violations
		}
		names := []string{}
		for _, v := range vs {
			names = append(names, v.Name)
		}
		assert.Contains(t, names, f.Name, "finding %s recurs on replay", f.Name)
	}
	return out
}

// mutant returns a copy of rev with routine fn replaced.
func mutant(rev *model.Revision, fn uint8, run func(k *model.K, f *model.Frame)) *model.Revision {
	c := *rev.Kernel
	c.Routines = append([]model.Routine(nil), c.Routines...)
	c.Routines[fn].Run = run
	r := *rev
	r.Kernel = &c
	return &r
}

// stateWithoutLock reports a state change made without the LWP's lock.
func stateWithoutLock(p *probe, k *model.K, pre, post *model.State) []string {
	for _, e := range k.Events {
		if e.Kind == model.EvStat && !e.LLock && e.From != 0 {
			return []string{"unlocked-state-change"}
		}
	}
	return nil
}

// The lwp_lock re-check protocol (kern_lwp.c@1.270:1606-1620): while LWP 1
// locks LWP 2, LWP 2 moves from spc_lwplock to the sleep-queue lock (it
// goes to sleep in _lwp_wait); LWP 1 may have read the old lock, acquires
// it, sees l_mutex changed, and retries. The retry is reachable, and no
// state change ever happens without the LWP's current lock. Without the
// re-check the stale lock is kept and the check catches it.
func TestLwpLockRecheck(t *testing.T) {
	sp := parseSpec(t, `
name: lwp-lock-recheck
lwps:
  1: [create 2, wakeup 2 -> any, wait 2 -> any]
  2: [wait 1 -> any, exit]
`)
	retried := func(p *probe, k *model.K, pre, post *model.State) []string {
		out := stateWithoutLock(p, k, pre, post)
		for i, e := range k.Events {
			// The retry releases the lock just acquired: kern_lwp.c:1616.
			if e.Kind == model.EvRelease && e.Src.Line == 1616 && i > 0 && k.Events[i-1].Kind == model.EvAcquire {
				out = append(out, "recheck-retry")
			}
		}
		return out
	}
	found := explorePB(t, Netbsd2025, sp, &probe{step: retried})
	assert.Contains(t, found, "recheck-retry", "the retry path of lwp_lock is exercised")
	assert.NotContains(t, found, "unlocked-state-change")

	// Mutant: acquire the lock read and return, without the re-check.
	noRecheck := mutant(Netbsd2025, FnLwpLock, func(k *model.K, f *model.Frame) {
		switch f.PC {
		case 0:
			f.B = k.S.LWPs[f.A].Mutex
			f.PC = 1
		case 1:
			if k.Enter(f.B, 1614, "mutex_spin_enter(old)") {
				k.Return(0)
			}
		}
	})
	// The stale lock is caught by the model's own KASSERT(mutex_owned(...))
	// in lwp_unsleep or setrunnable, or as a state change under it.
	found = explorePB(t, noRecheck, sp, &probe{step: stateWithoutLock})
	_, unlocked := found["unlocked-state-change"]
	_, panicked := found["kassert"]
	assert.True(t, unlocked || panicked, "without the re-check a stale lock is used: %v", names(found))
}

// The LP_RUNNING handover: a zombie stays LP_RUNNING until the next
// context on its CPU clears it (kern_synch.c@1.366:833-841,
// kern_lwp.c@1.270:1045-1052), and lwp_free spins until then
// (kern_lwp.c@1.270:1276-1279) before it resets the LWP to LSIDL. The spin
// is reachable (a waiter sees the zombie still on its CPU), lwp_free never
// reclaims a running zombie, and a lwp_free without the spin is caught.
func TestLwpFreeWaitsForHandover(t *testing.T) {
	sp := parseSpec(t, `
name: handover
lwps:
  1: [create 2, wait 2 -> 0]
  2: [exit]
`)
	reclaimRunning := func(p *probe, k *model.K, pre, post *model.State) []string {
		for _, e := range k.Events {
			if e.Kind == model.EvStat && e.From == model.LSZOMB && e.To == model.LSIDL &&
				pre.LWPs[e.LWP].PFlag&model.LP_RUNNING != 0 {
				return []string{"reclaimed-running-zombie"}
			}
		}
		return nil
	}
	spinning := func(p *probe, s *model.State) []string {
		for i := range s.LWPs {
			l := &s.LWPs[i]
			if l.Depth == 0 {
				continue
			}
			top := l.Frames[l.Depth-1]
			if top.Fn == FnLwpFree && top.PC == 1 && s.LWPs[top.A].PFlag&model.LP_RUNNING != 0 {
				return []string{"zombie-still-on-cpu"}
			}
		}
		return nil
	}
	found := explorePB(t, Netbsd2025, sp, &probe{step: reclaimRunning, state: spinning})
	assert.Contains(t, found, "zombie-still-on-cpu", "lwp_free meets a zombie still on its CPU")
	assert.NotContains(t, found, "reclaimed-running-zombie")
	assert.NotContains(t, found, "deadlock")

	// Mutant: lwp_free without the spin.
	noSpin := mutant(Netbsd2025, FnLwpFree, func(k *model.K, f *model.Frame) {
		if f.PC == 1 {
			f.PC = 2
			LwpLockCall(k, f, 2, int(f.A))
			return
		}
		lwpFree(k, f)
	})
	found = explorePB(t, noSpin, sp, &probe{step: reclaimRunning})
	_, reclaimed := found["reclaimed-running-zombie"]
	_, panicked := found["kassert"]
	assert.True(t, reclaimed || panicked, "without the spin a running zombie is reclaimed: %v", names(found))
}

// The detached-zombie handoff (kern_lwp.c@1.270:1181-1195): a detached LWP
// that exits while another detached zombie waits in p_zomblwp frees it
// first, then takes its place. The handoff happens, p_zomblwp always names
// a detached zombie on p_lwps, and every detached LWP is freed by the end.
func TestDetachedZombieHandoff(t *testing.T) {
	sp := parseSpec(t, `
name: zombie-handoff
cpus: 2
lwps:
  1: [create 2 detached, create 3 detached, park timeout -> any]
  2: [exit]
  3: [exit]
env: {timeout: 1}
`)
	handoff := func(p *probe, k *model.K, pre, post *model.State) []string {
		if k.Cur < 0 {
			return nil
		}
		l := &pre.LWPs[k.Cur]
		inExit := false
		for _, f := range l.Frames[:l.Depth] {
			inExit = inExit || f.Fn == FnLwpExit
		}
		for _, e := range k.Events {
			if inExit && e.Kind == model.EvStat && e.From == model.LSZOMB && e.To == model.LSIDL && int(e.LWP) != k.Cur {
				return []string{"handoff"}
			}
		}
		return nil
	}
	zomb := func(p *probe, s *model.State) []string {
		z := s.Procs[0].ZombLWP
		if s.Locks[model.ProcLock(0)] != 0 || z == 0 {
			return nil
		}
		l := &s.LWPs[z-1]
		if l.Stat != model.LSZOMB || l.PRFlag&model.LPR_DETACHED == 0 {
			return []string{"p_zomblwp-not-a-detached-zombie"}
		}
		return nil
	}
	found := explorePB(t, Netbsd2025, sp, &probe{step: handoff, state: zomb})
	assert.Contains(t, found, "handoff", "a detached LWP frees the older detached zombie")
	assert.NotContains(t, found, "p_zomblwp-not-a-detached-zombie")
	assert.NotContains(t, found, "deadlock")
}

func names(m map[string]explore.Finding) string {
	var out []string
	for n := range m {
		out = append(out, n)
	}
	return strings.Join(out, ",")
}

// With the reduction on, replaying a step explains which steps joined it
// and why it ended.
func TestReductionExplained(t *testing.T) {
	sp := parseSpec(t, `
name: explain
lwps:
  1: [create 2 -> 0, wait 2 -> 0]
  2: [exit]
`)
	m, err := model.New(Netbsd2025, sp)
	require.NoError(t, err)
	m.POR = true
	s := m.Init()[0]
	acts := explore.Enabled[model.State](m, &s)
	require.NotEmpty(t, acts)
	st, _, _, err := m.Describe(&s, acts[0])
	require.NoError(t, err)
	// The syscall entry only pushes frames: lwp_create's first acquire
	// joins it, and the transition ends at the release of p_lock.
	require.NotEmpty(t, st.Merged)
	assert.Contains(t, st.Merged[0], "kern_lwp.c@1.270:790 mutex_enter(p2->p_lock): joins")
	assert.Equal(t, "ends: it released p_lock", st.Merged[len(st.Merged)-1])
}

// TestSignalsReachTheirProcess: in a spec of two processes, a fatal
// signal sent to process 2 makes process 2 exit (exit1 runs in it and its
// zombie switches away), while process 1's LWPs are never touched and it
// runs to its end.
func TestSignalsReachTheirProcess(t *testing.T) {
	sp, err := specs.Parse("two.yaml", []byte(`name: two
procs:
  1:
    lwps:
      1: [create 2 -> 0, wait 2 -> 0]
      2: [self -> 0, exit]
  2:
    lwps:
      3: [create 4 -> 0, wait 4 -> any]
      4: [self -> 0]
    env: {exit: 1}
`))
	require.NoError(t, err)
	state := func(p *probe, s *model.State) []string {
		var out []string
		p1, p2 := &s.Procs[0], &s.Procs[1]
		if p2.Stat == model.SZOMB {
			out = append(out, "proc2-exited")
			if p1.Stat == model.SACTIVE && p1.NLWPs == 1 && p1.NZLWPs == 0 {
				out = append(out, "proc1-on-its-own")
			}
		}
		for i := range s.LWPs {
			if l := &s.LWPs[i]; l.Name != 0 && l.Proc == 0 && l.Flag&model.FlagWEXIT != 0 {
				out = append(out, "proc1-told-to-exit")
			}
		}
		return out
	}
	found := explorePB(t, Netbsd2025, sp, &probe{state: state})
	assert.Contains(t, found, "proc2-exited")
	assert.Contains(t, found, "proc1-on-its-own")
	assert.NotContains(t, found, "proc1-told-to-exit")
	assert.NotContains(t, found, "deadlock")
}
