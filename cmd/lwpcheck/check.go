package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/peakrss"
	"github.com/lwpcheck/lwpcheck/readcap"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
	"github.com/lwpcheck/lwpcheck/verdict"
)

var checkVerb = &verb{
	name:  "check",
	usage: "lwpcheck check [--revision R]... [--por on|off] [--fairness kernel|weak|strong|off] [--search bfs|dfs] [--workers N] [--max-states N] [--max-memory B] [--time-limit D] [--bitstate BYTES] [--format text|json|junit|sarif] [--check FAMILY,...] [--cex-dir DIR] [--baseline FILE] [--write-baseline FILE] [--swarm I/N [--swarm-out FILE]] [--progress] [SPEC...]",
	doc: `Explore every interleaving of each spec (default: every bundled spec) on each
revision that supports its ops, check the invariants, and compare the outcome
with what the spec expects on that revision. Prints, per spec and revision,
the verdict, the states, transitions and depth explored, the time taken, each
finding (unexpected ones first), how many of the invariants checked held
(--format json lists them) and the transition coverage. A "known" finding is a
disagreement between the revision's code and its documentation that the
revision's table records with its evidence: it is reported but does not fail
the spec.
A FAIL names the counterexample files --cex-dir wrote, or says how to get
them.
Hangs are found two ways: a terminal state with an LWP still in the kernel
(deadlock), and a fair cycle on which an LWP never leaves the kernel while
the rest keeps moving (hang, a lasso counterexample). --fairness chooses the
cycle check's fairness: kernel (the default: LWPs and CPUs strongly fair,
each environment event weakly), weak, strong, or off (no cycle check).
Exit 0 when every spec meets its expectation, 1 when one does not (an
unexpected finding, or an expected one missing), 3 when a limit stopped a
search before anything was found, or a bitstate search found nothing (it
may miss states, so it cannot show that nothing fails).`,
	run:   runCheck,
	flags: func() *flag.FlagSet { fs, _ := newCheckFlags(); return fs },
}

type stringList []string

func (s *stringList) String() string { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error {
	*s = append(*s, v)
	return nil
}

type checkFlags struct {
	revisions stringList
	por       string
	fairness  string

	baseline, writeBaseline string
	search                  string
	workers                 int
	maxStates               int64
	maxMemory               byteSize
	bitstate                byteSize
	timeLimit               time.Duration
	format                  string
	families                string
	cexDir                  string
	progress                bool
	swarm                   swarmShard
	swarmOut                string
}

func newCheckFlags() (*flag.FlagSet, *checkFlags) {
	c := &checkFlags{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.Var(&c.revisions, "revision", "check only this revision (repeatable)")
	fs.StringVar(&c.por, "por", "on", "partial-order reduction: on or off (verdicts and findings do not depend on it)")
	fs.StringVar(&c.fairness, "fairness", "kernel", "the cycle check for hangs (invariant hang): kernel (LWPs and CPUs strongly fair, the environment weakly), weak, strong, or off")
	fs.StringVar(&c.search, "search", "bfs", "search order: bfs (shortest counterexamples) or dfs")
	fs.IntVar(&c.workers, "workers", 0, "parallel workers (0: all cores); results do not depend on it")
	fs.Int64Var(&c.maxStates, "max-states", 0, "stop a search after this many states (0: no limit)")
	c.maxMemory = 16 << 30
	fs.Var(&c.maxMemory, "max-memory", "stop a search before the whole process's memory passes this size, e.g. 8GiB (0: no limit)")
	fs.DurationVar(&c.timeLimit, "time-limit", 0, "stop a search after this long (0: no limit)")
	fs.Var(&c.bitstate, "bitstate", "bitstate search with a bit array of this size, e.g. 1G, instead of the fingerprint table "+
		"(for spaces too large for memory; states may be missed, so finding nothing is incomplete: exit 3)")
	fs.StringVar(&c.format, "format", "text", "output: text, json, junit (JUnit XML) or sarif (SARIF 2.1.0)")
	fs.StringVar(&c.families, "check", "", "invariant families to check, comma-separated (default: the spec's check line)")
	fs.StringVar(&c.cexDir, "cex-dir", "", "write a counterexample file (*.cex.json) per finding into this directory")
	fs.StringVar(&c.baseline, "baseline", "", "accept the findings this baseline file lists: reported, they do not fail a spec")
	fs.StringVar(&c.writeBaseline, "write-baseline", "", "write to this file a baseline accepting every finding that fails a spec in this run (and those --baseline accepts that recur)")
	fs.BoolVar(&c.progress, "progress", false, "show progress even when stderr is not a terminal")
	fs.Var(&c.swarm, "swarm", "run shard I of a swarm of N diversified searches (I/N: seed I for the successor order and the hash), writing a result file for merge")
	fs.StringVar(&c.swarmOut, "swarm-out", "", "the shard's result file (default: swarm-I-of-N.json)")
	return fs, c
}

// specPath is where spec sp lies: the file named, or, for a bundled
// spec, its path in lwpcheck's tree.
func specPath(sp *specs.Spec) string {
	if sp.Bundled {
		return "specs/" + sp.File
	}
	return sp.File
}

// minMaxMemory is the least --max-memory that bounds the process: below
// it the runtime, the binary and the model alone pass the limit.
const minMaxMemory = 48 << 20

// checkVerdict is the verdict check gives a spec on a revision.
type checkVerdict string

const (
	verdictPass       = checkVerdict("pass")       // explore.Pass, or known findings only
	verdictViolation  = checkVerdict("violation")  // explore.Fail
	verdictIncomplete = checkVerdict("incomplete") // explore.Incomplete
	// verdictDeadlock: everything the run found (known ones aside) is a
	// hang, a finding of the deadlock family.
	verdictDeadlock = checkVerdict("deadlock")
	// skipped: the revision cannot run the spec (an op, an argument or an
	// event it lacks): Why says which.
	skipped = checkVerdict("skipped")
)

// verdictOf is the check verdict of an engine verdict.
func verdictOf(v explore.Verdict) checkVerdict {
	switch v {
	case explore.Pass:
		return verdictPass
	case explore.Fail:
		return verdictViolation
	}
	return verdictIncomplete
}

// checkResult is the outcome of one spec on one revision.
type checkResult struct {
	Spec        string       `json:"spec"`
	File        string       `json:"file,omitempty"` // the spec's file, as named (a bundled spec's name in specs/)
	Revision    string       `json:"revision"`
	Verdict     checkVerdict `json:"verdict"`
	Expect      string       `json:"expect"`
	Met         bool         `json:"met"`
	States      int64        `json:"states"`
	Transitions int64        `json:"transitions"`
	Depth       int          `json:"depth"`
	Seconds     float64      `json:"seconds"`
	Limit       string       `json:"limit,omitempty"`
	// StoreBytesPerState is the visited set's memory per state stored;
	// PeakRSS the most memory the whole process held at once during the
	// search, where the system tells (Linux), and PeakRSSPerState that
	// divided by the states stored.
	StoreBytesPerState float64 `json:"store_bytes_per_state"`
	PeakRSS            int64   `json:"peak_rss_bytes,omitempty"`
	PeakRSSPerState    float64 `json:"peak_rss_bytes_per_state,omitempty"`
	Bitstate           bool    `json:"bitstate,omitempty"` // a bitstate search: states may have been missed
	// BitstateCoverage estimates, for a bitstate search, the fraction of
	// the states met that were explored. It is an upper bound: it ignores
	// the states behind those missed.
	BitstateCoverage float64 `json:"bitstate_coverage,omitempty"`
	// Omission bounds the probability that a fingerprint collision hid a
	// state from a search with the fingerprint table.
	Omission float64   `json:"omission_probability,omitempty"`
	Findings []finding `json:"findings,omitempty"`
	Known    int       `json:"known"`         // how many findings are known disagreements
	Why      string    `json:"why,omitempty"` // why the expectation was not met
	// Held names the invariants checked that no finding refutes (in the
	// part explored, if the search may have missed states); NotChecked
	// the others of the catalog.
	Held       []string             `json:"held"`
	NotChecked []string             `json:"not_checked,omitempty"`
	Coverage   *invariants.Coverage `json:"coverage,omitempty"` // transition coverage
	// Cycles says what the cycle check for hangs explored: its fairness,
	// the states and moves of the graph it built, and the graph's bytes.
	Cycles *cycleStats `json:"cycles,omitempty"`
	// BaselineGone names the findings --baseline accepts for this spec and
	// revision that the run no longer finds: the baseline can drop them.
	BaselineGone []string `json:"baseline_gone,omitempty"`

	unexpected []string // the findings that fail the spec (verdict.Outcome.Unexpected)
}

type cycleStats struct {
	Fairness string `json:"fairness"`
	States   int64  `json:"states"`
	Edges    int64  `json:"edges"`
	Bytes    int64  `json:"bytes"`
}

type finding struct {
	Name    string `json:"name"`
	Message string `json:"message"`
	Steps   int    `json:"steps"`
	// Source is where the counterexample's last step is in the C code
	// (file@rev:line), if it has steps.
	Source string `json:"source,omitempty"`
	// Known, if set,says why this finding is a known disagreement between
	// the revision's code and its documentation (the revision's table):
	// it is reported, but does not fail the spec.
	Known string `json:"known,omitempty"`
	// Edges are the schedules of a lock-order cycle, one per edge.
	Edges []edgeSchedule `json:"edges,omitempty"`
	// Cex is the counterexample file written for the finding (--cex-dir).
	Cex string `json:"cex,omitempty"`
	// Counterexample is the finding's counterexample file itself (the
	// first edge's, for a lock-order cycle), in a swarm's result file.
	Counterexample json.RawMessage `json:"counterexample,omitempty"`

	flows [][]flowStep // its counterexample's steps (--format sarif): one per edge of a cycle
}

// edgeSchedule is a shortest schedule that takes one edge of a lock-order
// cycle.
type edgeSchedule struct {
	Edge    string `json:"edge"`
	Message string `json:"message"`
	Steps   int    `json:"steps"`
}

// maxWorkers bounds --workers: each worker has its own buffers, and more
// workers than this only cost memory.
const maxWorkers = 1024

func runCheck(args []string, stdout, stderr io.Writer) (int, error) {
	fs, cf := newCheckFlags()
	paths, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if err := nonNegative(fs, "workers", "max-states", "time-limit"); err != nil {
		return exitUsage, err
	}
	if cf.workers > maxWorkers {
		return exitUsage, usagef("--workers %d: at most %d", cf.workers, maxWorkers)
	}
	if cf.maxMemory > 0 && cf.maxMemory < minMaxMemory {
		return exitUsage, usagef("--max-memory %d: lwpcheck itself takes up to %d MiB; give at least %d MiB (or 0: no limit)",
			cf.maxMemory, peakrss.Reserve>>20, minMaxMemory>>20)
	}
	if budget := peakrss.SearchBudget(int64(cf.maxMemory)); budget > 0 && int64(cf.bitstate) > budget {
		return exitUsage, usagef("--bitstate %d: larger than the %d bytes --max-memory %d leaves the search", cf.bitstate, budget, cf.maxMemory)
	}
	if cf.por != "on" && cf.por != "off" {
		return exitUsage, usagef("--por %q: want on or off", cf.por)
	}
	if _, ok := fairness[cf.fairness]; !ok {
		return exitUsage, usagef("--fairness %q: want kernel, weak, strong or off", cf.fairness)
	}
	if !slices.Contains([]string{"text", "json", "junit", "sarif"}, cf.format) {
		return exitUsage, usagef("unknown format %q (text, json, junit or sarif)", cf.format)
	}
	var search explore.Search
	switch cf.search {
	case "bfs":
		search = explore.BFS
	case "dfs":
		search = explore.DFS
	default:
		return exitUsage, usagef("unknown search %q (bfs or dfs)", cf.search)
	}
	for _, r := range cf.revisions {
		if _, err := revisions.Lookup(r); err != nil {
			return exitUsage, usagef("%v", err)
		}
	}
	var families specs.FamilySet
	if cf.families != "" {
		fams, _, err := specs.ParseFamilies(strings.Split(cf.families, ","))
		if err != nil {
			return exitUsage, usagef("--check: %v", err)
		}
		families = fams
	}
	all, err := loadSpecs(paths, families)
	if err != nil {
		return exitUsage, err
	}
	jobs, err := verdict.Plan(all, cf.revisions)
	if err != nil {
		return exitUsage, err
	}
	var base *baseline
	if cf.baseline != "" {
		if base, err = readBaseline(cf.baseline); err != nil {
			return exitUsage, err
		}
		for i := range jobs {
			jobs[i].Accepted = base.accepted(jobs[i].Spec.Name, jobs[i].Rev.Name)
		}
	}
	if cf.maxMemory > 0 {
		// The search stops itself within its share of the limit by its
		// own accounting (peakrss.SearchBudget); the runtime's soft limit
		// makes the collector return garbage before the whole process
		// passes it.
		debug.SetMemoryLimit(int64(cf.maxMemory))
	}
	opt := explore.Options{Search: search, Workers: cf.workers, MaxStates: cf.maxStates,
		MaxMemory: peakrss.SearchBudget(int64(cf.maxMemory)), TimeLimit: cf.timeLimit, Bitstate: int64(cf.bitstate), Seed: cf.swarm.seed()}
	if cf.swarmOut != "" && cf.swarm.N == 0 {
		return exitUsage, usagef("--swarm-out needs --swarm I/N")
	}
	if cf.swarm.N > 0 && cf.swarmOut == "" {
		cf.swarmOut = fmt.Sprintf("swarm-%d-of-%d.json", cf.swarm.I, cf.swarm.N)
	}
	var shard []swarmResult
	var results []checkResult
	explained := map[string]string{} // a known finding's why, printed once a run
	ctx, signalled, stop := interruptible()
	defer stop()
	for _, j := range jobs {
		res, err := checkJob(ctx, j, families, cf, opt, stderr)
		if err != nil {
			return exitUsage, err
		}
		if base != nil {
			res.BaselineGone = base.gone(&res)
		}
		if cf.swarm.N > 0 {
			sr := swarmResult{checkResult: res, Wanted: verdict.Wanted(j.Expect)}
			sr.Findings = slices.Clone(res.Findings)
			shard = append(shard, sr)
			for i := range res.Findings {
				res.Findings[i].Counterexample = nil // in the result file only
			}
		}
		results = append(results, res)
		if cf.format == "text" {
			printResult(stdout, &res, explained)
		}
		if ctx.Err() != nil {
			break // interrupted: report what is done, and the search it stopped
		}
	}
	for _, sk := range verdict.Skipped(all, cf.revisions) {
		res := checkResult{Spec: sk.Spec.Name, File: specPath(sk.Spec), Revision: sk.Rev.Name, Verdict: skipped, Met: true, Why: sk.Why, Held: []string{}}
		results = append(results, res)
		if cf.swarm.N > 0 {
			shard = append(shard, swarmResult{checkResult: res})
		}
		if cf.format == "text" {
			printResult(stdout, &res, explained)
		}
	}
	if cf.swarm.N > 0 {
		if err := writeSwarm(cf.swarmOut, cf.swarm, cf, shard); err != nil {
			return exitUsage, err
		}
	}
	switch cf.format {
	case "text":
		printSummary(stdout, results)
	case "json":
		if err := writeJSON(stdout, results); err != nil {
			return exitUsage, err
		}
	case "junit":
		if err := writeJUnit(stdout, results); err != nil {
			return exitUsage, err
		}
	case "sarif":
		if err := writeSARIF(stdout, results, signalled() == 0); err != nil {
			return exitUsage, err
		}
	}
	if cf.writeBaseline != "" {
		b := newBaseline(results)
		if err := b.write(cf.writeBaseline); err != nil {
			return exitUsage, err
		}
		fmt.Fprintf(stderr, "lwpcheck check: wrote %s: %d accepted findings\n", cf.writeBaseline, len(b.Findings))
	}
	if sig := signalled(); sig != 0 {
		return sig, nil
	}
	return exitCode(results), nil
}

// fairness maps --fairness to the cycle check's.
var fairness = map[string]explore.Fairness{"kernel": explore.Weak, "weak": explore.Weak, "strong": explore.Strong, "off": explore.NoCycles}

// checkJob explores one spec on one revision with the invariants of
// families (the zero set: the spec's check line), writes the
// counterexamples if asked, and judges the outcome.
func checkJob(ctx context.Context, j verdict.Job, families specs.FamilySet, cf *checkFlags, opt explore.Options, stderr io.Writer) (checkResult, error) {
	if families == 0 {
		families = j.Spec.Check
	}
	name := j.Spec.Name + " on " + j.Rev.Name
	m, c, err := invariants.Build(j.Rev, j.Spec, families)
	if err != nil {
		return checkResult{}, err
	}
	m.POR = cf.por == "on"
	o := opt
	o.Cycles = c.Liveness(fairness[cf.fairness])
	m.WeakLWPs = cf.fairness == "weak"
	tty := isTerminal(stderr)
	if cf.progress || tty {
		o.Progress = progressPrinter(stderr, j.Spec.Name+"@"+j.Rev.Name, tty)
	}
	measured := peakrss.Start()
	r, err := explore.Run(ctx, m, o)
	if o.Progress != nil && tty {
		fmt.Fprint(stderr, "\r\033[K")
	}
	if err != nil {
		return checkResult{}, fmt.Errorf("%s: %w", name, err)
	}
	rf, err := c.Analyze(ctx, opt)
	if err != nil {
		return checkResult{}, fmt.Errorf("%s: %w", name, err)
	}
	res := result(j, r, c, rf)
	if peak, ok := peakrss.Peak(); measured && ok && r.States > 0 {
		res.PeakRSS, res.PeakRSSPerState = peak, float64(peak)/float64(r.States)
	}
	if res.Cycles != nil {
		res.Cycles.Fairness = cf.fairness // as the user named it
	}
	if cf.format == "sarif" {
		if err := addFlows(&res, j, m, r, rf); err != nil {
			return checkResult{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	if cf.swarm.N > 0 {
		if err := addCounterexamples(&res, j, m, r); err != nil {
			return checkResult{}, fmt.Errorf("%s: %w", name, err)
		}
	}
	if cf.cexDir != "" {
		paths, err := writeCexFiles(cf.cexDir, j.Rev, j.Spec, m, r)
		if err != nil {
			return checkResult{}, err
		}
		for i, p := range paths {
			res.Findings[i].Cex = p // the run's findings come first, in order
		}
	}
	return res, nil
}

// addFlows gives each finding of res its counterexample's steps, for the
// code flows of SARIF: the run's findings in order, then the lock cycles'
// (rf), one flow per edge.
func addFlows(res *checkResult, j verdict.Job, m *model.Machine, r *explore.Result, rf []invariants.RunFinding) error {
	flow := func(f explore.Finding) ([]flowStep, error) {
		c, err := traces.New(j.Rev, j.Spec, m, f)
		if err != nil {
			return nil, err
		}
		out := make([]flowStep, len(c.Steps))
		for i, st := range c.Steps {
			out[i] = flowStep{n: st.N, actor: st.Actor, action: st.Action, source: st.Source}
		}
		return out, nil
	}
	for i, f := range r.Findings {
		fl, err := flow(f)
		if err != nil {
			return err
		}
		res.Findings[i].flows = [][]flowStep{fl}
	}
	for i, f := range rf {
		for _, w := range f.Schedules() {
			fl, err := flow(w.Finding)
			if err != nil {
				return err
			}
			res.Findings[len(r.Findings)+i].flows = append(res.Findings[len(r.Findings)+i].flows, fl)
		}
	}
	return nil
}

// addCounterexamples gives each finding of the run r its counterexample
// file, for a swarm's result file (as --cex-dir, not the lock cycles').
func addCounterexamples(res *checkResult, j verdict.Job, m *model.Machine, r *explore.Result) error {
	for i, f := range r.Findings {
		c, err := traces.New(j.Rev, j.Spec, m, f)
		if err != nil {
			return err
		}
		if res.Findings[i].Counterexample, err = c.Marshal(); err != nil {
			return err
		}
	}
	return nil
}

// loadSpecs reads the named spec files or bundled specs (the bundled specs
// if none) and checks that each one's expectation can be met when the
// invariant families are checked (the zero set: each spec's check line).
func loadSpecs(paths []string, families specs.FamilySet) ([]*specs.Spec, error) {
	all, err := readSpecs(paths)
	if err != nil {
		return nil, err
	}
	for _, sp := range all {
		if err := verdict.Validate(sp, families); err != nil {
			return nil, usagef("%v", err)
		}
	}
	return all, nil
}

// readSpecs reads the named spec files, or the bundled specs if none. A
// name that is not a file may be a bundled spec's.
func readSpecs(paths []string) ([]*specs.Spec, error) {
	if len(paths) == 0 {
		return specs.Bundled()
	}
	var out []*specs.Spec
	for _, p := range paths {
		data, err := readcap.ReadFile(p, readcap.Spec)
		if err != nil {
			sp, lerr := specs.Lookup(p)
			switch {
			case lerr == nil:
				out = append(out, sp)
				continue
			case errors.Is(err, os.ErrNotExist):
				return nil, usagef("%s: not a spec file or a bundled spec (see lwpcheck list specs)", p)
			}
			return nil, usagef("%v", err)
		}
		sp, err := specs.Parse(p, data)
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// result is the outcome of job j: run r checked by c, with the whole-run
// findings rf, judged against the spec.
func result(j verdict.Job, r *explore.Result, c *invariants.Checker, rf []invariants.RunFinding) checkResult {
	o := verdict.Judge(j, r, c, rf)
	res := checkResult{Spec: j.Spec.Name, File: specPath(j.Spec), Revision: j.Rev.Name, Verdict: verdictOf(o.Verdict), Expect: o.Expect,
		Met: o.Met, Why: o.Why, States: r.States, Transitions: r.Transitions, Depth: r.Depth,
		Seconds: r.Elapsed.Seconds(), Limit: string(r.Limit), StoreBytesPerState: r.BytesPerState, Bitstate: r.Bitstate, BitstateCoverage: bitstateCoverage(r),
		Omission: omission(r),
		Held:     o.Held, NotChecked: o.NotChecked, Coverage: c.Coverage(), unexpected: o.Unexpected}
	if g := r.Cycles; g != nil {
		res.Cycles = &cycleStats{States: g.States, Edges: g.Edges, Bytes: g.Bytes}
	}
	onlyHangs := o.Verdict == explore.Fail
	for i, f := range r.Findings {
		res.Findings = append(res.Findings, finding{Name: f.Name, Message: f.Message, Steps: len(f.Trace),
			Source: findingSource(c.M, f), Known: o.Known[i]})
		if o.Known[i] != "" {
			res.Known++
		} else if !isHang(f.Name) {
			onlyHangs = false
		}
	}
	for i, f := range rf {
		x := finding{Name: f.Name, Message: f.Message, Known: o.Known[len(r.Findings)+i]}
		if f.Gate != "" {
			x.Known = "every edge of the cycle was taken holding " + f.Gate + ", which orders them: it cannot deadlock"
		}
		if x.Known != "" {
			res.Known++
		}
		for _, w := range f.Schedules() {
			msg := w.Finding.Message
			if w.Missing != "" {
				msg = w.Missing
			}
			what := w.Edge.String()
			if w.Finding.Name == model.FindingLockDeadlock {
				what = "deadlock"
			}
			x.Edges = append(x.Edges, edgeSchedule{Edge: what, Message: msg, Steps: len(w.Finding.Trace)})
			x.Steps = max(x.Steps, len(w.Finding.Trace))
		}
		res.Findings = append(res.Findings, x)
		if x.Known == "" {
			onlyHangs = false
		}
	}
	if onlyHangs && res.Known < len(res.Findings) {
		res.Verdict = verdictDeadlock // what the run found is hangs, not a broken invariant
	}
	return res
}

// isHang reports whether a finding named name is of the deadlock family:
// a run whose failing findings all are is a deadlock, not a violation.
func isHang(name string) bool {
	inv, ok := invariants.Lookup(invariants.BaseName(name))
	return ok && inv.Family == specs.FamilyDeadlock
}

// omission is r's bound on the probability of a fingerprint collision,
// or 0 for a bitstate search (whose coverage says more).
func omission(r *explore.Result) float64 {
	if r.Bitstate {
		return 0
	}
	return r.OmissionProbability
}

// bitstateCoverage is r's coverage estimate for a bitstate search, else
// 0 (not reported).
func bitstateCoverage(r *explore.Result) float64 {
	if !r.Bitstate {
		return 0
	}
	return r.Coverage
}

func exitCode(results []checkResult) int {
	code := exitOK
	for _, r := range results {
		switch {
		case !r.Met && r.Verdict == verdictIncomplete:
			if code == exitOK {
				code = exitIncomplete
			}
		case !r.Met:
			code = exitFinding
		}
	}
	return code
}

// printSummary ends a text run: how many results were ok, failed, were
// incomplete or skipped, in all and by revision.
func printSummary(w io.Writer, results []checkResult) {
	type tally struct{ ok, fail, incomplete, skip int }
	count := func(t *tally, r *checkResult) {
		switch {
		case r.Verdict == skipped:
			t.skip++
		case r.Met:
			t.ok++
		case r.Verdict == verdictIncomplete:
			t.incomplete++
		default:
			t.fail++
		}
	}
	var all tally
	byRev := map[string]*tally{}
	var order []string
	for i := range results {
		r := &results[i]
		if byRev[r.Revision] == nil {
			byRev[r.Revision] = &tally{}
			order = append(order, r.Revision)
		}
		count(&all, r)
		count(byRev[r.Revision], r)
	}
	line := func(t *tally) string {
		return fmt.Sprintf("%d ok, %d FAIL, %d incomplete, %d skipped", t.ok, t.fail, t.incomplete, t.skip)
	}
	fmt.Fprintf(w, "summary: %s\n", line(&all))
	for _, rev := range order {
		fmt.Fprintf(w, "  %-12s %s\n", rev, line(byRev[rev]))
	}
}

// printResult prints one result: unexpected findings before known ones,
// each with its counterexample file, or, for a spec that failed, how to
// get one. A known finding's why is printed the first time explained
// (nil: every time) has not seen it, and referred to after.
func printResult(w io.Writer, r *checkResult, explained map[string]string) {
	if r.Verdict == skipped {
		fmt.Fprintf(w, "skip %-28s %-12s %s\n", r.Spec, r.Revision, r.Why)
		return
	}
	status := "ok  "
	if !r.Met {
		status = "FAIL"
		if r.Verdict == verdictIncomplete {
			status = "INCOMPLETE"
		}
	}
	fmt.Fprintf(w, "%s %-28s %-12s %-10s states=%d transitions=%d depth=%d time=%.2fs", status, r.Spec, r.Revision,
		r.Verdict, r.States, r.Transitions, r.Depth, r.Seconds)
	if r.Limit != "" {
		fmt.Fprintf(w, " limit=%s", r.Limit)
	}
	if r.Known > 0 {
		fmt.Fprintf(w, " known=%d", r.Known)
	}
	if r.Bitstate {
		fmt.Fprintf(w, " bitstate coverage<=%.6f (an upper bound)", r.BitstateCoverage)
	}
	if r.Omission > 1e-6 {
		fmt.Fprintf(w, " p(collision)<=%.1e", r.Omission)
	}
	fmt.Fprintf(w, " expect=%q", r.Expect)
	if r.Why != "" {
		fmt.Fprintf(w, " (%s)", r.Why)
	}
	fmt.Fprintln(w)
	hint := false // a failing finding has a counterexample not written
	for _, f := range knownLast(r.Findings) {
		printFinding(w, &f, r, explained)
		hint = hint || f.Known == "" && f.Edges == nil && f.Steps > 0 && f.Cex == ""
	}
	if !r.Met && hint {
		fmt.Fprintln(w, "     rerun with --cex-dir DIR to write the counterexample, then lwpcheck replay")
	}
	if len(r.BaselineGone) > 0 {
		fmt.Fprintf(w, "     no longer found, accepted by the baseline: %s\n", strings.Join(r.BaselineGone, " "))
	}
	fmt.Fprintf(w, "     %s\n", heldLine(r))
	if cv := r.Coverage; cv != nil {
		fmt.Fprintf(w, "     transitions: %d/%d documented edges exercised", cv.Exercised, cv.Documented)
		if len(cv.Undocumented) > 0 {
			fmt.Fprintf(w, "; undocumented taken: %s", strings.Join(cv.Undocumented, " "))
		}
		fmt.Fprintln(w)
	}
}

// knownLast returns the findings with the known disagreements after the
// others, each group in its order.
func knownLast(findings []finding) []finding {
	var out, known []finding
	for _, f := range findings {
		if f.Known != "" {
			known = append(known, f)
		} else {
			out = append(out, f)
		}
	}
	return append(out, known...)
}

// printFinding prints one finding of result r: a known one with why, or,
// if explained has seen that why on r's revision, where it was printed.
func printFinding(w io.Writer, f *finding, r *checkResult, explained map[string]string) {
	switch {
	case f.Known == verdict.Baselined:
		fmt.Fprintf(w, "     accepted %s: %s (%d steps)\n", f.Name, f.Message, f.Steps)
	case f.Known != "":
		fmt.Fprintf(w, "     known %s: %s (%d steps)\n", f.Name, f.Message, f.Steps)
		key := r.Revision + "\x00" + f.Known
		if first, seen := explained[key]; seen {
			fmt.Fprintf(w, "       why: as for %s above\n", first)
			break
		}
		if explained != nil {
			explained[key] = r.Spec
		}
		fmt.Fprintf(w, "       why: %s\n", f.Known)
	case f.Edges == nil:
		fmt.Fprintf(w, "     %s: %s (%d steps)\n", f.Name, f.Message, f.Steps)
	default:
		fmt.Fprintf(w, "     %s: %s\n", f.Name, f.Message)
		for _, e := range f.Edges {
			fmt.Fprintf(w, "       edge %s: %s (%d steps)\n", e.Edge, e.Message, e.Steps)
		}
	}
	if f.Cex != "" {
		fmt.Fprintf(w, "       cex: %s\n", f.Cex)
	}
}

// heldLine summarises the invariants that held: "held: all N", or "held
// N/M" with the findings above saying which did not, and those not checked.
func heldLine(r *checkResult) string {
	label := "held"
	if r.Limit != "" || r.Bitstate {
		label = "held so far"
	}
	checked := len(invariants.Catalog()) - len(r.NotChecked)
	s := fmt.Sprintf("%s %d/%d", label, len(r.Held), checked)
	if len(r.Held) == checked {
		s = fmt.Sprintf("%s: all %d", label, checked)
	}
	if len(r.NotChecked) > 0 {
		s += "; not checked: " + strings.Join(r.NotChecked, " ")
	}
	return s
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// progressPrinter shows a running search: on a terminal, on one line it
// rewrites; elsewhere (a CI log) as plain lines, one a report.
func progressPrinter(w io.Writer, what string, tty bool) func(explore.Progress) {
	start, end := "\r\033[K", ""
	if !tty {
		start, end = "", "\n"
	}
	var last int64
	var lastAt time.Duration
	return func(p explore.Progress) {
		rate := 0.0
		if d := p.Elapsed - lastAt; d > 0 {
			rate = float64(p.States-last) / d.Seconds()
		}
		last, lastAt = p.States, p.Elapsed
		fmt.Fprintf(w, "%s%s: %d states, %.0f states/s, queue %d, depth %d, %s%s", start, what, p.States, rate,
			p.Queue, p.Depth, p.Elapsed.Round(time.Second), end)
	}
}
