package invariants

import (
	"context"
	"fmt"
	"math/bits"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// run is a routine's body (model.Routine.Run).
type run = func(k *model.K, f *model.Frame)

// mutant returns a copy of rev in which routine name runs wrap(its run).
func mutant(t *testing.T, rev *model.Revision, name string, wrap func(run) run) *model.Revision {
	t.Helper()
	kn := *rev.Kernel
	kn.Routines = slices.Clone(kn.Routines)
	i := slices.IndexFunc(kn.Routines, func(r model.Routine) bool { return r.Name == name })
	if i < 0 {
		t.Fatalf("revision %s has no routine %s", rev.Name, name)
	}
	kn.Routines[i].Run = wrap(kn.Routines[i].Run)
	r := *rev
	r.Kernel = &kn
	return &r
}

// after wraps a routine so that fix runs after the case at pc when the
// routine moves on to case next.
func after(pc, next uint8, fix func(k *model.K, f *model.Frame)) func(run) run {
	return func(orig run) run {
		return func(k *model.K, f *model.Frame) {
			from := f.PC
			orig(k, f)
			if from == pc && f.PC == next && k.Panic == "" {
				fix(k, f)
			}
		}
	}
}

// replace makes a routine run body instead.
func replace(body run) func(run) run { return func(run) run { return body } }

// lockSteps is a sys__lwp_self that acquires locks one per step, as
// Enter requires, then runs done with them held, releases them and
// returns 0.
func lockSteps(locks func(k *model.K) []uint8, done func(k *model.K)) run {
	return func(k *model.K, f *model.Frame) {
		ls := locks(k)
		if int(f.PC) < len(ls) {
			if k.Enter(ls[f.PC], 1, "mutant: mutex_enter") {
				f.PC++
			}
			return
		}
		done(k)
		for i := len(ls) - 1; i >= 0; i-- {
			k.Exit(ls[i], 2)
		}
		k.Return(0)
	}
}

func ownLock(k *model.K) uint8 { return k.Self().Mutex }

// underProcLock is a sys__lwp_self that runs fix with p_lock held, which
// covers the process counters.
func underProcLock(fix func(k *model.K)) func(run) run {
	return replace(lockSteps(func(*model.K) []uint8 { return []uint8{model.ProcLock(0)} }, fix))
}

// mutation is one way of breaking the model so that an invariant fails.
type mutation struct {
	inv     string // the invariant that must fail
	spec    string // the lwps line of the spec, or its procs key and what follows
	routine string // the routine replaced
	wrap    func(run) run
	message string // a regexp the finding's message matches
}

var mutations = []mutation{
	{
		inv: "p_nlwps", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    underProcLock(func(k *model.K) { k.S.Procs[0].NLWPs++ }),
		message: `p_nlwps is 2, the LWPs it counts \(.*\) are 1`,
	},
	{
		inv: "p_nrlwps", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    underProcLock(func(k *model.K) { k.S.Procs[0].NRLWPs++ }),
		message: `p_nrlwps is 2, the LWPs it counts \(.*\) are 1`,
	},
	{
		inv: "p_nzlwps", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    underProcLock(func(k *model.K) { k.S.Procs[0].NZLWPs++ }),
		message: `p_nzlwps is 1, the LWPs it counts \(.*\) are 0`,
	},
	{
		inv: "p_ndlwps", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    underProcLock(func(k *model.K) { k.S.Procs[0].NDLWPs++ }),
		message: `p_ndlwps is 1, the LWPs it counts \(.*\) are 0`,
	},
	{
		inv: "p_nlwpwait", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    underProcLock(func(k *model.K) { k.S.Procs[0].NLWPWait++ }),
		message: `p_nlwpwait is 1, the LWPs it counts \(.*\) are 0`,
	},
	{
		inv: "p_zomblwp", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    underProcLock(func(k *model.K) { k.S.Procs[0].ZombLWP = uint8(k.Cur + 1) }),
		message: `p_zomblwp is LWP 1, LSONPROC, detached=false`,
	},
	{
		inv: "lock-order", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(lockSteps(func(k *model.K) []uint8 { return []uint8{ownLock(k), model.ProcLock(0)} },
			func(*model.K) {})),
		message: `LWP 1 acquires (p_lock|p_smutex) holding cpu0.spc_lwplock .*takes (p_lock|p_smutex) before spc_lwplock`,
	},
	{
		inv: "lock-order-cycle", spec: "{1: [kill 1 0, self]}", routine: "sys__lwp_self",
		wrap: replace(lockSteps(func(*model.K) []uint8 { return []uint8{model.ProcLock(0), model.LockProcList} },
			func(*model.K) {})),
		message: `^lock classes (proc_lock|proclist_mutex) -> (p_lock|p_smutex) -> (proc_lock|proclist_mutex): no lock is held at every edge`,
	},
	{
		inv: "l_mutex-state", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(func(k *model.K, f *model.Frame) {
			k.L(k.Cur).Mutex = model.SpcMutex(k.CPU)
			k.Return(0)
		}),
		message: `LWP 1 is LSONPROC with l_mutex (cpu0.spc_mutex|sched_mutex); the table wants spc_lwplock of l_cpu`,
	},
	{
		inv: "l_stat-locked", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(func(k *model.K, f *model.Frame) {
			k.SetStat(k.Cur, model.LSRUN, 1)
			k.SetStat(k.Cur, model.LSONPROC, 2)
			k.Return(0)
		}),
		message: `LWP 1 sets LWP 1 LSONPROC->LSRUN at .* without its lock \(cpu0.spc_lwplock\) held`,
	},
	{
		inv: "l_stat-p_lock", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(lockSteps(func(k *model.K) []uint8 { return []uint8{ownLock(k)} }, func(k *model.K) {
			k.SetStat(k.Cur, model.LSSUSPENDED, 3)
			k.SetStat(k.Cur, model.LSONPROC, 4)
		})),
		message: `LWP 1 sets LWP 1 LSONPROC->LSSUSPENDED at .* without (p_lock|p_smutex) held`,
	},
	{
		inv: "transition", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(lockSteps(func(k *model.K) []uint8 { return []uint8{model.ProcLock(0), ownLock(k)} }, func(k *model.K) {
			k.SetStat(k.Cur, model.LSZOMB, 3)
			k.SetStat(k.Cur, model.LSONPROC, 4)
		})),
		message: `LWP 1 sets LWP 1 LSZOMB->LSONPROC at .*, which is not in the diagram`,
	},
	{
		inv: "manpage-errno", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    replace(func(k *model.K, f *model.Frame) { k.Return(uint8(model.EBUSY)) }),
		message: `LWP 1: _lwp_self returned EBUSY; _lwp_self.2 1.3 documents 0 `,
	},
	{
		inv: "kassert", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    replace(func(k *model.K, f *model.Frame) { k.Assert(false, 175, "mutant") }),
		message: `KASSERT\(mutant\) at sys_lwp.c@[0-9.]+:`,
	},
	{
		inv: "model-error", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap:    replace(func(k *model.K, f *model.Frame) { k.Bug("mutant") }),
		message: `model error: mutant`,
	},
	{
		// The target of a _lwp_suspend is freed and its structure reused
		// (a new generation) while the caller waits for it to suspend:
		// sys__lwp_suspend's re-read of t after cv_wait_sig must be
		// reported.
		inv: "stale-lwp", spec: "{1: [create 2, suspend 2], 2: [self, self]}", routine: "sys__lwp_suspend",
		wrap:    after(3, 4, func(k *model.K, f *model.Frame) { k.S.LWPs[f.A].Gen++ }),
		message: `sys__lwp_suspend reads t->l_flag and t->l_stat of a freed LWP`,
	},
	{
		inv: "field-locked", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(func(k *model.K, f *model.Frame) {
			k.Self().RefCnt++
			k.Return(0)
		}),
		message: `LWP 1 writes LWP 1's l_refcnt without (p_lock|p_smutex) held`,
	},
	{
		inv: "deadlock", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(func(k *model.K, f *model.Frame) {
			f.PC = 1
			k.Await(false, 175, "mutant: spin for ever")
		}),
		message: `LWP 1 in _lwp_self, LSONPROC`,
	},
	{
		// _lwp_self loops for ever in the kernel, taking and dropping
		// p_lock and flipping a bit each time: nothing else can move,
		// yet the state keeps changing, so no state is terminal.
		inv: "hang", spec: "{1: [self]}", routine: "sys__lwp_self",
		wrap: replace(func(k *model.K, f *model.Frame) {
			if !k.Enter(model.ProcLock(0), 175, "mutant: mutex_enter") {
				return
			}
			f.B ^= 1
			k.Exit(model.ProcLock(0), 176)
		}),
		message: `a fair loop of 2 steps keeps LWP 1 in _lwp_self, LSONPROC \(at syscall > sys__lwp_self\) in the kernel for ever; the loop runs LWP 1 sys__lwp_self: mutant: mutex_enter`,
	},
	{
		// Two processes: the one-process check's counters hold per
		// process, and break in process 2 alone.
		inv: "p_nlwps", spec: twoProcs, routine: "sys__lwp_self",
		wrap: replace(lockSteps(func(k *model.K) []uint8 { return []uint8{k.PLock()} }, func(k *model.K) {
			if k.Pid() == 1 {
				k.P().NLWPs++
			}
		})),
		message: `^process 2: p_nlwps is 2, the LWPs it counts \(.*\) are 1`,
	},
	{
		// Each process's LWP takes the two CPUs' spc_lwplocks, its own
		// CPU's first: the two CPUs can each hold one and spin for the
		// other's.
		inv: "lock-deadlock", spec: twoProcs, routine: "sys__lwp_self",
		wrap: replace(lockSteps(func(k *model.K) []uint8 {
			return []uint8{model.SpcLwplock(k.CPU), model.SpcLwplock(1 - k.CPU)}
		}, func(*model.K) {})),
		message: `^cpu0 \(LWP [13] in _lwp_self\) spins for cpu1.spc_lwplock, held by cpu1; cpu1 \(LWP [13] in _lwp_self\) spins for cpu0.spc_lwplock, held by cpu0: a deadlock$`,
	},
	{
		inv: "expect", spec: "{1: [self -> 0]}", routine: "sys__lwp_self",
		wrap:    replace(func(k *model.K, f *model.Frame) { k.Return(uint8(model.EBUSY)) }),
		message: `LWP 1: _lwp_self returned EBUSY, the spec expects 0`,
	},
}

// twoProcs is a spec of two processes, one LWP each, on two CPUs.
const twoProcs = "procs:\n  1:\n    lwps: {1: [self]}\n  2:\n    lwps: {3: [self]}"

// TestMutations breaks the model of every revision once per invariant and
// checks the checker reports it, with a counterexample that replays, with
// the model's partial-order reduction off and on.
func TestMutations(t *testing.T) {
	for _, rev := range revisions.All() {
		for _, por := range []bool{false, true} {
			for _, mu := range mutations {
				t.Run(fmt.Sprintf("%s/%s/por=%v", rev.Name, mu.inv, por), func(t *testing.T) {
					t.Parallel()
					testMutation(t, rev, mu, por)
				})
			}
		}
	}
}

func testMutation(t *testing.T, base *model.Revision, mu mutation, por bool) {
	if _, ok := base.Docs.Sources[mu.inv]; !ok && mu.inv == "stale-lwp" {
		// Only a sys__lwp_suspend that waits re-reads its target after
		// sleeping; netbsd-2007's returns at once (sys_lwp.c@1.16:215-218).
		t.Skipf("%s has no code that can break %s", base.Name, mu.inv)
	}
	spec := "name: mutant\nlwps: " + mu.spec + "\n"
	if strings.HasPrefix(mu.spec, "procs:") {
		spec = "name: mutant\n" + mu.spec + "\n"
	}
	intact := findingNames(t, base, spec, por)
	if slices.Contains(intact, mu.inv) {
		t.Fatalf("the intact model already fails %s", mu.inv)
	}
	// A keyed invariant may already fail on the intact model under
	// other keys (known disagreements); the mutant's must be new.
	caught := func(name string) bool { return BaseName(name) == mu.inv && !slices.Contains(intact, name) }
	rev := mutant(t, base, mu.routine, mu.wrap)
	m, c := build(t, rev, spec)
	m.POR = por
	r, rf := search(t, m, c)
	want := regexp.MustCompile(mu.message)
	if i := slices.IndexFunc(r.Findings, func(f explore.Finding) bool { return caught(f.Name) }); i >= 0 {
		f := r.Findings[i]
		if !want.MatchString(f.Message) {
			t.Errorf("message %q does not match %q", f.Message, mu.message)
		}
		if msg := replaysTo(m, f); msg != f.Message {
			t.Errorf("replay: the last %s reports %q, want %q", where(f), msg, f.Message)
		}
		return
	}
	i := slices.IndexFunc(rf, func(f RunFinding) bool { return f.Name == mu.inv })
	if i < 0 {
		t.Fatalf("no %s finding; findings: %v, run findings: %v", mu.inv, r.Findings, rf)
	}
	if !want.MatchString(rf[i].Message) {
		t.Errorf("message %q does not match %q", rf[i].Message, mu.message)
	}
	checkWitnesses(t, c, rf[i])
}

// TestEveryInvariantCanFail makes sure the catalog has no invariant
// without a mutation that breaks it.
func TestEveryInvariantCanFail(t *testing.T) {
	for _, inv := range Catalog() {
		if !slices.ContainsFunc(mutations, func(mu mutation) bool { return mu.inv == inv.Name }) {
			t.Errorf("invariant %s has no mutation case", inv.Name)
		}
	}
}

// gatedCycle is a revision whose _lwp_self takes spc_lwplock and
// spc_mutex under p_lock, in one order on the first call and in the other
// on the second.
func gatedCycle(t *testing.T) *model.Revision {
	return mutant(t, netbsd.Netbsd2025, "sys__lwp_self", replace(lockSteps(func(k *model.K) []uint8 {
		a, b := model.SpcLwplock(k.CPU), model.SpcMutex(k.CPU)
		if k.Self().PC == 1 {
			a, b = b, a
		}
		return []uint8{model.ProcLock(0), a, b}
	}, func(*model.K) {})))
}

const gatedSpec = "name: gated\ncpus: 1\nlwps: {1: [self, self]}\n"

// TestGatedCycle shows that a cycle whose edges are all taken under one
// lock (p_lock) is reported as gated by it.
func TestGatedCycle(t *testing.T) {
	m, c := build(t, gatedCycle(t), gatedSpec)
	_, rf := search(t, m, c)
	if len(rf) != 1 {
		t.Fatalf("got %d run findings, want one cycle: %v", len(rf), rf)
	}
	const want = "lock classes spc_lwplock -> spc_mutex -> spc_lwplock: every edge was taken holding p_lock (a gate lock): a false deadlock"
	if rf[0].Message != want {
		t.Errorf("message %q, want %q", rf[0].Message, want)
	}
	checkWitnesses(t, c, rf[0])
}

// TestWitnessLimit shows that a limit that stops the search for an edge's
// schedule leaves the cycle reported, the edge without a schedule and the
// reason said, not an error.
func TestWitnessLimit(t *testing.T) {
	m, c := build(t, gatedCycle(t), gatedSpec)
	if _, err := explore.Run(context.Background(), m, explore.Options{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	rf, err := c.Analyze(context.Background(), explore.Options{Workers: 1, MaxStates: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rf) != 1 || len(rf[0].Witnesses) != 2 {
		t.Fatalf("got %v, want one cycle of two edges", rf)
	}
	for _, w := range rf[0].Witnesses {
		if w.Missing != "no schedule found before the max-states limit" || len(w.Finding.Trace) != 0 {
			t.Errorf("edge %s: missing %q, %d steps", w.Edge, w.Missing, len(w.Finding.Trace))
		}
	}
}

// search explores m on two workers and analyses what c gathered.
func search(t *testing.T, m *model.Machine, c *Checker) (*explore.Result, []RunFinding) {
	t.Helper()
	return searchWith(t, m, c, explore.Options{Workers: 2, Cycles: c.Liveness(explore.Weak)})
}

// searchWith is search with the given options.
func searchWith(t *testing.T, m *model.Machine, c *Checker, opt explore.Options) (*explore.Result, []RunFinding) {
	t.Helper()
	r, err := explore.Run(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	rf, err := c.Analyze(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return r, rf
}

// findingNames returns the names of everything spec finds on rev.
func findingNames(t *testing.T, rev *model.Revision, spec string, por bool) []string {
	t.Helper()
	m, c := build(t, rev, spec)
	m.POR = por
	r, rf := search(t, m, c)
	var names []string
	for _, f := range r.Findings {
		names = append(names, f.Name)
	}
	for _, f := range rf {
		names = append(names, f.Name)
	}
	return names
}

func build(t *testing.T, rev *model.Revision, yaml string) (*model.Machine, *Checker) {
	t.Helper()
	sp, err := specs.Parse("mutant.yaml", []byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	m, c, err := Build(rev, sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, c
}

// replaysTo re-executes finding f and returns the message of the
// violation of its name that the last step (or state) reports, or "".
func replaysTo(m *model.Machine, f explore.Finding) string {
	states, err := explore.Replay(m, f.Init, f.Trace)
	if err != nil {
		return "replay failed: " + err.Error()
	}
	var vs []explore.Violation
	if f.Lasso {
		entry, end := &states[f.Loop], &states[len(states)-1]
		if string(m.Encode(entry, nil)) != string(m.Encode(end, nil)) {
			return "the loop does not return to its first state"
		}
		owed := m.Pending(entry)
		for i := range states[f.Loop:] {
			owed &= m.Pending(&states[f.Loop+i])
		}
		if owed == 0 {
			return "no LWP stays in the kernel on the loop"
		}
		return m.NonProgress(entry, bits.TrailingZeros64(owed), f.Trace[f.Loop:]).Message
	}
	if f.OnState {
		vs = explore.StateViolations(m, &states[len(states)-1])
	} else {
		r, ok := explore.Step(m, &states[len(states)-2], f.Trace[len(f.Trace)-1])
		if !ok {
			return "the last step is not enabled"
		}
		vs = r.Violations
	}
	for _, v := range vs {
		if v.Name == f.Name {
			return v.Message
		}
	}
	return ""
}

func where(f explore.Finding) string {
	if f.OnState {
		return "state"
	}
	return "step"
}

// checkWitnesses replays each edge schedule of a cycle on its witness
// model and checks that the last step takes the edge.
func checkWitnesses(t *testing.T, c *Checker, f RunFinding) {
	t.Helper()
	if len(f.Witnesses) == 0 {
		t.Fatal("a cycle without schedules")
	}
	for _, w := range f.Witnesses {
		wm, err := c.WitnessModel(w.Edge)
		if err != nil {
			t.Fatal(err)
		}
		if msg := replaysTo(wm, w.Finding); msg == "" || msg != w.Finding.Message {
			t.Errorf("edge %s: replay reports %q, want %q", w.Edge, msg, w.Finding.Message)
		}
	}
}
