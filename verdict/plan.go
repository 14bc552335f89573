// Package verdict holds what `lwpcheck check` decides beyond running the
// search: which revisions a spec runs on, whether a spec's expectation can
// be checked at all, and what a run means for the spec (known
// disagreements, expected findings, incomplete searches). The CLI only
// wires and prints (DESIGN.md "Layout").
package verdict

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Job is one spec to run on one revision.
type Job struct {
	Spec *specs.Spec
	Rev  *model.Revision
}

// Revisions returns the revisions sp runs on, oldest first: those it
// names, or every revision that supports all the ops it uses. A name that
// is not a revision is an error at its position in the spec.
func Revisions(sp *specs.Spec) ([]*model.Revision, error) {
	if len(sp.Revisions) == 0 {
		var revs []*model.Revision
		for _, r := range revisions.All() {
			if supportsAll(r, sp) {
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

// supportsAll reports whether r has every op sp uses.
func supportsAll(r *model.Revision, sp *specs.Spec) bool {
	for _, p := range sp.Programs {
		for _, st := range p.Steps {
			op, ok := model.OpByName(st.Op)
			if !ok || !r.Kernel.Supports(op) {
				return false
			}
		}
	}
	return true
}

// Plan pairs each spec with the revisions it runs on, in order; only, if
// not empty, keeps the revisions it names.
func Plan(all []*specs.Spec, only []string) ([]Job, error) {
	var jobs []Job
	for _, sp := range all {
		revs, err := Revisions(sp)
		if err != nil {
			return nil, err
		}
		for _, r := range revs {
			if len(only) == 0 || slices.Contains(only, r.Name) {
				jobs = append(jobs, Job{sp, r})
			}
		}
	}
	return jobs, nil
}

// Validate checks that sp's expectation can be met: the invariant a
// `violation NAME` names exists, and the families checked include the one
// the expected finding belongs to. families overrides sp's check line when
// not nil (check --check), and a conflict with it is reported as such;
// the other problems are errors at the expect line.
func Validate(sp *specs.Spec, families []string) error {
	inv, err := expected(sp)
	if err != nil || inv == nil {
		return err
	}
	if families != nil {
		if !covers(families, inv.Family) {
			return fmt.Errorf("--check %s leaves out %s (family %s), which %s expects at %s:%s",
				strings.Join(families, ","), inv.Name, inv.Family, sp.Name, sp.File, sp.Expect.Pos)
		}
		return nil
	}
	if !covers(sp.Check, inv.Family) {
		return expectError(sp, "%s is in family %s, which the check line leaves out", inv.Name, inv.Family)
	}
	return nil
}

// expected returns the invariant whose finding sp expects, nil if it
// expects a pass.
func expected(sp *specs.Spec) (*invariants.Invariant, error) {
	name := wanted(sp)
	if name == "" {
		return nil, nil
	}
	inv, ok := invariants.Lookup(name)
	if !ok {
		return nil, expectError(sp, "no invariant %q (see lwpcheck list invariants)", name)
	}
	return inv, nil
}

// expectError is an error at sp's expect line.
func expectError(sp *specs.Spec, format string, args ...any) error {
	return &specs.Error{File: sp.File, Line: sp.Expect.Pos.Line, Col: sp.Expect.Pos.Col,
		Msg: "expect: " + fmt.Sprintf(format, args...)}
}

// covers reports whether checking families (empty or "all": every family)
// checks family.
func covers(families []string, family string) bool {
	return len(families) == 0 || slices.Contains(families, "all") || slices.Contains(families, family)
}
