package explore

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"
	"unsafe"
)

// The BFS is level-synchronous. A level is cut into batches, a batch into
// chunks of chunkLen states (large enough that a chunk's own bookkeeping,
// per shard, stays small beside its states, small enough that a batch
// keeps sixteen workers busy; the same for any number of workers, so
// that the chunks' buffers, and a memory limit's verdict, are too). A
// batch's successors are held whole until they are packed: the batch is
// kept small so that they weigh little beside the stored states (8192
// states a batch held about a third of mix-suspend-park's peak memory).
// Workers expand chunks in parallel; then each worker inserts the
// successors of its fingerprint shards into the visited set, taking them
// in the batch's global order; then the new states are appended to the
// next level, again in global order. Which successor first reaches a
// state, the state's index and every trace are therefore the same for any
// number of workers.
const (
	minChunk  = 64 // the first block's first room
	chunkLen  = 128
	batchBits = 11
	batchSize = 1 << batchBits
	noParent  = ^uint32(0)
)

// levelBuf holds the states of one level, packed, in blocks of batchSize
// nodes, so that a batch is one block and a growing level never copies the
// states it holds. The first block starts small and grows by doubling up
// to batchSize (small searches stay small); the others are full size. The
// blocks are kept when the buffer is emptied, for the level after next.
type levelBuf struct {
	blocks []block // block i holds nodes i*batchSize on
	n      int
}

// block is batchSize nodes (fewer in a small first block) and their packed
// states, one after another in data. A block's first node is a restart
// point.
type block struct {
	nodes []node // len is its room
	data  []byte
}

// node is a state of a level: its fingerprint, its parent link (the trace
// pass) and where its delta starts in its block's data. The delta's base
// is the state of the node before, or the packer's reference at a restart
// point (restartBit).
type node struct {
	fp  uint64
	id  uint32
	off uint32
}

const restartBit = 1 << 31

func (nd *node) restart() bool { return nd.off&restartBit != 0 }

// batch returns batch k: block k and its length.
func (l *levelBuf) batch(k int) (*block, int) {
	return &l.blocks[k], min(batchSize, l.n-k*batchSize)
}

// delta returns the delta of node i of a batch of length n.
func (b *block) delta(i, n int) []byte {
	end := uint32(len(b.data))
	if i+1 < n {
		end = b.nodes[i+1].off &^ restartBit
	}
	return b.data[b.nodes[i].off&^restartBit : end]
}

func (l *levelBuf) batches() int { return (l.n + batchSize - 1) / batchSize }

// push appends a node with delta d.
func (l *levelBuf) push(fp uint64, id uint32, d []byte, restart bool) {
	k, i := l.n>>batchBits, l.n&(batchSize-1)
	if k == len(l.blocks) {
		room := batchSize
		if k == 0 {
			room = minChunk
		}
		l.blocks = append(l.blocks, block{nodes: make([]node, room)})
	}
	b := &l.blocks[k]
	if i == len(b.nodes) { // the first block, grown by doubling
		nodes := make([]node, min(2*i, batchSize))
		copy(nodes, b.nodes)
		b.nodes = nodes
	}
	if i == 0 {
		b.data = b.data[:0]
	}
	off := uint32(len(b.data))
	if restart {
		off |= restartBit
	}
	b.nodes[i] = node{fp: fp, id: id, off: off}
	b.data = append(b.data, d...)
	l.n++
}

// reset empties the buffer, keeping its memory.
func (l *levelBuf) reset() { l.n = 0 }

// bytes is the memory of the blocks.
func (l *levelBuf) bytes() int64 {
	n := 0
	for _, b := range l.blocks {
		n += len(b.nodes)*int(unsafe.Sizeof(node{})) + cap(b.data)
	}
	return int64(n)
}

type chunk[S any] struct {
	out   Successors[S]
	cur   S       // the state being expanded, unpacked
	owner []int32 // for each successor, its source's offset in the batch
	isNew []bool  // for each successor, whether it reached a new state
	// byShard[j] lists the successors whose fingerprints fall in shard j,
	// fpByShard[j] their fingerprints, and newByShard[j] tells whether
	// each is new: each insert worker reads and writes only its own
	// shards' slices, sequentially.
	byShard    [numShards][]int32
	fpByShard  [numShards][]uint64
	newByShard [numShards][]bool
	viols      []pending
	// The append phase: the chunk's new states packed for the next level
	// (ends[i] is where the i-th ends in packed, with restartBit at a
	// restart point), how many there are, where they go in the next level
	// and how many of them to take.
	packed         []byte
	ends           []uint32
	nNew, at, take int
}

// pending is a violation met while expanding a batch.
type pending struct {
	node int32 // offset of the state in the batch
	succ int32 // successor index in the chunk, or -1 for the state itself
	v    Violation
}

type bfs[S any] struct {
	ctx    context.Context
	m      Model[S]
	opt    Options
	exps   []*expander[S]
	chunks []*chunk[S] // made as batches need them
	levels [2]levelBuf
	pk     packer[S]
	set    fpSet

	// Parent links, kept only by the second pass that rebuilds traces,
	// with each node's actor switches along its chosen path and the actor
	// of its last step: among shortest paths the pass keeps the one with
	// the fewest switches (a per-node greedy choice). Only the level being
	// expanded and the one being built need those two, so they are kept
	// for the nodes from id win on.
	track    bool
	need     map[string]bool
	parent   []uint32
	act      []Action
	win      uint32
	switches []uint32
	actor    []int32
	levelIdx map[uint64]uint32 // the nodes of the level being built, by fingerprint
	widest   int               // the most states of two levels at once, for memory
	best     map[string]uint32 // switches of each finding kept so far
	level    int

	f           findings
	states      atomic.Int64
	transitions atomic.Int64
	queue       atomic.Int64
	depth       atomic.Int64
	limit       Limit
	aborted     atomic.Bool
}

// runBFS explores without parent links, which keeps the store to the
// fingerprints alone; if it finds violations, a second pass, identical up to
// the depth of the last finding, keeps parent links to rebuild their traces.
func runBFS[S any](ctx context.Context, m Model[S], opt Options) (*Result, error) {
	b, err := newBFS(ctx, m, opt, nil)
	if err != nil {
		return nil, err
	}
	stop := startProgress(opt, func() Progress {
		return Progress{States: b.states.Load(), Transitions: b.transitions.Load(), Depth: int(b.depth.Load()), Queue: b.queue.Load()}
	})
	b.run()
	stop()
	res := b.result()
	if len(b.f.list) == 0 {
		return res, nil
	}
	need := map[string]bool{}
	for _, f := range b.f.list {
		need[f.Name] = true
	}
	opt.Progress, opt.MaxMemory = nil, 0
	t, err := newBFS(context.Background(), m, opt, need)
	if err != nil {
		return nil, err
	}
	t.reuse(b)
	t.run()
	for i := range res.Findings {
		j, ok := t.f.seen[res.Findings[i].Name]
		if !ok {
			return nil, fmt.Errorf("explore: the trace pass did not meet %q: the model is not deterministic", res.Findings[i].Name)
		}
		res.Findings[i] = t.f.list[j]
	}
	return res, nil
}

// reuse gives the trace pass t the buffers of the first pass b: its
// visited set, emptied (its shards keep the size they grew to), its levels
// and its chunks.
func (t *bfs[S]) reuse(b *bfs[S]) {
	t.set = b.set
	t.set.reset()
	// The trace pass stores no more states than this pass did: its parent
	// links are allocated once, at that size (append's growth would hold
	// old and new arrays at once, past what memory counted).
	t.parent = make([]uint32, 0, b.states.Load())
	t.act = make([]Action, 0, b.states.Load())
	t.levels = b.levels
	t.chunks = b.chunks
	for _, ch := range t.chunks {
		ch.out.found = t.foundBefore
	}
}

func newBFS[S any](ctx context.Context, m Model[S], opt Options, need map[string]bool) (*bfs[S], error) {
	if err := plainType(reflect.TypeFor[S]()); err != nil {
		return nil, err
	}
	b := &bfs[S]{ctx: ctx, m: m, opt: opt, track: need != nil, need: need}
	if opt.Bitstate > 0 && !b.track { // the trace pass reuses the first pass's set
		b.set.useBits(opt.Bitstate)
	}
	if b.track {
		b.levelIdx = map[uint64]uint32{}
		b.best = map[string]uint32{}
	}
	for range opt.Workers {
		b.exps = append(b.exps, newExpander(m, b.set.contains, opt.Seed))
	}
	return b, nil
}

// shardRoom is the room each chunk starts with per shard, for a few
// successors of each of its states spread over numShards shards.
const shardRoom = 8

func newChunk[S any](found func(string) bool) *chunk[S] {
	ch := &chunk[S]{}
	ch.out.found = found
	ids := make([]int32, numShards*shardRoom)
	fps := make([]uint64, numShards*shardRoom)
	isNew := make([]bool, numShards*shardRoom)
	for j := range numShards {
		lo, hi := j*shardRoom, (j+1)*shardRoom
		ch.byShard[j], ch.fpByShard[j], ch.newByShard[j] = ids[lo:lo:hi], fps[lo:lo:hi], isNew[lo:lo:hi]
	}
	return ch
}

// foundBefore reports whether a violation named name was found at an
// earlier level: the current level cannot give it a shorter trace, so its
// message is not needed. Findings change only between batches.
func (b *bfs[S]) foundBefore(name string) bool {
	j, ok := b.f.seen[name]
	return ok && b.f.list[j].depth < b.level
}

func (b *bfs[S]) result() *Result {
	return &Result{
		Findings:    b.f.list,
		States:      b.states.Load(),
		Transitions: b.transitions.Load(),
		Depth:       int(b.depth.Load()),
		Limit:       b.limit,
		StoreBytes:  b.set.bytes(),
		Ample:       b.ample(),
	}
}

// ample is the number of states reduced to an ample set so far.
func (b *bfs[S]) ample() int64 {
	var n int64
	for _, e := range b.exps {
		n += e.ample
	}
	return n
}

func (b *bfs[S]) newID(parent uint32, a Action, actor int32) uint32 {
	if !b.track {
		return 0
	}
	b.parent = append(b.parent, parent)
	b.act = append(b.act, a)
	b.actor = append(b.actor, actor)
	var sw uint32
	if parent != noParent {
		sw = b.cost(parent, actor)
	}
	b.switches = append(b.switches, sw)
	return uint32(len(b.parent) - 1)
}

// cost is the number of actor switches of the path to node id followed by
// a step of actor.
func (b *bfs[S]) cost(id uint32, actor int32) uint32 {
	sw := b.switches[id-b.win]
	if b.parent[id] != noParent && b.actor[id-b.win] != actor {
		sw++
	}
	return sw
}

// reconsider gives a node of the level being built a parent with fewer
// switches, if the step t from parent offers one.
func (b *bfs[S]) reconsider(parent uint32, t *Succ[S]) {
	id, ok := b.levelIdx[t.fp]
	if !ok || b.opt.FirstTrace {
		return
	}
	if c := b.cost(parent, t.Actor); c < b.switches[id-b.win] {
		b.parent[id], b.act[id], b.actor[id-b.win], b.switches[id-b.win] = parent, t.Action, t.Actor, c
	}
}

// slide drops the switches and actors of the nodes before the first of
// frontier, the level about to be expanded: no later step reads them.
func (b *bfs[S]) slide(frontier *levelBuf) {
	first := frontier.blocks[0].nodes[0].id
	drop := int(first - b.win)
	b.switches = b.switches[:copy(b.switches, b.switches[drop:])]
	b.actor = b.actor[:copy(b.actor, b.actor[drop:])]
	b.win = first
}

// path returns the initial state's index and the actions leading to node id.
func (b *bfs[S]) path(id uint32) (int, []Action) { return treePath(b.parent, b.act, id) }

// treePath follows a search tree from node id up to its root: parent[n] is
// the node n was met from (noParent at a root) and act[n] the action that
// led to it (at a root, the initial state's index). It returns the root's
// index and the actions from it to id.
func treePath(parent []uint32, act []Action, id uint32) (int, []Action) {
	var rev []Action
	for parent[id] != noParent {
		rev = append(rev, act[id])
		id = parent[id]
	}
	trace := make([]Action, len(rev))
	for i, a := range rev {
		trace[len(rev)-1-i] = a
	}
	return int(act[id]), trace
}

func (b *bfs[S]) done() bool {
	if b.limit != "" {
		return true
	}
	// The trace pass finishes the level of its last finding, so that it can
	// pick, among the shortest traces, one with the fewest switches.
	return b.opt.StopAtFirst && len(b.f.list) > 0 && b.need == nil
}

func (b *bfs[S]) run() {
	frontier, next := &b.levels[0], &b.levels[1]
	frontier.reset()
	next.reset()
	exp := b.exps[0]
	var buf []byte
	for i, s := range b.m.Init() {
		if i == 0 {
			b.pk = newPacker(&s)
		}
		fp := exp.fingerprint(&s)
		if !b.set.insert(fp) {
			continue
		}
		if b.opt.MaxStates > 0 && b.states.Load() >= b.opt.MaxStates {
			b.limit = LimitMaxStates
			break
		}
		buf = b.pk.delta(&s, &b.pk.ref, buf[:0])
		frontier.push(fp, b.newID(noParent, Action(i), -1), buf, true)
		b.states.Add(1)
	}
	b.queue.Store(int64(frontier.n))
	for level := 0; frontier.n > 0 && !b.done(); level++ {
		if b.need != nil && len(b.f.list) == len(b.need) {
			break
		}
		b.level = level
		if b.track {
			clear(b.levelIdx)
			b.slide(frontier)
		}
		b.depth.Store(int64(level))
		for k := 0; k < frontier.batches() && !b.done(); k++ {
			batch, size := frontier.batch(k)
			n := (size + chunkLen - 1) / chunkLen
			for len(b.chunks) < n {
				b.chunks = append(b.chunks, newChunk[S](b.foundBefore))
			}
			b.parallel(n, func(w, c int) { b.expandChunk(b.exps[w], batch, size, c) })
			if b.aborted.Load() {
				b.limit = stopReason(b.ctx)
				break
			}
			b.collect(batch, n)
			if b.done() {
				break
			}
			b.parallel(numShards, func(_, j int) { b.insertShard(j, n) })
			b.appendNew(batch, n, next)
			b.queue.Store(int64(frontier.n - k*batchSize - size + next.n))
			if b.opt.MaxMemory > 0 && b.memory() > b.opt.MaxMemory {
				b.limit = LimitMaxMemory
			}
		}
		frontier, next = next, frontier
		next.reset()
	}
	if b.limit == "" && b.ctx.Err() != nil && frontier.n > 0 {
		b.limit = stopReason(b.ctx)
	}
}

// parallel runs f(worker, i) for i in [0, n) on the configured workers.
func (b *bfs[S]) parallel(n int, f func(w, i int)) {
	workers := min(b.opt.Workers, n)
	if workers <= 1 {
		for i := range n {
			f(0, i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				f(w, i)
			}
		}()
	}
	wg.Wait()
}

// expandChunk expands the states of chunk c of a batch of length size.
func (b *bfs[S]) expandChunk(e *expander[S], batch *block, size, c int) {
	ch := b.chunks[c]
	ch.out.Reset()
	ch.owner = ch.owner[:0]
	ch.isNew = ch.isNew[:0]
	ch.viols = ch.viols[:0]
	for j := range ch.byShard {
		ch.byShard[j] = ch.byShard[j][:0]
		ch.fpByShard[j] = ch.fpByShard[j][:0]
	}
	var transitions int64
	if b.ctx.Err() != nil {
		b.aborted.Store(true)
		return
	}
	lo, hi := b.chunkStates(c, size)
	if !batch.nodes[lo].restart() {
		panic("explore: a chunk starts between restart points") // appendNew puts one at every chunkLen-th state
	}
	for i := lo; i < hi; i++ {
		b.unpack(batch, size, i, &ch.cur)
		start := ch.out.n
		for _, v := range e.expand(&ch.cur, batch.nodes[i].fp, &ch.out) {
			ch.viols = append(ch.viols, pending{node: int32(i), succ: -1, v: v})
		}
		for k := start; k < ch.out.n; k++ {
			t := &ch.out.items[k]
			ch.owner = append(ch.owner, int32(i))
			ch.isNew = append(ch.isNew, false)
			for _, v := range t.Violations {
				ch.viols = append(ch.viols, pending{node: int32(i), succ: int32(k), v: v})
			}
			if t.entered() {
				j := shardOf(t.fp)
				ch.byShard[j] = append(ch.byShard[j], int32(k))
				ch.fpByShard[j] = append(ch.fpByShard[j], t.fp)
			}
			if !t.deferred {
				transitions++
			}
		}
	}
	b.transitions.Add(transitions)
}

// chunkStates returns the offsets in the batch of chunk c's states.
func (b *bfs[S]) chunkStates(c, size int) (lo, hi int) {
	lo = c * chunkLen
	return lo, min(lo+chunkLen, size)
}

// unpack turns *s, the state of node i-1 of a batch unless node i is a
// restart point, into the state of node i.
func (b *bfs[S]) unpack(batch *block, size, i int, s *S) {
	if batch.nodes[i].restart() {
		*s = b.pk.ref
	}
	b.pk.apply(batch.delta(i, size), s)
}

// collect records the violations of a batch in global order. The trace
// pass keeps, for each name, the trace with the fewest switches among
// those of the level where the name first occurs.
func (b *bfs[S]) collect(batch *block, n int) {
	for _, ch := range b.chunks[:n] {
		for _, p := range ch.viols {
			if b.need != nil && !b.need[p.v.Name] {
				continue
			}
			if !b.track {
				if !b.f.has(p.v.Name) {
					b.f.add(Finding{Violation: p.v, OnState: p.succ < 0, depth: b.level})
				}
				continue
			}
			id := batch.nodes[p.node].id
			sw := b.switches[id-b.win]
			if p.succ >= 0 {
				sw = b.cost(id, ch.out.items[p.succ].Actor)
			}
			j, seen := b.f.seen[p.v.Name]
			if seen && (b.opt.FirstTrace || b.f.list[j].depth < b.level || sw >= b.best[p.v.Name]) {
				continue
			}
			f := Finding{Violation: p.v, OnState: p.succ < 0, depth: b.level}
			f.Init, f.Trace = b.path(id)
			if p.succ >= 0 {
				f.Trace = append(f.Trace, ch.out.items[p.succ].Action)
			}
			b.best[p.v.Name] = sw
			if seen {
				b.f.list[j] = f
			} else {
				b.f.add(f)
			}
		}
	}
}

func (b *bfs[S]) insertShard(j, n int) {
	sh := &b.set.shards[j]
	for _, ch := range b.chunks[:n] {
		isNew := ch.newByShard[j][:0]
		for _, fp := range ch.fpByShard[j] {
			isNew = append(isNew, sh.insert(fp))
		}
		ch.newByShard[j] = isNew
	}
}

// appendNew appends the batch's new states to the next level in global
// order, up to the state limit; the trace pass gives them parent links.
// Each chunk packs its new states in parallel: a state's delta is from the
// state before it, but the first new state of each chunk is a restart
// point, and so is every chunkLen-th state of the next level, where its
// chunks (and blocks) will start.
func (b *bfs[S]) appendNew(batch *block, n int, next *levelBuf) {
	b.parallel(n, func(_, c int) { b.chunks[c].gather() })
	total := 0
	for _, ch := range b.chunks[:n] {
		ch.at, ch.take = next.n+total, ch.nNew
		if b.opt.MaxStates > 0 {
			room := int(b.opt.MaxStates - b.states.Load() - int64(total))
			if ch.take > room {
				ch.take = max(room, 0)
			}
		}
		total += ch.take
	}
	b.parallel(n, func(_, c int) { b.pack(c) })
	for _, ch := range b.chunks[:n] {
		at, start := 0, uint32(0)
		for k, isNew := range ch.isNew {
			t := &ch.out.items[k]
			if !isNew {
				if b.track && t.entered() {
					b.reconsider(batch.nodes[ch.owner[k]].id, t)
				}
				continue
			}
			if at == ch.take {
				b.limit = LimitMaxStates
				return
			}
			id := b.newID(batch.nodes[ch.owner[k]].id, t.Action, t.Actor)
			if b.track {
				b.levelIdx[t.fp] = id
			}
			end := ch.ends[at]
			next.push(t.fp, id, ch.packed[start&^restartBit:end&^restartBit], end&restartBit != 0)
			at, start = at+1, end
			b.states.Add(1)
		}
	}
}

// pack packs the new states of chunk c that it takes for the next level.
func (b *bfs[S]) pack(c int) {
	ch := b.chunks[c]
	ch.packed, ch.ends = ch.packed[:0], ch.ends[:0]
	var prev *S // the state packed last, still in the chunk's successors
	for k, isNew := range ch.isNew {
		if len(ch.ends) == ch.take {
			return
		}
		if !isNew {
			continue
		}
		t := &ch.out.items[k]
		pos := ch.at + len(ch.ends)
		restart := len(ch.ends) == 0 || pos%chunkLen == 0
		base := prev
		if restart {
			base = &b.pk.ref
		}
		ch.packed = b.pk.delta(&t.Next, base, ch.packed)
		prev = &t.Next
		end := uint32(len(ch.packed))
		if restart {
			end |= restartBit
		}
		ch.ends = append(ch.ends, end)
	}
}

// gather turns the insert phase's per-shard answers into isNew, in the
// chunk's order, and counts the new states.
func (ch *chunk[S]) gather() {
	for j, ks := range ch.byShard {
		for i, k := range ks {
			ch.isNew[k] = ch.newByShard[j][i]
		}
	}
	ch.nNew = 0
	for _, isNew := range ch.isNew {
		if isNew {
			ch.nNew++
		}
	}
}

// memory is the bytes the search holds: the visited set, the two levels
// and the chunks' buffers, as allocated. (The trace pass, which alone
// keeps parent links, runs without a memory limit.)
func (b *bfs[S]) memory() int64 {
	n := b.set.bytes() + b.levels[0].bytes() + b.levels[1].bytes()
	for _, ch := range b.chunks {
		n += ch.bytes()
	}
	if !b.track {
		// The trace pass, which runs if there are findings, reuses this
		// pass's buffers and adds parent links for the states it stores
		// (no more than this pass stored) and an index of the level it
		// builds. It runs without a limit of its own, so its share is
		// counted here, where the search can still stop.
		// The level index and window keep the room of the widest two
		// levels met so far.
		b.widest = max(b.widest, b.levels[0].n+b.levels[1].n)
		n += b.states.Load()*traceBytes + int64(b.widest)*levelTraceBytes
	}
	return n
}

// traceBytes are the parent links of a state in the trace pass (parent,
// act), and levelTraceBytes what it keeps for a state of the two levels it
// works on: switches, actor, and an entry of its level index at the map's
// lowest load, when it has just grown.
const (
	traceBytes      = int64(unsafe.Sizeof(uint32(0)) + unsafe.Sizeof(Action(0)))
	levelTraceBytes = int64(unsafe.Sizeof(uint32(0))+unsafe.Sizeof(int32(0))) + 48
)

// bytes is the memory of the chunk's buffers.
func (ch *chunk[S]) bytes() int64 {
	var t Succ[S]
	n := int64(cap(ch.out.items))*int64(unsafe.Sizeof(t)) + int64(cap(ch.owner))*4 + int64(cap(ch.isNew)) +
		int64(cap(ch.viols))*int64(unsafe.Sizeof(pending{})) + int64(cap(ch.packed)) + int64(cap(ch.ends))*4
	for j := range numShards {
		n += int64(cap(ch.byShard[j]))*4 + int64(cap(ch.fpByShard[j]))*8 + int64(cap(ch.newByShard[j]))
	}
	return n
}

// startProgress calls opt.Progress periodically until the returned stop is
// called.
func startProgress(opt Options, snap func() Progress) (stop func()) {
	if opt.Progress == nil {
		return func() {}
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(opt.ProgressInterval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				p := snap()
				p.Elapsed = time.Since(start)
				opt.Progress(p)
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
