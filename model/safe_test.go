package model

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lwpcheck/lwpcheck/explore"
)

// TestUnsafe checks each condition of the ample-set criterion on a step
// built by hand: a kernel step of LWP 1 on cpu0 that releases p_lock, a
// left mover, changed one way at a time.
func TestUnsafe(t *testing.T) {
	racy := false
	kn := &Kernel{UnlockedReads: func(pre, post *State) string {
		if racy {
			return "it changes what is read unlocked"
		}
		return ""
	}}
	m := &Machine{Kernel: kn, POR: true}
	base := func() (*K, *State) {
		pre, post := new(State), new(State)
		pre.Locks[LockProc] = 1 // held by LWP 1 (slot 0)
		k := &K{M: m, S: post, CPU: 0, Cur: 0, done: true}
		k.frames, k.depth = &post.LWPs[0].Frames, &post.LWPs[0].Depth
		post.LWPs[0].Depth = 1
		k.Events = []Event{{Kind: EvRelease, Lock: LockProc}}
		return k, pre
	}
	for _, tc := range []struct {
		name   string
		change func(k *K, pre *State, kind *int, vs *[]explore.Violation)
		want   string
	}{
		{"left mover", func(*K, *State, *int, *[]explore.Violation) {}, ""},
		{"syscall entry", func(_ *K, _ *State, kind *int, _ *[]explore.Violation) { *kind = actSyscall },
			"it is not an LWP's kernel step (a syscall entry, a trap, a tick, a callout or an environment event)"},
		{"environment", func(k *K, _ *State, _ *int, _ *[]explore.Violation) { k.Cur, k.CPU = -1, EnvCPU },
			"it is not an LWP's kernel step (a syscall entry, a trap, a tick, a callout or an environment event)"},
		{"acquire", func(k *K, _ *State, _ *int, _ *[]explore.Violation) {
			k.Events = append(k.Events, Event{Kind: EvAcquire, Lock: LockProc})
		}, "it acquires p_lock"},
		{"unlocked access", func(k *K, _ *State, _ *int, _ *[]explore.Violation) { k.segN = true },
			"it began with an unlocked access or a spin-wait"},
		{"spin next", func(k *K, _ *State, _ *int, _ *[]explore.Violation) { k.stalled = true }, "the next step spins"},
		{"switch", func(k *K, _ *State, _ *int, _ *[]explore.Violation) { k.offCPU = true }, "it switched away"},
		{"return", func(k *K, _ *State, _ *int, _ *[]explore.Violation) { *k.depth = 0 }, "it returned to user space"},
		{"finding", func(_ *K, _ *State, _ *int, vs *[]explore.Violation) {
			*vs = append(*vs, explore.Violation{Name: "x"})
		}, "a check reports it"},
		{"migrate", func(_ *K, pre *State, _ *int, _ *[]explore.Violation) { pre.Env.Migrate = 1 },
			"the environment may migrate an LWP first"},
		{"preempt, lock held", func(_ *K, pre *State, _ *int, _ *[]explore.Violation) { pre.Env.Preempt = 1 }, ""},
		{"preempt, no lock", func(_ *K, pre *State, _ *int, _ *[]explore.Violation) {
			pre.Env.Preempt, pre.Locks[LockProc] = 1, 0
		}, "it holds no lock: the environment may preempt it first"},
		{"unlocked field write", func(k *K, _ *State, _ *int, _ *[]explore.Violation) {
			k.Events = append(k.Events, Event{Kind: EvField, From: gLWP})
		}, "it writes a field without its lock: " + GuardedFields[gLWP].Name},
		{"racy data", func(*K, *State, *int, *[]explore.Violation) { racy = true }, "it changes what is read unlocked"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			racy = false
			k, pre := base()
			kind, vs := actStep, []explore.Violation(nil)
			tc.change(k, pre, &kind, &vs)
			assert.Equal(t, tc.want, k.unsafeReason(pre, kind, vs))
		})
	}
}
