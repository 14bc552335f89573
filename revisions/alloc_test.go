package revisions

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// TestExpandDoesNotAllocate walks states of a three-LWP spec on every
// revision and checks that expanding a state, with every invariant
// attached and the reduction on and off, allocates nothing when no
// violation is found (the search's hot path).
func TestExpandDoesNotAllocate(t *testing.T) {
	sp, err := specs.Lookup("mix-suspend-park")
	require.NoError(t, err)
	for _, rev := range All() {
		for _, por := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s/por=%v", rev.Name, por), func(t *testing.T) {
				expandDoesNotAllocate(t, rev, sp, por)
			})
		}
	}
}

func expandDoesNotAllocate(t *testing.T, rev *model.Revision, sp *specs.Spec, por bool) {
	m, _, err := invariants.Build(rev, sp, 0)
	require.NoError(t, err)
	m.POR = por
	var out explore.Successors[model.State]
	s := m.Init()[0]
	checked := 0
	for step := 0; step < 200; step++ {
		out = explore.Successors[model.State]{}
		m.Expand(&s, &out) // warm up the buffers
		clean := true
		for i := 0; i < out.Len(); i++ {
			clean = clean && len(out.At(i).Violations) == 0
		}
		if clean {
			o := new(explore.Successors[model.State]) // the engine's are long-lived too
			n := testing.AllocsPerRun(5, func() {
				*o = out
				o.Reset()
				m.Expand(&s, o)
			})
			require.Zero(t, n, "state %d: Expand allocates", step)
			checked++
		}
		if out.Len() == 0 {
			break
		}
		s = out.At(step % out.Len()).Next
	}
	require.Greater(t, checked, 50)
}
