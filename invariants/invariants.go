// Package invariants is the catalog of checks lwpcheck runs on a model:
// each invariant is a value with a name, a one-line description, the
// source it comes from, its family and its check, in the manner of
// go/analysis analyzers.
package invariants

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Families of invariants.
const (
	Counters    = "counters"
	LockOrder   = "lock-order"
	LockState   = "lock-state"
	Transitions = "transitions"
	Errors      = "errors"
	KAssert     = "kassert"
	Deadlock    = "deadlock"
	Expect      = "expect"
)

// Families lists every family, in the order `list invariants` prints them.
var Families = []string{Counters, LockOrder, LockState, Transitions, Errors, KAssert, Deadlock, Expect}

// Invariant is one check. At most one of State, Step and Terminal is set;
// an invariant with none is reported by the model itself (a KASSERT).
type Invariant struct {
	Name   string // unique, lowercase words joined by '-' or a C counter name
	Family string
	Doc    string // one line
	Source string // where the rule comes from: a seed line, a man page, a comment

	// State checks a reachable state.
	State func(c *Checker, s *model.State) (msg string, bad bool)
	// Step checks one step from pre to post; k holds its events.
	Step func(c *Checker, k *model.K, pre, post *model.State) (msg string, bad bool)
	// Terminal checks a state with no successor.
	Terminal func(c *Checker, s *model.State) (msg string, bad bool)
}

// Checker runs the enabled invariants on one machine; it is the machine's
// model.Checker.
type Checker struct {
	M   *model.Machine
	Rev *model.Revision

	state, step, terminal []*Invariant
}

// Build makes the machine that runs spec on rev with the invariants of
// the given families ("all" or none: every family).
func Build(rev *model.Revision, spec *specs.Spec, families []string) (*model.Machine, *Checker, error) {
	m, err := model.New(rev.Kernel, spec)
	if err != nil {
		return nil, nil, err
	}
	want, err := familySet(families)
	if err != nil {
		return nil, nil, err
	}
	c := &Checker{M: m, Rev: rev}
	for _, inv := range Catalog() {
		if !want[inv.Family] {
			continue
		}
		switch {
		case inv.State != nil:
			c.state = append(c.state, inv)
		case inv.Step != nil:
			c.step = append(c.step, inv)
		case inv.Terminal != nil:
			c.terminal = append(c.terminal, inv)
		}
	}
	m.Check = c
	return m, c, nil
}

func familySet(families []string) (map[string]bool, error) {
	want := map[string]bool{}
	if len(families) == 0 || slices.Contains(families, "all") {
		for _, f := range Families {
			want[f] = true
		}
		return want, nil
	}
	for _, f := range families {
		if !slices.Contains(Families, f) {
			return nil, fmt.Errorf("unknown invariant family %q (known: all, %s)", f, strings.Join(Families, ", "))
		}
		want[f] = true
	}
	return want, nil
}

// State implements model.Checker.
func (c *Checker) State(s *model.State, vs []explore.Violation) []explore.Violation {
	for _, inv := range c.state {
		if msg, bad := inv.State(c, s); bad {
			vs = append(vs, explore.Violation{Name: inv.Name, Message: msg})
		}
	}
	return vs
}

// Step implements model.Checker.
func (c *Checker) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	for _, inv := range c.step {
		if msg, bad := inv.Step(c, k, pre, post); bad {
			vs = append(vs, explore.Violation{Name: inv.Name, Message: msg})
		}
	}
	return vs
}

// Terminal implements model.Checker: the first terminal invariant that
// fails names the finding.
func (c *Checker) Terminal(s *model.State) (explore.Violation, bool) {
	for _, inv := range c.terminal {
		if msg, bad := inv.Terminal(c, s); bad {
			return explore.Violation{Name: inv.Name, Message: msg}, true
		}
	}
	return explore.Violation{}, false
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

var catalog = slices.Concat(counterInvariants, []*Invariant{
	{
		Name: "kassert", Family: KAssert,
		Doc:    "no KASSERT of the modelled code fails",
		Source: "the KASSERTs of each modelled routine, cited where they fail",
	},
	{
		Name: "model-error", Family: KAssert,
		Doc:    "the model never reaches a state its author ruled out",
		Source: "lwpcheck itself",
	},
	{
		Name: "deadlock", Family: Deadlock,
		Doc:      "no terminal state leaves an LWP stuck in the kernel (in a syscall or an event's path)",
		Source:   "DESIGN.md: a hang is a finding",
		Terminal: hang,
	},
	{
		Name: "expect", Family: Expect,
		Doc:    "every syscall returns a result the spec allows (`-> RESULT`)",
		Source: "the spec",
		Step:   expectResult,
	},
})

func hang(c *Checker, s *model.State) (string, bool) {
	v, bad := model.HangViolation(c.M, s)
	return v.Message, bad
}

// expectResult checks the results delivered in a step against the spec.
func expectResult(c *Checker, k *model.K, pre, post *model.State) (string, bool) {
	for _, e := range k.Events {
		if e.Kind != model.EvReturn {
			continue
		}
		l := &pre.LWPs[e.LWP]
		op := &c.M.Program(l.Name)[l.PC]
		if model.Errno(e.To) == model.ERESTART || op.Expect.Has(model.Errno(e.To)) {
			continue
		}
		return fmt.Sprintf("LWP %d: %s returned %s, the spec expects %s (%s:%d:%d)", l.Name, op.Kind.Syscall(),
			model.Errno(e.To), op.Expect, c.M.Spec.File, op.Step.Pos.Line, op.Step.Pos.Col), true
	}
	return "", false
}
