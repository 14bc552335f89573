package traces

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// found is one counterexample a bundled spec produces.
type found struct {
	rev  *model.Revision
	spec *specs.Spec
	m    *model.Machine
	cex  *Cex
}

// machine builds the machine replay uses for c: its spec on its revision
// with every invariant family.
func machine(t testing.TB, c *Cex) *model.Machine {
	t.Helper()
	rev, err := revisions.Lookup(c.Revision)
	if err != nil {
		t.Fatal(err)
	}
	sp, err := c.ParseSpec("test.cex.json")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := invariants.Build(rev, sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// search runs spec on rev (with the spec's invariant families) and
// returns the counterexamples of its findings.
func search(t testing.TB, rev *model.Revision, sp *specs.Spec, opt explore.Options) []found {
	return searchPOR(t, rev, sp, opt, false)
}

// searchPOR is search with the model's reduction on or off.
func searchPOR(t testing.TB, rev *model.Revision, sp *specs.Spec, opt explore.Options, por bool) []found {
	t.Helper()
	m, c, err := invariants.Build(rev, sp, sp.Check)
	if err != nil {
		t.Fatal(err)
	}
	m.POR = por
	if opt.Cycles == explore.NoCycles {
		opt.Cycles = c.Liveness(explore.Weak)
	}
	res, err := explore.Run(context.Background(), m, opt)
	if err != nil {
		t.Fatal(err)
	}
	var out []found
	for _, f := range res.Findings {
		c, err := New(rev, sp, m, f)
		if err != nil {
			t.Fatalf("%s on %s: %v", sp.Name, rev.Name, err)
		}
		out = append(out, found{rev, sp, m, c})
	}
	return out
}

var (
	bundledMu    sync.Mutex
	bundledCache = map[bool][]found{}
)

// bundledCexes runs every bundled spec on every revision that supports it,
// with the engine's fewest-switch trace pass on or off (firstTrace), and
// returns the counterexamples found. Results are cached for the tests.
func bundledCexes(t testing.TB, firstTrace bool) []found {
	t.Helper()
	bundledMu.Lock()
	defer bundledMu.Unlock()
	if out, ok := bundledCache[firstTrace]; ok {
		return out
	}
	opt := explore.Options{FirstTrace: firstTrace}
	all, err := specs.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	var out []found
	for _, sp := range all {
		for _, rev := range revisions.All() {
			if len(sp.Revisions) > 0 && !slices.Contains(sp.Revisions, rev.Name) {
				continue
			}
			if _, err := model.New(rev, sp); err != nil {
				continue // an op the revision lacks
			}
			out = append(out, search(t, rev, sp, opt)...)
		}
	}
	bundledCache[firstTrace] = out
	return out
}

// suspendRunningFound is the deadlock of the bundled suspend-running spec
// on netbsd-2025, with the spec, revision and machine that found it.
func suspendRunningFound(t testing.TB) found { return suspendRunningWith(t, false) }

// suspendRunningWith is suspendRunningFound with the reduction on or off.
func suspendRunningWith(t testing.TB, por bool) found {
	t.Helper()
	sp, err := specs.Lookup("suspend-running")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := revisions.Lookup("netbsd-2025")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range searchPOR(t, rev, sp, explore.Options{}, por) {
		if f.cex.Violation.Name == "deadlock" {
			return f
		}
	}
	t.Fatal("suspend-running: no deadlock found")
	return found{}
}

// suspendRunning is the counterexample of the bundled suspend-running
// spec on netbsd-2025: a deadlock.
func suspendRunning(t testing.TB) *Cex {
	t.Helper()
	return suspendRunningFound(t).cex
}
