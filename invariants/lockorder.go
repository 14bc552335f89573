package invariants

import (
	"cmp"
	"context"
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync/atomic"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/simple"
	"gonum.org/v1/gonum/graph/topo"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

var lockOrderInvariants = []*Invariant{
	{
		Name: "lock-order", Family: specs.FamilyLockOrder,
		Doc: "no lock is acquired while holding a lock the revision's documented order puts after it, " +
			"or one of its class in other than address order where the revision takes them so",
		Source: "the revision's documented lock order (its kern_lwp.c overview comment), with the orders its code follows everywhere",
		Step:   againstOrder, Keyed: true,
	},
	{
		Name: "lock-order-cycle", Family: specs.FamilyLockOrder,
		Doc:    "the lock-class graph of every explored acquisition (held class -> acquired class) has no cycle",
		Source: "lwpcheck: a cycle in the lock-class graph of all explored interleavings can deadlock; each edge gets a replayable schedule",
		Run:    lockCycles,
	},
}

// againstOrder finds an acquisition of a lock while holding one the
// documented order puts after it, or one of its own class that an
// address-ordered class takes after it; the key is the edge of classes.
// Try-acquires are exempt.
func againstOrder(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvAcquire || c.rules.try(e.Src) {
			continue
		}
		acq := model.ClassOf(e.Lock)
		bad := e.Held & c.rules.forbidden[e.Lock]
		if bad == 0 && c.rules.byAddress[acq] != nil {
			bad = e.Held & classLocks(acq) &^ (1<<e.Lock - 1) // held locks of its class at or above it
		}
		if bad == 0 {
			continue
		}
		h := uint8(bits.TrailingZeros16(bad))
		held := model.ClassOf(h)
		return fail(k, orderNames[held][acq], e.Src, func() string {
			kn := c.M.Kernel
			why := fmt.Sprintf("the documented order takes %s before %s (%s)", kn.ClassName(acq), kn.ClassName(held), c.Docs.LockOrder.Source(acq, held))
			if held == acq {
				why = "locks of this class are taken in address order (" + c.rules.byAddress[acq].Source + ")"
			}
			return fmt.Sprintf("%s acquires %s holding %s at %s: %s", actor(k, pre), c.M.LockName(e.Lock),
				c.M.LockName(h), kn.Src(e.Src), why)
		})
	}
	return Fail{}, false
}

// orderNames names the lock-order finding of each edge of classes, held
// then acquired.
var orderNames = func() (n [model.NumClasses][model.NumClasses]string) {
	for from := range n {
		for to := range n[from] {
			n[from][to] = "lock-order/" + model.LockClass(from).String() + "->" + model.LockClass(to).String()
		}
	}
	return n
}()

// actor names who runs step k.
func actor(k *model.K, pre *model.State) string {
	switch {
	case k.CPU == model.EnvCPU:
		return "env"
	case k.Cur >= 0:
		return fmt.Sprintf("LWP %d", pre.LWPs[k.Cur].Name)
	}
	return fmt.Sprintf("cpu%d", k.CPU)
}

// Edge is an edge of the lock-class graph: a lock of class To acquired
// while a lock of class From is held.
type Edge struct{ From, To model.LockClass }

func (e Edge) String() string { return e.From.String() + " -> " + e.To.String() }

// edgeSet is a set of edges between lock classes, or between lock ids,
// gathered by a search's workers as they go, so the same for any number
// of workers: seen[a][b] records that b was acquired while a was held,
// and held[a][b] the intersection of the lock ids held at every such
// acquisition. It writes shared memory only when something changes, so
// that workers do not contend on known edges.
type edgeSet struct {
	seen [model.NumLocks][model.NumLocks]atomic.Bool
	held [model.NumLocks][model.NumLocks]atomic.Uint32
}

func newEdgeSet() *edgeSet {
	g := new(edgeSet)
	for i := range g.held {
		for j := range g.held[i] {
			g.held[i][j].Store(^uint32(0))
		}
	}
	return g
}

// mark records an edge from a to b taken holding the lock ids held.
func (g *edgeSet) mark(a, b uint8, held uint16) {
	if !g.seen[a][b].Load() {
		g.seen[a][b].Store(true)
	}
	if x := &g.held[a][b]; x.Load()&^uint32(held) != 0 {
		x.And(uint32(held))
	}
}

// addClasses records the lock-class edges of acquisition e. A lock taken
// after locks of its own class of lower address, in a class the revision
// takes in address order, adds no edge: such acquisitions cannot form a
// cycle.
func (g *edgeSet) addClasses(e *model.Event, r *rules) {
	to := model.ClassOf(e.Lock)
	for h := e.Held; h != 0; h &= h - 1 {
		id := uint8(bits.TrailingZeros16(h))
		from := model.ClassOf(id)
		if from == to && r.byAddress[to] != nil && id < e.Lock {
			continue
		}
		g.mark(uint8(from), uint8(to), e.Held)
	}
}

// addLocks records the lock-id edges of acquisition e.
func (g *edgeSet) addLocks(e *model.Event) {
	for h := e.Held; h != 0; h &= h - 1 {
		g.mark(uint8(bits.TrailingZeros16(h)), e.Lock, e.Held)
	}
}

// GraphEdge is an edge of the lock-class graph as a search found it.
type GraphEdge struct {
	Edge
	// Gate is the set of lock ids held at every acquisition along the
	// edge (bit per lock id), the edge's own From lock included.
	Gate uint16
	// Against reports that the edge goes against the documented order.
	Against bool
}

// Edges returns the lock-class graph gathered so far, sorted; nil if the
// lock-order family is not checked.
func (c *Checker) Edges() []GraphEdge {
	if c.graph == nil {
		return nil
	}
	var out []GraphEdge
	for i := range model.NumClasses {
		for j := range model.NumClasses {
			if c.graph.seen[i][j].Load() {
				e := Edge{model.LockClass(i), model.LockClass(j)}
				out = append(out, GraphEdge{Edge: e, Gate: uint16(c.graph.held[i][j].Load()), Against: c.rules.before[j][i]})
			}
		}
	}
	return out
}

// cycles returns the elementary cycles of the graph of edges, each as the
// list of its classes starting at its least class, in a fixed order. A
// class acquired while holding another lock of the same class is a cycle
// of one.
func cycles(edges []GraphEdge) [][]model.LockClass {
	g := simple.NewDirectedGraph()
	var out [][]model.LockClass
	for _, e := range edges {
		if e.From == e.To {
			out = append(out, []model.LockClass{e.From})
			continue
		}
		g.SetEdge(g.NewEdge(classVertex{class: e.From}, classVertex{class: e.To}))
	}
	for _, cyc := range topo.DirectedCyclesIn(g) {
		cyc = cyc[:len(cyc)-1] // the first node is repeated at the end
		least := 0
		for i, n := range cyc {
			if n.ID() < cyc[least].ID() {
				least = i
			}
		}
		cl := make([]model.LockClass, len(cyc))
		for i := range cyc {
			cl[i] = model.LockClass(cyc[(least+i)%len(cyc)].ID())
		}
		out = append(out, cl)
	}
	slices.SortFunc(out, func(a, b []model.LockClass) int { return slices.Compare(a, b) })
	return out
}

// lockCycles reports each cycle of the lock-class graph, with a shortest
// schedule for each of its edges. A cycle whose every edge was taken with
// one lock held that is not on the cycle (p_lock, say) is gated by it and
// cannot deadlock; the message says so.
func lockCycles(ctx context.Context, c *Checker, opt explore.Options) ([]RunFinding, error) {
	edges := c.Edges()
	gate := map[Edge]uint16{}
	for _, e := range edges {
		gate[e.Edge] = e.Gate
	}
	witnesses := map[Edge]Witness{}
	var out []RunFinding
	for _, cyc := range cycles(edges) {
		f := RunFinding{Name: "lock-order-cycle"}
		common := ^uint16(0)
		names := make([]string, 0, len(cyc)+1)
		for i, from := range cyc {
			e := Edge{from, cyc[(i+1)%len(cyc)]}
			common &= gate[e]
			names = append(names, c.M.Kernel.ClassName(from))
			w, ok := witnesses[e]
			if !ok {
				var err error
				if w, err = c.witness(ctx, e, opt); err != nil {
					return nil, err
				}
				witnesses[e] = w
			}
			f.Witnesses = append(f.Witnesses, w)
		}
		names = append(names, c.M.Kernel.ClassName(cyc[0]))
		for _, cl := range cyc {
			common &^= classLocks(cl)
		}
		f.Message = "lock classes " + strings.Join(names, " -> ") + ": "
		if len(cyc) == 1 {
			f.Message += "two locks of one class, in no documented order; "
		}
		if common == 0 {
			f.Message += "no lock is held at every edge: a potential deadlock"
			reach, err := c.reachDeadlock(ctx, cyc, opt)
			if err != nil {
				return nil, err
			}
			f.Message += "; " + reach.Missing
			if reach.Missing == "" {
				f.Message += "the deadlock is reachable: " + reach.Finding.Message
				f.Deadlock = &reach
			}
		} else {
			f.Gate = lockNames(c.M, common)
			f.Message += "every edge was taken holding " + f.Gate + " (a gate lock): a false deadlock"
		}
		out = append(out, f)
	}
	return out, nil
}

// classLocks is the set of lock ids of class cl.
func classLocks(cl model.LockClass) uint16 {
	var s uint16
	for id := uint8(1); id < model.NumLocks; id++ {
		if model.ClassOf(id) == cl {
			s |= 1 << id
		}
	}
	return s
}

// lockNames names the lock ids in set as m does.
func lockNames(m *model.Machine, set uint16) string {
	var out []string
	for h := set; h != 0; h &= h - 1 {
		out = append(out, m.LockName(uint8(bits.TrailingZeros16(h))))
	}
	return strings.Join(out, ", ")
}

// edgeViolation names the violation a witness model reports.
const edgeViolation = "lock-order-edge"

// WitnessModel returns a machine for the checker's spec and kernel whose
// only check reports, as "lock-order-edge", a step that takes edge e.
// Witness schedules replay on it.
func (c *Checker) WitnessModel(e Edge) (*model.Machine, error) {
	m, err := model.New(c.M.Rev, c.M.Spec)
	if err != nil {
		return nil, err
	}
	m.Check = &edgeTarget{rules: &c.rules, m: m, edge: e}
	m.POR = c.M.POR
	return m, nil
}

// witness finds a shortest schedule that takes edge e: a breadth-first
// search that stops at the first step taking it. A KASSERT met first also
// stops that search; then the whole space is searched.
func (c *Checker) witness(ctx context.Context, e Edge, opt explore.Options) (Witness, error) {
	m, err := c.WitnessModel(e)
	if err != nil {
		return Witness{}, err
	}
	opt.Search, opt.Progress = explore.BFS, nil
	for _, stop := range []bool{true, false} {
		opt.StopAtFirst = stop
		r, err := explore.Run(ctx, m, opt)
		if err != nil {
			return Witness{}, fmt.Errorf("edge %s: %w", e, err)
		}
		for _, f := range r.Findings {
			if f.Name == edgeViolation {
				return Witness{Edge: e, Finding: f}, nil
			}
		}
		if r.Limit != "" {
			return Witness{Edge: e, Missing: "no schedule found before the " + string(r.Limit) + " limit"}, nil
		}
	}
	return Witness{}, fmt.Errorf("edge %s: taken in the search but not in a search for it: the model is not deterministic", e)
}

// edgeTarget is the check of a witness search: it reports the first step
// that takes its edge.
type edgeTarget struct {
	rules *rules
	m     *model.Machine
	edge  Edge
}

func (t *edgeTarget) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvAcquire || model.ClassOf(e.Lock) != t.edge.To || t.rules.try(e.Src) {
			continue
		}
		for h := e.Held; h != 0; h &= h - 1 {
			id := uint8(bits.TrailingZeros16(h))
			if model.ClassOf(id) == t.edge.From {
				at := t.m.Kernel.Src(e.Src)
				return append(vs, explore.Violation{Name: edgeViolation, Where: at, Message: fmt.Sprintf("%s acquires %s holding %s at %s",
					actor(k, pre), t.m.LockName(e.Lock), lockNames(t.m, e.Held), at)})
			}
		}
	}
	return vs
}

func (t *edgeTarget) State(s *model.State, vs []explore.Violation) []explore.Violation { return vs }

func (t *edgeTarget) Terminal(s *model.State) (explore.Violation, bool) {
	return explore.Violation{}, false
}

// reachDeadlock searches for a state in which CPUs spin in a cycle for
// locks of the classes of cyc, an ungated cycle of the lock-class graph.
// It returns the schedule that reaches one, or, in Missing, why none does.
func (c *Checker) reachDeadlock(ctx context.Context, cyc []model.LockClass, opt explore.Options) (Witness, error) {
	m, err := model.New(c.M.Rev, c.M.Spec)
	if err != nil {
		return Witness{}, err
	}
	t := &deadlockTarget{m: m, rules: &c.rules, ids: newEdgeSet()}
	for _, cl := range cyc {
		t.classes |= 1 << cl
	}
	m.Check, m.POR = t, c.M.POR
	opt.Search, opt.Progress, opt.Cycles = explore.BFS, nil, explore.NoCycles
	// A KASSERT met first stops the first search; then the whole space
	// is searched.
	var r *explore.Result
	for _, stop := range []bool{true, false} {
		opt.StopAtFirst = stop
		if r, err = explore.Run(ctx, m, opt); err != nil {
			return Witness{}, fmt.Errorf("deadlock of %v: %w", cyc, err)
		}
		for _, f := range r.Findings {
			if f.Name == model.FindingLockDeadlock {
				return Witness{Finding: f}, nil
			}
		}
		if r.Limit != "" {
			return Witness{Missing: "the search for the deadlock stopped at the " + string(r.Limit) + " limit"}, nil
		}
		if len(r.Findings) == 0 {
			break // the first search was exhaustive
		}
	}
	why := "no interleaving of this spec reaches it: no state has CPUs spinning for each other's locks"
	if closes := c.lockCycle(t.ids, t.classes); closes != "" {
		why += "; the same locks form a cycle: " + closes
	} else {
		why += "; the acquisitions never close a cycle on the same locks (" + c.lockEdges(t.ids, t.classes) + ")"
	}
	return Witness{Missing: why}, nil
}

// lockCycle describes the cycles of the graph of lock ids among locks
// of classes (a bit per class): one no lock gates, as "a -> b -> a"; or,
// if each is gated, the first with its gate; "" if there is none.
func (c *Checker) lockCycle(ids *edgeSet, classes uint32) string {
	g := simple.NewDirectedGraph()
	for from := 1; from < model.NumLocks; from++ {
		for to := 1; to < model.NumLocks; to++ {
			if from != to && classes&(1<<model.ClassOf(uint8(from))) != 0 && classes&(1<<model.ClassOf(uint8(to))) != 0 &&
				ids.seen[from][to].Load() {
				g.SetEdge(g.NewEdge(simple.Node(from), simple.Node(to)))
			}
		}
	}
	cycles := topo.DirectedCyclesIn(g)
	slices.SortFunc(cycles, func(a, b []graph.Node) int {
		return slices.CompareFunc(a, b, func(x, y graph.Node) int { return cmp.Compare(x.ID(), y.ID()) })
	})
	gated := ""
	for _, cyc := range cycles {
		common := ^uint16(0)
		var names []string
		for i, n := range cyc[:len(cyc)-1] {
			common &= uint16(ids.held[n.ID()][cyc[i+1].ID()].Load())
			names = append(names, c.M.LockName(uint8(n.ID())))
		}
		for _, n := range cyc {
			common &^= 1 << n.ID()
		}
		desc := strings.Join(append(names, names[0]), " -> ")
		if common == 0 {
			return desc + ", with no lock held at every edge, but never all held at once"
		}
		if gated == "" {
			gated = desc + ", every edge taken holding " + lockNames(c.M, common)
		}
	}
	return gated
}

// lockEdges lists the edges of the graph of lock ids among locks of
// classes.
func (c *Checker) lockEdges(ids *edgeSet, classes uint32) string {
	var out []string
	for from := 1; from < model.NumLocks; from++ {
		for to := 1; to < model.NumLocks; to++ {
			if classes&(1<<model.ClassOf(uint8(from))) != 0 && classes&(1<<model.ClassOf(uint8(to))) != 0 && ids.seen[from][to].Load() {
				out = append(out, c.M.LockName(uint8(from))+" -> "+c.M.LockName(uint8(to)))
			}
		}
	}
	return strings.Join(out, ", ")
}

// deadlockTarget is the check of reachDeadlock's search: a lock-wait
// cycle on locks of its classes. It gathers the graph of lock ids as it
// goes, to say why no such cycle is reached.
type deadlockTarget struct {
	m       *model.Machine
	rules   *rules
	ids     *edgeSet
	classes uint32 // a bit per lock class
}

func (t *deadlockTarget) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	for i := range k.Events {
		if e := &k.Events[i]; e.Kind == model.EvAcquire && e.Held != 0 && !t.rules.try(e.Src) {
			t.ids.addLocks(e)
		}
	}
	return vs
}

func (t *deadlockTarget) State(s *model.State, vs []explore.Violation) []explore.Violation {
	cyc := t.m.LockWaitCycle(s)
	for _, w := range cyc {
		if t.classes&(1<<model.ClassOf(w.Lock)) == 0 {
			return vs
		}
	}
	if cyc != nil {
		vs = append(vs, explore.Violation{Name: model.FindingLockDeadlock, Message: t.m.LockWaitString(s, cyc)})
	}
	return vs
}

func (t *deadlockTarget) Terminal(s *model.State) (explore.Violation, bool) {
	return explore.Violation{}, false
}
