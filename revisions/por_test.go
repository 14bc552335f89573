package revisions

import (
	"context"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// runSpec explores sp on rev with the model's reduction on or off and
// returns the verdict, the sorted names of the violated invariants and the
// states stored.
func runSpec(t *testing.T, rev *model.Revision, sp *specs.Spec, por bool) (explore.Verdict, []string, int64) {
	t.Helper()
	m, _, err := invariants.Build(rev, sp, nil)
	require.NoError(t, err)
	m.Merge = por
	r, err := explore.Run(context.Background(), m, explore.Options{})
	require.NoError(t, err)
	var names []string
	for _, f := range r.Findings {
		names = append(names, f.Name)
	}
	slices.Sort(names)
	return r.Verdict, names, r.States
}

// TestReductionIsSound runs every bundled spec on every revision with the
// reduction on and off: the verdicts and the sets of violated invariants
// must be the same, and the reduction must not explore more states.
func TestReductionIsSound(t *testing.T) {
	all, err := specs.Bundled()
	require.NoError(t, err)
	for _, rev := range All() {
		for _, sp := range all {
			if !supports(rev, sp) {
				continue
			}
			t.Run(rev.Name+"/"+sp.Name, func(t *testing.T) {
				t.Parallel()
				vOff, off, nOff := runSpec(t, rev, sp, false)
				vOn, on, nOn := runSpec(t, rev, sp, true)
				assert.Equal(t, vOff, vOn, "verdict")
				assert.Equal(t, off, on, "violated invariants")
				assert.LessOrEqual(t, nOn, nOff, "states")
			})
		}
	}
}

func supports(rev *model.Revision, sp *specs.Spec) bool {
	if len(sp.Revisions) > 0 {
		return slices.Contains(sp.Revisions, rev.Name)
	}
	for _, p := range sp.Programs {
		for _, st := range p.Steps {
			op, ok := model.OpByName(st.Op)
			if !ok || !rev.Kernel.Supports(op) {
				return false
			}
		}
	}
	return true
}
