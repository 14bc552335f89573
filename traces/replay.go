package traces

import (
	"fmt"
	mbits "math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
)

// Run is a counterexample re-executed on a machine.
type Run struct {
	Cex     *Cex
	Machine *model.Machine
	Init    model.State // the state before the first step
	Steps   []RunStep
	// Recurs reports whether the recorded violation occurs again where the
	// file says: at the last step, or in the state the run ends in.
	Recurs bool
	// End lists the violations seen there, the recorded one among them if
	// it recurs.
	End []explore.Violation
	// Observed is, for a behaviour, what user space sees of the run now.
	Observed []string
	// Closed reports, for a cycle, whether the loop returns to the state
	// it starts in.
	Closed bool
}

// RunStep is one re-executed step.
type RunStep struct {
	Step                   // the step as the model describes it now
	Recorded   Step        // the step as the file records it
	Post       model.State // the state after the step
	Events     []model.Event
	Violations []explore.Violation // found by the step's checks
}

// StepError is a step of a counterexample that cannot be executed any
// more: it is not enabled, or it is no longer the step the file records.
type StepError struct {
	Step   Step   // as recorded
	Reason string // one line
}

func (e *StepError) Error() string {
	return fmt.Sprintf("step %d (%s: %s at %s): %s", e.Step.N, flat(who(e.Step)), flat(e.Step.Action), flat(e.Step.Source), flat(e.Reason))
}

// flat writes text a file gave, which may hold line breaks, on one line,
// with its control characters escaped as Go does.
func flat(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) {
		return s
	}
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// Replay re-executes c on m, which must run c's spec on c's revision with
// the invariants attached. A step that cannot be executed, or that is no
// longer the one recorded (another actor, operation or source line), is a
// *StepError; the steps before it are in the returned Run.
func Replay(m *model.Machine, c *Cex) (*Run, error) {
	inits := m.Init()
	if c.Init >= len(inits) {
		return nil, c.ErrorAt("init", "initial state %d does not exist (the model has %d)", c.Init, len(inits))
	}
	r := &Run{Cex: c, Machine: m, Init: inits[c.Init]}
	s := r.Init
	for _, rec := range c.Steps {
		res, ok := explore.Step(m, &s, rec.A)
		if !ok {
			return r, &StepError{rec, fmt.Sprintf("not enabled (%s)", m.ActionName(rec.A)) + c.edited()}
		}
		st, _, k, err := m.Describe(&s, rec.A)
		if err != nil {
			return r, &StepError{rec, err.Error()}
		}
		now := Step{N: rec.N, Actor: st.Actor, CPU: st.CPU, Action: st.Action, Source: st.Source, Note: st.Note, A: rec.A,
			Merged: st.Merged}
		if why := mismatch(rec, now); why != "" {
			return r, &StepError{rec, why + c.edited()}
		}
		r.Steps = append(r.Steps, RunStep{Step: now, Recorded: rec, Post: res.Next,
			Events: append([]model.Event(nil), k.Events...), Violations: res.Violations})
		s = res.Next
	}
	name := c.Violation.Name
	switch c.Violation.Kind {
	case KindTransition:
		if len(r.Steps) > 0 {
			r.End = r.Steps[len(r.Steps)-1].Violations
		}
	case KindState:
		// What the search learns while expanding the state counts too
		// (lock-deadlock).
		r.End = explore.StateViolations(m, &s)
	case KindBehaviour:
		r.Observed = Observed(m, r.Steps, &s)
		r.Recurs = slices.Equal(r.Observed, c.Observed)
		return r, nil
	case KindTrace:
		r.Observed = RecordsOf(r.Steps)
		r.Recurs = slices.Equal(r.Observed, c.Observed)
		return r, nil
	case KindCycle:
		r.replayLoop()
		r.Recurs = r.Closed && hasName(r.End, name)
		return r, nil
	default:
		r.End = explore.StateViolations(m, &s)
	}
	r.Recurs = hasName(r.End, name)
	return r, nil
}

// replayLoop checks a cycle's loop: that it returns to the state it
// starts in (Closed), and which LWPs owe a return to user space on every
// state of it; End gets the hang they make, as the model words it.
func (r *Run) replayLoop() {
	m, first := r.Machine, r.Cex.Loop-1
	entry := &r.Init
	if first > 0 {
		entry = &r.Steps[first-1].Post
	}
	end := &r.Steps[len(r.Steps)-1].Post
	r.Closed = string(m.Encode(entry, nil)) == string(m.Encode(end, nil))
	owed := m.Pending(entry)
	loop := make([]explore.Action, 0, len(r.Steps)-first)
	for _, st := range r.Steps[first:] {
		owed &= m.Pending(&st.Post)
		loop = append(loop, st.A)
	}
	if owed != 0 {
		r.End = []explore.Violation{m.NonProgress(entry, mbits.TrailingZeros64(owed), loop)}
	}
}

// Observed returns what user space sees of steps, which end in state
// end: the syscall returns (and panics) of each step, then the hang end
// shows if it is terminal.
func Observed(m *model.Machine, steps []RunStep, end *model.State) []string {
	var out []string
	for i := range steps {
		st := &steps[i]
		for _, o := range m.Observe(st.Events, &st.Post, st.Violations) {
			out = append(out, o.String())
		}
	}
	if explore.Terminal(m, end) {
		if o, ok := m.ObserveEnd(end); ok {
			out = append(out, o.String())
		}
	}
	return out
}

// RecordsOf returns the ktrace records of steps (model.Record, rendered),
// in order.
func RecordsOf(steps []RunStep) []string {
	var out []string
	var buf []model.Record
	for i := range steps {
		buf = model.Records(steps[i].Events, &steps[i].Post, buf[:0])
		for _, r := range buf {
			out = append(out, r.String())
		}
	}
	return out
}

// mismatch says how a re-executed step differs from the recorded one, in
// what identifies it: the actor, the CPU, the operation and the source.
func mismatch(rec, now Step) string {
	for _, f := range []struct{ what, rec, now string }{
		{"actor", rec.Actor, now.Actor},
		{"cpu", fmt.Sprint(rec.CPU), fmt.Sprint(now.CPU)},
		{"action", rec.Action, now.Action},
		{"source", rec.Source, now.Source},
	} {
		if f.rec != f.now {
			return fmt.Sprintf("the model now runs %s %q here, the file records %q", f.what, f.now, f.rec)
		}
	}
	return ""
}

// Verdict is one line on whether the recorded violation recurs.
func (r *Run) Verdict() string {
	v := r.Cex.Violation
	if v.Kind == KindTrace {
		if r.Recurs {
			return fmt.Sprintf("the run recurs: its %d ktrace records are the ones recorded", len(r.Observed))
		}
		i := 0
		for i < len(r.Observed) && i < len(r.Cex.Observed) && r.Observed[i] == r.Cex.Observed[i] {
			i++
		}
		now, rec := "(none)", "(none)"
		if i < len(r.Observed) {
			now = r.Observed[i]
		}
		if i < len(r.Cex.Observed) {
			rec = r.Cex.Observed[i]
		}
		return fmt.Sprintf("the run no longer shows the recorded records (%s): record %d is %q, the file records %q", r.Cex.cause(), i+1, now, rec)
	}
	if v.Kind == KindBehaviour {
		if r.Recurs {
			return "the behaviour recurs: " + strings.Join(r.Observed, "; ")
		}
		return fmt.Sprintf("the behaviour no longer occurs (%s): the run shows %q, the file records %q", r.Cex.cause(),
			strings.Join(r.Observed, "; "), strings.Join(r.Cex.Observed, "; "))
	}
	if v.Kind == KindCycle && !r.Closed {
		return fmt.Sprintf("the violation %s no longer occurs (%s): steps %d to %d no longer return to the state before step %d",
			v.Name, r.Cex.cause(), r.Cex.Loop, len(r.Steps), r.Cex.Loop)
	}
	if r.Recurs && v.Kind == KindCycle {
		return fmt.Sprintf("the violation recurs: %s: %s (steps %d to %d return to the state before step %d)",
			r.End[0].Name, r.End[0].Message, r.Cex.Loop, len(r.Steps), r.Cex.Loop)
	}
	if r.Recurs {
		for _, e := range r.End {
			if e.Name == v.Name {
				return fmt.Sprintf("the violation recurs: %s: %s", e.Name, e.Message)
			}
		}
	}
	msg := fmt.Sprintf("the violation %s no longer occurs (%s)", v.Name, r.Cex.cause())
	if len(r.End) > 0 {
		msg += "; the run ends with " + r.End[0].Name + ": " + r.End[0].Message
	}
	return msg
}
