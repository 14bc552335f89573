package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"runtime"
	"text/tabwriter"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// cyclesRun checks one spec as lwpcheck check does, with the cycle check
// (fair) or without it, and returns the fastest of runs with the largest
// heap seen during it.
func cyclesRun(rev *model.Revision, sp *specs.Spec, fair explore.Fairness, workers, runs int) (*explore.Result, uint64, error) {
	var (
		best *explore.Result
		peak uint64
	)
	for range runs {
		m, c, err := invariants.Build(rev, sp, 0)
		if err != nil {
			return nil, 0, err
		}
		m.POR = true
		var p uint64
		stop := sampleHeap(&p)
		r, err := explore.Run(context.Background(), m, explore.Options{Workers: workers, Cycles: c.Liveness(fair)})
		stop()
		if err != nil {
			return nil, 0, err
		}
		peak = max(peak, p)
		if best == nil || r.Elapsed < best.Elapsed {
			best = r
		}
	}
	return best, peak, nil
}

// cyclesCommand prints, for each selected spec, the cost of the cycle
// check: time and peak heap of the same run without and with it, and the
// size of the state graph it builds.
func cyclesCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lwpbench cycles", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := fs.String("specs", "", "comma-separated bundled specs (default: those with 3 or more LWPs on 2 CPUs)")
	workers := fs.Int("workers", runtime.NumCPU(), "workers of the main search")
	runs := fs.Int("runs", 1, "runs of each configuration; the fastest is reported")
	revName := fs.String("revision", "netbsd-2025", "revision")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *workers < 1 || *runs < 1 {
		fmt.Fprintln(stderr, "lwpbench cycles: want positive -workers and -runs and no arguments")
		return 2
	}
	rev, sel, code := specsOn(*revName, *names, stderr)
	if code != 0 {
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spec\tstates\ts without\ts with\ttime ×\tMB peak without\tMB peak with\tmemory ×\tgraph states\tgraph edges\tMB graph\tverdict without\tverdict with\t")
	for _, sp := range sel {
		fmt.Fprintf(stderr, "%s...\n", sp.Name)
		off, offPeak, err := cyclesRun(rev, sp, explore.NoCycles, *workers, *runs)
		if err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		on, onPeak, err := cyclesRun(rev, sp, explore.Weak, *workers, *runs)
		if err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		g := on.Cycles
		fmt.Fprintf(tw, "%s\t%d\t%.2f\t%.2f\t%.2f\t%.0f\t%.0f\t%.2f\t%d\t%d\t%.0f\t%s\t%s\t\n", sp.Name, off.States,
			secs(off.Elapsed), secs(on.Elapsed), secs(on.Elapsed)/secs(off.Elapsed),
			float64(offPeak)/1e6, float64(onPeak)/1e6, float64(onPeak)/float64(offPeak),
			g.States, g.Edges, float64(g.Bytes)/1e6, off.Verdict, on.Verdict)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\n%s, the model's reduction on, %d worker(s) for the main search (the cycle check is sequential); fastest of %d run(s); peak heap sampled every 20 ms.\n",
		rev.Name, *workers, *runs)
	return 0
}
