// Package verify checks a recorded trace of a threaded program against a
// revision's model: whether some run of the kernel shows, at its ktrace
// points, what the trace records, and if not, the first record no run
// explains and why.
//
// Only the traced process's _lwp_* calls are seen: their CALL and RET
// records (dtruss shows only returns), each LWP's in order, different
// LWPs' interleaved as the trace has them. Kernel steps, scheduling,
// preemption, migration and park timeouts are hidden, and the search lets
// them happen as often as the revision allows; signals from elsewhere
// only as often as Options.Env says. The programs of the model's LWPs are
// the calls the trace shows.
//
// The search keeps the frontier: the states consistent with the records
// read so far, deduplicated, each step closing them under hidden
// transitions and keeping those that show the next record. Its cost is
// linear in the trace's length for a bounded frontier.
package verify

import (
	"context"
	"fmt"
	"time"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
)

// DefaultMaxFrontier bounds the states consistent with a prefix of the
// trace when Options.MaxFrontier is 0.
const DefaultMaxFrontier = 1 << 20

// DefaultPreemptions is the bound on kernel preemptions and migrations
// between two records when Options.Preemptions is 0; Unbounded lifts it.
const (
	DefaultPreemptions = 1
	Unbounded          = -1
	NoPreemption       = -2 // none at all: a kernel without kernel preemption
)

// budget is the environment budget of a gap between two records.
func (o *Options) budget() int {
	switch {
	case o.Preemptions == Unbounded || o.Preemptions >= model.EnvUnlimited:
		return model.EnvUnlimited
	case o.Preemptions == NoPreemption:
		return 0
	case o.Preemptions <= 0:
		return DefaultPreemptions
	}
	return o.Preemptions
}

// Options of a verification.
type Options struct {
	Revision *model.Revision
	// PID is the process to check; 0: the only one with _lwp_* calls.
	PID int64
	// CPUs is the model's number of CPUs; 0: one per LWP of the trace, at
	// most model.MaxCPUs.
	CPUs int
	// Env bounds the signals from outside the process: Stop, Cont, Exit
	// and Core. Its other fields are ignored: park timeouts may fire any
	// number of times, and Preemptions bounds preemption and migration.
	Env specs.Env
	// Preemptions bounds the kernel preemptions, and the migrations, in
	// each gap between two records, where the revision models them:
	// 0 means DefaultPreemptions, Unbounded none. A trace rejected under a
	// bound is searched again without one (Result.Bounded).
	Preemptions int
	// Unseen is how many LWPs that successful _lwp_create calls made the
	// trace may never show (a truncated capture).
	Unseen int
	// Attached says the capture began after the process started: the LWPs
	// that appear without an _lwp_create were there before it (the model
	// creates them first, unseen).
	Attached bool
	// MaxFrontier bounds the states consistent with a prefix of the
	// trace; 0: DefaultMaxFrontier. Beyond it the verification stops with
	// a *LimitError.
	MaxFrontier int
	// Witness asks, for an accepted trace, for the matching run as a
	// counterexample file (Result.Witness).
	Witness bool
	// Context, if set, stops the verification when it is done (an
	// interrupt): Run returns a *LimitError naming the record it reached.
	Context context.Context
}

// Verdict is whether the revision explains a trace.
type Verdict int

// Verdicts.
const (
	Accepted Verdict = iota
	Rejected
)

func (v Verdict) String() string {
	if v == Accepted {
		return "accepted"
	}
	return "rejected"
}

// Result is a verification's outcome.
type Result struct {
	Verdict  Verdict
	File     string
	Revision string
	PID      int64
	Records  int    // the _lwp_* records of the process
	Reading  string // which model LWP each lid is
	Plans    int    // readings tried

	// Witness is, for an accepted trace and Options.Witness, the matching
	// run; NoWitness says why there is none.
	Witness   *traces.Cex
	NoWitness string

	// For a rejected trace: the first record no run explains, why, and
	// the model states consistent with the records before it, per LWP.
	At        recorded.Event
	Explained int // records explained before it
	Reason    string
	Frontier  []string
	// Alternatives are the records the model could show there instead.
	Alternatives []string

	// Bounded, if set, says the rejection holds only within a bound on
	// preemption: the search without it went past Options.MaxFrontier.
	Bounded string
	// Decided says which search gave the verdict: the frontier within the
	// bound on preemption, or without it.
	Decided string

	Stats Stats
}

// Stats measure a verification.
type Stats struct {
	MaxFrontier int // the most states consistent with a prefix
	MaxAt       int // the trace line where the frontier was largest
	States      int // states visited, over all records and readings
	Elapsed     time.Duration
}

// InputError is a trace the verifier cannot read as a run of one
// process: a RET without its CALL, an LWP with no creator. Exit 2.
type InputError struct {
	File string
	Line int
	Msg  string
}

func (e *InputError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// LimitError is a trace beyond what the model holds or shows: too many
// LWPs, a signal or an argument it does not model, a frontier past its
// bound. Exit 3.
type LimitError struct {
	File string
	Line int
	Msg  string
}

func (e *LimitError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// Run verifies trace t against o.Revision.
func Run(t *recorded.Trace, o Options) (*Result, error) {
	start := time.Now()
	proc, err := choose(t, o.PID)
	if err != nil {
		return nil, err
	}
	o.PID = proc.PID
	evs := t.Of(proc.PID)
	if len(evs) == 0 {
		return nil, &InputError{File: t.File, Line: 1, Msg: fmt.Sprintf("process %d makes no _lwp_* call", proc.PID)}
	}
	ps, err := plans(&o, t.File, evs, proc)
	if err != nil {
		return nil, err
	}
	// The whole frontier, within the bound on preemption; for a
	// rejection, again without it.
	var stats Stats
	best, err := readings(&o, t.File, evs, ps, &stats)
	if err != nil {
		return nil, err
	}
	best.Decided = fmt.Sprintf("the frontier, at most %d kernel preemption(s) and migration(s) between two records", o.budget())
	if o.budget() == model.EnvUnlimited {
		best.Decided = "the frontier, preemption unbounded"
	}
	if best.Verdict == Rejected && o.budget() != model.EnvUnlimited && o.Revision.Kernel.Env[model.EnvPreempt]|o.Revision.Kernel.Env[model.EnvMigrate] != 0 {
		// A rejection within the bound: search again without it.
		u := o
		u.Preemptions = Unbounded
		var ustats Stats
		r, err := readings(&u, t.File, evs, ps, &ustats)
		stats.States += ustats.States
		if ustats.MaxFrontier > stats.MaxFrontier {
			stats.MaxFrontier, stats.MaxAt = ustats.MaxFrontier, ustats.MaxAt
		}
		switch {
		case err == nil:
			best = r
			best.Decided = "the frontier, preemption unbounded"
		case isLimit(err):
			best.Bounded = fmt.Sprintf("no run with at most %d kernel preemption(s) and migration(s) between two records explains the trace; without the bound, %v", o.budget(), err)
		default:
			return nil, err
		}
	}
	best.PID, best.Plans, best.Records = proc.PID, len(ps), countRecords(evs)
	stats.Elapsed = time.Since(start)
	best.Stats = stats
	return best, nil
}

// readings tries each reading until one explains the trace; if none does,
// it returns the rejection that explains the most records.
func readings(o *Options, file string, evs []recorded.Event, ps []*plan, stats *Stats) (*Result, error) {
	var best *Result
	for _, p := range ps {
		r, err := check(o, file, evs, p, stats)
		if err != nil {
			return nil, err
		}
		if r.Verdict == Accepted || best == nil || r.Explained > best.Explained {
			best = r
		}
		if r.Verdict == Accepted {
			break
		}
	}
	return best, nil
}

func isLimit(err error) bool {
	_, ok := err.(*LimitError)
	return ok
}

// choose returns the process to check.
func choose(t *recorded.Trace, pid int64) (*recorded.Proc, error) {
	if pid != 0 {
		p := t.Proc(pid)
		if p == nil || p.Calls == 0 {
			return nil, &InputError{File: t.File, Line: 1, Msg: fmt.Sprintf("process %d makes no _lwp_* call in the trace", pid)}
		}
		return p, nil
	}
	var with []*recorded.Proc
	for i := range t.Procs {
		if t.Procs[i].Calls > 0 {
			with = append(with, &t.Procs[i])
		}
	}
	switch len(with) {
	case 0:
		return nil, &InputError{File: t.File, Line: 1, Msg: "no process in the trace makes an _lwp_* call"}
	case 1:
		return with[0], nil
	}
	ids := ""
	for i, p := range with {
		if i > 0 {
			ids += ", "
		}
		ids += fmt.Sprint(p.PID)
	}
	return nil, &InputError{File: t.File, Line: with[1].Line, Msg: fmt.Sprintf("the trace holds processes %s with _lwp_* calls: choose one with --pid", ids)}
}

func countRecords(evs []recorded.Event) int {
	n := 0
	for _, e := range evs {
		if !e.Sys.Ignored {
			n++
		}
	}
	return n
}
