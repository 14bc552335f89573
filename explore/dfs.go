package explore

import (
	"context"
	"fmt"
	"sync/atomic"
)

// The DFS keeps two stacks. The path stack holds the states of the current
// path, each with the action that led to it and where its untried
// successors begin on the pending stack. The pending stack holds the
// untried successors of every state on the path, those of a deeper state
// above those of a shallower one, each state's in reverse Expand order so
// that the next one to try is on top. A successor's violations are recorded
// when its source is expanded, so the pending stack keeps only its
// fingerprint and action: only when the fingerprint turns out to be new is
// the successor's state rebuilt, by expanding its source again. Both stacks
// are kept in blocks of plain values (S holds no pointers): the search
// neither copies them as they grow nor gives the garbage collector anything
// to scan in them.

// dfsFrame is a state on the current path.
type dfsFrame[S any] struct {
	s   S
	act Action // the action that led here (the initial state's index at the root)
	lo  int    // the pending stack's height before the state's successors were pushed
}

// dfsSucc is an untried successor.
type dfsSucc struct {
	fp  uint64
	act Action
}

// blockBits sets the number of elements of a blockStack's block: 4096.
const blockBits = 12

// blockStack is a stack kept in fixed-size blocks: growing it never copies
// or moves an element, and the blocks it empties are kept for reuse.
type blockStack[T any] struct {
	blocks [][]T
	n      int
}

func (b *blockStack[T]) len() int { return b.n }

// at returns element i, which stays in place as long as it is on the stack.
func (b *blockStack[T]) at(i int) *T { return &b.blocks[i>>blockBits][i&(1<<blockBits-1)] }

func (b *blockStack[T]) push(v T) {
	if b.n>>blockBits == len(b.blocks) {
		b.blocks = append(b.blocks, make([]T, 1<<blockBits))
	}
	*b.at(b.n) = v
	b.n++
}

func (b *blockStack[T]) pop() T {
	b.n--
	return *b.at(b.n)
}

// truncate drops the elements from n on.
func (b *blockStack[T]) truncate(n int) { b.n = n }

// runDFS explores depth first with an explicit stack; the stack is the trace
// of every finding.
func runDFS[S any](ctx context.Context, m Model[S], opt Options) (*Result, error) {
	var (
		set         fpSet
		f           findings
		states      atomic.Int64
		transitions atomic.Int64
		depth       atomic.Int64
		limit       Limit
		path        blockStack[dfsFrame[S]]
		pending     blockStack[dfsSucc]
		out         Successors[S]
		maxDepth    int
	)
	if opt.Bitstate > 0 {
		set.useBits(opt.Bitstate)
	}
	stop := startProgress(opt, func() Progress {
		return Progress{States: states.Load(), Transitions: transitions.Load(), Depth: int(depth.Load())}
	})
	defer stop()
	e := newExpander(m, set.contains, opt.Seed)
	out.found = f.has // the first finding of a name is the one kept
	// record keeps vif it is the first violation of its name, with the
	// current path as its trace: v is a violation of the path's last state
	// or, if an action follows, of that transition from it.
	record := func(v Violation, last ...Action) {
		if f.has(v.Name) {
			return
		}
		t := make([]Action, 0, path.len()-1+len(last))
		for d := 1; d < path.len(); d++ {
			t = append(t, path.at(d).act)
		}
		f.add(Finding{Violation: v, Init: int(path.at(0).act), Trace: append(t, last...), OnState: len(last) == 0})
	}
	// push enters a new state: checks it, expands it, records what it finds
	// and pushes its successors but the dead ones, which are never entered.
	push := func(s *S, fp uint64, a Action) {
		d := path.len()
		path.push(dfsFrame[S]{s: *s, act: a, lo: pending.len()})
		depth.Store(int64(d))
		maxDepth = max(maxDepth, d)
		out.Reset()
		for _, v := range e.expand(&path.at(d).s, fp, &out) {
			record(v)
		}
		n := int64(0)
		for k := 0; k < out.n; k++ {
			if !out.items[k].deferred {
				n++
			}
			for _, v := range out.items[k].Violations {
				record(v, out.items[k].Action)
			}
		}
		transitions.Add(n)
		for k := out.n - 1; k >= 0; k-- {
			if t := &out.items[k]; t.entered() {
				pending.push(dfsSucc{fp: t.fp, act: t.Action})
			}
		}
	}
	// rebuild returns the successor of s by action a with fingerprint fp:
	// the first such in Expand order, the one push met first.
	rebuild := func(s *S, fp uint64, a Action) (*S, error) {
		out.Reset()
		m.Expand(s, &out)
		for k := 0; k < out.n; k++ {
			if t := &out.items[k]; t.Action == a && e.fingerprint(&t.Next) == fp {
				return &t.Next, nil
			}
		}
		return nil, fmt.Errorf("explore: action %d changed between two expansions of a state: the model is not deterministic", a)
	}
	stopped := func() bool {
		if limit != "" || (opt.StopAtFirst && len(f.list) > 0) {
			return true
		}
		if ctx.Err() != nil {
			limit = stopReason(ctx)
			return true
		}
		if opt.MaxMemory > 0 && set.bytes() > opt.MaxMemory {
			limit = LimitMaxMemory
			return true
		}
		return false
	}
	// enter reports whether to enter the state of fingerprint fp: whether
	// it is new and the state limit allows it.
	enter := func(fp uint64) bool {
		if !set.insert(fp) {
			return false
		}
		if opt.MaxStates > 0 && states.Load() >= opt.MaxStates {
			limit = LimitMaxStates
			return false
		}
		states.Add(1)
		return true
	}
	for i, s := range m.Init() {
		if stopped() {
			break
		}
		if fp := e.fingerprint(&s); enter(fp) {
			push(&s, fp, Action(i))
		}
		for path.len() > 0 && !stopped() {
			fr := path.at(path.len() - 1)
			if pending.len() == fr.lo {
				path.truncate(path.len() - 1)
				continue
			}
			t := pending.pop()
			if !enter(t.fp) {
				continue
			}
			next, err := rebuild(&fr.s, t.fp, t.act)
			if err != nil {
				return nil, err
			}
			push(next, t.fp, t.act)
		}
		path.truncate(0)
		pending.truncate(0)
	}
	return &Result{
		Findings:    f.list,
		States:      states.Load(),
		Transitions: transitions.Load(),
		Depth:       maxDepth,
		Limit:       limit,
		StoreBytes:  set.bytes(),
		Ample:       e.ample,
	}, nil
}
