package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lwpcheck/lwpcheck/compare"
	"github.com/lwpcheck/lwpcheck/revisions"
)

// diffCommand prints, for each selected spec, what lwpcheck diff costs:
// the states and transitions of each revision's system of observations
// and the time to build it, the product states and determinised states of
// the comparison and its time, and the memory of the two systems. Each
// figure is the fastest of -runs runs.
func diffCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lwpbench diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := fs.String("specs", "", "comma-separated bundled specs (default: those with 3 or more LWPs on 2 CPUs)")
	runs := fs.Int("runs", 3, "runs of each comparison; the fastest is reported")
	fromName := fs.String("from", "netbsd-5", "the first revision")
	toName := fs.String("to", "netbsd-2025", "the second revision")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *runs < 1 {
		fmt.Fprintln(stderr, "lwpbench diff: want flags only, and -runs of at least 1")
		return 2
	}
	from, err := revisions.Lookup(*fromName)
	if err != nil {
		fmt.Fprintln(stderr, "lwpbench:", err)
		return 2
	}
	to, err := revisions.Lookup(*toName)
	if err != nil {
		fmt.Fprintln(stderr, "lwpbench:", err)
		return 2
	}
	sel, err := selectSpecs(*names, from.Name, to.Name)
	if err != nil {
		fmt.Fprintln(stderr, "lwpbench:", err)
		return 2
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "spec\tstates %s\tstates %s\ttransitions\ts build\tpairs\tsubsets\ts compare\tMB systems\tsame\t\n", from.Name, to.Name)
	for _, sp := range sel {
		fmt.Fprintf(stderr, "%s...\n", sp.Name)
		var best *compare.Report
		for range *runs {
			r, err := compare.Run(context.Background(), sp, from, to, compare.Options{POR: true})
			if err != nil {
				fmt.Fprintln(stderr, "lwpbench:", err)
				return 1
			}
			if best == nil || r.From.Build+r.To.Build+r.Compare < best.From.Build+best.To.Build+best.Compare {
				best = r
			}
		}
		r := best
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d+%d\t%.2f\t%d\t%d+%d\t%.3f\t%.1f\t%v\t\n", sp.Name,
			r.From.LTS.Reached, r.To.LTS.Reached, r.From.LTS.Transitions(), r.To.LTS.Transitions(),
			secs(r.From.Build+r.To.Build), r.Pairs, r.Subsets[0], r.Subsets[1], secs(r.Compare),
			float64(r.From.LTS.Bytes()+r.To.LTS.Bytes())/(1<<20), r.FromOnly == nil && r.ToOnly == nil)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nfastest of %d run(s) each, with the model's reduction; s build: both systems, sequentially; "+
		"same: the same behaviour.\n", *runs)
	return 0
}
