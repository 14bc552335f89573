package phils

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/explore/exploretest"
)

func newModel(t *testing.T, c Config) *Model {
	t.Helper()
	return exploretest.New(t, New, c)
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		n      int
		states int64
	}{{4, 80}, {12, 531_440}} {
		m := newModel(t, Config{N: tc.n})
		r := exploretest.Run(t, m)
		assert.Equal(t, tc.states, r.States, "N=%d", tc.n)
		// The deadlock is the model's one finding; the search still
		// covers the whole space.
		assert.Equal(t, explore.Fail, r.Verdict)
		require.Len(t, r.Findings, 1)
		f := exploretest.Finding(t, r, "deadlock")
		assert.Len(t, f.Trace, tc.n, "each philosopher takes its left fork")
		last := exploretest.Replay(t, m, f)
		for i := range tc.n {
			assert.EqualValues(t, one, last.Phil[i])
		}
		if tc.n <= 4 {
			d := exploretest.DFS(t, m)
			assert.Equal(t, r.States, d.States, "DFS")
			assert.Equal(t, r.Transitions, d.Transitions, "DFS")
		}
	}
}

func TestBug(t *testing.T) {
	m := newModel(t, Config{N: 4, Bug: true})
	r := exploretest.Run(t, m)
	d := exploretest.DFS(t, m)
	for _, tc := range []struct {
		name string
		min  int
	}{
		// Philosopher 1 takes fork[1], philosopher 0 takes fork[0] and
		// then fork[1] unchecked.
		{"fork-owner", 3},
		// Philosophers 1 and 0 each take both their forks; 0 and 1 are
		// the only neighbours that can eat at once.
		{"neighbours-eat", 4},
	} {
		f := exploretest.Finding(t, r, tc.name)
		assert.Len(t, f.Trace, tc.min, "%s: BFS gives a shortest trace", tc.name)
		exploretest.Replay(t, m, f)
		g := exploretest.Finding(t, d, tc.name)
		assert.GreaterOrEqual(t, len(g.Trace), len(f.Trace), "%s: DFS", tc.name)
		exploretest.Replay(t, m, g)
	}
}

func TestNew(t *testing.T) {
	for _, n := range []int{1, MaxN + 1} {
		_, err := New(Config{N: n})
		assert.Error(t, err, "N=%d", n)
	}
}

// TestNoAllocs checks that Expand, Encode and CheckState do not allocate
// once the successor buffer has grown.
func TestNoAllocs(t *testing.T) {
	exploretest.NoAllocs(t, newModel(t, Config{N: 12, Bug: true}), 2*MaxN)
}

// BenchmarkSearch explores the instance N=10 (59,048 states) with each
// search.
func BenchmarkSearch(b *testing.B) {
	m, err := New(Config{N: 10})
	require.NoError(b, err)
	for _, search := range []explore.Search{explore.BFS, explore.DFS} {
		b.Run(search.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := explore.Run[State](context.Background(), m, explore.Options{Search: search, Workers: 1})
				require.NoError(b, err)
				require.EqualValues(b, 59_048, r.States)
				b.ReportMetric(float64(r.Depth), "depth")
			}
		})
	}
}
