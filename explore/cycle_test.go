package explore

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// graphModel is an explicit transition system for the cycle check: state 0
// is initial, each edge is a move of an actor, and pending[s] is the
// obligations open in s. Edges marked safe are offered to the ample sets.
type graphModel struct {
	edges   []gEdge
	pending map[uint8]uint64
	term    map[uint8]bool // terminal states that are a hang
	strong  map[int32]bool // actors that ask strong fairness
}

type gEdge struct {
	from, to uint8
	actor    int32
	safe     bool
}

type gState struct{ n uint8 }

func (g *graphModel) Init() []gState { return []gState{{0}} }

func (g *graphModel) Expand(s *gState, out *Successors[gState]) {
	for i, e := range g.edges {
		if e.from == s.n {
			t := out.Add(Action(i), s)
			t.Next.n, t.Actor, t.Safe = e.to, e.actor, e.safe
		}
	}
}

func (g *graphModel) Encode(s *gState, buf []byte) []byte { return append(buf, s.n) }

func (g *graphModel) Terminal(s *gState) (Violation, bool) {
	return Violation{Name: "deadlock"}, g.term[s.n]
}

func (g *graphModel) StrongFair(a int32) bool { return g.strong[a] }

func (g *graphModel) Pending(s *gState) uint64 { return g.pending[s.n] }

func (g *graphModel) NonProgress(entry *gState, i int, loop []Action) Violation {
	return Violation{Name: "hang", Message: fmt.Sprintf("obligation %d open on a loop of %d steps from state %d", i, len(loop), entry.n)}
}

// The models of the tests. Actor 0 owes progress while it waits (state 1
// and on); actor 1 is a timer, actor 2 a releaser.
var cycleModels = map[string]*graphModel{
	// 0 -> 1 (wait) -> 2 (timer fires) -> 1 (retry): a fair cycle, the
	// only way out being a release that is never enabled.
	"fair": {edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 1, 0, false}},
		pending: map[uint8]uint64{1: 1, 2: 1}},
	// The same, but the releaser is enabled in both states of the loop and
	// would end the wait (state 3): weak fairness rules the loop out.
	"unfair": {edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 1, 0, false}, {1, 3, 2, false}, {2, 3, 2, false}},
		pending: map[uint8]uint64{1: 1, 2: 1}},
	// The releaser is enabled in state 2 only: the loop is weakly fair (it
	// is disabled in state 1) and not strongly fair (enabled infinitely
	// often, never taken).
	"strong": {edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 1, 0, false}, {2, 3, 2, false}},
		pending: map[uint8]uint64{1: 1, 2: 1}},
	// The same, but the model asks strong fairness for the releaser.
	"strong-asked": {edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 1, 0, false}, {2, 3, 2, false}},
		pending: map[uint8]uint64{1: 1, 2: 1}, strong: map[int32]bool{2: true}},
	// A terminal hang: nothing moves in state 1.
	"terminal": {edges: []gEdge{{0, 1, 0, false}}, pending: map[uint8]uint64{1: 1}, term: map[uint8]bool{1: true}},
	// A loop that discharges the obligation on the way (state 2 is not
	// pending): no hang.
	"progress": {edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 1, 0, false}},
		pending: map[uint8]uint64{1: 1}},
	// An independent actor (3) counts in Safe steps beside a fair loop
	// that needs the timer: the ample sets would defer the loop while the
	// counter runs, and the check must not depend on them.
	"ample": {edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 1, 0, false},
		{0, 4, 3, true}, {4, 5, 3, true}, {1, 6, 3, true}},
		pending: map[uint8]uint64{1: 1, 2: 1, 6: 1}},
}

func runCycleModel(t *testing.T, g *graphModel, fair Fairness, workers int) *Result {
	t.Helper()
	r, err := Run(context.Background(), g, Options{Workers: workers, Cycles: fair})
	require.NoError(t, err)
	return r
}

func TestCycles(t *testing.T) {
	for _, tc := range []struct {
		model string
		fair  Fairness
		want  []string
	}{
		{"fair", Weak, []string{"hang"}},
		{"fair", Strong, []string{"hang"}},
		{"unfair", Weak, nil},
		{"unfair", Strong, nil},
		{"strong", Weak, []string{"hang"}},
		{"strong", Strong, nil},
		{"strong-asked", Weak, nil},
		{"terminal", Weak, []string{"deadlock"}},
		{"progress", Weak, nil},
		{"ample", Weak, []string{"hang"}},
		{"fair", NoCycles, nil},
	} {
		t.Run(fmt.Sprintf("%s/%s", tc.model, tc.fair), func(t *testing.T) {
			g := cycleModels[tc.model]
			var first *Result
			for _, w := range []int{1, 2, 4} {
				r := runCycleModel(t, g, tc.fair, w)
				assert.Equal(t, tc.want, names(r), "workers %d", w)
				if first == nil {
					first = r
					continue
				}
				assert.Equal(t, first.Findings, r.Findings, "workers %d", w)
			}
			d, err := Run(context.Background(), g, Options{Search: DFS, Cycles: tc.fair})
			require.NoError(t, err)
			assert.Equal(t, tc.want, names(d), "dfs")
			for _, f := range first.Findings {
				if !f.Lasso {
					continue
				}
				states, err := Replay[gState](g, f.Init, f.Trace)
				require.NoError(t, err)
				assert.Equal(t, states[f.Loop], states[len(states)-1], "the loop returns to its first state")
				assert.Greater(t, len(f.Trace), f.Loop, "the loop has a step")
				for _, s := range states[f.Loop:] {
					assert.NotZero(t, g.pending[s.n], "the obligation stays open on the loop")
				}
			}
		})
	}
}

// TestCyclesReduction: the reduction of the main search does not change
// what the cycle check finds.
func TestCyclesReduction(t *testing.T) {
	for name, g := range cycleModels {
		unsafe := &graphModel{pending: g.pending, term: g.term, strong: g.strong}
		for _, e := range g.edges {
			e.safe = false
			unsafe.edges = append(unsafe.edges, e)
		}
		a, b := runCycleModel(t, g, Weak, 2), runCycleModel(t, unsafe, Weak, 2)
		assert.Equal(t, names(a), names(b), name)
	}
}

// TestCyclesLoopFair: the lasso's loop moves every actor the fairness
// asks to move.
func TestCyclesLoopFair(t *testing.T) {
	// Two timers (1 and 2), both enabled in every state of the loop
	// 1 -> 2 -> 3 -> 1; timer 2 also has a self loop in 1. A fair loop
	// must take a move of each.
	g := &graphModel{edges: []gEdge{{0, 1, 0, false}, {1, 2, 1, false}, {2, 3, 1, false}, {3, 1, 1, false},
		{1, 1, 2, false}, {2, 2, 2, false}, {3, 3, 2, false}},
		pending: map[uint8]uint64{1: 1, 2: 1, 3: 1}}
	r := runCycleModel(t, g, Weak, 1)
	require.Equal(t, []string{"hang"}, names(r))
	f := r.Findings[0]
	actors := map[int32]bool{}
	for _, a := range f.Trace[f.Loop:] {
		actors[g.edges[a].actor] = true
	}
	assert.Equal(t, map[int32]bool{1: true, 2: true}, actors)
}

func TestCyclesLimits(t *testing.T) {
	g := cycleModels["fair"]
	r, err := Run(context.Background(), g, Options{Workers: 1, Cycles: Weak, MaxStates: 2})
	require.NoError(t, err)
	assert.Equal(t, Incomplete, r.Verdict)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err = Run(ctx, g, Options{Workers: 1, Cycles: Weak})
	require.NoError(t, err)
	assert.Equal(t, Incomplete, r.Verdict)
	_, err = Run(context.Background(), &workers{n: 2, k: 1}, Options{Workers: 1, Cycles: Weak})
	assert.ErrorContains(t, err, "Liveness")
}
