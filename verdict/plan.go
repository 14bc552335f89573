// Package verdict holds what `lwpcheck check` decides beyond running the
// search: which revisions a spec runs on, whether a spec's expectation can
// be checked at all, and what a run means for the spec (known
// disagreements, expected findings, incomplete searches). The CLI only
// wires and prints.
package verdict

import (
	"fmt"
	"slices"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Job is one spec to run on one revision, with what the spec expects
// there.
type Job struct {
	Spec   *specs.Spec
	Rev    *model.Revision
	Expect specs.Expect
	// Accepted names findings a project has accepted (a baseline file):
	// like known disagreements, they are reported but do not fail the
	// spec.
	Accepted []string
}

// Revisions returns the revisions sp runs on, oldest first: those it
// names, or every revision that supports all the ops it uses. A name that
// is not a revision is an error at its position in the spec.
func Revisions(sp *specs.Spec) ([]*model.Revision, error) {
	if len(sp.Revisions) == 0 {
		var revs []*model.Revision
		for _, r := range revisions.All() {
			if lacks(r, sp) == "" {
				revs = append(revs, r)
			}
		}
		return revs, nil
	}
	var revs []*model.Revision
	for i, name := range sp.Revisions {
		r, err := revisions.Lookup(name)
		if err != nil {
			pos := sp.RevisionPos[i]
			return nil, &specs.Error{File: sp.File, Line: pos.Line, Col: pos.Col, Msg: err.Error()}
		}
		revs = append(revs, r)
	}
	return revs, nil
}

// lacks says why r cannot run sp: a step it has (the op, or an argument
// it gives it) or an environment event it asks for; "" if r can.
func lacks(r *model.Revision, sp *specs.Spec) string {
	if why := r.Kernel.LacksEnv(sp.Env); why != "" {
		return why
	}
	for _, p := range sp.Programs {
		for i := range p.Steps {
			if why := r.Kernel.Lacks(&p.Steps[i]); why != "" {
				return fmt.Sprintf("%s: %s", p.Steps[i].Text, why)
			}
		}
	}
	return ""
}

// A Skip is a revision a spec without a revisions line does not run on,
// and why.
type Skip struct {
	Spec *specs.Spec
	Rev  *model.Revision
	Why  string
}

// Skipped lists, for each spec without a revisions line, the revisions of
// only (every revision if empty) it does not run on, and why.
func Skipped(all []*specs.Spec, only []string) []Skip {
	var out []Skip
	for _, sp := range all {
		if len(sp.Revisions) > 0 {
			continue
		}
		for _, r := range revisions.All() {
			if len(only) > 0 && !slices.Contains(only, r.Name) {
				continue
			}
			if why := lacks(r, sp); why != "" {
				out = append(out, Skip{Spec: sp, Rev: r, Why: why})
			}
		}
	}
	return out
}

// Plan pairs each spec with the revisions it runs on, in order, and the
// expectation it states for each; only, if not empty, keeps the revisions
// it names. An expectation for a revision that does not exist, or a
// revision the spec runs on without an expectation, is an error at the
// spec's expect line.
func Plan(all []*specs.Spec, only []string) ([]Job, error) {
	var jobs []Job
	for _, sp := range all {
		revs, err := Revisions(sp)
		if err != nil {
			return nil, err
		}
		for _, o := range sp.Overrides {
			if _, err := revisions.Lookup(o.Revision); err != nil {
				return nil, &specs.Error{File: sp.File, Line: o.Pos.Line, Col: o.Pos.Col, Msg: "expect: " + err.Error()}
			}
		}
		for _, r := range revs {
			if len(only) > 0 && !slices.Contains(only, r.Name) {
				continue
			}
			e, ok := sp.ExpectFor(r.Name)
			if !ok {
				return nil, &specs.Error{File: sp.File, Line: sp.Expect.Pos.Line, Col: sp.Expect.Pos.Col,
					Msg: fmt.Sprintf("expect: no expectation for revision %s (give it a key or a default)", r.Name)}
			}
			jobs = append(jobs, Job{Spec: sp, Rev: r, Expect: e})
		}
	}
	return jobs, nil
}

// Validate checks that each of sp's expectations (its default and one per
// revision it names) can be met: the invariant a `violation NAME` names
// exists, and the families checked include the one the expected finding
// belongs to. families overrides sp's check line unless it is the zero set
// (check --check), and a conflict with it is reported as such; the other
// problems are errors at the expectation.
func Validate(sp *specs.Spec, families specs.FamilySet) error {
	all := []specs.Expect{}
	if sp.HasExpect {
		all = append(all, sp.Expect)
	}
	for _, o := range sp.Overrides {
		all = append(all, o.Expect)
	}
	for _, e := range all {
		if err := validate(sp, e, families); err != nil {
			return err
		}
	}
	return nil
}

func validate(sp *specs.Spec, e specs.Expect, families specs.FamilySet) error {
	for _, x := range e.All() {
		if err := validateOne(sp, x, families); err != nil {
			return err
		}
	}
	return nil
}

func validateOne(sp *specs.Spec, e specs.Expect, families specs.FamilySet) error {
	inv, err := expected(sp, e)
	if err != nil || inv == nil {
		return err
	}
	if families != 0 {
		if !families.Has(inv.Family) {
			return fmt.Errorf("--check %s leaves out %s (family %s), which %s expects at %s:%s",
				families, inv.Name, inv.Family, sp.Name, sp.File, e.Pos)
		}
		return nil
	}
	if !sp.Check.Has(inv.Family) {
		return expectError(sp, e, "%s is in family %s, which the check line leaves out", inv.Name, inv.Family)
	}
	return nil
}

// expected returns the invariant whose finding e expects, nil if it
// expects a pass.
func expected(sp *specs.Spec, e specs.Expect) (*invariants.Invariant, error) {
	if e.Kind == specs.Pass {
		return nil, nil
	}
	name := Wanted(e)[0]
	inv, ok := invariants.Lookup(name)
	if !ok {
		return nil, expectError(sp, e, "no invariant %q (see lwpcheck list invariants)", name)
	}
	return inv, nil
}

// expectError is an error at expectation e of sp.
func expectError(sp *specs.Spec, e specs.Expect, format string, args ...any) error {
	return &specs.Error{File: sp.File, Line: e.Pos.Line, Col: e.Pos.Col,
		Msg: "expect: " + fmt.Sprintf(format, args...)}
}
