package invariants

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

func TestCatalogValid(t *testing.T) {
	if err := Validate(Catalog()); err != nil {
		t.Fatal(err)
	}
}

func TestValidateRejects(t *testing.T) {
	check := func(*Checker, *model.State) (Fail, bool) { return Fail{}, false }
	step := func(*Checker, *model.K, *model.State, *model.State) (Fail, bool) { return Fail{}, false }
	ok := Invariant{Name: "x", Family: specs.FamilyCounters, Doc: "d", Source: "s"}
	tests := []struct {
		name string
		invs []*Invariant
		want string
	}{
		{"empty name", []*Invariant{{Family: specs.FamilyCounters, Doc: "d", Source: "s"}}, "bad name"},
		{"bad name", []*Invariant{{Name: "Bad Name", Family: specs.FamilyCounters, Doc: "d", Source: "s"}}, "bad name"},
		{"duplicate", []*Invariant{&ok, &ok}, "duplicate name"},
		{"no doc", []*Invariant{{Name: "x", Family: specs.FamilyCounters, Source: "s"}}, "doc"},
		{"two-line doc", []*Invariant{{Name: "x", Family: specs.FamilyCounters, Doc: "a\nb", Source: "s"}}, "doc"},
		{"no source", []*Invariant{{Name: "x", Family: specs.FamilyCounters, Doc: "d"}}, "no source"},
		{"unknown family", []*Invariant{{Name: "x", Family: 99, Doc: "d", Source: "s"}}, "unknown family"},
		{"two checks", []*Invariant{{Name: "x", Family: specs.FamilyCounters, Doc: "d", Source: "s", State: check, Step: step}}, "2 checks"},
		{"nil", []*Invariant{nil}, "nil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Validate(tt.invs)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

// TestRevisionsValid checks every registered revision as the checker
// uses it (ValidateRevision).
func TestRevisionsValid(t *testing.T) {
	for _, rev := range revisions.All() {
		if err := ValidateRevision(rev); err != nil {
			t.Errorf("%v", err)
		}
	}
}

// TestWorkersAgree checks that the whole-run results (the lock graph,
// transition coverage and findings) do not depend on the number of
// workers.
func TestWorkersAgree(t *testing.T) {
	sp, err := specs.Lookup("suspend-running")
	if err != nil {
		t.Fatal(err)
	}
	type outcome struct {
		Edges    []GraphEdge
		Coverage *Coverage
		Findings []explore.Finding
		Run      []RunFinding
	}
	var got []outcome
	for _, w := range []int{1, 3} {
		m, c, err := Build(revisions.All()[0], sp, 0)
		if err != nil {
			t.Fatal(err)
		}
		r, rf := searchWith(t, m, c, explore.Options{Workers: w})
		got = append(got, outcome{c.Edges(), c.Coverage(), r.Findings, rf})
	}
	if d := cmp.Diff(got[0], got[1], cmpopts.IgnoreUnexported(explore.Finding{})); d != "" {
		t.Errorf("1 and 3 workers differ (-1 +3):\n%s", d)
	}
}

// TestChecksDoNotAllocate checks that the step and state checks cost no
// allocation when they pass, on every step of a small spec: the engine
// calls them for every transition.
func TestChecksDoNotAllocate(t *testing.T) {
	sp, err := specs.Lookup("create-wait")
	if err != nil {
		t.Fatal(err)
	}
	m, c, err := Build(revisions.All()[0], sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	vs := make([]explore.Violation, 0, 8)
	seen := map[model.State]bool{}
	queue := m.Init()
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if seen[s] {
			continue
		}
		seen[s] = true
		if n := testing.AllocsPerRun(10, func() { vs = c.State(&s, vs[:0]) }); n != 0 && len(vs) == 0 {
			t.Fatalf("State allocates %.0f times", n)
		}
		for _, a := range explore.Enabled(m, &s) {
			next, k, ok := m.Replay(&s, a)
			if !ok {
				t.Fatalf("action %s is not enabled", m.ActionName(a))
			}
			if n := testing.AllocsPerRun(10, func() { vs = c.Step(k, &s, &next, vs[:0]) }); n != 0 && len(vs) == 0 {
				t.Fatalf("Step %s allocates %.0f times", m.ActionName(a), n)
			}
			queue = append(queue, next)
		}
	}
}
