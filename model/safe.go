package model

import (
	"fmt"
	"slices"

	"github.com/lwpcheck/lwpcheck/explore"
)

// The ample-set half of the reduction (see Machine.POR). A transition may
// be explored alone (explore.Succ.Safe) when it is a kernel step of an LWP
// that is a left mover all through: it acquires no lock, makes no unlocked
// access, does not switch away or return to user space, and touches only
// data covered by the locks its LWP holds, which it may release. Under the
// lock discipline no transition of another actor reads or writes that
// data meanwhile (it would need the lock), so the two commute, and none
// can disable the step, which waits for nothing.
//
// The conditions the discipline does not give are checked one by one:
//
//   - Data the revision reads without its lock (Kernel.UnlockedReads): a
//     step that changes it races with the reader.
//   - Kernel preemption, which would change what the LWP's next step is: it
//     is refused to an LWP holding a lock, so the step must start with one
//     held if the environment may still preempt.
//   - Migration, which moves an LWP without its running CPU's consent.
//   - The checks: a step with a finding is visible. The state invariants
//     read data under a lock and only where it is free (counters.go,
//     lockstate.go), so a step of another actor, which cannot change that
//     data while this one holds its lock, changes none of their verdicts
//     by running first; the step checks read only the step's own events.
//
// On the netbsd-2025 model no step qualifies in any bundled spec: a step
// begins only at an acquire or an unlocked access (K), the transactions
// already carry every acquire forward to the step's end, and what is left
// starts with an acquire or an unlocked read that other LWPs can race
// with. replay --por-explain shows the reason for each enabled action.

// unsafe says why the transition k ran from pre (an action of kind, with
// the findings vs) may not be explored alone, "" if it may, and the event
// that makes it so, if one does (see unsafeReason). It does not allocate.
func (k *K) unsafe(pre *State, kind int, vs []explore.Violation) (string, *Event) {
	switch {
	case kind != actStep || k.Cur < 0:
		return "it is not an LWP's kernel step (a syscall entry, a trap, a tick, a callout or an environment event)", nil
	case k.ends() != "":
		return k.ends(), nil
	case len(vs) > 0:
		return "a check reports it", nil
	case pre.Env.Migrate > 0:
		return "the environment may migrate an LWP first", nil
	case pre.Env.Preempt > 0 && k.heldIn(pre) == 0:
		return "it holds no lock: the environment may preempt it first", nil
	case k.M.Kernel.UnlockedReads == nil:
		return "the revision does not declare its unlocked reads", nil
	}
	for i := range k.Events {
		switch e := &k.Events[i]; e.Kind {
		case EvAcquire:
			return "it acquires", e
		case EvReturn:
			return "it returns to user space", nil
		case EvField:
			return "it writes a field without its lock:", e
		}
	}
	if what := k.M.Kernel.UnlockedReads(pre, k.S); what != "" {
		return what, nil
	}
	return "", nil
}

// unsafeReason is unsafe as one phrase, for the reader.
func (k *K) unsafeReason(pre *State, kind int, vs []explore.Violation) string {
	why, e := k.unsafe(pre, kind, vs)
	switch {
	case e == nil:
		return why
	case e.Kind == EvField:
		return why + " " + GuardedFields[e.From].Name
	}
	return why + " " + LockName(e.Lock)
}

// heldIn is the setof locks the executing context held in s.
func (k *K) heldIn(s *State) uint16 {
	var h uint16
	for id := uint8(1); id < NumLocks; id++ {
		if s.Locks[id] != 0 && s.Locks[id] == k.owner(id) {
			h |= 1 << id
		}
	}
	return h
}

// Reduction explains the ample-set reduction in s, for replay
// --por-explain: for each enabled action, whether the reduction defers it,
// explores it alone, or why it may not be explored alone.
func (m *Machine) Reduction(s *State) []string {
	acts, deferred := explore.Ample[State](m, s)
	reduced := slices.Contains(deferred, true)
	var lines []string
	for i, a := range acts {
		st, next, k, err := m.Describe(s, a)
		if err != nil {
			lines = append(lines, m.ActionName(a)+": "+err.Error())
			continue
		}
		name := fmt.Sprintf("[%s] %s %s (%s)", m.ActionName(a), st.Actor, st.Action, st.Source)
		vs := append([]explore.Violation(nil), k.reports...)
		if m.Check != nil {
			vs = m.Check.Step(k, s, &next, vs)
		}
		kind, _, _, _ := splitAction(a)
		why := "safe: in the ample set"
		switch r := k.unsafeReason(s, kind, vs); {
		case deferred[i]:
			why = "deferred: another actor's steps form the ample set"
		case !m.POR:
			why = "explored: the reduction is off"
		case r != "":
			why = "explored, not safe: " + r
		case !reduced:
			why = "safe, but explored with the rest: its actor has a step that is not, or no other actor can move"
		}
		lines = append(lines, name+": "+why)
	}
	return lines
}
