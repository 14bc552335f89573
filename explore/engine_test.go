package explore

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// grid is a toy model: two counters that each step may increment, up to n.
// It has (n+1)² states; the bad corner, if set, is a violation.
type grid struct {
	n      int
	bad    [2]int
	fatal  bool
	noTerm bool
	zigzag bool // list y's move first in states where x+y is odd
}

type gridState struct{ x, y uint16 }

func (g *grid) Init() []gridState { return []gridState{{}} }

func (g *grid) Expand(s *gridState, out *Successors[gridState]) {
	first := 0
	if g.zigzag && (s.x+s.y)%2 == 1 {
		first = 1
	}
	g.move(s, out, first)
	g.move(s, out, 1-first)
	// A stutter step: must not count as a move.
	out.Add(2, s)
}

// move increments counter actor (0: x, 1: y) if it is below n.
func (g *grid) move(s *gridState, out *Successors[gridState], actor int) {
	c := [2]uint16{s.x, s.y}
	if int(c[actor]) >= g.n {
		return
	}
	t := out.Add(Action(actor), s)
	if actor == 0 {
		t.Next.x++
	} else {
		t.Next.y++
	}
	t.Actor = int32(actor)
	g.check(t)
}

func (g *grid) check(t *Succ[gridState]) {
	if g.bad != [2]int{} && int(t.Next.x) == g.bad[0] && int(t.Next.y) == g.bad[1] {
		t.Violations = append(t.Violations, Violation{Name: "corner", Message: "reached", Fatal: g.fatal})
	}
}

func (g *grid) Encode(s *gridState, buf []byte) []byte {
	return append(buf, byte(s.x), byte(s.x>>8), byte(s.y), byte(s.y>>8))
}

func (g *grid) Terminal(s *gridState) (Violation, bool) {
	return Violation{Name: "end"}, !g.noTerm
}

func TestGridCounts(t *testing.T) {
	for _, search := range []Search{BFS, DFS} {
		for _, w := range []int{1, 2, 4} {
			t.Run(fmt.Sprintf("%v/%d", search, w), func(t *testing.T) {
				r, err := Run(context.Background(), &grid{n: 200, noTerm: true}, Options{Search: search, Workers: w})
				require.NoError(t, err)
				assert.Equal(t, Pass, r.Verdict)
				assert.EqualValues(t, 201*201, r.States)
				assert.EqualValues(t, 2*200*201, r.Transitions)
				if search == BFS {
					assert.Equal(t, 400, r.Depth)
				}
			})
		}
	}
}

func TestTerminalAndViolationTraces(t *testing.T) {
	for _, w := range []int{1, 2} {
		m := &grid{n: 300, bad: [2]int{3, 2}}
		r, err := Run(context.Background(), m, Options{Workers: w})
		require.NoError(t, err)
		require.Equal(t, Fail, r.Verdict)
		require.Len(t, r.Findings, 2)
		corner := r.Findings[0]
		assert.Equal(t, "corner", corner.Name)
		assert.False(t, corner.OnState)
		assert.Len(t, corner.Trace, 5, "BFS gives a shortest trace")
		states, err := Replay[gridState](m, corner.Init, corner.Trace)
		require.NoError(t, err)
		assert.Equal(t, gridState{3, 2}, states[len(states)-1])
		end := r.Findings[1]
		assert.Equal(t, "end", end.Name)
		assert.True(t, end.OnState)
		assert.Len(t, end.Trace, 600)
	}
}

func TestFatalStopsThePath(t *testing.T) {
	// With a fatal violation at (1,0), neither (1,0) nor (2,0) (reachable only
	// through it) is stored; (1,1) still is, through (0,1).
	r, err := Run(context.Background(), &grid{n: 2, bad: [2]int{1, 0}, fatal: true, noTerm: true}, Options{Workers: 1})
	require.NoError(t, err)
	assert.EqualValues(t, 7, r.States)
}

func TestLimits(t *testing.T) {
	for _, search := range []Search{BFS, DFS} {
		r, err := Run(context.Background(), &grid{n: 100, noTerm: true}, Options{Search: search, MaxStates: 1000, Workers: 2})
		require.NoError(t, err)
		assert.Equal(t, Incomplete, r.Verdict)
		assert.Equal(t, LimitMaxStates, r.Limit)
		assert.EqualValues(t, 1000, r.States)
	}
}

func TestReplayRejectsDisabledStep(t *testing.T) {
	m := &grid{n: 1}
	_, err := Replay[gridState](m, 0, []Action{0, 0})
	var re *ReplayError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, 2, re.Step)
}

func switches(m *grid, trace []Action) int {
	n := 0
	for i := 1; i < len(trace); i++ {
		if trace[i] != trace[i-1] {
			n++
		}
	}
	return n
}

func TestTracesPreferFewestSwitches(t *testing.T) {
	for _, w := range []int{1, 2} {
		// The first parent BFS meets of each state alternates the
		// counters: xyxyxyxy. The trace pass finds xxxxyyyy.
		m := &grid{n: 10, bad: [2]int{4, 4}, noTerm: true, zigzag: true}
		r, err := Run(context.Background(), m, Options{Workers: w})
		require.NoError(t, err)
		require.Len(t, r.Findings, 1)
		assert.Len(t, r.Findings[0].Trace, 8)
		assert.Equal(t, 1, switches(m, r.Findings[0].Trace), "xxxxyyyy: one switch")

		first, err := Run(context.Background(), m, Options{Workers: w, FirstTrace: true})
		require.NoError(t, err)
		assert.Len(t, first.Findings[0].Trace, 8)
		assert.Equal(t, 7, switches(m, first.Findings[0].Trace), "xyxyxyxy: seven switches")
	}
}

func TestBitstate(t *testing.T) {
	for _, search := range []Search{BFS, DFS} {
		// A roomy filter (200 bits a state) misses next to nothing of
		// 40,401 states, and says so.
		r, err := Run(context.Background(), &grid{n: 200, noTerm: true}, Options{Search: search, Workers: 2, Bitstate: 1 << 20})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, r.States, int64(201*201-5))
		assert.Greater(t, r.Coverage, 0.999)
		assert.EqualValues(t, 1<<20, r.StoreBytes)
		// A filter of 2 KiB (16,384 bits) must miss many, and say so.
		small, err := Run(context.Background(), &grid{n: 200, noTerm: true}, Options{Search: search, Workers: 2, Bitstate: 2048})
		require.NoError(t, err)
		assert.Less(t, small.States, int64(201*201))
		assert.Less(t, small.Coverage, 0.9)
	}
}

func TestLevelBuf(t *testing.T) {
	pk := newPacker(&gridState{})
	var l levelBuf
	var buf []byte
	want := func(i int) gridState { return gridState{x: uint16(i), y: uint16(i % 3)} }
	fill := func(from, to int) {
		for i := from; i < to; i++ {
			s, prev := want(i), want(i-1)
			restart := l.n%batchSize == 0 || i%100 == 0
			if restart {
				prev = pk.ref
			}
			buf = pk.delta(&s, &prev, buf[:0])
			l.push(uint64(i), uint32(i), buf, restart)
		}
	}
	fill(0, 3*batchSize+10)
	require.Equal(t, 4, l.batches())
	var s gridState
	for k := range l.batches() {
		b, n := l.batch(k)
		for i := range n {
			nd := &b.nodes[i]
			if nd.restart() {
				s = pk.ref
			}
			pk.apply(b.delta(i, n), &s)
			at := k*batchSize + i
			require.Equal(t, want(at), s, "batch %d node %d", k, i)
			require.Equal(t, uint64(at), nd.fp)
			require.Equal(t, i == 0 || at%100 == 0, nd.restart(), "batch %d node %d", k, i)
		}
	}
	_, n := l.batch(3)
	assert.Equal(t, 10, n)
	// Emptied, it keeps its blocks and starts again at 0.
	l.reset()
	fill(7, 8)
	b, n := l.batch(0)
	s = pk.ref
	pk.apply(b.delta(0, n), &s)
	assert.Equal(t, want(7), s)
	assert.Len(t, l.blocks, 4)
}
