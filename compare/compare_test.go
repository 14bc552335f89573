package compare

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/refine"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
	"github.com/lwpcheck/lwpcheck/verdict"
)

func lookup(t *testing.T, name string) *specs.Spec {
	t.Helper()
	sp, err := specs.Lookup(name)
	require.NoError(t, err)
	return sp
}

func rev(t *testing.T, name string) *model.Revision {
	t.Helper()
	r, err := revisions.Lookup(name)
	require.NoError(t, err)
	return r
}

// TestWitnessReplays: _lwp_wait on a detached LWP gives EINVAL in
// netbsd-2025 (kern_lwp.c@1.270) and ESRCH in netbsd-5
// (kern_lwp.c@1.101.2.1); the witness is that, and replays.
func TestWitnessReplays(t *testing.T) {
	sp := lookup(t, "join-after-detach")
	r, err := Run(context.Background(), sp, rev(t, "netbsd-5"), rev(t, "netbsd-2025"), Options{POR: true})
	require.NoError(t, err)
	require.False(t, r.Same())
	assert.Nil(t, r.FromOnly, "every behaviour of netbsd-5 is one of netbsd-2025")
	w := r.ToOnly
	require.NotNil(t, w)
	assert.Equal(t, "netbsd-2025", w.Rev.Name)
	var got []string
	for _, o := range w.Trace {
		got = append(got, o.String())
	}
	assert.Equal(t, []string{"LWP 1: _lwp_create -> 0", "LWP 1: _lwp_detach -> 0", "LWP 1: _lwp_wait -> EINVAL"}, got)
	assert.Equal(t, []string{"LWP 1: _lwp_wait -> ESRCH"}, w.Instead)
	assert.Equal(t, traces.KindBehaviour, w.Cex.Violation.Kind)
	data, err := w.Cex.Marshal()
	require.NoError(t, err)
	c, err := traces.Parse("w.cex.json", data)
	require.NoError(t, err)
	m, _, err := verdictMachine(w.Rev, c)
	require.NoError(t, err)
	run, err := traces.Replay(m, c)
	require.NoError(t, err)
	assert.True(t, run.Recurs, run.Verdict())
}

// verdictMachine builds the machine replay uses: the counterexample's
// spec on its revision, with the invariants attached.
func verdictMachine(r *model.Revision, c *traces.Cex) (*model.Machine, *specs.Spec, error) {
	sp, err := specs.Parse(c.Spec.Name+".yaml", []byte(c.Spec.Text))
	if err != nil {
		return nil, nil, err
	}
	m, _, err := invariants.Build(r, sp, 0)
	if err != nil {
		return nil, nil, err
	}
	m.POR = c.POR
	return m, sp, nil
}

// TestHangWitness: netbsd-2025 loses an _lwp_continue sent while a
// suspended create is still starting, and the waiter hangs; netbsd-5
// makes the LWP LSSUSPENDED directly (sys_lwp.c@1.43.4.1:139-154).
func TestHangWitness(t *testing.T) {
	r, err := Run(context.Background(), lookup(t, "create-suspended"), rev(t, "netbsd-5"), rev(t, "netbsd-2025"), Options{POR: true})
	require.NoError(t, err)
	require.NotNil(t, r.ToOnly)
	last := r.ToOnly.Trace[len(r.ToOnly.Trace)-1]
	assert.Equal(t, model.ObsHang, last.Kind)
	assert.Equal(t, []model.StuckIn{{LWP: 1, Call: "_lwp_wait"}}, last.Stuck)
	assert.Contains(t, r.FindingsOnly(&r.To), "deadlock")
}

// TestSame: a spec whose runs user space cannot tell apart, on two
// revisions and on one revision against itself.
func TestSame(t *testing.T) {
	sp := lookup(t, "join-self")
	r, err := Run(context.Background(), sp, rev(t, "netbsd-5"), rev(t, "netbsd-2025"), Options{POR: true})
	require.NoError(t, err)
	assert.True(t, r.Same())
	r, err = Run(context.Background(), lookup(t, "mix-exit"), rev(t, "netbsd-2025"), rev(t, "netbsd-2025"), Options{POR: true})
	require.NoError(t, err)
	assert.True(t, r.Same())
}

func TestLimit(t *testing.T) {
	_, err := Run(context.Background(), lookup(t, "create-wait"), rev(t, "netbsd-5"), rev(t, "netbsd-2025"), Options{MaxStates: 10})
	assert.ErrorIs(t, err, refine.ErrLimit)
}

// TestReductionKeepsBehaviour: the model's partial-order reduction keeps
// what user space sees, on every revision: the system with it and the one
// without have the same traces.
func TestReductionKeepsBehaviour(t *testing.T) {
	all, err := specs.Bundled()
	require.NoError(t, err)
	for _, sp := range all {
		revs, err := verdict.Revisions(sp)
		require.NoError(t, err)
		for _, r := range revs {
			t.Run(fmt.Sprintf("%s/%s", sp.Name, r.Name), func(t *testing.T) {
				alpha := refine.NewAlphabet()
				var on, off Side
				require.NoError(t, on.build(context.Background(), sp, r, alpha, Options{POR: true}))
				if on.LTS.Reached > 50000 {
					t.Skip("large; the smaller specs cover the reduction")
				}
				require.NoError(t, off.build(context.Background(), sp, r, alpha, Options{POR: false}))
				res, err := refine.Compare(context.Background(), on.LTS, off.LTS, 0)
				require.NoError(t, err)
				assert.True(t, res.Same(), "with the reduction only: %v; without it only: %v", witness(alpha, res.AOnly), witness(alpha, res.BOnly))
			})
		}
	}
}

func witness(alpha *refine.Alphabet, w *refine.Witness) []string {
	if w == nil {
		return nil
	}
	return alpha.Names(w.Trace)
}

// TestEveryPairOfRevisions compares every pair of revisions over the
// bundled specs both support: each comparison ends, and each witness's
// counterexample replays on its revision.
func TestEveryPairOfRevisions(t *testing.T) {
	if testing.Short() {
		t.Skip("compares the whole suite")
	}
	all, err := specs.Bundled()
	require.NoError(t, err)
	revs := revisions.All()
	for i, a := range revs {
		for _, b := range revs[i+1:] {
			for _, sp := range all {
				supported, err := verdict.Revisions(sp)
				require.NoError(t, err)
				if !slices.Contains(supported, a) || !slices.Contains(supported, b) {
					continue
				}
				r, err := Run(context.Background(), sp, a, b, Options{POR: true})
				require.NoError(t, err, "%s: %s vs %s", sp.Name, a.Name, b.Name)
				for _, w := range []*Witness{r.FromOnly, r.ToOnly} {
					if w == nil {
						continue
					}
					m, _, err := verdictMachine(w.Rev, w.Cex)
					require.NoError(t, err)
					run, err := traces.Replay(m, w.Cex)
					require.NoError(t, err)
					assert.True(t, run.Recurs, "%s on %s: %s", sp.Name, w.Rev.Name, run.Verdict())
				}
			}
		}
	}
}
