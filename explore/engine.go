package explore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"time"
)

// Search is the order in which states are explored.
type Search int

const (
	// BFS explores level by level: every counterexample is a shortest one
	// (of the reduced system, if the model marks Safe transitions).
	BFS Search = iota
	// DFS explores depth first, with one worker.
	DFS
)

func (s Search) String() string {
	if s == DFS {
		return "dfs"
	}
	return "bfs"
}

// Options configure a run. The zero value is a BFS on all cores without
// limits.
type Options struct {
	Search  Search
	Workers int // BFS workers; 0 means runtime.NumCPU(). DFS always uses one.

	MaxStates int64         // stop after this many distinct states (0: no limit)
	MaxMemory int64         // stop when the search's own memory passes this many bytes (0: no limit)
	TimeLimit time.Duration // stop after this long (0: no limit)

	// StopAtFirst ends the search at the first violation. Otherwise the
	// whole space is explored and the first (shortest, for BFS) occurrence
	// of every distinct violation name is reported.
	StopAtFirst bool

	// Bitstate, if positive, replaces the fingerprint table with a bit
	// array of that many bytes (a Bloom filter, 3 bits a state), for spaces
	// too large for memory: a state whose bits are all set already is
	// skipped, so the search may miss states; Result.Coverage estimates how
	// many.
	Bitstate int64

	// Seed, if not 0, diversifies the search, for swarm verification: the
	// visited set hashes with another function of its family and each
	// state's successors are taken in an order drawn from the seed and the
	// state. An exhaustive search meets the same states and findings with
	// any seed (its counterexamples may differ); one that a limit or a
	// bitstate store cuts short explores another part of the space.
	Seed uint64

	// FirstTrace keeps, for each violation, the first shortest trace found
	// instead of one with the fewest actor switches (context switches).
	FirstTrace bool

	// Cycles, if not NoCycles, looks for fair non-progress cycles after
	// the search (see cycle.go); the model must implement Liveness.
	Cycles Fairness

	// Progress, if set, is called about every ProgressInterval (default 1s)
	// from a separate goroutine while the search runs.
	Progress         func(Progress)
	ProgressInterval time.Duration
}

// Progress is a snapshot of a running search.
type Progress struct {
	States      int64
	Transitions int64
	Depth       int
	Queue       int64 // states discovered but not yet expanded
	Elapsed     time.Duration
}

// Limit names what stopped a search before it explored everything.
type Limit string

// The limits of Options, and the caller's cancellation.
const (
	NoLimit          Limit = ""
	LimitMaxStates   Limit = "max-states"
	LimitMaxMemory   Limit = "max-memory"
	LimitTime        Limit = "time"        // Options.TimeLimit, or a deadline of the caller's
	LimitInterrupted Limit = "interrupted" // the caller cancelled the search
)

// stopReason names why ctx ended a search.
func stopReason(ctx context.Context) Limit {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return LimitTime
	}
	return LimitInterrupted
}

// Verdict is the outcome of a run.
type Verdict int

const (
	// Pass: the whole space was explored and nothing was found.
	Pass Verdict = iota
	// Fail: at least one violation was found.
	Fail
	// Incomplete: a limit was reached before the space was exhausted, and
	// nothing was found in the part explored.
	Incomplete
)

func (v Verdict) String() string {
	switch v {
	case Pass:
		return "pass"
	case Fail:
		return "violation"
	}
	return "incomplete"
}

// Finding is one violation with the trace that reaches it.
type Finding struct {
	Violation
	// Init is the index of the initial state the trace starts from.
	Init int
	// Trace lists the actions from the initial state. For a violation of a
	// transition, the last action is the violating one; for a violation of
	// a state (a state invariant, a deadlock), the trace ends in that state.
	Trace []Action
	// OnState tells which of the two the finding is.
	OnState bool
	// Lasso marks a non-progress cycle: Trace[:Loop] leads from the
	// initial state to the cycle, Trace[Loop:] runs it once, back to the
	// state it started in.
	Lasso bool
	Loop  int

	depth int // the BFS level where the search found it
}

// Result is what a run found and how much it explored.
type Result struct {
	Verdict     Verdict
	Findings    []Finding
	States      int64 // distinct states stored
	Transitions int64 // transitions explored (stuttering steps and those an ample set deferred excluded)
	// Ample is the number of states the ample-set reduction explored
	// through a proper subset of their successors (see Succ.Safe).
	Ample   int64
	Depth   int   // BFS: the number of levels below the initial states; DFS: the deepest stack
	Limit   Limit // what stopped the search first; NoLimit if nothing did
	Elapsed time.Duration

	StoreBytes    int64   // memory of the visited set
	BytesPerState float64 // StoreBytes / States
	// OmissionProbability bounds the probability that a fingerprint
	// collision hid a state from the search.
	OmissionProbability float64
	// Coverage is 1 but for bitstate searches (see Options.Bitstate),
	// where it estimates the fraction of the states met that the bit
	// array did not mistake for visited ones. It is an upper bound on the
	// coverage of the whole space: the successors of a state mistaken for
	// a visited one may not be met at all.
	Coverage float64
	Bitstate bool // the search was a bitstate one
	Workers  int
	// Cycles says what the cycle check explored; nil if it did not run.
	Cycles *CycleStats
}

// Run explores m and reports what it found. The result (verdict, state and
// transition counts, findings and their traces) is the same for any number
// of workers.
func Run[S any](ctx context.Context, m Model[S], opt Options) (*Result, error) {
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.Search == DFS {
		opt.Workers = 1
	}
	if opt.ProgressInterval <= 0 {
		opt.ProgressInterval = time.Second
	}
	if opt.TimeLimit > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opt.TimeLimit)
		defer cancel()
	}
	start := time.Now()
	var (
		res *Result
		err error
	)
	switch opt.Search {
	case BFS:
		res, err = runBFS(ctx, m, opt)
	case DFS:
		res, err = runDFS(ctx, m, opt)
	default:
		return nil, fmt.Errorf("explore: unknown search %d", opt.Search)
	}
	if err != nil {
		return nil, err
	}
	if opt.Cycles != NoCycles && res.Limit == "" && !(opt.StopAtFirst && len(res.Findings) > 0) {
		if err := runCycles(ctx, m, opt, res); err != nil {
			return nil, err
		}
	}
	res.Elapsed = time.Since(start)
	res.Workers = opt.Workers
	if res.States > 0 {
		res.BytesPerState = float64(res.StoreBytes) / float64(res.States)
	}
	res.OmissionProbability = omissionProbability(res.States)
	res.Coverage = 1
	if opt.Bitstate > 0 {
		res.Bitstate = true
		res.Coverage = bitstateCoverage(res.States, res.StoreBytes)
		res.OmissionProbability = 1 - math.Pow(res.Coverage, float64(res.States))
	}
	switch {
	case len(res.Findings) > 0:
		res.Verdict = Fail
	case res.Limit != "":
		res.Verdict = Incomplete
	default:
		res.Verdict = Pass
	}
	return res, nil
}

// expander holds one worker's scratch space: nothing in it outlives a state.
type expander[S any] struct {
	m    Model[S]
	sc   StateChecker[S]
	term Terminator[S]
	enc  []byte
	enc2 []byte
	vs   []Violation
	// seen is the visited set's lookup, for the cycle proviso of the
	// ample-set reduction; ample counts the states it reduced.
	seen  func(uint64) bool
	ample int64
	seed  uint64 // Options.Seed
}

func newExpander[S any](m Model[S], seen func(uint64) bool, seed uint64) *expander[S] {
	e := &expander[S]{m: m, seen: seen, seed: seed}
	e.sc, _ = m.(StateChecker[S])
	e.term, _ = m.(Terminator[S])
	return e
}

func (e *expander[S]) fingerprint(s *S) uint64 {
	e.enc = e.m.Encode(s, e.enc[:0])
	return seededFingerprint(e.enc, e.seed)
}

// same reports whether s encodes as the state fingerprinted last: a
// fingerprint match is a stutter step only if the encodings agree.
func (e *expander[S]) same(s *S) bool {
	e.enc2 = e.m.Encode(s, e.enc2[:0])
	return bytes.Equal(e.enc, e.enc2)
}

// expand adds the successors of s (fingerprint fp) to out and returns the
// violations of the state itself: a state invariant, or a bad terminal
// state. Stuttering successors (equal to s) are dropped; successors left
// out of an ample set, or with a fatal violation, are kept for their
// violations but not entered.
func (e *expander[S]) expand(s *S, fp uint64, out *Successors[S]) []Violation {
	e.vs = e.vs[:0]
	if e.sc != nil {
		e.vs = e.sc.CheckState(s, e.vs)
	}
	start := out.n
	out.state = out.state[:0]
	e.m.Expand(s, out)
	e.vs = append(e.vs, out.state...)
	w := start
	for i := start; i < out.n; i++ {
		t := &out.items[i]
		t.fp = e.fingerprint(&t.Next)
		if t.fp == fp && len(t.Violations) == 0 && e.same(s) {
			continue // a stutter step: not a move
		}
		if w != i {
			out.items[w], out.items[i] = out.items[i], out.items[w]
		}
		w++
	}
	out.n = w
	if e.seed != 0 {
		shuffle(out.items[start:w], e.seed^fp)
	}
	if e.seen != nil && w-start > 1 && reduce(out.items[start:w], e.seen) {
		e.ample++
	}
	if w == start {
		if e.term == nil {
			e.vs = append(e.vs, Violation{Name: "deadlock", Message: "no action is enabled"})
		} else if v, bad := e.term.Terminal(s); bad {
			e.vs = append(e.vs, v)
		}
	}
	return e.vs
}

// shuffle puts ts in an order drawn from seed (Fisher and Yates).
func shuffle[S any](ts []Succ[S], seed uint64) {
	x := splitmix(seed)
	for i := len(ts) - 1; i > 0; i-- {
		if j := int(x.next() % uint64(i+1)); j != i {
			ts[i], ts[j] = ts[j], ts[i]
		}
	}
}

func isFatal(vs []Violation) bool {
	for _, v := range vs {
		if v.Fatal {
			return true
		}
	}
	return false
}

// findings keeps the first occurrence of each violation name, in the order
// the search meets them.
type findings struct {
	seen map[string]int
	list []Finding
}

func (f *findings) has(name string) bool { _, ok := f.seen[name]; return ok }

func (f *findings) add(x Finding) {
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	if _, ok := f.seen[x.Name]; ok {
		return
	}
	f.seen[x.Name] = len(f.list)
	f.list = append(f.list, x)
}
