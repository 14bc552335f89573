package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

var checkVerb = &verb{
	name:  "check",
	usage: "lwpcheck check [--revision R]... [--por on|off] [--search bfs|dfs] [--workers N] [--max-states N] [--max-memory B] [--time-limit D] [--bitstate BYTES] [--format text|json|junit|sarif] [--check FAMILY,...] [--cex-dir DIR] [--progress] [SPEC...]",
	doc: `Explore every interleaving of each spec (default: every bundled spec) on each
revision that supports its ops, check the invariants, and compare the outcome
with the spec's expect line. Prints, per spec and revision, the verdict, the
states, transitions and depth explored, the time taken, each finding, the
invariants that held and the transition coverage. A "known" finding is a
disagreement between the revision's code and its documentation that the
revision's table records with its evidence: it is reported but does not fail
the spec.
Exit 0 when every spec meets its expectation, 1 when one does not (an
unexpected finding, or an expected one missing), 3 when a limit stopped a
search before anything was found.`,
	run: runCheck,
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
	search    string
	workers   int
	maxStates int64
	maxMemory int64
	bitstate  int64
	timeLimit time.Duration
	format    string
	families  string
	cexDir    string
	progress  bool
}

func newCheckFlags() (*flag.FlagSet, *checkFlags) {
	c := &checkFlags{}
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.Var(&c.revisions, "revision", "check only this revision (repeatable)")
	fs.StringVar(&c.por, "por", "on", "partial-order reduction: on or off (verdicts and findings do not depend on it)")
	fs.StringVar(&c.search, "search", "bfs", "search order: bfs (shortest counterexamples) or dfs")
	fs.IntVar(&c.workers, "workers", 0, "parallel workers (0: all cores); results do not depend on it")
	fs.Int64Var(&c.maxStates, "max-states", 0, "stop a search after this many states (0: no limit)")
	fs.Int64Var(&c.maxMemory, "max-memory", 16<<30, "stop a search when its memory passes this many bytes (0: no limit)")
	fs.DurationVar(&c.timeLimit, "time-limit", 0, "stop a search after this long (0: no limit)")
	fs.Int64Var(&c.bitstate, "bitstate", 0, "bitstate search with a bit array of this many bytes instead of the fingerprint table "+
		"(for spaces too large for memory; states may be missed: the output estimates the coverage)")
	fs.StringVar(&c.format, "format", "text", "output: text, json, junit (JUnit XML) or sarif (SARIF 2.1.0)")
	fs.StringVar(&c.families, "check", "", "invariant families to check, comma-separated (default: the spec's check line)")
	fs.StringVar(&c.cexDir, "cex-dir", "", "write a counterexample file (*.cex.json) per finding into this directory")
	fs.BoolVar(&c.progress, "progress", false, "show progress even when stderr is not a terminal")
	return fs, c
}

func flagsOf(name string) *flag.FlagSet {
	switch name {
	case "check":
		fs, _ := newCheckFlags()
		return fs
	case "list":
		fs, _ := newListFlags()
		return fs
	}
	return nil
}

// parseFlags parses a verb's flags, turning errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return usagef("run `lwpcheck help %s` for the flags", fs.Name())
		}
		return usagef("%v", err)
	}
	return nil
}

// checkResult is the outcome of one spec on one revision.
type checkResult struct {
	Spec        string  `json:"spec"`
	Revision    string  `json:"revision"`
	Verdict     string  `json:"verdict"`
	Expect      string  `json:"expect"`
	Met         bool    `json:"met"`
	States      int64   `json:"states"`
	Transitions int64   `json:"transitions"`
	Depth       int     `json:"depth"`
	Seconds     float64 `json:"seconds"`
	Limit       string  `json:"limit,omitempty"`
	// BitstateCoverage estimates, for a bitstate search, the fraction of
	// the states met that were explored.
	BitstateCoverage float64   `json:"bitstate_coverage,omitempty"`
	Findings         []finding `json:"findings,omitempty"`
	Known            int       `json:"known"`         // how many findings are known disagreements
	Why              string    `json:"why,omitempty"` // why the expectation was not met
	// Held names the invariants checked that no finding refutes (in the
	// part explored, if a limit stopped the search).
	Held     []string             `json:"held"`
	Coverage *invariants.Coverage `json:"coverage,omitempty"` // transition coverage
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
}

// edgeSchedule is a shortest schedule that takes one edge of a lock-order
// cycle.
type edgeSchedule struct {
	Edge    string `json:"edge"`
	Message string `json:"message"`
	Steps   int    `json:"steps"`
}

func runCheck(args []string, stdout, stderr io.Writer) (int, error) {
	fs, cf := newCheckFlags()
	if err := parseFlags(fs, args); err != nil {
		return exitUsage, err
	}
	if cf.por != "on" && cf.por != "off" {
		return exitUsage, usagef("--por %q: want on or off", cf.por)
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
	var families []string
	if cf.families != "" {
		families = strings.Split(cf.families, ",")
	}
	all, err := loadSpecs(fs.Args())
	if err != nil {
		return exitUsage, err
	}
	jobs, err := plan(all, cf.revisions)
	if err != nil {
		return exitUsage, err
	}
	opt := explore.Options{Search: search, Workers: cf.workers, MaxStates: cf.maxStates,
		MaxMemory: cf.maxMemory, TimeLimit: cf.timeLimit, Bitstate: cf.bitstate}
	var results []checkResult
	explained := map[string]bool{}
	for _, j := range jobs {
		fam := families
		if fam == nil {
			fam = j.spec.Check
		}
		m, c, err := invariants.Build(j.rev, j.spec, fam)
		if err != nil {
			return exitUsage, err
		}
		m.Merge = cf.por == "on"
		o := opt
		if cf.progress || isTerminal(stderr) {
			o.Progress = progressPrinter(stderr, j.spec.Name+"@"+j.rev.Name)
		}
		r, err := explore.Run(context.Background(), m, o)
		if o.Progress != nil {
			fmt.Fprint(stderr, "\r\033[K")
		}
		if err != nil {
			return exitUsage, fmt.Errorf("%s on %s: %w", j.spec.Name, j.rev.Name, err)
		}
		rf, err := c.Analyze(context.Background(), opt)
		if err != nil {
			return exitUsage, fmt.Errorf("%s on %s: %w", j.spec.Name, j.rev.Name, err)
		}
		if cf.cexDir != "" {
			if _, err := writeCexFiles(cf.cexDir, j.rev, j.spec, m, r); err != nil {
				return exitUsage, err
			}
		}
		res := judge(j.spec, j.rev, r, c, rf)
		results = append(results, res)
		if cf.format == "text" {
			printResult(stdout, &res, explained)
		}
	}
	switch cf.format {
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(results); err != nil {
			return exitUsage, err
		}
	case "junit":
		if err := writeJUnit(stdout, results); err != nil {
			return exitUsage, err
		}
	case "sarif":
		if err := writeSARIF(stdout, results); err != nil {
			return exitUsage, err
		}
	}
	return exitCode(results), nil
}

type job struct {
	spec *specs.Spec
	rev  *model.Revision
}

// loadSpecs reads the named spec files, or the bundled specs if none.
func loadSpecs(paths []string) ([]*specs.Spec, error) {
	if len(paths) == 0 {
		return specs.Bundled()
	}
	var out []*specs.Spec
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			if sp, lerr := specs.Lookup(p); lerr == nil {
				out = append(out, sp) // a bundled spec by name
				continue
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

// plan pairs each spec with the revisions it runs on: those it names, or
// every revision that supports all its ops; --revision narrows either.
func plan(all []*specs.Spec, only []string) ([]job, error) {
	var jobs []job
	for _, sp := range all {
		var revs []*model.Revision
		if len(sp.Revisions) > 0 {
			for i, name := range sp.Revisions {
				r, err := revisions.Lookup(name)
				if err != nil {
					pos := sp.RevisionPos[i]
					return nil, fmt.Errorf("%s:%d:%d: %v", sp.File, pos.Line, pos.Col, err)
				}
				revs = append(revs, r)
			}
		} else {
			for _, r := range revisions.All() {
				if supportsAll(r, sp) {
					revs = append(revs, r)
				}
			}
		}
		for _, r := range revs {
			if len(only) == 0 || slices.Contains(only, r.Name) {
				jobs = append(jobs, job{sp, r})
			}
		}
	}
	return jobs, nil
}

func supportsAll(r *model.Revision, sp *specs.Spec) bool {
	for _, p := range sp.Programs {
		for _, st := range p.Steps {
			op, ok := model.OpByName(st.Op)
			if !ok || !r.Kernel.Supports(op) {
				return false
			}
		}
	}
	return true
}

// judge compares a run, and the whole-run findings rf, with the spec's
// expectation.
func judge(sp *specs.Spec, rev *model.Revision, r *explore.Result, c *invariants.Checker, rf []invariants.RunFinding) checkResult {
	res := checkResult{Spec: sp.Name, Revision: rev.Name, Verdict: r.Verdict.String(), States: r.States,
		Transitions: r.Transitions, Depth: r.Depth, Seconds: r.Elapsed.Seconds(), Limit: r.Limit,
		BitstateCoverage: bitstateCoverage(r),
		Held:             []string{}, Coverage: c.Coverage()}
	var names, failed []string // every finding's invariant; those not known
	for _, f := range r.Findings {
		x := finding{Name: f.Name, Message: f.Message, Steps: len(f.Trace), Source: lastSource(c.M, f)}
		if k, ok := c.Known(f.Name); ok {
			x.Known = k.Why + " (" + k.Source + ")"
			res.Known++
		} else {
			failed = append(failed, invariants.BaseName(f.Name))
		}
		res.Findings = append(res.Findings, x)
		names = append(names, invariants.BaseName(f.Name))
	}
	for _, f := range rf {
		x := finding{Name: f.Name, Message: f.Message}
		for _, w := range f.Witnesses {
			x.Edges = append(x.Edges, edgeSchedule{Edge: w.Edge.String(), Message: w.Finding.Message, Steps: len(w.Finding.Trace)})
			x.Steps = max(x.Steps, len(w.Finding.Trace))
		}
		res.Findings = append(res.Findings, x)
		names = append(names, f.Name)
		failed = append(failed, f.Name)
		res.Verdict = explore.Fail.String()
	}
	for _, inv := range c.Enabled() {
		if !slices.Contains(names, inv.Name) {
			res.Held = append(res.Held, inv.Name)
		}
	}
	want := ""
	switch sp.Expect.Kind {
	case specs.Pass:
		res.Expect = "pass"
	case specs.Deadlock:
		res.Expect, want = "deadlock", "deadlock"
	case specs.Violation:
		res.Expect, want = "violation "+sp.Expect.Name, sp.Expect.Name
	}
	others := slices.DeleteFunc(slices.Clone(failed), func(n string) bool { return n == want })
	switch {
	case want == "" && len(failed) > 0:
		res.Why = "unexpected finding"
	case want != "" && !slices.Contains(names, want):
		if r.Limit != "" {
			res.Why = "incomplete before " + want + " was found"
		} else {
			res.Why = want + " expected, not found"
		}
	case want != "" && len(others) > 0:
		res.Why = "findings besides the expected " + want
	case want == "" && r.Limit != "":
		res.Why = "incomplete"
	}
	res.Met = res.Why == ""
	// A run whose findings are all known disagreements passes.
	if len(failed) == 0 && len(rf) == 0 && res.Verdict == explore.Fail.String() {
		res.Verdict = explore.Pass.String()
		if r.Limit != "" {
			res.Verdict = explore.Incomplete.String()
		}
	}
	return res
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
		case !r.Met && r.Verdict == "incomplete":
			if code == exitOK {
				code = exitIncomplete
			}
		case !r.Met:
			code = exitFinding
		}
	}
	return code
}

// printResult prints one result. explained, if not nil, holds the known
// findings whose reasons were printed already: each is explained once.
func printResult(w io.Writer, r *checkResult, explained map[string]bool) {
	status := "ok  "
	if !r.Met {
		status = "FAIL"
		if r.Verdict == "incomplete" {
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
	if r.BitstateCoverage != 0 {
		fmt.Fprintf(w, " bitstate-coverage=%.6f", r.BitstateCoverage)
	}
	fmt.Fprintf(w, " expect=%q", r.Expect)
	if r.Why != "" {
		fmt.Fprintf(w, " (%s)", r.Why)
	}
	fmt.Fprintln(w)
	for _, f := range r.Findings {
		if f.Known != "" {
			fmt.Fprintf(w, "     known %s: %s (%d steps)\n", f.Name, f.Message, f.Steps)
			if explained == nil || !explained[f.Name] {
				fmt.Fprintf(w, "       why: %s\n", f.Known)
			}
			if explained != nil {
				explained[f.Name] = true
			}
			continue
		}
		if f.Edges == nil {
			fmt.Fprintf(w, "     %s: %s (%d steps)\n", f.Name, f.Message, f.Steps)
			continue
		}
		fmt.Fprintf(w, "     %s: %s\n", f.Name, f.Message)
		for _, e := range f.Edges {
			fmt.Fprintf(w, "       edge %s: %s (%d steps)\n", e.Edge, e.Message, e.Steps)
		}
	}
	held := "held"
	if r.Limit != "" {
		held = "held so far"
	}
	fmt.Fprintf(w, "     %s (%d): %s\n", held, len(r.Held), strings.Join(r.Held, " "))
	if cv := r.Coverage; cv != nil {
		fmt.Fprintf(w, "     transitions: %d/%d documented edges exercised", cv.Exercised, cv.Documented)
		if len(cv.Undocumented) > 0 {
			fmt.Fprintf(w, "; undocumented taken: %s", strings.Join(cv.Undocumented, " "))
		}
		fmt.Fprintln(w)
	}
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

// progressPrinter shows a running search on one rewritten line.
func progressPrinter(w io.Writer, what string) func(explore.Progress) {
	var last int64
	var lastAt time.Duration
	return func(p explore.Progress) {
		rate := 0.0
		if d := p.Elapsed - lastAt; d > 0 {
			rate = float64(p.States-last) / d.Seconds()
		}
		last, lastAt = p.States, p.Elapsed
		fmt.Fprintf(w, "\r\033[K%s: %d states, %.0f states/s, queue %d, depth %d, %s", what, p.States, rate,
			p.Queue, p.Depth, p.Elapsed.Round(time.Second))
	}
}
