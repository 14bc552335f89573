package main

import (
	"context"
	"embed"
	"flag"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/peakrss"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// kernelRun explores one spec on one revision and reports the result and
// the wall time of the fastest of runs, and the most memory the process
// held at once during that run (0 where the system does not say).
func kernelRun(rev *model.Revision, sp *specs.Spec, por bool, workers, runs int) (*explore.Result, int64, error) {
	var best *explore.Result
	var rss int64
	for range runs {
		m, _, err := invariants.Build(rev, sp, 0)
		if err != nil {
			return nil, 0, err
		}
		m.POR = por
		measured := peakrss.Start()
		r, err := explore.Run(context.Background(), m, explore.Options{Workers: workers})
		if err != nil {
			return nil, 0, err
		}
		if best == nil || r.Elapsed < best.Elapsed {
			best, rss = r, 0
			if peak, ok := peakrss.Peak(); measured && ok {
				rss = peak
			}
		}
	}
	return best, rss, nil
}

// scenarios are benchmark inputs larger than any bundled spec (issue 18's
// 3-CPU and 4-LWP scenarios), selected by name with -specs.
//
//go:embed testdata/scenarios/*.yaml
var scenarios embed.FS

// lookupSpec returns the bundled spec or the scenario named name.
func lookupSpec(name string) (*specs.Spec, error) {
	sp, err := specs.Lookup(name)
	if err == nil {
		return sp, nil
	}
	file := "testdata/scenarios/" + name + ".yaml"
	data, rerr := scenarios.ReadFile(file)
	if rerr != nil {
		return nil, err
	}
	return specs.Parse(file, data)
}

// threeLWPSpecs are the bundled specs with at least three LWPs on two or
// more CPUs that run on every revision of revs.
func threeLWPSpecs(revs ...string) ([]*specs.Spec, error) {
	all, err := specs.Bundled()
	if err != nil {
		return nil, err
	}
	var out []*specs.Spec
	for _, sp := range all {
		runs := !slices.ContainsFunc(revs, func(r string) bool { return len(sp.Revisions) > 0 && !slices.Contains(sp.Revisions, r) })
		if len(sp.Programs) >= 3 && sp.CPUs >= 2 && runs {
			out = append(out, sp)
		}
	}
	return out, nil
}

// specsOn looks up the revision and the specs a subcommand measures; on
// an error it prints it and returns the usage exit code.
func specsOn(revName, names string, stderr io.Writer) (*model.Revision, []*specs.Spec, int) {
	rev, err := revisions.Lookup(revName)
	if err != nil {
		fmt.Fprintln(stderr, "lwpbench:", err)
		return nil, nil, 2
	}
	sel, err := selectSpecs(names, rev.Name)
	if err != nil {
		fmt.Fprintln(stderr, "lwpbench:", err)
		return nil, nil, 2
	}
	return rev, sel, 0
}

// selectSpecs returns the bundled specs names lists, or, if it is empty,
// those threeLWPSpecs picks for revs.
func selectSpecs(names string, revs ...string) ([]*specs.Spec, error) {
	if names == "" {
		return threeLWPSpecs(revs...)
	}
	var out []*specs.Spec
	for _, n := range strings.Split(names, ",") {
		sp, err := lookupSpec(n)
		if err != nil {
			return nil, err
		}
		out = append(out, sp)
	}
	return out, nil
}

// kernelCommand prints, for each selected spec on netbsd-2025, the states
// with the reduction off and on, and the time on 1 and on -workers
// workers, all measured in this run.
func kernelCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lwpbench kernel", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := fs.String("specs", "", "comma-separated bundled specs or scenarios (scenario-3cpu, scenario-4lwp) (default: the bundled specs with 3 or more LWPs on 2 CPUs)")
	workers := fs.Int("workers", runtime.NumCPU(), "workers of the parallel runs")
	runs := fs.Int("runs", 3, "runs of each configuration; the fastest is reported")
	revName := fs.String("revision", "netbsd-2025", "revision")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	rev, sel, code := specsOn(*revName, *names, stderr)
	if code != 0 {
		return code
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "spec\tstates POR off\tstates POR on\treduction\ts POR off (1 w)\ts POR on (1 w)\t"+
		fmt.Sprintf("s POR on (%d w)\tspeed-up 1→%d\tstates/s\ttable B/state\tRSS B/state\t", *workers, *workers))
	for _, sp := range sel {
		fmt.Fprintf(stderr, "%s...\n", sp.Name)
		off, _, err := kernelRun(rev, sp, false, 1, *runs)
		if err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		on1, _, err := kernelRun(rev, sp, true, 1, *runs)
		if err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		onN, rss, err := kernelRun(rev, sp, true, *workers, *runs)
		if err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.2f×\t%.2f\t%.2f\t%.2f\t%.2f×\t%.0f\t%.1f\t%s\t\n", sp.Name, off.States, on1.States,
			float64(off.States)/float64(on1.States), secs(off.Elapsed), secs(on1.Elapsed), secs(onN.Elapsed),
			secs(on1.Elapsed)/secs(onN.Elapsed), float64(onN.States)/secs(onN.Elapsed), onN.BytesPerState, perState(rss, onN.States))
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nfastest of %d run(s) each; POR: the model's transaction reduction (model.Machine.POR).\n", *runs)
	fmt.Fprintln(stdout, "table B/state: the fingerprint table per state; RSS B/state: the peak resident memory of the whole process")
	fmt.Fprintln(stdout, "during the parallel run (VmHWM, reset before it) per state, the Go runtime and the binary included.")
	return 0
}

func secs(d time.Duration) float64 { return d.Seconds() }

// perState renders bytes per state, or "-" where the bytes are unknown.
func perState(bytes, states int64) string {
	if bytes == 0 || states == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", float64(bytes)/float64(states))
}
