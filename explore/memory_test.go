package explore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/explore/models/phils"
)

// TestMaxMemoryWorkers checks that a BFS stopped by its memory limit stops
// at the same state for any number of workers, which cut its batches into
// chunks differently.
func TestMaxMemoryWorkers(t *testing.T) {
	m, err := phils.New(phils.Config{N: 10})
	require.NoError(t, err)
	stopped := 0
	for _, limit := range []int64{1_280_000, 3_906_250, 6_103_515} {
		var first *explore.Result
		for _, w := range []int{1, 2, 3, 8} {
			r, err := explore.Run[phils.State](context.Background(), m, explore.Options{Workers: w, MaxMemory: limit})
			require.NoError(t, err)
			if first == nil {
				first = r
				if r.Limit == explore.LimitMaxMemory {
					stopped++
				}
				continue
			}
			assert.Equal(t, first.Limit, r.Limit, "limit %d, %d workers", limit, w)
			assert.Equal(t, first.States, r.States, "limit %d, %d workers", limit, w)
			assert.Equal(t, first.Transitions, r.Transitions, "limit %d, %d workers", limit, w)
		}
	}
	assert.Positive(t, stopped, "some limit stops the search")
}
