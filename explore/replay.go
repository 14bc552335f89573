package explore

import "fmt"

// StepResult is one transition re-executed by Step.
type StepResult[S any] struct {
	Next       S
	Actor      int32
	Violations []Violation
}

// Step re-executes action a from s. It reports false if a is not enabled in
// s (stuttering steps count as enabled).
func Step[S any](m Model[S], s *S, a Action) (StepResult[S], bool) {
	var out Successors[S]
	m.Expand(s, &out)
	for i := 0; i < out.n; i++ {
		t := &out.items[i]
		if t.Action == a {
			return StepResult[S]{Next: t.Next, Actor: t.Actor, Violations: append([]Violation(nil), t.Violations...)}, true
		}
	}
	return StepResult[S]{}, false
}

// Enabled returns the actions enabled in s, in the model's order.
func Enabled[S any](m Model[S], s *S) []Action {
	var out Successors[S]
	m.Expand(s, &out)
	acts := make([]Action, out.n)
	for i := range acts {
		acts[i] = out.items[i].Action
	}
	return acts
}

// StateViolations returns what the model reports of s itself: its state
// invariants and, if s is terminal, the terminal classification.
func StateViolations[S any](m Model[S], s *S) []Violation {
	e := newExpander(m, nil, 0)
	var out Successors[S]
	return append([]Violation(nil), e.expand(s, e.fingerprint(s), &out)...)
}

// Terminal reports whether s has no successor other than itself.
func Terminal[S any](m Model[S], s *S) bool {
	e := newExpander(m, nil, 0)
	var out Successors[S]
	e.expand(s, e.fingerprint(s), &out)
	return out.n == 0
}

// ReplayError says which step of a trace could not be executed.
type ReplayError struct {
	Step   int // 1-based
	Action Action
}

func (e *ReplayError) Error() string {
	return fmt.Sprintf("step %d: action %d is not enabled", e.Step, e.Action)
}

// Replay re-executes trace from initial state init and returns the states
// it passes through, the initial state first.
func Replay[S any](m Model[S], init int, trace []Action) ([]S, error) {
	inits := m.Init()
	if init < 0 || init >= len(inits) {
		return nil, fmt.Errorf("initial state %d does not exist (the model has %d)", init, len(inits))
	}
	states := []S{inits[init]}
	for i, a := range trace {
		r, ok := Step(m, &states[len(states)-1], a)
		if !ok {
			return states, &ReplayError{Step: i + 1, Action: a}
		}
		states = append(states, r.Next)
	}
	return states, nil
}

// Ample returns the actions enabled in s (stutter steps left out), in
// Expand order, and which of them the ample-set reduction defers there,
// as if no successor had been seen: a search that had seen one may have
// taken another actor's ample set, or none.
func Ample[S any](m Model[S], s *S) (acts []Action, deferred []bool) {
	e := newExpander(m, func(uint64) bool { return false }, 0)
	var out Successors[S]
	e.expand(s, e.fingerprint(s), &out)
	for i := range out.n {
		acts = append(acts, out.items[i].Action)
		deferred = append(deferred, out.items[i].deferred)
	}
	return acts, deferred
}
