// Package compare runs a spec on two revisions and compares what user
// space sees of them: per LWP, each syscall with its result, in the order
// they return, and hangs; kernel steps, scheduling and environment events
// are hidden. It checks trace inclusion both ways (package refine) and
// gives, for each direction, the shortest behaviour one revision has and
// the other lacks, as a counterexample file of the revision that has it;
// and it compares the findings of a check of the spec on each.
package compare

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/refine"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
)

// Options bound a comparison.
type Options struct {
	// MaxStates bounds the states of each revision's system, MaxPairs the
	// product states of the comparison (0: no limit).
	MaxStates, MaxPairs int
	// POR runs the models with their partial-order reduction, which keeps
	// what user space sees (each transaction shows at most one return, at
	// its end).
	POR bool
	// Check is how each revision's findings are searched for.
	Check explore.Options
}

// Side is one revision's part of a comparison.
type Side struct {
	Rev     *model.Revision
	Machine *model.Machine
	LTS     *refine.LTS
	// Findings lists the findings of a check of the spec, by full name,
	// sorted; Known marks those that are known disagreements of the
	// revision.
	Findings []string
	Known    map[string]bool
	// Build and Check are how long exploring the system and checking the
	// spec took.
	Build, Check time.Duration

	obs *observer
}

// Witness is a behaviour one revision shows and the other cannot.
type Witness struct {
	Rev *model.Revision // the revision that has it
	// Trace is what user space sees, the other revision can show all of it
	// but the last observation.
	Trace []model.Observation
	// Instead is what the other revision can show after Trace's prefix.
	Instead []string
	Cex     *traces.Cex // a run of Rev that shows Trace
}

// Report is the comparison of one spec on two revisions.
type Report struct {
	Spec     *specs.Spec
	From, To Side
	// FromOnly and ToOnly are the behaviours only one revision has: nil
	// when the other has all of that revision's.
	FromOnly, ToOnly *Witness
	// Pairs counts the product states the comparison explored, Subsets
	// the determinised states of each system, and Compare how long that
	// took.
	Pairs   int
	Subsets [2]int
	Compare time.Duration
}

// Same reports whether the revisions show the same behaviour and the same
// findings.
func (r *Report) Same() bool {
	return r.FromOnly == nil && r.ToOnly == nil && slices.Equal(r.From.Findings, r.To.Findings)
}

// FindingsOnly returns the findings of s that the other side lacks.
func (r *Report) FindingsOnly(s *Side) []string {
	o := &r.To
	if s == &r.To {
		o = &r.From
	}
	var out []string
	for _, f := range s.Findings {
		if !slices.Contains(o.Findings, f) {
			out = append(out, f)
		}
	}
	return out
}

// Run compares sp on revisions from and to. It returns refine.ErrLimit,
// wrapped, if a limit stopped it.
func Run(ctx context.Context, sp *specs.Spec, from, to *model.Revision, opt Options) (*Report, error) {
	r := &Report{Spec: sp}
	alpha := refine.NewAlphabet()
	for _, x := range []struct {
		side *Side
		rev  *model.Revision
	}{{&r.From, from}, {&r.To, to}} {
		if err := x.side.build(ctx, sp, x.rev, alpha, opt); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	res, err := refine.Compare(ctx, r.From.LTS, r.To.LTS, opt.MaxPairs)
	if err != nil {
		return nil, fmt.Errorf("%s: comparing %s and %s: %w", sp.Name, from.Name, to.Name, err)
	}
	r.Compare = time.Since(start)
	r.Pairs, r.Subsets = res.Pairs, [2]int{res.SubsetsA, res.SubsetsB}
	if r.FromOnly, err = r.witness(&r.From, res.AOnly); err != nil {
		return nil, err
	}
	if r.ToOnly, err = r.witness(&r.To, res.BOnly); err != nil {
		return nil, err
	}
	return r, nil
}

// build explores sp on rev into s's LTS, and checks it for findings.
func (s *Side) build(ctx context.Context, sp *specs.Spec, rev *model.Revision, alpha *refine.Alphabet, opt Options) error {
	m, err := model.New(rev, sp)
	if err != nil {
		return err
	}
	m.POR = opt.POR
	o := &observer{m: m, byLabel: map[string]model.Observation{}}
	m.Check = o
	start := time.Now()
	l, err := refine.Build[model.State](ctx, o, alpha, opt.MaxStates)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", sp.Name, rev.Name, err)
	}
	built := time.Since(start)
	start = time.Now()
	cm, c, err := invariants.Build(rev, sp, 0)
	if err != nil {
		return err
	}
	cm.POR = opt.POR
	co := opt.Check
	co.Cycles = c.Liveness(explore.Weak) // hangs that keep moving are findings too
	res, err := explore.Run(ctx, cm, co)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", sp.Name, rev.Name, err)
	}
	if res.Limit != "" {
		return fmt.Errorf("%s on %s: checking: %w (%s)", sp.Name, rev.Name, refine.ErrLimit, res.Limit)
	}
	rf, err := c.Analyze(ctx, opt.Check)
	if err != nil {
		return fmt.Errorf("%s on %s: %w", sp.Name, rev.Name, err)
	}
	*s = Side{Rev: rev, Machine: m, LTS: l, Known: map[string]bool{}, Build: built, Check: time.Since(start), obs: o}
	for _, f := range res.Findings {
		s.Findings = append(s.Findings, f.Name)
		if _, ok := c.Known(f.Name); ok {
			s.Known[f.Name] = true
		}
	}
	for _, f := range rf {
		s.Findings = append(s.Findings, f.Name)
	}
	slices.Sort(s.Findings)
	s.Findings = slices.Compact(s.Findings)
	return nil
}

// witness turns refine's witness of side s into a Witness with its
// counterexample.
func (r *Report) witness(s *Side, w *refine.Witness) (*Witness, error) {
	if w == nil {
		return nil, nil
	}
	alpha := s.LTS.Alphabet
	out := &Witness{Rev: s.Rev, Instead: alpha.Names(w.Instead)}
	for _, name := range alpha.Names(w.Trace) {
		out.Trace = append(out.Trace, s.obs.byLabel[name])
	}
	acts, err := s.LTS.Path(w.Trace)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", r.Spec.Name, s.Rev.Name, err)
	}
	other := r.To.Rev
	if s == &r.To {
		other = r.From.Rev
	}
	last := out.Trace[len(out.Trace)-1]
	msg := fmt.Sprintf("%s shows %q after %d observations that %s shows too; %s cannot", s.Rev.Name, last, len(out.Trace)-1, other.Name, other.Name)
	out.Cex, err = traces.NewBehaviour(s.Rev, r.Spec, s.Machine, acts, msg)
	if err != nil {
		return nil, fmt.Errorf("%s on %s: %w", r.Spec.Name, s.Rev.Name, err)
	}
	if !hasPrefix(out.Cex.Observed, alpha.Names(w.Trace)) {
		return nil, fmt.Errorf("%s on %s: the witness's run shows %q, not %q", r.Spec.Name, s.Rev.Name,
			strings.Join(out.Cex.Observed, "; "), strings.Join(alpha.Names(w.Trace), "; "))
	}
	return out, nil
}

func hasPrefix(s, prefix []string) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

// observer runs a machine for refine: as the machine builds each
// successor, it records what user space sees of it.
type observer struct {
	m       *model.Machine
	seen    [][]string
	byLabel map[string]model.Observation // each label seen, and what it renders
}

func (o *observer) Init() []model.State { return o.m.Init() }
func (o *observer) Encode(s *model.State, buf []byte) []byte {
	return o.m.Encode(s, buf)
}

func (o *observer) Expand(s *model.State, out *explore.Successors[model.State]) {
	o.seen = o.seen[:0]
	o.m.Expand(s, out)
}

func (o *observer) Observe(s *model.State, out *explore.Successors[model.State], i int) []string {
	return o.seen[i]
}

func (o *observer) ObserveEnd(s *model.State) (string, bool) {
	obs, ok := o.m.ObserveEnd(s)
	if !ok {
		return "", false
	}
	return o.label(obs), true
}

func (o *observer) label(obs model.Observation) string {
	l := obs.String()
	if _, ok := o.byLabel[l]; !ok {
		o.byLabel[l] = obs
	}
	return l
}

// Step, State and Terminal make the observer the machine's checker, which
// the machine consults on every successor it keeps, in order.
func (o *observer) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	var labels []string
	for _, obs := range o.m.Observe(k.Events, post, vs) {
		labels = append(labels, o.label(obs))
	}
	o.seen = append(o.seen, labels)
	return vs
}

func (o *observer) State(s *model.State, vs []explore.Violation) []explore.Violation { return vs }

func (o *observer) Terminal(s *model.State) (explore.Violation, bool) {
	return model.HangViolation(o.m, s)
}
