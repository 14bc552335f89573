package peterson

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
	m := newModel(t, Config{N: 3})
	r := run(t, m)
	assert.EqualValues(t, 12_498, r.States)
	assert.Equal(t, explore.Pass, r.Verdict)
	assert.Empty(t, r.Findings)
	d := dfs(t, m)
	assert.Equal(t, r.States, d.States, "DFS")
	assert.Equal(t, r.Transitions, d.Transitions, "DFS")
	assert.Equal(t, explore.Pass, d.Verdict, "DFS")
}

// BenchmarkN4 explores the instance N=4 (1,119,560 states) on all cores;
// it is too slow for the default test run.
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
		r := run(t, m)
		f := finding(t, r, "mutex")
		if tc.min > 0 {
			assert.Len(t, f.Trace, tc.min, "N=%d: BFS gives a shortest trace", tc.n)
		}
		last := replay(t, m, f)
		assert.Equal(t, 2, m.InCS(&last))
		g := finding(t, dfs(t, m), "mutex")
		assert.GreaterOrEqual(t, len(g.Trace), len(f.Trace), "N=%d: DFS", tc.n)
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
	m := newModel(t, Config{N: 4, Bug: true})
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
