package revisions_test

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/verdict"
)

// outcome is what a search of a spec shows, reduction aside.
type outcome struct {
	verdict  explore.Verdict
	names    []string // violated invariants, and the whole-run findings, sorted
	edges    []string // the lock-order graph's edges, sorted
	coverage *invariants.Coverage
	states   int64
}

// runSpec explores sp on rev with the model's reduction on or off, and
// the cycle check for hangs with the model's fairness (or weak fairness
// for every actor, if weak).
func runSpec(t *testing.T, rev *model.Revision, sp *specs.Spec, por, weak bool) outcome {
	t.Helper()
	m, c, err := invariants.Build(rev, sp, 0)
	require.NoError(t, err)
	m.POR, m.WeakLWPs = por, weak
	r, err := explore.Run(context.Background(), m, explore.Options{Cycles: c.Liveness(explore.Weak)})
	require.NoError(t, err)
	rf, err := c.Analyze(context.Background(), explore.Options{})
	require.NoError(t, err)
	o := outcome{verdict: r.Verdict, coverage: c.Coverage(), states: r.States}
	for _, f := range r.Findings {
		o.names = append(o.names, f.Name)
	}
	for _, f := range rf {
		o.names = append(o.names, f.Name+": "+f.Message)
	}
	for _, e := range c.Edges() {
		o.edges = append(o.edges, e.Edge.String())
	}
	slices.Sort(o.names)
	slices.Sort(o.edges)
	return o
}

// TestReductionIsSound runs every bundled spec on every revision that
// supports it with the reduction on and off: the verdicts, the violated
// invariants, the lock-order graph and the transition coverage must be the
// same, and the reduction must not explore more states.
func TestReductionIsSound(t *testing.T) {
	all, err := specs.Bundled()
	require.NoError(t, err)
	for _, sp := range all {
		revs, err := verdict.Revisions(sp)
		require.NoError(t, err)
		for _, rev := range revs {
			t.Run(rev.Name+"/"+sp.Name, func(t *testing.T) {
				t.Parallel()
				off := runSpec(t, rev, sp, false, false)
				on := runSpec(t, rev, sp, true, false)
				assert.Equal(t, off.verdict, on.verdict, "verdict")
				assert.Equal(t, off.names, on.names, "violated invariants")
				assert.Equal(t, off.edges, on.edges, "lock-order edges")
				assert.Equal(t, off.coverage, on.coverage, "transition coverage")
				assert.LessOrEqual(t, on.states, off.states, "states")
			})
		}
	}
}

// TestReductionKeepsCycles: the specs whose runs have a fair non-progress
// cycle when LWPs are held to weak fairness only (exit_lwps's one-tick
// retry takes p_lock back before a waiter gets it) find it with the
// reduction on and off.
func TestReductionKeepsCycles(t *testing.T) {
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	for _, name := range []string{"kill-process", "mix-exit", "core-dump"} {
		sp, err := specs.Lookup(name)
		require.NoError(t, err)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			off := runSpec(t, rev, sp, false, true)
			on := runSpec(t, rev, sp, true, true)
			assert.Contains(t, off.names, "hang")
			assert.Equal(t, off.names, on.names, "violated invariants")
		})
	}
}

// TestCyclesDeterministic: the hang of core-while-waiting, its lasso
// included, is the same for any number of workers and either search.
func TestCyclesDeterministic(t *testing.T) {
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	sp, err := specs.Lookup("core-while-waiting")
	require.NoError(t, err)
	var first *explore.Finding
	for _, opt := range []explore.Options{{Workers: 1}, {Workers: 4}, {Search: explore.DFS}} {
		m, c, err := invariants.Build(rev, sp, 0)
		require.NoError(t, err)
		m.POR = true
		opt.Cycles = c.Liveness(explore.Weak)
		r, err := explore.Run(context.Background(), m, opt)
		require.NoError(t, err)
		i := slices.IndexFunc(r.Findings, func(f explore.Finding) bool { return f.Name == "hang" })
		require.GreaterOrEqual(t, i, 0, "no hang with %+v", opt)
		f := r.Findings[i]
		require.True(t, f.Lasso)
		if first == nil {
			first = &f
			continue
		}
		assert.Equal(t, *first, f, "%+v", opt)
	}
}
