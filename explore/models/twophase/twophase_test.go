package twophase

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
		rms    int
		states int64
	}{{3, 288}, {6, 50_816}} {
		m := newModel(t, Config{RMs: tc.rms})
		r := run(t, m)
		assert.Equal(t, tc.states, r.States, "%d RMs", tc.rms)
		assert.Equal(t, explore.Pass, r.Verdict)
		assert.Empty(t, r.Findings)
		d := dfs(t, m)
		assert.Equal(t, r.States, d.States, "DFS")
		assert.Equal(t, r.Transitions, d.Transitions, "DFS")
	}
}

func TestBug(t *testing.T) {
	// RMPrepare(r), TMRcvPrepared(r), TMCommit, RMRcvCommitMsg(r) and
	// RMChooseToAbort(r') in some order: an Abort message cannot help,
	// since TMAbort and TMCommit exclude each other.
	const min = 5
	m := newModel(t, Config{RMs: 3, Bug: true})
	r := run(t, m)
	f := finding(t, r, "TCConsistent")
	assert.Len(t, f.Trace, min, "BFS gives a shortest trace")
	last := replay(t, m, f)
	assert.False(t, m.TCConsistent(&last))
	g := finding(t, dfs(t, m), "TCConsistent")
	assert.GreaterOrEqual(t, len(g.Trace), len(f.Trace), "DFS")
	replay(t, m, g)
}

func TestActions(t *testing.T) {
	// Every action of TPNext has its own number.
	m := newModel(t, Config{RMs: 3})
	seen := map[explore.Action]bool{TMCommit: true, TMAbort: true}
	for r := range 3 {
		for a := TMRcvPrepared; a <= RMRcvAbortMsg; a++ {
			x := RMAction(r, a)
			assert.False(t, seen[x], "action %d", x)
			seen[x] = true
		}
	}
	s := m.Init()[0]
	assert.Equal(t, []explore.Action{TMAbort, RMAction(0, RMPrepare), RMAction(0, RMChooseToAbort),
		RMAction(1, RMPrepare), RMAction(1, RMChooseToAbort), RMAction(2, RMPrepare), RMAction(2, RMChooseToAbort)},
		explore.Enabled[State](m, &s))
}

func TestNew(t *testing.T) {
	for _, n := range []int{0, MaxRM + 1} {
		_, err := New(Config{RMs: n})
		assert.Error(t, err, "%d RMs", n)
	}
}

// TestNoAllocs checks that Expand, Encode and CheckState do not allocate
// once the successor buffer has grown.
func TestNoAllocs(t *testing.T) {
	m := newModel(t, Config{RMs: 3, Bug: true})
	var out explore.Successors[State]
	buf := make([]byte, 0, 128)
	vs := make([]explore.Violation, 0, 2*MaxRM)
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
