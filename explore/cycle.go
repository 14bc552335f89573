package explore

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"unsafe"
)

// Non-progress cycles. A terminal state shows a hang only when nothing can
// move; a system can also hang while something keeps moving: a waiter
// retries a timed wait for ever, a callout re-arms. Such a hang is a
// reachable cycle on which some obligation of the model (an LWP owes a
// return from its syscall) stays open in every state, and which a fair
// scheduler can run for ever.
//
// Fairness is per actor. Under weak fairness (justice), an actor enabled in
// every state of the cycle takes a step on it; under strong fairness
// (compassion), an actor enabled in some state of the cycle takes a step on
// it. A cycle that only an unfair schedule runs is not a hang: the actor it
// starves would have moved and changed the story.
//
// The check is SCC-based, in the manner of Emerson and Lei's algorithm
// (and of the fair-cycle searches of symbolic checkers and of LTSmin's
// SCC-based ones), not a nested DFS: SPIN's nested DFS needs a copy of the
// graph per actor for weak fairness (Choueka's flag construction), and its
// result depends on the DFS order; an SCC decomposition decides fairness for
// the whole component at once, exactly and in linear time. For obligation i,
// let G_i be the states where i is open and the moves between them. A
// strongly connected component C of G_i holds a weakly fair cycle iff
// every actor enabled in all of C's states takes a step inside C: a cycle
// through every state and every move of C is then fair, and if the test
// fails no cycle in C can be, since a smaller cycle has fewer moves and no
// more states where the actor is disabled. For strong fairness the same
// test reads "enabled in some state"; when it fails, the states where the
// starved actors are enabled are removed and the rest is decomposed again
// (the Emerson-Lei refinement), which is exact as well.
//
// The graph is built by a sequential breadth-first search of its own after
// the main search: the result is the same for any number of workers, and
// the first state of every lasso is one nearest an initial state. The
// engine's ample sets are not used for it (their cycle proviso preserves
// safety, not fair cycles): every enabled move is an edge.

// Fairness selects the non-progress cycle check (Options.Cycles).
type Fairness int

const (
	// NoCycles: only terminal states are checked for hangs.
	NoCycles Fairness = iota
	// Weak: a cycle is fair if every actor enabled in all its states takes
	// a step on it.
	Weak
	// Strong: a cycle is fair if every actor enabled in any of its states
	// takes a step on it.
	Strong
)

func (f Fairness) String() string {
	switch f {
	case Weak:
		return "weak"
	case Strong:
		return "strong"
	}
	return "off"
}

// Liveness is implemented by models whose runs owe progress: Options.Cycles
// needs it.
type Liveness[S any] interface {
	// Pending returns the obligations open in s, one bit each: a fair
	// cycle on which obligation i is open in every state is a violation.
	Pending(s *S) uint64
	// NonProgress describes such a cycle: it starts and ends in entry,
	// taking actions loop, and obligation i stays open all along.
	NonProgress(entry *S, i int, loop []Action) Violation
}

// StrongFairness is implemented by models that ask strong fairness for
// some actors even when the check's is Weak: an actor that waits for a lock
// another releases and takes again, for instance, is enabled in some
// states of such a cycle and disabled in others, and only strong fairness
// rules out the schedule that never lets it in.
type StrongFairness interface {
	StrongFair(actor int32) bool
}

// CycleStats says what the cycle check explored.
type CycleStats struct {
	Fairness Fairness
	States   int64 // states of the graph (the whole space, unreduced by ample sets)
	Edges    int64 // moves between them (stutter steps included)
	Bytes    int64 // memory of the graph at its largest
}

// noActor is the actor of a Retry move: fairness does not count it.
const noActor = 0xff

// cycleGraph is the reachable state graph, in compressed sparse rows: the
// moves of state u are edges off[u] to off[u+1]. States are numbered in
// the order the breadth-first search met them.
type cycleGraph struct {
	off     []uint32
	dst     []uint32
	act     []Action
	who     []uint8  // the edge's actor, as an index into actors; noActor for a Retry move
	enabled []uint64 // per state: the actors with a move, a stutter step or a fatal one included
	pending []uint64 // per state: Liveness.Pending
	parent  []uint32 // per state: where the search met it first (noParent for an initial state)
	pact    []Action // per state: the action that reached it (the initial state's index at the root)
	actors  []int32
	strong  uint64 // the actors held to strong fairness
	index   fpIndex
}

func (g *cycleGraph) bytes() int64 {
	return int64(cap(g.off)+cap(g.dst)+cap(g.parent))*4 + int64(cap(g.act)+cap(g.pact))*int64(unsafe.Sizeof(Action(0))) +
		int64(cap(g.who)) + int64(cap(g.enabled)+cap(g.pending))*8 + g.index.bytes()
}

// actor returns the index of actor a, adding it if new.
func (g *cycleGraph) actor(a int32) (uint8, error) {
	for i, x := range g.actors {
		if x == a {
			return uint8(i), nil
		}
	}
	if len(g.actors) == 64 {
		return 0, fmt.Errorf("explore: the cycle check handles at most 64 actors")
	}
	g.actors = append(g.actors, a)
	return uint8(len(g.actors) - 1), nil
}

// fpIndex maps fingerprints to state numbers: open addressing with linear
// probing, kept at most half full.
type fpIndex struct {
	keys []uint64
	vals []uint32
	n    int
}

func (x *fpIndex) bytes() int64 { return int64(len(x.keys))*8 + int64(len(x.vals))*4 }

// get returns fp's number, or adds fp with number v: ok tells whether it
// was there already.
func (x *fpIndex) get(fp uint64, v uint32) (uint32, bool) {
	if 2*(x.n+1) > len(x.keys) {
		x.grow()
	}
	mask := len(x.keys) - 1
	for i := int(fp) & mask; ; i = (i + 1) & mask {
		switch x.keys[i] {
		case fp:
			return x.vals[i], true
		case 0:
			x.keys[i], x.vals[i] = fp, v
			x.n++
			return v, false
		}
	}
}

func (x *fpIndex) grow() {
	old, oldv := x.keys, x.vals
	x.keys = make([]uint64, max(1024, 2*len(old)))
	x.vals = make([]uint32, len(x.keys))
	x.n = 0
	for i, k := range old {
		if k != 0 {
			x.get(k, oldv[i])
		}
	}
}

// runCycles builds the state graph of m and looks for a fair non-progress
// cycle; it adds the first one it finds to res (a lasso: Finding.Loop) and
// what it explored to res.Cycles, or sets res.Limit if a limit stopped it.
func runCycles[S any](ctx context.Context, m Model[S], opt Options, res *Result) error {
	lv, ok := m.(Liveness[S])
	if !ok {
		return fmt.Errorf("explore: the model has no progress obligations (Liveness) for the cycle check")
	}
	g, limit, err := buildGraph(ctx, m, lv, opt)
	if err != nil {
		return err
	}
	res.Cycles = &CycleStats{Fairness: opt.Cycles, States: int64(len(g.pending)), Edges: int64(len(g.dst)), Bytes: g.bytes()}
	if limit != "" {
		res.Limit = "cycles: " + limit
		return nil
	}
	sf, _ := m.(StrongFairness)
	for i, a := range g.actors {
		if opt.Cycles == Strong || (sf != nil && sf.StrongFair(a)) {
			g.strong |= 1 << i
		}
	}
	entry, bit, comp := g.fairCycle()
	if comp == nil {
		return nil
	}
	init, prefix := treePath(g.parent, g.pact, entry)
	loop := g.loop(entry, comp)
	states, err := Replay(m, init, prefix)
	if err != nil {
		return fmt.Errorf("explore: a lasso's prefix does not replay: %w", err)
	}
	v := lv.NonProgress(&states[len(states)-1], bit, loop)
	res.Findings = append(res.Findings, Finding{Violation: v, Init: init, Trace: append(prefix, loop...), Lasso: true, Loop: len(prefix)})
	return nil
}

// buildGraph explores m breadth first, recording every move.
func buildGraph[S any](ctx context.Context, m Model[S], lv Liveness[S], opt Options) (*cycleGraph, Limit, error) {
	g := &cycleGraph{}
	var (
		queue     []S // the states met but not expanded: queue[0] is state head
		head      int
		out       Successors[S]
		enc, enc2 []byte
	)
	add := func(s *S, fp uint64, parent uint32, a Action) (uint32, bool) {
		id, old := g.index.get(fp, uint32(len(g.pending)))
		if old {
			return id, false
		}
		g.pending = append(g.pending, lv.Pending(s))
		g.parent = append(g.parent, parent)
		g.pact = append(g.pact, a)
		queue = append(queue, *s)
		return id, true
	}
	for i, s := range m.Init() {
		enc = m.Encode(&s, enc[:0])
		add(&s, Fingerprint(enc), noParent, Action(i))
	}
	var stateSize int64 = int64(unsafe.Sizeof(*new(S)))
	g.off = append(g.off, 0)
	for u := 0; u < len(g.pending); u++ {
		if u%1024 == 0 {
			if ctx.Err() != nil {
				return g, stopReason(ctx), nil
			}
			if opt.MaxMemory > 0 && g.bytes()+int64(cap(queue))*stateSize > opt.MaxMemory {
				return g, LimitMaxMemory, nil
			}
		}
		if opt.MaxStates > 0 && int64(len(g.pending)) > opt.MaxStates {
			return g, LimitMaxStates, nil
		}
		s := &queue[u-head]
		enc = m.Encode(s, enc[:0])
		fp := Fingerprint(enc)
		var en uint64
		out.Reset()
		m.Expand(s, &out)
		for k := 0; k < out.n; k++ {
			t := &out.items[k]
			w, err := g.actor(t.Actor)
			if err != nil {
				return nil, "", err
			}
			en |= 1 << w
			if t.Retry {
				w = noActor
			}
			if isFatal(t.Violations) {
				continue // a panic: the system goes no further
			}
			enc2 = m.Encode(&t.Next, enc2[:0])
			tfp := Fingerprint(enc2)
			v := uint32(u)
			if tfp != fp || !bytes.Equal(enc, enc2) {
				v, _ = add(&t.Next, tfp, uint32(u), t.Action)
				if len(g.pending) > int(noParent) {
					return g, LimitMaxStates, nil
				}
			}
			g.dst = append(g.dst, v)
			g.act = append(g.act, t.Action)
			g.who = append(g.who, w)
		}
		g.enabled = append(g.enabled, en)
		g.off = append(g.off, uint32(len(g.dst)))
		if len(g.dst) > int(^uint32(0))-out.n {
			return g, LimitMaxStates, nil
		}
		// Drop expanded states from the queue now and then; the copy is
		// amortised over the states expanded since.
		if u-head+1 > 4096 && 2*(u-head+1) > len(queue) {
			queue = append(queue[:0], queue[u-head+1:]...)
			head = u + 1
		}
	}
	return g, "", nil
}

// fairCycle returns a fair non-progress cycle: the component that holds it
// (its states), its obligation, and the state to enter it by, the one
// nearest an initial state of all such components (then the lowest
// obligation). comp is nil if there is none.
func (g *cycleGraph) fairCycle() (entry uint32, bit int, comp map[uint32]bool) {
	var all uint64
	for _, p := range g.pending {
		all |= p
	}
	t := newTarjan(len(g.pending))
	mark := make([]uint32, len(g.pending)) // mark[u] == gen: u is in the component at hand
	gen := uint32(0)
	for b := 0; b < 64; b++ {
		if all&(1<<b) == 0 {
			continue
		}
		work := t.sccs(g, func(u uint32) bool { return g.pending[u]&(1<<b) != 0 }, nil)
		for len(work) > 0 {
			c := work[len(work)-1]
			work = work[:len(work)-1]
			if comp != nil && c[0] >= entry {
				continue // sccs lists a component's states in ascending order
			}
			gen++
			for _, u := range c {
				mark[u] = gen
			}
			in := func(u uint32) bool { return mark[u] == gen }
			if !g.cyclic(c) {
				continue
			}
			weak, starved := g.starved(c, in)
			if weak != 0 {
				continue // a weakly fair actor starves on every cycle in c
			}
			if starved == 0 {
				entry, bit, comp = c[0], b, make(map[uint32]bool, len(c))
				for _, u := range c {
					comp[u] = true
				}
				continue
			}
			// Emerson-Lei: the starved actors must not be enabled on a fair
			// cycle; decompose what is left without their states.
			g0 := gen
			work = append(work, t.sccs(g, func(u uint32) bool { return mark[u] == g0 && g.enabled[u]&starved == 0 }, c)...)
		}
	}
	return entry, bit, comp
}

// cyclic reports whether component c has a cycle the check must judge:
// more than one state, or a stutter step in a state that has other moves
// too. A state whose every move is a stutter step is terminal: the main
// search has judged it (Terminator).
func (g *cycleGraph) cyclic(c []uint32) bool {
	if len(c) > 1 {
		return true
	}
	u, self, other := c[0], false, false
	for e := g.off[u]; e < g.off[u+1]; e++ {
		if g.dst[e] == u {
			self = true
		} else {
			other = true
		}
	}
	return self && other
}

// taken returns the actors with a move inside component c.
func (g *cycleGraph) taken(c []uint32, in func(uint32) bool) uint64 {
	var t uint64
	for _, u := range c {
		for e := g.off[u]; e < g.off[u+1]; e++ {
			if in(g.dst[e]) && g.who[e] != noActor {
				t |= 1 << g.who[e]
			}
		}
	}
	return t
}

// starved returns the actors that no cycle through all of component c
// treats fairly and that never move inside it: weakly fair ones enabled in
// every state of c, strongly fair ones enabled in some. A cycle within c is
// no fairer to a weak one (it has no more states where the actor is
// disabled, no more moves); it may avoid the states where a strong one is
// enabled.
func (g *cycleGraph) starved(c []uint32, in func(uint32) bool) (weak, strong uint64) {
	always, some := ^uint64(0), uint64(0)
	for _, u := range c {
		always &= g.enabled[u]
		some |= g.enabled[u]
	}
	taken := g.taken(c, in)
	return always &^ g.strong &^ taken, some & g.strong &^ taken
}

// loop returns a fair cycle from entry through component comp back to
// entry: it walks, by shortest paths inside comp, to a move of each actor
// enabled in comp (or, for a weakly fair one, to a state where it is
// disabled, if that is nearer), then back to entry.
func (g *cycleGraph) loop(entry uint32, comp map[uint32]bool) []Action {
	c := make([]uint32, 0, len(comp))
	for u := range comp {
		c = append(c, u)
	}
	var need uint64
	for _, u := range c {
		need |= g.enabled[u]
	}
	var (
		acts []Action
		done uint64 // the actors served so far
		cur  = entry
	)
	visit := func(u uint32) { done |= ^g.enabled[u] &^ g.strong }
	take := func(e uint32) {
		acts = append(acts, g.act[e])
		if g.who[e] != noActor {
			done |= 1 << g.who[e]
		}
		cur = g.dst[e]
		visit(cur)
	}
	visit(entry)
	for w := 0; w < 64; w++ {
		if need&^done&(1<<w) == 0 {
			continue
		}
		for _, e := range g.walk(cur, comp, func(e uint32) bool {
			return g.who[e] == uint8(w) || (g.strong&(1<<w) == 0 && g.enabled[g.dst[e]]&(1<<w) == 0)
		}) {
			take(e)
		}
	}
	if len(acts) == 0 || cur != entry {
		for _, e := range g.walk(cur, comp, func(e uint32) bool { return g.dst[e] == entry }) {
			take(e)
		}
	}
	return acts
}

// walk returns the edges of a shortest path inside comp from u whose last
// edge satisfies goal. Edges are tried in their order, so the path is the
// same on every run.
func (g *cycleGraph) walk(u uint32, comp map[uint32]bool, goal func(e uint32) bool) []uint32 {
	from := map[uint32]uint32{} // state -> the edge that reached it
	queue := []uint32{u}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for e := g.off[v]; e < g.off[v+1]; e++ {
			d := g.dst[e]
			if !comp[d] {
				continue
			}
			if goal(e) {
				path := []uint32{e}
				for x := v; x != u; {
					pe := from[x]
					path = append(path, pe)
					x = g.src(pe)
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path
			}
			if _, ok := from[d]; !ok && d != u {
				from[d] = e
				queue = append(queue, d)
			}
		}
	}
	return nil // unreachable in a strongly connected component
}

// src returns the state edge e leaves.
func (g *cycleGraph) src(e uint32) uint32 {
	lo, hi := 0, len(g.off)-1
	for lo+1 < hi { // the last u with off[u] <= e
		mid := (lo + hi) / 2
		if g.off[mid] <= e {
			lo = mid
		} else {
			hi = mid
		}
	}
	for g.off[lo+1] <= e {
		lo++
	}
	return uint32(lo)
}

// tarjan holds the scratch space of Tarjan's algorithm, iterative, for a
// graph of n states.
type tarjan struct {
	index, low []uint32 // 0: not visited in this decomposition
	onStack    []bool
	stack      []uint32
	calls      []tarjanCall
	next       uint32
}

type tarjanCall struct{ u, e uint32 }

func newTarjan(n int) *tarjan {
	return &tarjan{index: make([]uint32, n), low: make([]uint32, n), onStack: make([]bool, n)}
}

// sccs returns the strongly connected components of the subgraph of the
// states in satisfies (among roots, or among all states if roots is nil),
// each as its states in ascending order. The scratch space is clean again
// when it returns.
func (t *tarjan) sccs(g *cycleGraph, in func(uint32) bool, roots []uint32) [][]uint32 {
	var comps [][]uint32
	var visited []uint32
	t.next = 0
	root := func(r uint32) {
		if t.index[r] != 0 || !in(r) {
			return
		}
		t.open(g, r)
		visited = append(visited, r)
		for len(t.calls) > 0 {
			c := &t.calls[len(t.calls)-1]
			if c.e < g.off[c.u+1] {
				v := g.dst[c.e]
				c.e++
				switch {
				case !in(v):
				case t.index[v] == 0:
					t.open(g, v)
					visited = append(visited, v)
				case t.onStack[v]:
					t.low[c.u] = min(t.low[c.u], t.index[v])
				}
				continue
			}
			u := c.u
			t.calls = t.calls[:len(t.calls)-1]
			if len(t.calls) > 0 {
				p := t.calls[len(t.calls)-1].u
				t.low[p] = min(t.low[p], t.low[u])
			}
			if t.low[u] != t.index[u] {
				continue
			}
			var comp []uint32
			for {
				v := t.stack[len(t.stack)-1]
				t.stack = t.stack[:len(t.stack)-1]
				t.onStack[v] = false
				comp = append(comp, v)
				if v == u {
					break
				}
			}
			slices.Sort(comp)
			comps = append(comps, comp)
		}
	}
	if roots == nil {
		for u := range g.pending {
			root(uint32(u))
		}
	} else {
		for _, u := range roots {
			root(u)
		}
	}
	for _, u := range visited {
		t.index[u], t.low[u] = 0, 0
	}
	return comps
}

func (t *tarjan) open(g *cycleGraph, u uint32) {
	t.next++
	t.index[u], t.low[u] = t.next, t.next
	t.stack = append(t.stack, u)
	t.onStack[u] = true
	t.calls = append(t.calls, tarjanCall{u: u, e: g.off[u]})
}
