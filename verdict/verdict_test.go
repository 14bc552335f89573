package verdict

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

func parse(t *testing.T, text string) *specs.Spec {
	t.Helper()
	sp, err := specs.Parse("t.yaml", []byte(text))
	require.NoError(t, err)
	return sp
}

func names(jobs []Job) []string {
	var out []string
	for _, j := range jobs {
		out = append(out, j.Spec.Name+"@"+j.Rev.Name)
	}
	return out
}

func TestPlan(t *testing.T) {
	tests := []struct {
		name, spec string
		only       []string
		want       []string
		err        string
	}{
		{"every revision that supports the ops", "name: a\nlwps: {1: [self]}\n", nil, []string{"a@netbsd-2007", "a@netbsd-5", "a@netbsd-2025"}, ""},
		{"not a revision whose call lacks an argument", "name: a\nlwps: {1: [park unpark 1]}\n", nil, []string{"a@netbsd-5", "a@netbsd-2025"}, ""},
		{"not a revision without an event", "name: a\nlwps: {1: [self]}\nenv: {migrate: 1}\n", nil, []string{"a@netbsd-5", "a@netbsd-2025"}, ""},
		{"the revisions named", "name: a\nrevisions: [netbsd-2025]\n", nil, []string{"a@netbsd-2025"}, ""},
		{"narrowed by --revision", "name: a\n", []string{"netbsd-5"}, []string{"a@netbsd-5"}, ""},
		{"an unknown revision, at its position", "name: a\nrevisions: [netbsd-2025, netbsd-1]\n", nil, nil,
			`t.yaml:2:26: unknown revision "netbsd-1" (known: netbsd-2007, netbsd-5, netbsd-2025)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jobs, err := Plan([]*specs.Spec{parse(t, tt.spec)}, tt.only)
			if tt.err != "" {
				assert.EqualError(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, names(jobs))
		})
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name, spec string
		families   string // --check
		err        string
	}{
		{"pass", "name: a\n", "counters", ""},
		{"a known invariant", "name: a\nexpect: violation p_nlwpwait\n", "", ""},
		{"deadlock", "name: a\nexpect: deadlock\n", "", ""},
		{"an unknown invariant", "name: a\nexpect: violation nosuch-invariant\n", "",
			`t.yaml:2:19: expect: no invariant "nosuch-invariant" (see lwpcheck list invariants)`},
		{"a family is not an invariant", "name: a\nexpect: violation counters\n", "",
			`t.yaml:2:19: expect: no invariant "counters" (see lwpcheck list invariants)`},
		{"the check line leaves the family out", "name: a\ncheck: [counters]\nexpect: deadlock\n", "",
			"t.yaml:3:9: expect: deadlock is in family deadlock, which the check line leaves out"},
		{"the check line has the family", "name: a\ncheck: [counters, deadlock]\nexpect: deadlock\n", "", ""},
		{"--check leaves the family out", "name: a\nexpect: deadlock\n", "counters",
			"--check counters leaves out deadlock (family deadlock), which a expects at t.yaml:2:9"},
		{"--check overrides the check line", "name: a\ncheck: [counters]\nexpect: deadlock\n", "all", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var fams specs.FamilySet
			if tt.families != "" {
				var err error
				fams, _, err = specs.ParseFamilies([]string{tt.families})
				require.NoError(t, err)
			}
			err := Validate(parse(t, tt.spec), fams)
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tt.err)
			}
		})
	}
}

// found is a run's findings, by name.
func found(names ...string) []explore.Finding {
	var fs []explore.Finding
	for _, n := range names {
		fs = append(fs, explore.Finding{Violation: explore.Violation{Name: n}})
	}
	return fs
}

func TestJudge(t *testing.T) {
	const known = "transition/LSZOMB->LSIDL" // in netbsd-2025's table
	pass, deadlock := "name: a\n", "name: a\nexpect: deadlock\n"
	tests := []struct {
		name, spec string
		r          explore.Result
		rf         []invariants.RunFinding
		verdict    explore.Verdict
		why        string
	}{
		{"nothing found", pass, explore.Result{Verdict: explore.Pass}, nil, explore.Pass, ""},
		{"known findings alone pass", pass, explore.Result{Verdict: explore.Fail, Findings: found(known)}, nil, explore.Pass, ""},
		{"an unexpected finding", pass, explore.Result{Verdict: explore.Fail, Findings: found("p_nlwps", known)}, nil,
			explore.Fail, "unexpected finding"},
		{"a whole-run finding", pass, explore.Result{Verdict: explore.Pass}, []invariants.RunFinding{{Name: "lock-order-cycle"}},
			explore.Fail, "unexpected finding"},
		{"the expected finding", deadlock, explore.Result{Verdict: explore.Fail, Findings: found("deadlock", known)}, nil,
			explore.Fail, ""},
		{"the expected finding missing", deadlock, explore.Result{Verdict: explore.Pass}, nil,
			explore.Pass, "deadlock expected, not found"},
		{"others besides the expected", deadlock, explore.Result{Verdict: explore.Fail, Findings: found("deadlock", "p_nlwps")}, nil,
			explore.Fail, "findings besides the expected deadlock"},
		{"a limit", pass, explore.Result{Verdict: explore.Incomplete, Limit: "max-states"}, nil, explore.Incomplete, "incomplete"},
		{"a limit, known findings", pass, explore.Result{Verdict: explore.Fail, Limit: "max-states", Findings: found(known)}, nil,
			explore.Incomplete, "incomplete"},
		{"a limit before the expected", deadlock, explore.Result{Verdict: explore.Incomplete, Limit: "max-states"}, nil,
			explore.Incomplete, "incomplete before deadlock was found"},
		{"bitstate, nothing found", pass, explore.Result{Verdict: explore.Pass, Bitstate: true}, nil,
			explore.Incomplete, "incomplete: a bitstate search may miss states, so it cannot show that nothing fails"},
		{"bitstate, known findings", pass, explore.Result{Verdict: explore.Fail, Bitstate: true, Findings: found(known)}, nil,
			explore.Incomplete, "incomplete: a bitstate search may miss states, so it cannot show that nothing fails"},
		{"bitstate, a finding is real", pass, explore.Result{Verdict: explore.Fail, Bitstate: true, Findings: found("p_nlwps")}, nil,
			explore.Fail, "unexpected finding"},
		{"bitstate, the expected missing", deadlock, explore.Result{Verdict: explore.Pass, Bitstate: true}, nil,
			explore.Incomplete, "bitstate search did not find deadlock, and it may miss states"},
	}
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sp := parse(t, tt.spec)
			_, c, err := invariants.Build(rev, sp, 0)
			require.NoError(t, err)
			o := Judge(Job{Spec: sp, Rev: rev, Expect: sp.Expect}, &tt.r, c, tt.rf)
			assert.Equal(t, tt.verdict, o.Verdict, "verdict")
			assert.Equal(t, tt.why, o.Why, "why")
			assert.Equal(t, tt.why == "", o.Met, "met")
			assert.Len(t, o.Known, len(tt.r.Findings)+len(tt.rf))
			for i, f := range tt.r.Findings {
				assert.Equal(t, f.Name == known, o.Known[i] != "", "known %s", f.Name)
			}
		})
	}
}

func TestJudgeHeld(t *testing.T) {
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	sp := parse(t, "name: a\ncheck: [counters, deadlock]\n")
	_, c, err := invariants.Build(rev, sp, sp.Check)
	require.NoError(t, err)
	o := Judge(Job{Spec: sp, Rev: rev, Expect: sp.Expect}, &explore.Result{Verdict: explore.Fail, Findings: found("p_nlwps")}, c, nil)
	var held, notChecked []string
	for _, inv := range invariants.Catalog() {
		switch {
		case inv.Name == "p_nlwps":
		case inv.Family == specs.FamilyCounters || inv.Family == specs.FamilyDeadlock:
			held = append(held, inv.Name)
		default:
			notChecked = append(notChecked, inv.Name)
		}
	}
	assert.Equal(t, held, o.Held)
	assert.Equal(t, notChecked, o.NotChecked)
	assert.Contains(t, o.Held, "deadlock")
	assert.Contains(t, o.NotChecked, "lock-order")
}

func TestRevisions(t *testing.T) {
	revs, err := Revisions(parse(t, "name: a\nlwps: {1: [create 2, wait 2]}\n"))
	require.NoError(t, err)
	assert.Equal(t, revisions.All(), revs, "every revision supports the NetBSD ops")
}

// TestPlanExpectations checks the expectation each job gets from a spec
// that states them per revision, and the errors of a mapping that names
// no revision or leaves one out.
func TestPlanExpectations(t *testing.T) {
	const rev = "netbsd-2025"
	sp := parse(t, "name: a\nexpect:\n  default: pass\n  "+rev+": violation p_nlwps\n")
	jobs, err := Plan([]*specs.Spec{sp}, nil)
	require.NoError(t, err)
	for _, j := range jobs {
		want := specs.Pass
		if j.Rev.Name == rev {
			want = specs.Violation
		}
		assert.Equal(t, want, j.Expect.Kind, j.Rev.Name)
	}
	_, err = Plan([]*specs.Spec{parse(t, "name: a\nexpect:\n  netbsd-1999: pass\n")}, nil)
	assert.ErrorContains(t, err, `t.yaml:3:3: expect: unknown revision "netbsd-1999"`)
	others := parse(t, "name: a\nexpect:\n  "+rev+": pass\n")
	_, err = Plan([]*specs.Spec{others}, nil)
	if len(revisions.All()) > 1 {
		assert.ErrorContains(t, err, "t.yaml:2:1: expect: no expectation for revision")
	} else {
		assert.NoError(t, err)
	}
}

// TestJudgeAccepted: a finding a baseline accepts does not fail the spec,
// one it does not accept still does, and neither is expected.
func TestJudgeAccepted(t *testing.T) {
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	sp := parse(t, "name: x\nlwps: {1: [self]}\n")
	_, c, err := invariants.Build(rev, sp, 0)
	require.NoError(t, err)
	r := explore.Result{Verdict: explore.Fail, Findings: []explore.Finding{
		{Violation: explore.Violation{Name: "p_nlwps"}}, {Violation: explore.Violation{Name: "lock-order/a->b"}}}}
	rf := []invariants.RunFinding{{Name: "lock-order-cycle"}}
	o := Judge(Job{Spec: sp, Rev: rev, Expect: sp.Expect}, &r, c, rf)
	assert.False(t, o.Met)
	assert.Equal(t, []string{"p_nlwps", "lock-order/a->b", "lock-order-cycle"}, o.Unexpected)

	o = Judge(Job{Spec: sp, Rev: rev, Expect: sp.Expect, Accepted: []string{"lock-order/a->b", "lock-order-cycle"}}, &r, c, rf)
	assert.False(t, o.Met)
	assert.Equal(t, []string{"p_nlwps"}, o.Unexpected)
	assert.Equal(t, []string{"", Baselined, Baselined}, o.Known)

	o = Judge(Job{Spec: sp, Rev: rev, Expect: sp.Expect, Accepted: []string{"p_nlwps", "lock-order/a->b", "lock-order-cycle"}}, &r, c, rf)
	assert.True(t, o.Met, o.Why)
	assert.Equal(t, explore.Pass, o.Verdict)
	assert.Empty(t, o.Unexpected)
}
