package peterson

import (
	"context"
	"fmt"
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

// TestCounts checks the published state counts (see the package
// documentation). N=3 is explored with BFS on 1 and 2 workers and with DFS;
// N=4 (about 1 s on 2 cores) with one BFS on all cores only.
func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		n      int
		states int64
		all    bool // compare worker counts and DFS too
	}{{3, 12_498, true}, {4, 1_119_560, false}} {
		t.Run(fmt.Sprintf("N=%d", tc.n), func(t *testing.T) {
			m := newModel(t, Config{N: tc.n})
			if !tc.all {
				r, err := explore.Run(context.Background(), m, explore.Options{})
				require.NoError(t, err)
				assert.Equal(t, tc.states, r.States)
				assert.Equal(t, explore.Pass, r.Verdict)
				assert.Empty(t, r.Findings)
				return
			}
			r := exploretest.Run(t, m)
			assert.Equal(t, tc.states, r.States)
			assert.Equal(t, explore.Pass, r.Verdict)
			assert.Empty(t, r.Findings)
			d := exploretest.DFS(t, m)
			assert.Equal(t, r.States, d.States, "DFS")
			assert.Equal(t, r.Transitions, d.Transitions, "DFS")
			assert.Equal(t, explore.Pass, d.Verdict, "DFS")
		})
	}
}

// BenchmarkN4 explores the instance N=4 (1,119,560 states, which
// TestCounts also checks) on all cores.
func BenchmarkN4(b *testing.B) {
	m, err := New(Config{N: 4})
	require.NoError(b, err)
	for b.Loop() {
		r, err := explore.Run[State](context.Background(), m, explore.Options{})
		require.NoError(b, err)
		require.EqualValues(b, 1_119_560, r.States)
		require.Equal(b, explore.Pass, r.Verdict)
		b.ReportMetric(float64(r.States)/r.Elapsed.Seconds(), "states/s")
	}
}

func TestBug(t *testing.T) {
	// With two processes (one level), each needs at least NCS -> wait,
	// wait -> q2, q2 -> q3, q3 -> wait and wait -> CS; the one whose turn
	// write comes last cannot leave q3 on the turn and must scan both
	// processes first (two q3 -> q3 steps): 12 steps. For N=3 no minimum
	// is known by hand (BFS finds 21).
	for _, tc := range []struct {
		n   int
		min int // 0: not known
	}{{2, 12}, {3, 0}} {
		m := newModel(t, Config{N: tc.n, Bug: true})
		r := exploretest.Run(t, m)
		f := exploretest.Finding(t, r, "mutex")
		if tc.min > 0 {
			assert.Len(t, f.Trace, tc.min, "N=%d: BFS gives a shortest trace", tc.n)
		}
		last := exploretest.Replay(t, m, f)
		assert.Equal(t, 2, m.InCS(&last))
		g := exploretest.Finding(t, exploretest.DFS(t, m), "mutex")
		assert.GreaterOrEqual(t, len(g.Trace), len(f.Trace), "N=%d: DFS", tc.n)
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
	exploretest.NoAllocs(t, newModel(t, Config{N: 4, Bug: true}), 2*MaxN)
}
