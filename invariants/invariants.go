package invariants

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Invariant is one check. At most one of State, Step, Terminal and Run is
// set; an invariant with none is reported by the model itself (a KASSERT).
type Invariant struct {
	Name   string // unique, lowercase words and C identifiers joined by '-'
	Family specs.Family
	Doc    string // one line
	// Source says where the rule comes from, in general; each revision's
	// Docs.Sources cites where its own sources state it.
	Source string

	// State checks a reachable state. A Keyed one names its finding
	// Name/key in Fail.Name.
	State func(c *Checker, s *model.State) (Fail, bool)
	// Step checks one step from pre to post; k holds its events. It
	// reports the first offending event it meets.
	Step func(c *Checker, k *model.K, pre, post *model.State) (Fail, bool)
	// Keyed marks a check whose findings a key tells apart (a transition
	// edge, a syscall and its result, a state): each key is a finding of its own,
	// named Name/key, with its own counterexample, so that one cannot hide
	// another.
	Keyed bool
	// Terminal checks a state with no successor; the checker names the
	// violation.
	Terminal func(c *Checker, s *model.State) (explore.Violation, bool)
	// Run checks what the checker gathered over a whole search, after
	// explore.Run; it may search again (with opt) for the schedules its
	// findings need.
	Run func(ctx context.Context, c *Checker, opt explore.Options) ([]RunFinding, error)
}

// Fail is what a Step check reports.
type Fail struct {
	// Name is the finding's name: "" for the invariant's own; Name/key for
	// a Keyed one, taken from a table (checks run on the search's hot
	// path and must not allocate).
	Name string
	// Msg says what was seen: "" when k.Found says the search has the
	// finding already, with a shorter trace.
	Msg string
	At  model.SrcRef // the C line of the offending event
}

// fail reports finding name at at; say builds its message, only when the
// search needs it.
func fail(k *model.K, name string, at model.SrcRef, say func() string) (Fail, bool) {
	if k.Found(name) {
		return Fail{Name: name}, true
	}
	return Fail{Name: name, Msg: say(), At: at}, true
}

// RunFinding is a violation of a Run invariant: a property of the whole
// search, shown by one schedule per part (e.g. per edge of a lock-order
// cycle).
type RunFinding struct {
	Name      string
	Message   string
	Witnesses []Witness
	// Gate, if not "", names the lock held at every edge of a lock-order
	// cycle: the cycle cannot deadlock, and the finding is reported
	// without failing the spec.
	Gate string
	// Deadlock, for a cycle no gate rules out, is the schedule that
	// reaches CPUs spinning for each other's locks of its classes; nil if
	// no interleaving does (Message says why).
	Deadlock *Witness
}

// Schedules returns the finding's schedules: one per edge, then the one
// that reaches the deadlock, if any.
func (f *RunFinding) Schedules() []Witness {
	if f.Deadlock == nil {
		return f.Witnesses
	}
	return append(slices.Clip(f.Witnesses), *f.Deadlock)
}

// Witness is a schedule that shows one part of a RunFinding: a shortest
// trace whose last step takes Edge. It replays on the model WitnessModel
// returns, whose check reports the edge on that step.
type Witness struct {
	Edge    Edge
	Finding explore.Finding
	// Missing says why there is no schedule (a limit stopped its search);
	// "" when Finding holds one.
	Missing string
}

// Checker runs the enabled invariants on one machine; it is the machine's
// model.Checker. Its Step and State are called concurrently by the
// search's workers.
type Checker struct {
	M    *model.Machine
	Rev  *model.Revision
	Docs *model.Docs // Rev.Docs

	enabled                    []*Invariant
	state, step, terminal, run []*Invariant
	rules                      rules
	graph                      *edgeSet  // the lock-class graph; nil unless lock-order is checked
	cover                      *coverage // nil unless transitions are checked
	expectNames                [model.MaxNames][]string
}

// Build makes the machine that runs spec on rev with the invariants of
// the given families (the zero set: every family).
func Build(rev *model.Revision, spec *specs.Spec, want specs.FamilySet) (*model.Machine, *Checker, error) {
	m, err := model.New(rev, spec)
	if err != nil {
		return nil, nil, err
	}
	c := &Checker{M: m, Rev: rev, Docs: rev.Docs}
	if c.rules, err = compile(rev.Docs, rev.Kernel); err != nil {
		return nil, nil, fmt.Errorf("revision %s: %w", rev.Name, err)
	}
	for _, inv := range Catalog() {
		if !want.Has(inv.Family) {
			continue
		}
		c.enabled = append(c.enabled, inv)
		switch {
		case inv.State != nil:
			c.state = append(c.state, inv)
		case inv.Step != nil:
			c.step = append(c.step, inv)
		case inv.Terminal != nil:
			c.terminal = append(c.terminal, inv)
		case inv.Run != nil:
			c.run = append(c.run, inv)
		}
	}
	if want.Has(specs.FamilyLockOrder) {
		c.graph = newEdgeSet()
	}
	if want.Has(specs.FamilyTransitions) {
		c.cover = new(coverage)
	}
	m.Guard = want.Has(specs.FamilyLockState)
	m.LockWaits = want.Has(specs.FamilyDeadlock)
	m.Check = c
	for n := range c.expectNames {
		for pc := range m.Program(uint8(n)) {
			c.expectNames[n] = append(c.expectNames[n], fmt.Sprintf("expect/lwp%d-step%d", n, pc+1))
		}
	}
	return m, c, nil
}

// Checks reports whether the invariant called name is enabled.
func (c *Checker) Checks(name string) bool {
	return slices.ContainsFunc(c.enabled, func(inv *Invariant) bool { return inv.Name == name })
}

// Liveness returns the cycle check the checker asks of the search: fair
// if the invariant hang is enabled, none otherwise.
func (c *Checker) Liveness(fair explore.Fairness) explore.Fairness {
	if c.Checks(model.FindingHang) {
		return fair
	}
	return explore.NoCycles
}

// Enabled returns the invariants the checker runs (or, for KASSERTs,
// reports), in catalog order.
func (c *Checker) Enabled() []*Invariant { return c.enabled }

// State implements model.Checker.
func (c *Checker) State(s *model.State, vs []explore.Violation) []explore.Violation {
	for _, inv := range c.state {
		if f, bad := inv.State(c, s); bad {
			if f.Name == "" {
				f.Name = inv.Name
			}
			vs = append(vs, explore.Violation{Name: f.Name, Message: f.Msg})
		}
	}
	return vs
}

// Step implements model.Checker: it records the step's lock-order edges
// and state transitions for the whole-run checks, then runs the step
// invariants.
func (c *Checker) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	c.record(k)
	for _, inv := range c.step {
		f, bad := inv.Step(c, k, pre, post)
		if !bad {
			continue
		}
		v := explore.Violation{Name: f.Name, Message: f.Msg}
		if v.Name == "" {
			v.Name = inv.Name
		}
		if f.Msg != "" {
			v.Where = c.M.Kernel.Src(f.At)
		}
		vs = append(vs, v)
	}
	return vs
}

// BaseName is the invariant a finding's name refers to: name without the
// key of a keyed finding ("transition/LSZOMB->LSIDL" is "transition").
func BaseName(name string) string {
	if i := strings.IndexByte(name, '/'); i >= 0 {
		return name[:i]
	}
	return name
}

// Known returns the revision's entry for a finding that is a known,
// documented disagreement between the code and its comments or man pages.
func (c *Checker) Known(name string) (model.Known, bool) {
	for _, k := range c.Docs.Known {
		if k.Name == name {
			return k, true
		}
	}
	return model.Known{}, false
}

// record notes what the whole-run checks need from a step.
func (c *Checker) record(k *model.K) {
	for i := range k.Events {
		e := &k.Events[i]
		switch e.Kind {
		case model.EvAcquire:
			if c.graph != nil && e.Held != 0 && !c.rules.try(e.Src) {
				c.graph.addClasses(e, &c.rules)
			}
		case model.EvStat:
			if c.cover != nil && e.From != e.To {
				c.cover.add(e.From, e.To)
			}
		}
	}
}

// Terminal implements model.Checker: the first terminal invariant that
// fails names the finding.
func (c *Checker) Terminal(s *model.State) (explore.Violation, bool) {
	for _, inv := range c.terminal {
		if v, bad := inv.Terminal(c, s); bad {
			v.Name = inv.Name
			return v, true
		}
	}
	return explore.Violation{}, false
}

// Analyze runs the enabled Run invariants on what the search gathered; opt
// configures the searches that find their schedules.
func (c *Checker) Analyze(ctx context.Context, opt explore.Options) ([]RunFinding, error) {
	var out []RunFinding
	for _, inv := range c.run {
		fs, err := inv.Run(ctx, c, opt)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", inv.Name, err)
		}
		out = append(out, fs...)
	}
	return out, nil
}

// Lookup returns the invariant called name.
func Lookup(name string) (*Invariant, bool) {
	for _, inv := range Catalog() {
		if inv.Name == name {
			return inv, true
		}
	}
	return nil, false
}

// Catalog returns every invariant.
func Catalog() []*Invariant { return catalog }

var catalog = slices.Concat(counterInvariants, lockOrderInvariants, lockStateInvariants,
	transitionInvariants, errnoInvariants, []*Invariant{
		{
			Name: model.FindingKAssert, Family: specs.FamilyKAssert,
			Doc:    "no KASSERT of the modelled code fails",
			Source: "the KASSERTs of each modelled routine, cited where they fail",
		},
		{
			Name: "stale-lwp", Family: specs.FamilyKAssert,
			Doc: "no routine reads an LWP through a pointer it kept while that LWP was freed and its structure reused " +
				"(the C code goes on reading the reused structure; the model reports it)",
			Source: "the routines that keep an LWP pointer across a sleep; the model tells a reused LWP structure by its generation",
		},
		{
			Name: model.FindingModelError, Family: specs.FamilyKAssert,
			Doc:    "the model never reaches a state its author ruled out",
			Source: "lwpcheck itself",
		},
		{
			Name: model.FindingDeadlock, Family: specs.FamilyDeadlock,
			Doc:      "no terminal state leaves an LWP stuck in the kernel (in a syscall or an event's path)",
			Source:   "lwpcheck: an LWP that can never return from a syscall is a hang, whatever it waits on",
			Terminal: hang,
		},
		{
			Name: model.FindingLockDeadlock, Family: specs.FamilyDeadlock,
			Doc: "no state has CPUs spinning for each other's locks in a cycle, each holding the lock the next one spins for: " +
				"they can never move again, whatever the rest of the machine does",
			Source: "lwpcheck: a cycle of lock waits is a deadlock; lock-order-cycle looks for one when no gate lock rules it out. " +
				"The machine reports it (model.Machine.LockWaits) from the steps the search tries",
		},
		{
			Name: model.FindingHang, Family: specs.FamilyDeadlock,
			Doc: "no fair cycle keeps an LWP in the kernel for ever (a syscall or an event's path that never returns " +
				"while the rest of the system keeps moving); fairness is weak unless --fairness strong",
			Source: "lwpcheck: a retry loop, a re-armed timeout or a sleep re-entered for ever is a hang even though something moves; " +
				"the engine's cycle check (explore.Liveness) finds it",
		},
		{
			Name: "expect", Family: specs.FamilyExpect,
			Doc:    "every syscall returns a result the spec allows (`-> RESULT`); each step is a finding of its own (expect/lwp1-step2)",
			Source: "the spec",
			Step:   expectResult, Keyed: true,
		},
	})

func hang(c *Checker, s *model.State) (explore.Violation, bool) {
	return model.HangViolation(c.M, s)
}

// expectName is the finding of a wrong result of step pc of LWP n's
// program: expect/lwpN-stepM, one per step, so that every wrong result of
// a run is reported with its own counterexample. The names are made when
// the checker is built (the search's hot path must not allocate).
func (c *Checker) expectName(n uint8, pc int) string {
	if names := c.expectNames[n]; pc < len(names) {
		return names[pc]
	}
	return "expect" // a program set after the checker was built
}

// expectResult checks the results delivered in a step against the spec.
func expectResult(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvReturn {
			continue
		}
		l := &pre.LWPs[e.LWP]
		op := &c.M.Program(l.Name)[l.PC]
		if model.Errno(e.To) == model.ERESTART || op.Expect.Has(model.Errno(e.To)) {
			continue
		}
		return fail(k, c.expectName(l.Name, int(l.PC)), e.Src, func() string {
			return fmt.Sprintf("LWP %d: %s returned %s, the spec expects %s (%s:%d:%d)", l.Name, op.Kind.Syscall(),
				model.Errno(e.To), op.Expect, c.M.Spec.File, op.Step.Pos.Line, op.Step.Pos.Col)
		})
	}
	return Fail{}, false
}
