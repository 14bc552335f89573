package explore_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/explore/exploretest"
	"github.com/lwpcheck/lwpcheck/explore/models/peterson"
	"github.com/lwpcheck/lwpcheck/explore/models/phils"
	"github.com/lwpcheck/lwpcheck/explore/models/twophase"
)

// This file is an external test package so that it can use the benchmark
// models, which import explore; the graph model below stands in for the
// package's internal grid, and has more.

// refDFS is the reference the DFS is checked against: the straightforward
// search in which every frame of the stack keeps all the successors of its
// state. It tells states apart by their encodings, not by fingerprints,
// which changes nothing barring a fingerprint collision. It honours only
// the MaxStates and StopAtFirst options.
func refDFS[S any](m explore.Model[S], opt explore.Options) *explore.Result {
	type succ struct {
		act   explore.Action
		next  S
		fatal bool
	}
	type frame struct {
		act  explore.Action
		succ []succ
		next int
	}
	var (
		res   explore.Result
		seen  = map[string]bool{}
		names = map[string]bool{}
		stack []*frame
	)
	record := func(v explore.Violation, last ...explore.Action) {
		if names[v.Name] {
			return
		}
		names[v.Name] = true
		t := []explore.Action{}
		for _, fr := range stack[1:] {
			t = append(t, fr.act)
		}
		res.Findings = append(res.Findings, explore.Finding{
			Violation: v, Init: int(stack[0].act), Trace: append(t, last...), OnState: len(last) == 0,
		})
	}
	visit := func(s *S, a explore.Action) {
		key := string(m.Encode(s, nil))
		if seen[key] {
			return
		}
		seen[key] = true
		if opt.MaxStates > 0 && res.States >= opt.MaxStates {
			res.Limit = "max-states"
			return
		}
		res.States++
		fr := &frame{act: a}
		stack = append(stack, fr)
		res.Depth = max(res.Depth, len(stack)-1)
		for _, v := range explore.StateViolations(m, s) {
			record(v)
		}
		var out explore.Successors[S]
		m.Expand(s, &out)
		for k := range out.Len() {
			t := out.At(k)
			if string(m.Encode(&t.Next, nil)) == key && len(t.Violations) == 0 {
				continue // a stutter step
			}
			fatal := false
			for _, v := range t.Violations {
				record(v, t.Action)
				fatal = fatal || v.Fatal
			}
			fr.succ = append(fr.succ, succ{act: t.Action, next: t.Next, fatal: fatal})
		}
		res.Transitions += int64(len(fr.succ))
	}
	stopped := func() bool { return res.Limit != "" || (opt.StopAtFirst && len(res.Findings) > 0) }
	for i, s := range m.Init() {
		if stopped() {
			break
		}
		visit(&s, explore.Action(i))
		for len(stack) > 0 && !stopped() {
			fr := stack[len(stack)-1]
			if fr.next == len(fr.succ) {
				stack = stack[:len(stack)-1]
				continue
			}
			t := &fr.succ[fr.next]
			fr.next++
			if !t.fatal {
				visit(&t.next, t.act)
			}
		}
		stack = stack[:0]
	}
	return &res
}

// graph is a pseudo-random transition system over n states, which has what
// the benchmark models lack: several initial states, one of them repeated,
// stutter steps, actions enabled twice in a state, self-loops with a
// violation, fatal transitions and terminal states both normal and bad.
type graph struct{ n uint64 }

type graphState struct{ id uint64 }

// mix is SplitMix64's finaliser.
func mix(x uint64) uint64 {
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func (g *graph) Init() []graphState { return []graphState{{0}, {1}, {0}, {g.n / 2}} }

func (g *graph) Expand(s *graphState, out *explore.Successors[graphState]) {
	for j := range mix(s.id) % 5 {
		h := mix(s.id<<3 | j)
		t := out.Add(explore.Action(h%3), s)
		if (h>>8)%4 != 0 { // else a stutter step or, with a violation, a self-loop
			t.Next.id = (h >> 16) % g.n
		}
		if (h>>24)%16 == 0 {
			t.Violations = append(t.Violations, explore.Violation{
				Name: fmt.Sprintf("step-%d", (h>>32)%3), Message: "taken", Fatal: (h>>40)%2 == 0,
			})
		}
	}
}

func (g *graph) Encode(s *graphState, buf []byte) []byte {
	return fmt.Appendf(buf, "%d", s.id)
}

func (g *graph) CheckState(s *graphState, vs []explore.Violation) []explore.Violation {
	if s.id%97 == 5 {
		vs = append(vs, explore.Violation{Name: fmt.Sprintf("state-%d", s.id%3), Message: "reached"})
	}
	return vs
}

func (g *graph) Terminal(s *graphState) (explore.Violation, bool) {
	return explore.Violation{Name: "hang"}, s.id%2 == 0
}

// checkDFS runs the DFS on m with the options of the reference and checks
// that it agrees with the reference.
func checkDFS[S any](t *testing.T, m explore.Model[S], opt explore.Options) {
	t.Helper()
	want := refDFS(m, opt)
	opt.Search = explore.DFS
	got, err := explore.Run(context.Background(), m, opt)
	require.NoError(t, err)
	assert.Equal(t, want.States, got.States, "states")
	assert.Equal(t, want.Transitions, got.Transitions, "transitions")
	assert.Equal(t, want.Depth, got.Depth, "depth")
	assert.Equal(t, want.Limit, got.Limit, "limit")
	assert.Equal(t, want.Findings, got.Findings, "findings")
}

// dfsCase returns a test comparing the DFS on m with the reference.
func dfsCase[S any](m explore.Model[S]) func(*testing.T, explore.Options) {
	return func(t *testing.T, opt explore.Options) { checkDFS(t, m, opt) }
}

func TestDFSMatchesReference(t *testing.T) {
	models := []struct {
		name string
		test func(*testing.T, explore.Options)
	}{
		{"graph", dfsCase[graphState](&graph{n: 5000})},
		{"phils/4", dfsCase(exploretest.New(t, phils.New, phils.Config{N: 4}))},
		{"phils/4/bug", dfsCase(exploretest.New(t, phils.New, phils.Config{N: 4, Bug: true}))},
		{"peterson/3", dfsCase(exploretest.New(t, peterson.New, peterson.Config{N: 3}))},
		{"peterson/3/bug", dfsCase(exploretest.New(t, peterson.New, peterson.Config{N: 3, Bug: true}))},
		{"twophase/3/bug", dfsCase(exploretest.New(t, twophase.New, twophase.Config{RMs: 3, Bug: true}))},
	}
	options := []struct {
		name string
		opt  explore.Options
	}{
		{"all", explore.Options{}},
		{"first", explore.Options{StopAtFirst: true}},
		{"max-states", explore.Options{MaxStates: 50}},
	}
	for _, m := range models {
		for _, o := range options {
			t.Run(m.name+"/"+o.name, func(t *testing.T) { m.test(t, o.opt) })
		}
	}
}

// fickle is a model whose successors change with every call of Expand.
type fickle struct{ calls int }

func (f *fickle) Init() []graphState { return []graphState{{0}} }

func (f *fickle) Expand(s *graphState, out *explore.Successors[graphState]) {
	f.calls++
	for a := range 2 {
		t := out.Add(explore.Action(a), s)
		t.Next.id = s.id*2 + 1 + uint64(a) + uint64(f.calls)
	}
}

func (f *fickle) Encode(s *graphState, buf []byte) []byte { return fmt.Appendf(buf, "%d", s.id) }

func TestDFSNondeterministicModel(t *testing.T) {
	_, err := explore.Run[graphState](context.Background(), &fickle{}, explore.Options{Search: explore.DFS})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not deterministic")
}

func TestDFSLimits(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r, err := explore.Run[graphState](ctx, &graph{n: 5000}, explore.Options{Search: explore.DFS})
	require.NoError(t, err)
	assert.Equal(t, explore.LimitInterrupted, r.Limit, "a cancelled search")
	assert.Zero(t, r.States)
	ctx, cancel = context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	r, err = explore.Run[graphState](ctx, &graph{n: 5000}, explore.Options{Search: explore.DFS})
	require.NoError(t, err)
	assert.Equal(t, explore.LimitTime, r.Limit, "a search past its deadline")

	// The first state allocates the visited set, which then exceeds the limit.
	r, err = explore.Run[graphState](context.Background(), &graph{n: 5000}, explore.Options{Search: explore.DFS, MaxMemory: 1})
	require.NoError(t, err)
	assert.Equal(t, explore.LimitMaxMemory, r.Limit)
	assert.EqualValues(t, 1, r.States)
}

// BenchmarkDFSPhils explores the 531,440 states of phils N=12, whose DFS
// stack grows to 459,238 states.
func BenchmarkDFSPhils(b *testing.B) {
	m := exploretest.New(b, phils.New, phils.Config{N: 12})
	b.ReportAllocs()
	var states int64
	for b.Loop() {
		r, err := explore.Run[phils.State](context.Background(), m, explore.Options{Search: explore.DFS})
		require.NoError(b, err)
		states += r.States
	}
	b.ReportMetric(float64(states)/b.Elapsed().Seconds(), "states/s")
}
