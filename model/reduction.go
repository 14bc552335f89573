package model

import (
	"fmt"
	"slices"

	"github.com/lwpcheck/lwpcheck/explore"
)

// The engine's ample sets (explore.Succ.Safe) let a model have a
// transition explored alone when it commutes with every transition of
// every other actor and nothing can enable, disable or change it. The
// kernel model marks no transition so. By K's rules a kernel step begins
// only at a lock acquire, a try-lock, an unlocked access or a spin-wait;
// a syscall entry, a trap, a tick, the idle loop and the environment's
// events all take locks; and the transactions (Machine.POR) already carry
// a step that only acquired locks, and the resumption after a switch,
// forward into the next such beginning. So every transition starts by
// acquiring a lock another LWP may want or by reading data another LWP
// may write: none is independent of all the others. The reduction of the
// kernel model is its transactions; Reduction shows, state by state, what
// makes each enabled action depend on the others.

// dependence says what makes the transition k ran (an action of kind)
// depend on other actors' transitions, and the event that does, if one
// does (see dependenceReason).
func (k *K) dependence(kind int) (string, *Event) {
	const notOwn = "it is not an LWP's own kernel step (a syscall entry, a trap, a tick, the idle loop, a handover or an environment event)"
	if kind != actStep || k.Cur < 0 {
		return notOwn, nil
	}
	if why := k.ends(); why != "" {
		return why, nil
	}
	if k.frames == &k.scratch { // a handover on its own, not after a switch
		return notOwn, nil
	}
	for _, want := range [...]EventKind{EvAcquire, EvField, EvRelease} {
		for i := range k.Events {
			if e := &k.Events[i]; e.Kind == want {
				return eventDependence[want], e
			}
		}
	}
	return "it touches kernel data other LWPs share", nil
}

// eventDependence words the events that make a step depend on others, in
// the order dependence looks for them.
var eventDependence = map[EventKind]string{
	EvAcquire: "it acquires",
	EvField:   "it writes a field without its lock:",
	EvRelease: "it releases",
}

// dependenceReason is dependence as one phrase, for the reader.
func (k *K) dependenceReason(kind int) string {
	why, e := k.dependence(kind)
	switch {
	case e == nil:
		return why
	case e.Kind == EvField:
		return why + " " + GuardedFields[e.From]
	}
	return why + " " + k.M.LockName(e.Lock)
}

// Reduction explains the reduction in s, for replay --por-explain: for
// each enabled action, whether the engine's ample set deferred it (never,
// for the kernel model; see above) and what makes it depend on the others.
func (m *Machine) Reduction(s *State) []string {
	acts, deferred := explore.Ample[State](m, s)
	reduced := slices.Contains(deferred, true)
	var lines []string
	for i, a := range acts {
		st, _, k, err := m.Describe(s, a)
		if err != nil {
			lines = append(lines, m.ActionName(a)+": "+err.Error())
			continue
		}
		kind, _, _, _ := splitAction(a)
		why := "explored: " + k.dependenceReason(kind)
		switch {
		case deferred[i]:
			why = "deferred: another actor's transitions form the ample set"
		case reduced:
			why = "in the ample set"
		}
		lines = append(lines, fmt.Sprintf("[%s] %s %s (%s): %s", m.ActionName(a), st.Actor, st.Action, st.Source, why))
	}
	return lines
}
