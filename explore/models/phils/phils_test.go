package phils

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
)

func newModel(t *testing.T, c Config) *Model {
	t.Helper()
	m, err := New(c)
	require.NoError(t, err)
	return m
}

// run explores m with BFS on 1 and on 2 workers, checks that both runs
// agree, and returns the first.
func run(t *testing.T, m *Model) *explore.Result {
	t.Helper()
	var rs []*explore.Result
	for _, w := range []int{1, 2} {
		r, err := explore.Run[State](context.Background(), m, explore.Options{Workers: w})
		require.NoError(t, err)
		rs = append(rs, r)
	}
	a, b := rs[0], rs[1]
	assert.Equal(t, a.States, b.States, "states")
	assert.Equal(t, a.Transitions, b.Transitions, "transitions")
	assert.Equal(t, a.Depth, b.Depth, "depth")
	assert.Equal(t, a.Verdict, b.Verdict, "verdict")
	assert.Equal(t, a.Findings, b.Findings, "findings")
	return a
}

func dfs(t *testing.T, m *Model) *explore.Result {
	t.Helper()
	r, err := explore.Run[State](context.Background(), m, explore.Options{Search: explore.DFS})
	require.NoError(t, err)
	return r
}

func finding(t *testing.T, r *explore.Result, name string) explore.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Name == name {
			return f
		}
	}
	require.Failf(t, "no finding", "%q not in %v", name, r.Findings)
	return explore.Finding{}
}

// replay re-executes f and checks that the model reports f's violation on
// the last state it reaches and on no state before; it returns that state.
func replay(t *testing.T, m *Model, f explore.Finding) State {
	t.Helper()
	require.True(t, f.OnState)
	states, err := explore.Replay[State](m, f.Init, f.Trace)
	require.NoError(t, err)
	for i := range states {
		var names []string
		for _, v := range explore.StateViolations[State](m, &states[i]) {
			names = append(names, v.Name)
		}
		if i < len(states)-1 {
			assert.NotContains(t, names, f.Name, "state %d of %d", i, len(states)-1)
		} else {
			assert.Contains(t, names, f.Name, "the last state")
		}
	}
	return states[len(states)-1]
}

func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		n      int
		states int64
	}{{4, 80}, {12, 531_440}} {
		m := newModel(t, Config{N: tc.n})
		r := run(t, m)
		assert.Equal(t, tc.states, r.States, "N=%d", tc.n)
		// The deadlock is the model's one finding; the search still
		// covers the whole space.
		assert.Equal(t, explore.Fail, r.Verdict)
		require.Len(t, r.Findings, 1)
		f := finding(t, r, "deadlock")
		assert.Len(t, f.Trace, tc.n, "each philosopher takes its left fork")
		last := replay(t, m, f)
		for i := range tc.n {
			assert.EqualValues(t, one, last.Phil[i])
		}
		if tc.n <= 4 {
			d := dfs(t, m)
			assert.Equal(t, r.States, d.States, "DFS")
			assert.Equal(t, r.Transitions, d.Transitions, "DFS")
		}
	}
}

func TestBug(t *testing.T) {
	m := newModel(t, Config{N: 4, Bug: true})
	r := run(t, m)
	d := dfs(t, m)
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
		f := finding(t, r, tc.name)
		assert.Len(t, f.Trace, tc.min, "%s: BFS gives a shortest trace", tc.name)
		replay(t, m, f)
		g := finding(t, d, tc.name)
		assert.GreaterOrEqual(t, len(g.Trace), len(f.Trace), "%s: DFS", tc.name)
		replay(t, m, g)
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
	m := newModel(t, Config{N: 12, Bug: true})
	var out explore.Successors[State]
	buf := make([]byte, 0, 128)
	vs := make([]explore.Violation, 0, 2*MaxN)
	start := m.Init()[0]
	s := start
	step := func() {
		m.Expand(&s, &out)
		for i := range out.Len() {
			next := &out.At(i).Next
			buf = m.Encode(next, buf[:0])
			vs = m.CheckState(next, vs[:0])
		}
		if out.Len() == 0 {
			s = start
			return
		}
		s = out.At(out.Len() - 1).Next
		for out.Len() > 0 {
			out.Drop()
		}
	}
	for range 1000 {
		step() // let out and vs grow to their size
	}
	assert.Zero(t, testing.AllocsPerRun(100, step))
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
