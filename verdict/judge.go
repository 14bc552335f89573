package verdict

import (
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Outcome is what one run of a spec on a revision means for the spec.
type Outcome struct {
	// Verdict is the run's verdict once known disagreements are set aside:
	// Pass if they are all it found, Incomplete if, besides, the search
	// may have missed states (a limit, or a bitstate search).
	Verdict explore.Verdict
	Expect  string // the spec's expectation as it writes it: pass, deadlock or violation NAME
	Met     bool   // the run meets the expectation
	Why     string // why it does not, "" if it does
	// Known has one entry per finding of the run (explore.Result.Findings),
	// then one per whole-run finding: why the finding does not fail the
	// spec (a known disagreement between the revision's code and its
	// documentation, with the evidence, or Baselined), or "" if it may.
	Known []string
	// Unexpected names the findings that fail the spec: neither known,
	// accepted nor expected.
	Unexpected []string
	// Held names the invariants checked that no finding refutes (in the
	// part explored, if Partial); NotChecked the catalog's others.
	Held, NotChecked []string
	// Partial: the search may have missed states, so what it did not find
	// may still happen.
	Partial bool
}

// Baselined is the Known entry of a finding a baseline accepts.
const Baselined = "accepted by the baseline (--baseline)"

// Judge compares run r of job j, checked by c, and the whole-run findings
// rf with what j's spec expects on j's revision. A bitstate search can miss states, so, like a
// search a limit stopped, it cannot show that nothing fails: without a
// finding it is Incomplete, never Pass. What it finds is real.
func Judge(j Job, r *explore.Result, c *invariants.Checker, rf []invariants.RunFinding) Outcome {
	o := Outcome{Expect: expectation(j.Expect), Held: []string{}, Partial: r.Limit != "" || r.Bitstate}
	var names, failed []string // every finding's invariant; those neither known nor accepted
	want := Wanted(j.Expect)
	fails := func(name, base string) {
		failed = append(failed, base)
		if !slices.Contains(want, base) {
			o.Unexpected = append(o.Unexpected, name)
		}
	}
	for _, f := range r.Findings {
		base := invariants.BaseName(f.Name)
		names = append(names, base)
		why := ""
		if k, ok := c.Known(f.Name); ok {
			why = k.Why + " (" + k.Source + ")"
		} else if slices.Contains(j.Accepted, f.Name) {
			why = Baselined
		} else {
			fails(f.Name, base)
		}
		o.Known = append(o.Known, why)
	}
	for _, f := range rf {
		names = append(names, f.Name)
		why := ""
		switch {
		case f.Gate != "":
		case slices.Contains(j.Accepted, f.Name):
			why = Baselined
		default:
			fails(f.Name, f.Name)
		}
		o.Known = append(o.Known, why)
	}
	for _, inv := range c.Enabled() {
		if !slices.Contains(names, inv.Name) {
			o.Held = append(o.Held, inv.Name)
		}
	}
	for _, inv := range invariants.Catalog() {
		if !slices.Contains(c.Enabled(), inv) {
			o.NotChecked = append(o.NotChecked, inv.Name)
		}
	}
	o.Why = Why(want, names, failed, r.Limit, r.Bitstate)
	o.Met = o.Why == ""
	o.Verdict = r.Verdict
	if len(rf) > 0 {
		o.Verdict = explore.Fail // downgraded below if all are gated cycles and known findings
	}
	if o.Verdict == explore.Fail && len(failed) == 0 {
		o.Verdict = explore.Pass // known disagreements alone pass
	}
	if o.Verdict == explore.Pass && o.Partial {
		o.Verdict = explore.Incomplete
	}
	return o
}

// expectation is e as a spec writes it.
func expectation(e specs.Expect) string {
	var parts []string
	for _, x := range e.All() {
		if x.Kind == specs.Violation {
			parts = append(parts, "violation "+x.Name)
		} else {
			parts = append(parts, x.Kind.String())
		}
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// Wanted lists the invariants e expects findings of, none for a pass.
func Wanted(e specs.Expect) []string {
	var out []string
	for _, x := range e.All() {
		switch x.Kind {
		case specs.Deadlock:
			out = append(out, model.FindingDeadlock)
		case specs.Violation:
			out = append(out, x.Name)
		}
	}
	return out
}

// Why says why a run does not meet the expectation of findings of want
// (none for a pass), given the invariants of its findings (names) and of
// those not known (failed), the limit that stopped it and whether it was a
// bitstate search; "" if it does. A swarm's merge judges the shards'
// findings together with it.
func Why(want, names, failed []string, limit explore.Limit, bitstate bool) string {
	others := slices.DeleteFunc(slices.Clone(failed), func(n string) bool { return slices.Contains(want, n) })
	var missing []string
	for _, w := range want {
		if !slices.Contains(names, w) {
			missing = append(missing, w)
		}
	}
	all := strings.Join(want, ", ")
	switch {
	case len(want) == 0 && len(failed) > 0:
		return "unexpected finding"
	case len(missing) > 0:
		m := strings.Join(missing, ", ")
		switch {
		case limit != "":
			return "incomplete before " + m + " was found"
		case bitstate:
			return "bitstate search did not find " + m + ", and it may miss states"
		}
		return m + " expected, not found"
	case len(want) > 0 && len(others) > 0:
		return "findings besides the expected " + all
	case len(want) == 0 && limit != "":
		return "incomplete"
	case len(want) == 0 && bitstate:
		return "incomplete: a bitstate search may miss states, so it cannot show that nothing fails"
	}
	return ""
}
