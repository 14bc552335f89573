package explore

import (
	"context"
	"sync/atomic"
)

type dfsFrame[S any] struct {
	s    S
	fp   uint64
	act  Action // the action that led here (the initial state's index at the root)
	out  Successors[S]
	next int
}

// runDFS explores depth first with an explicit stack; the stack is the trace
// of every finding.
func runDFS[S any](ctx context.Context, m Model[S], opt Options) (*Result, error) {
	var (
		set         fpSet
		f           findings
		states      atomic.Int64
		transitions atomic.Int64
		depth       atomic.Int64
		limit       string
		stack       []*dfsFrame[S]
		maxDepth    int
	)
	if opt.Bitstate > 0 {
		set.useBits(opt.Bitstate)
	}
	stop := startProgress(opt, func() Progress {
		return Progress{States: states.Load(), Transitions: transitions.Load(), Depth: int(depth.Load())}
	})
	defer stop()
	e := newExpander(m)
	trace := func(extra ...Action) (int, []Action) {
		t := make([]Action, 0, len(stack)+len(extra))
		for _, fr := range stack[1:] {
			t = append(t, fr.act)
		}
		return int(stack[0].act), append(t, extra...)
	}
	record := func(name string, fnd Finding) {
		if !f.has(name) {
			f.add(fnd)
		}
	}
	// push enters a new state: checks it, expands it and records what it finds.
	push := func(s *S, fp uint64, a Action) {
		d := len(stack)
		if d == cap(stack) {
			stack = append(stack, &dfsFrame[S]{})
		} else {
			stack = stack[:d+1]
			if stack[d] == nil {
				stack[d] = &dfsFrame[S]{}
			}
		}
		fr := stack[d]
		fr.s, fr.fp, fr.act, fr.next = *s, fp, a, 0
		fr.out.Reset()
		depth.Store(int64(d))
		maxDepth = max(maxDepth, d)
		for _, v := range e.expand(&fr.s, fp, &fr.out) {
			init, t := trace()
			record(v.Name, Finding{Violation: v, Init: init, Trace: t, OnState: true})
		}
		transitions.Add(int64(fr.out.n))
		for k := 0; k < fr.out.n; k++ {
			for _, v := range fr.out.items[k].Violations {
				init, t := trace(fr.out.items[k].Action)
				record(v.Name, Finding{Violation: v, Init: init, Trace: t})
			}
		}
	}
	stopped := func() bool {
		if limit != "" || (opt.StopAtFirst && len(f.list) > 0) {
			return true
		}
		if ctx.Err() != nil {
			limit = "time"
			return true
		}
		if opt.MaxMemory > 0 && set.bytes() > opt.MaxMemory {
			limit = "max-memory"
			return true
		}
		return false
	}
	visit := func(s *S, fp uint64, a Action) bool {
		if !set.insert(fp) {
			return false
		}
		if opt.MaxStates > 0 && states.Load() >= opt.MaxStates {
			limit = "max-states"
			return false
		}
		states.Add(1)
		push(s, fp, a)
		return true
	}
	for i, s := range m.Init() {
		if stopped() {
			break
		}
		visit(&s, e.fingerprint(&s), Action(i))
		for len(stack) > 0 && !stopped() {
			fr := stack[len(stack)-1]
			if fr.next == fr.out.n {
				stack = stack[:len(stack)-1]
				continue
			}
			t := &fr.out.items[fr.next]
			fr.next++
			if !isFatal(t.Violations) {
				visit(&t.Next, t.fp, t.Action)
			}
		}
		stack = stack[:0]
	}
	return &Result{
		Findings:    f.list,
		States:      states.Load(),
		Transitions: transitions.Load(),
		Depth:       maxDepth,
		Limit:       limit,
		StoreBytes:  set.bytes(),
	}, nil
}
