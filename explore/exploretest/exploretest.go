// Package exploretest holds the test helpers shared by the validation
// models of explore (explore/models/...): building a model, exploring it
// with each search, finding a violation by name, replaying its trace and
// checking that the model's hot path does not allocate. Everything goes
// through explore's public API, generic over the model's state type.
package exploretest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
)

// New returns newModel(c), failing the test on an error. It is meant for
// a model package's constructor: New(t, phils.New, phils.Config{N: 4}).
func New[C, M any](t testing.TB, newModel func(C) (M, error), c C) M {
	t.Helper()
	m, err := newModel(c)
	require.NoError(t, err)
	return m
}

// Run explores m with BFS on 1 and on 2 workers, checks that both runs
// agree (states, transitions, depth, verdict and findings with their
// traces), and returns the first.
func Run[S any](t testing.TB, m explore.Model[S]) *explore.Result {
	t.Helper()
	var rs []*explore.Result
	for _, w := range []int{1, 2} {
		r, err := explore.Run(context.Background(), m, explore.Options{Workers: w})
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

// DFS explores m depth-first.
func DFS[S any](t testing.TB, m explore.Model[S]) *explore.Result {
	t.Helper()
	r, err := explore.Run(context.Background(), m, explore.Options{Search: explore.DFS})
	require.NoError(t, err)
	return r
}

// Finding returns r's finding called name, failing the test if there is
// none.
func Finding(t testing.TB, r *explore.Result, name string) explore.Finding {
	t.Helper()
	for _, f := range r.Findings {
		if f.Name == name {
			return f
		}
	}
	require.Failf(t, "no finding", "%q not in %v", name, r.Findings)
	return explore.Finding{}
}

// Replay re-executes the state finding f and checks that the model reports
// f's violation on the last state it reaches and on no state before; it
// returns that state.
func Replay[S any](t testing.TB, m explore.Model[S], f explore.Finding) S {
	t.Helper()
	require.True(t, f.OnState, "%s is not a state finding", f.Name)
	states, err := explore.Replay(m, f.Init, f.Trace)
	require.NoError(t, err)
	for i := range states {
		var names []string
		for _, v := range explore.StateViolations(m, &states[i]) {
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

// Checked is a model with state invariants.
type Checked[S any] interface {
	explore.Model[S]
	explore.StateChecker[S]
}

// NoAllocs checks that Expand, Encode and CheckState do not allocate once
// the successor buffer has grown. It walks m from its first initial state,
// always taking the last successor and starting over at a terminal state;
// maxViolations is the most violations CheckState can report on one state.
func NoAllocs[S any](t testing.TB, m Checked[S], maxViolations int) {
	t.Helper()
	var out explore.Successors[S]
	buf := make([]byte, 0, 128)
	vs := make([]explore.Violation, 0, maxViolations)
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
		out.Reset()
	}
	for range 1000 {
		step() // let out and vs grow to their size
	}
	assert.Zero(t, testing.AllocsPerRun(100, step))
}
