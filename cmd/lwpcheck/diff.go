package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/compare"
	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/refine"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/verdict"
)

var diffVerb = &verb{
	name:  "diff",
	usage: "lwpcheck diff --from R1 --to R2 [--por on|off] [--workers N] [--max-states N] [--max-pairs N] [--format text|json] [--cex-dir DIR] [SPEC...]",
	doc: `Compare what user space sees of each spec (default: every bundled spec
both revisions support) on two revisions: per LWP, each syscall with its
result, in the order they return, and hangs (LWPs stuck in the kernel for
good) and panics; kernel steps, scheduling and environment events are
hidden. For each direction it prints the shortest behaviour one revision
shows and the other cannot, as an LWP-by-LWP timeline, with what the other
shows at that point instead, and --cex-dir writes it as a counterexample
file of the revision that has it (lwpcheck replay walks it). It also lists
the findings of a check that only one revision has.
Exit 0 when the revisions agree on every spec, 1 when they differ, 3 when a
limit stopped a comparison before any difference was found.`,
	run:   runDiff,
	flags: func() *flag.FlagSet { fs, _ := newDiffFlags(); return fs },
}

type diffFlags struct {
	from, to  string
	por       string
	workers   int
	maxStates int
	maxPairs  int
	format    string
	cexDir    string
}

func newDiffFlags() (*flag.FlagSet, *diffFlags) {
	d := &diffFlags{}
	fs := flag.NewFlagSet("diff", flag.ContinueOnError)
	fs.StringVar(&d.from, "from", "", "the first revision (required)")
	fs.StringVar(&d.to, "to", "", "the second revision (required)")
	fs.StringVar(&d.por, "por", "on", "partial-order reduction: on or off (what user space sees does not depend on it)")
	fs.IntVar(&d.workers, "workers", 0, "parallel workers of the checks (0: all cores); results do not depend on it")
	fs.IntVar(&d.maxStates, "max-states", 0, "stop when a revision's states pass this many (0: no limit)")
	fs.IntVar(&d.maxPairs, "max-pairs", 0, "stop when the comparison's product states pass this many (0: no limit)")
	fs.StringVar(&d.format, "format", "text", "output: text or json")
	fs.StringVar(&d.cexDir, "cex-dir", "", "write each witness as a counterexample file (*.cex.json) into this directory")
	return fs, d
}

// diffResult is the comparison of one spec, as --format json prints it.
type diffResult struct {
	Spec string `json:"spec"`
	From string `json:"from"`
	To   string `json:"to"`
	// Same: the same behaviour and the same findings; SameBehaviour: the
	// same behaviour.
	Same          bool   `json:"same"`
	SameBehaviour bool   `json:"same_behaviour"`
	Limit         string `json:"limit,omitempty"`
	StatesFrom    int    `json:"states_from"`
	StatesTo      int    `json:"states_to"`
	Pairs         int    `json:"pairs"`
	// FromOnly and ToOnly are the behaviours only one revision shows.
	FromOnly *diffWitness `json:"from_only,omitempty"`
	ToOnly   *diffWitness `json:"to_only,omitempty"`
	// FindingsFromOnly and FindingsToOnly are the findings only one
	// revision has, "(known)" marking its known disagreements.
	FindingsFromOnly []string `json:"findings_from_only,omitempty"`
	FindingsToOnly   []string `json:"findings_to_only,omitempty"`

	lwps []int // the LWPs the spec names, for the timeline
}

type diffWitness struct {
	Revision string   `json:"revision"`
	Trace    []string `json:"trace"`
	Instead  []string `json:"instead"`
	Cex      string   `json:"cex,omitempty"`

	obs []model.Observation // Trace, for the timeline
}

func runDiff(args []string, stdout, stderr io.Writer) (int, error) {
	fs, df := newDiffFlags()
	paths, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if err := nonNegative(fs, "workers", "max-states", "max-pairs"); err != nil {
		return exitUsage, err
	}
	if df.from == "" || df.to == "" {
		return exitUsage, usagef("--from and --to name the revisions to compare (see lwpcheck list revisions)")
	}
	if df.por != "on" && df.por != "off" {
		return exitUsage, usagef("--por %q: want on or off", df.por)
	}
	if df.format != "text" && df.format != "json" {
		return exitUsage, usagef("unknown format %q (text or json)", df.format)
	}
	from, err := revisions.Lookup(df.from)
	if err != nil {
		return exitUsage, usagef("--from: %v", err)
	}
	to, err := revisions.Lookup(df.to)
	if err != nil {
		return exitUsage, usagef("--to: %v", err)
	}
	all, err := diffSpecs(paths, from, to)
	if err != nil {
		return exitUsage, err
	}
	if df.cexDir != "" {
		if err := os.MkdirAll(df.cexDir, 0o755); err != nil {
			return exitUsage, usagef("--cex-dir: %v", err)
		}
	}
	opt := compare.Options{MaxStates: df.maxStates, MaxPairs: df.maxPairs, POR: df.por == "on",
		Check: explore.Options{Workers: df.workers, MaxStates: int64(df.maxStates)}}
	var results []diffResult
	ctx, signalled, stop := interruptible()
	defer stop()
	for _, sp := range all {
		if ctx.Err() != nil {
			break // interrupted: report what is done
		}
		res, err := diffSpec(ctx, sp, from, to, opt, df.cexDir)
		if err != nil {
			return exitUsage, err
		}
		results = append(results, res)
		if df.format == "text" {
			printDiff(stdout, &res, df.cexDir != "")
		}
	}
	if df.format == "json" {
		if err := writeJSON(stdout, results); err != nil {
			return exitUsage, err
		}
	} else {
		printDiffSummary(stdout, results)
	}
	if sig := signalled(); sig != 0 {
		return sig, nil
	}
	return diffExit(results), nil
}

// diffSpecs reads the named specs, or the bundled specs both revisions
// support. A named spec either does not support is an error.
func diffSpecs(paths []string, from, to *model.Revision) ([]*specs.Spec, error) {
	all, err := readSpecs(paths)
	if err != nil {
		return nil, err
	}
	var out []*specs.Spec
	for _, sp := range all {
		revs, err := verdict.Revisions(sp)
		if err != nil {
			return nil, err
		}
		both := slices.Contains(revs, from) && slices.Contains(revs, to)
		switch {
		case both:
			out = append(out, sp)
		case len(paths) > 0:
			for _, r := range []*model.Revision{from, to} {
				if !slices.Contains(revs, r) {
					if _, err := model.New(r, sp); err != nil {
						return nil, err // names the op and its position
					}
					return nil, usagef("%s: the spec does not run on %s (its revisions line)", sp.File, r.Name)
				}
			}
		}
	}
	return out, nil
}

// diffSpec compares sp on from and to, writing the witnesses into cexDir
// if set.
func diffSpec(ctx context.Context, sp *specs.Spec, from, to *model.Revision, opt compare.Options, cexDir string) (diffResult, error) {
	res := diffResult{Spec: sp.Name, From: from.Name, To: to.Name}
	for _, p := range sp.Programs {
		res.lwps = append(res.lwps, p.LWP)
	}
	r, err := compare.Run(ctx, sp, from, to, opt)
	if ctx.Err() != nil {
		res.Limit = "interrupted"
		return res, nil
	}
	if errors.Is(err, refine.ErrLimit) {
		res.Limit = err.Error()
		return res, nil
	}
	if err != nil {
		return res, err
	}
	res.Same, res.SameBehaviour = r.Same(), r.FromOnly == nil && r.ToOnly == nil
	res.StatesFrom, res.StatesTo, res.Pairs = r.From.LTS.Reached, r.To.LTS.Reached, r.Pairs
	for _, x := range []struct {
		w   *compare.Witness
		out **diffWitness
	}{{r.FromOnly, &res.FromOnly}, {r.ToOnly, &res.ToOnly}} {
		if x.w == nil {
			continue
		}
		dw := &diffWitness{Revision: x.w.Rev.Name, Instead: x.w.Instead, obs: x.w.Trace}
		for _, o := range x.w.Trace {
			dw.Trace = append(dw.Trace, o.String())
		}
		if cexDir != "" {
			if dw.Cex, err = x.w.Cex.Save(cexDir); err != nil {
				return res, err
			}
		}
		*x.out = dw
	}
	res.FindingsFromOnly = markKnown(r.FindingsOnly(&r.From), &r.From)
	res.FindingsToOnly = markKnown(r.FindingsOnly(&r.To), &r.To)
	return res, nil
}

func markKnown(names []string, s *compare.Side) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if s.Known[n] {
			out[i] += " (known)"
		}
	}
	return out
}

func printDiff(w io.Writer, r *diffResult, wrote bool) {
	word := "same"
	switch {
	case r.Limit != "":
		word = "INCOMPLETE"
	case !r.Same:
		word = "differ"
	}
	fmt.Fprintf(w, "%-10s %-28s %s vs %s", word, r.Spec, r.From, r.To)
	if r.Limit != "" {
		fmt.Fprintf(w, "  %s\n", r.Limit)
		return
	}
	fmt.Fprintf(w, "  states=%d/%d pairs=%d\n", r.StatesFrom, r.StatesTo, r.Pairs)
	if r.SameBehaviour && !r.Same {
		fmt.Fprintf(w, "     behaviour: the same\n")
	}
	for i, dw := range []*diffWitness{r.FromOnly, r.ToOnly} {
		if dw == nil {
			continue
		}
		other := r.To
		if i == 1 {
			other = r.From
		}
		fmt.Fprintf(w, "     only on %s (%s):\n", dw.Revision, plural(len(dw.Trace), "observation"))
		printTimeline(w, r.lwps, dw.obs)
		instead := "nothing more"
		if len(dw.Instead) > 0 {
			instead = strings.Join(dw.Instead, "; ")
		}
		fmt.Fprintf(w, "       %s shows instead: %s\n", other, instead)
		if wrote {
			fmt.Fprintf(w, "       replay: lwpcheck replay %s\n", dw.Cex)
		} else {
			fmt.Fprintf(w, "       (--cex-dir DIR writes its run as a counterexample file)\n")
		}
	}
	for _, x := range []struct {
		rev   string
		names []string
	}{{r.From, r.FindingsFromOnly}, {r.To, r.FindingsToOnly}} {
		if len(x.names) > 0 {
			fmt.Fprintf(w, "     findings only on %s: %s\n", x.rev, strings.Join(x.names, ", "))
		}
	}
}

// printTimeline prints observations one a row, each in the column of its
// LWP.
func printTimeline(w io.Writer, lwps []int, trace []model.Observation) {
	col := map[int]int{}
	for i, l := range lwps {
		col[l] = i
	}
	rows := make([][]string, len(trace))
	width := make([]int, len(lwps))
	for i := range width {
		width[i] = len(fmt.Sprintf("LWP %d", lwps[i]))
	}
	for i, o := range trace {
		rows[i] = make([]string, len(lwps))
		switch o.Kind {
		case model.ObsReturn:
			rows[i][col[int(o.LWP)]] = fmt.Sprintf("%s -> %s", o.Call, o.Result)
		case model.ObsHang:
			for _, st := range o.Stuck {
				rows[i][col[int(st.LWP)]] = "hang in " + st.Call
			}
		case model.ObsPanic:
			rows[i][0] = "(kernel panic)"
		}
		for j, c := range rows[i] {
			width[j] = max(width[j], len(c))
		}
	}
	line := func(n string, cells []string) {
		var sb strings.Builder
		fmt.Fprintf(&sb, "       %4s  ", n)
		for j, c := range cells {
			fmt.Fprintf(&sb, "%-*s  ", width[j], c)
		}
		fmt.Fprintln(w, strings.TrimRight(sb.String(), " "))
	}
	head := make([]string, len(lwps))
	for i, l := range lwps {
		head[i] = fmt.Sprintf("LWP %d", l)
	}
	line("", head)
	for i, r := range rows {
		line(fmt.Sprint(i+1), r)
	}
}

func printDiffSummary(w io.Writer, results []diffResult) {
	same, behaviour, limited := 0, 0, 0
	for _, r := range results {
		switch {
		case r.Limit != "":
			limited++
		case r.Same:
			same++
		case !r.SameBehaviour:
			behaviour++
		}
	}
	differ := len(results) - same - limited
	fmt.Fprintf(w, "%s: %d same, %d differ (%d in behaviour, %d in findings only)", plural(len(results), "spec"), same, differ, behaviour, differ-behaviour)
	if limited > 0 {
		fmt.Fprintf(w, ", %d incomplete", limited)
	}
	fmt.Fprintln(w)
}

func diffExit(results []diffResult) int {
	code := exitOK
	for _, r := range results {
		switch {
		case r.Limit != "":
			if code == exitOK {
				code = exitIncomplete
			}
		case !r.Same:
			code = exitFinding
		}
	}
	return code
}

// plural is n and noun, with an s unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
