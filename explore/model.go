// Package explore is a stateful explicit-state search engine. It knows
// nothing of kernels: a model offers initial states, the successors of a
// state (each labelled by an action and its actor), and a canonical
// encoding; the engine enumerates the reachable states, detects deadlocks
// and collects the violations the model reports, with a replayable trace for
// each.
package explore

// Action names one transition of a model. Its meaning is the model's: the
// engine only stores it in traces and hands it back on replay. The same
// action must denote the same transition whenever it is enabled.
type Action uint32

// Violation is a property the model found broken, on a state or a transition.
type Violation struct {
	Name    string // the property's name, e.g. "p_nrlwps"
	Message string // what was seen, for the user
	// Where locates the violation in the model's own terms (for a kernel
	// model, the source line of the offending step); "" if nowhere in
	// particular.
	Where string
	// Fatal marks a violation after which the system cannot go on (a kernel
	// panic): the successor is not explored further.
	Fatal bool
}

// Model is a transition system. S must be a plain value type (arrays and
// integers, no pointers, slices or maps): assignment copies it.
type Model[S any] interface {
	// Init returns the initial states.
	Init() []S
	// Expand adds every successor of s to out, in a deterministic order.
	Expand(s *S, out *Successors[S])
	// Encode appends the canonical encoding of s to buf: two states are the
	// same state iff their encodings are equal.
	Encode(s *S, buf []byte) []byte
}

// StateChecker is implemented by models with state invariants. CheckState is
// called once for every distinct reachable state; it appends what it finds
// to vs and returns it.
type StateChecker[S any] interface {
	CheckState(s *S, vs []Violation) []Violation
}

// Terminator is implemented by models that classify terminal states (those
// without a successor other than themselves). Terminal returns the
// violation a terminal state represents (a deadlock, a hang), or ok=false
// for a normal end. Models without it have every terminal state reported
// as a deadlock.
type Terminator[S any] interface {
	Terminal(s *S) (v Violation, bad bool)
}

// Succ is one successor being built by Expand.
type Succ[S any] struct {
	Action Action
	// Actor is who takes the action (a process, a CPU): the traces the
	// engine reports prefer few changes of actor, which read more easily,
	// and an ample set is the successors of one actor.
	Actor int32
	// Safe is the model's promise that this transition may be explored
	// alone: in every reachable state where it is enabled, it commutes
	// with every transition of every other actor, none of which can
	// enable, disable or change it or another transition of its actor
	// (another nondeterministic choice included), and it changes nothing
	// the properties read. When every successor of one actor is Safe, the
	// engine may take them as the state's ample set and defer the others
	// (see reduce).
	Safe bool
	// Retry marks a move that only sets the actor up to try the same
	// again (a lock that moved under it, dropped to be looked up anew): the
	// cycle check's fairness counts the actor enabled but not as moving, so
	// that a fair cycle lets it get past the retry.
	Retry    bool
	deferred bool // left out of the ample set: its violations count, its state is not entered

	Next       S
	Violations []Violation

	fp uint64
}

// Successors collects the successors of states. The engine reuses it, so a
// model must not keep pointers into it.
type Successors[S any] struct {
	items []Succ[S]
	n     int
	found func(name string) bool
	state []Violation // ReportState's, for the state being expanded
}

// ReportState records a violation of the state being expanded itself,
// which the model learned while trying its actions (actors that block
// each other, say) rather than from the state alone (StateChecker).
func (o *Successors[S]) ReportState(v Violation) { o.state = append(o.state, v) }

// Add starts a successor by action a and returns it; its Next is a copy of
// from, for the model to change.
func (o *Successors[S]) Add(a Action, from *S) *Succ[S] {
	if o.n == len(o.items) {
		o.items = append(o.items, Succ[S]{})
		o.items = o.items[:cap(o.items)]
	}
	t := &o.items[o.n]
	o.n++
	t.Action = a
	t.Next = *from
	t.Actor = 0
	t.Violations = t.Violations[:0]
	t.Safe, t.Retry, t.deferred = false, false, false
	return t
}

// Drop discards the successor added last: the action turned out disabled.
func (o *Successors[S]) Drop() { o.n-- }

// Len is the number of successors collected.
func (o *Successors[S]) Len() int { return o.n }

// At returns successor i.
func (o *Successors[S]) At(i int) *Succ[S] { return &o.items[i] }

// Found reports whether the engine has already found a violation named
// name with a shorter trace, so that it will not use the Message of
// another: a model may skip building it.
func (o *Successors[S]) Found(name string) bool { return o.found != nil && o.found(name) }

// Reset empties the collection, keeping its buffers for reuse.
func (o *Successors[S]) Reset() { o.n = 0 }

// reduce picks the ample set of a state among its successors ts (stutter
// steps removed): the successors of the first actor, in Expand order, that
// are all Safe, report no violation and reach only states not seen yet,
// when another actor has successors too. It marks the other successors
// deferred and reports whether it did.
//
// The ample set meets the conditions of Peled's reduction: it is not empty
// (C0); Safe promises independence from everything outside it (C1) and
// invisibility (C2), which a successor with a violation cannot have; and
// an actor with a successor already seen is not taken (C3, the cycle
// proviso), so that if no other actor qualifies the state is expanded in
// full. Seen means in the visited set when the state is expanded: on any
// cycle, the state expanded last has its cycle successor stored already,
// so every cycle keeps a state that is not reduced through the cycle's
// step. A BFS expands a batch while no insert runs, so what it reads of
// the set, and the reduction, are the same for any number of workers.
func reduce[S any](ts []Succ[S], seen func(uint64) bool) bool {
	for i := range ts {
		if !ts[i].Safe || triedBefore(ts, i) {
			continue
		}
		a, ok, others := ts[i].Actor, true, false
		for j := range ts {
			switch t := &ts[j]; {
			case t.Actor != a:
				others = true
			case !t.Safe || len(t.Violations) > 0 || seen(t.fp):
				ok = false
			}
		}
		if !ok || !others {
			continue
		}
		for j := range ts {
			ts[j].deferred = ts[j].Actor != a
		}
		return true
	}
	return false
}

// triedBefore reports whether a successor before ts[i] has its actor.
func triedBefore[S any](ts []Succ[S], i int) bool {
	for _, t := range ts[:i] {
		if t.Actor == ts[i].Actor {
			return true
		}
	}
	return false
}

// entered reports whether the search enters the successor's state (if new).
func (t *Succ[S]) entered() bool { return !t.deferred && !isFatal(t.Violations) }
