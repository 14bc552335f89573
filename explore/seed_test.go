package explore_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/explore/models/phils"
)

func findingNames(r *explore.Result) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Name)
	}
	return out
}

// TestSeed: a seeded exhaustive search meets the same states and findings
// as an unseeded one, and is as deterministic (the same traces for any
// number of workers); searches cut short by a limit explore different
// parts of the space under different seeds.
func TestSeed(t *testing.T) {
	ctx := context.Background()
	m, err := phils.New(phils.Config{N: 6})
	require.NoError(t, err)
	base, err := explore.Run[phils.State](ctx, m, explore.Options{Workers: 1})
	require.NoError(t, err)
	require.NotEmpty(t, base.Findings)
	for _, seed := range []uint64{1, 2, 99} {
		for _, search := range []explore.Search{explore.BFS, explore.DFS} {
			r, err := explore.Run[phils.State](ctx, m, explore.Options{Search: search, Workers: 1, Seed: seed})
			require.NoError(t, err)
			assert.Equal(t, base.States, r.States, "seed %d, %v", seed, search)
			assert.Equal(t, findingNames(base), findingNames(r), "seed %d, %v", seed, search)
			if search == explore.BFS {
				assert.Equal(t, base.Transitions, r.Transitions, "seed %d", seed)
				r3, err := explore.Run[phils.State](ctx, m, explore.Options{Workers: 3, Seed: seed})
				require.NoError(t, err)
				assert.Equal(t, r.Findings, r3.Findings, "seed %d: 1 and 3 workers", seed)
			}
		}
	}
	cut := map[[2]int64]bool{}
	for seed := range uint64(6) {
		r, err := explore.Run[phils.State](ctx, m, explore.Options{Search: explore.DFS, MaxStates: 200, Seed: seed})
		require.NoError(t, err)
		require.Equal(t, explore.LimitMaxStates, r.Limit)
		cut[[2]int64{r.Transitions, int64(r.Depth)}] = true
	}
	assert.Greater(t, len(cut), 1, "seeds cut the search short in different places")
}
