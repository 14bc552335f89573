package twophase

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/explore/exploretest"
)

func newModel(t *testing.T, c Config) *Model {
	t.Helper()
	return exploretest.New(t, New, c)
}

// bruteCount is what a search must find in m, counted without the engine:
// a plain breadth-first search over the model's own Init, Expand and
// Encode, whose visited set is a map keyed by the whole encoding (no
// fingerprints, no shards, no batches, one goroutine). Like the engine it
// counts as transitions only the moves, the successors whose encoding
// differs from their source's, and as depth the levels below the initial
// states.
func bruteCount(m *Model) (states, transitions int64, depth int) {
	seen := map[string]bool{}
	var level []State
	for _, s := range m.Init() {
		if k := string(m.Encode(&s, nil)); !seen[k] {
			seen[k] = true
			level = append(level, s)
		}
	}
	var out explore.Successors[State]
	for {
		var next []State
		for i := range level {
			from := string(m.Encode(&level[i], nil))
			out.Reset()
			m.Expand(&level[i], &out)
			for j := range out.Len() {
				s := out.At(j).Next
				k := string(m.Encode(&s, nil))
				if k == from {
					continue // a stuttering step
				}
				transitions++
				if !seen[k] {
					seen[k] = true
					next = append(next, s)
				}
			}
		}
		if len(next) == 0 {
			return int64(len(seen)), transitions, depth
		}
		level = next
		depth++
	}
}

// TestCounts checks the engine's state and transition counts and depth
// (BFS on 1 and 2 workers, and DFS) against bruteCount.
func TestCounts(t *testing.T) {
	for _, tc := range []struct {
		rms int
		// states and depth are regression values (0: none), what
		// bruteCount gives. They are also TLC's figures for TwoPhase.tla in
		// tlaplus/Examples: for TwoPhase.cfg (3 RMs),
		// specifications/transaction_commit/manifest.json lists 288
		// distinct states and a state depth of 11 (TLC counts the initial
		// state as depth 1); the closing comment of TwoPhase.tla gives
		// 50816 reachable states for six RMs.
		states int64
		depth  int
	}{{1, 0, 0}, {2, 0, 0}, {3, 288, 10}, {4, 0, 0}, {6, 50_816, 0}} {
		t.Run(fmt.Sprintf("%d RMs", tc.rms), func(t *testing.T) {
			m := newModel(t, Config{RMs: tc.rms})
			states, transitions, depth := bruteCount(m)
			if tc.states != 0 {
				assert.Equal(t, tc.states, states, "the independent count")
			}
			if tc.depth != 0 {
				assert.Equal(t, tc.depth, depth, "the independent depth")
			}
			r := exploretest.Run(t, m)
			assert.Equal(t, states, r.States, "states")
			assert.Equal(t, transitions, r.Transitions, "transitions")
			assert.Equal(t, depth, r.Depth, "depth")
			assert.Equal(t, explore.Pass, r.Verdict)
			assert.Empty(t, r.Findings)
			d := exploretest.DFS(t, m)
			assert.Equal(t, r.States, d.States, "DFS")
			assert.Equal(t, r.Transitions, d.Transitions, "DFS")
		})
	}
}

func TestBug(t *testing.T) {
	// RMPrepare(r), TMRcvPrepared(r), TMCommit, RMRcvCommitMsg(r) and
	// RMChooseToAbort(r') in some order: an Abort message cannot help,
	// since TMAbort and TMCommit exclude each other.
	const min = 5
	m := newModel(t, Config{RMs: 3, Bug: true})
	r := exploretest.Run(t, m)
	f := exploretest.Finding(t, r, "TCConsistent")
	assert.Len(t, f.Trace, min, "BFS gives a shortest trace")
	last := exploretest.Replay(t, m, f)
	assert.False(t, m.TCConsistent(&last))
	g := exploretest.Finding(t, exploretest.DFS(t, m), "TCConsistent")
	assert.GreaterOrEqual(t, len(g.Trace), len(f.Trace), "DFS")
	exploretest.Replay(t, m, g)
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
	exploretest.NoAllocs(t, newModel(t, Config{RMs: 3, Bug: true}), 2*MaxRM)
}
