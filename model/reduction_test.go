package model

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestDependence checks the reasons the debug view gives, on a step built
// by hand: a kernel step of LWP 1 on cpu0, changed one way at a time.
func TestDependence(t *testing.T) {
	base := func() *K {
		s := new(State)
		k := &K{M: &Machine{Kernel: &Kernel{}}, S: s, CPU: 0, Cur: 0, done: true}
		k.frames, k.depth = &s.LWPs[0].Frames, &s.LWPs[0].Depth
		s.LWPs[0].Depth = 1
		return k
	}
	notOwn := "it is not an LWP's own kernel step (a syscall entry, a trap, a tick, the idle loop, a handover or an environment event)"
	for _, tc := range []struct {
		name   string
		kind   int
		change func(k *K)
		want   string
	}{
		{"syscall entry", actSyscall, func(*K) {}, notOwn},
		{"environment", actStep, func(k *K) { k.Cur, k.CPU = -1, EnvCPU }, notOwn},
		{"handover", actStep, func(k *K) { k.frames, k.depth = &k.scratch, &k.scratchDepth }, notOwn},
		{"acquire", actStep, func(k *K) {
			k.Events = []Event{{Kind: EvRelease, Lock: LockProcList}, {Kind: EvAcquire, Lock: ProcLock(0)}}
		}, "it acquires p_lock"},
		{"release", actStep, func(k *K) { k.Events = []Event{{Kind: EvRelease, Lock: ProcLock(0)}} }, "it releases p_lock"},
		{"unlocked write", actStep, func(k *K) {
			k.Events = []Event{{Kind: EvRelease, Lock: ProcLock(0)}, {Kind: EvField, From: gLWP}}
		}, "it writes a field without its lock: " + GuardedFields[gLWP]},
		{"unlocked access", actStep, func(k *K) { k.segN = true }, "it began with an unlocked access, a try-lock or a spin-wait"},
		{"spin next", actStep, func(k *K) { k.stalled = true }, "the next step spins"},
		{"switch", actStep, func(k *K) { k.offCPU = true }, "it switched away"},
		{"return", actStep, func(k *K) { *k.depth = 0 }, "it returned to user space"},
		{"nothing shown", actStep, func(*K) {}, "it touches kernel data other LWPs share"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := base()
			tc.change(k)
			assert.Equal(t, tc.want, k.dependenceReason(tc.kind))
		})
	}
}
