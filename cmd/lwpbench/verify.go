package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/verify"
)

// verifyCommand measures lwpcheck verify on generated traces: for each
// length, a random run of the revision whose LWPs (-lwps, on -cpus CPUs)
// park (with a timeout), unpark, wake, continue, name each other and ask
// their lids,
// recorded as JSON lines (verify.Random, Steady), then read and checked.
// It prints the records, the time to read and to check the trace, the
// time per record, the frontier's largest size, the states visited per
// record and the heap's peak while checking. Each time is the fastest of
// -runs runs.
func verifyCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lwpbench verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	revName := fs.String("revision", "netbsd-2025", "the revision")
	sizes := fs.String("records", "1000,10000,100000", "comma-separated trace lengths, in records")
	runs := fs.Int("runs", 1, "runs of each verification; the fastest is reported")
	seed := fs.Uint64("seed", 1, "the random run's seed")
	lwps := fs.Int("lwps", 2, "LWPs in the run (1 to 5)")
	cpus := fs.Int("cpus", 2, "CPUs of the run and of the check (1 to 4)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *runs < 1 || *lwps < 1 || *lwps > 5 || *cpus < 1 || *cpus > 4 {
		fmt.Fprintln(stderr, "lwpbench verify: want flags only, -runs of at least 1, -lwps 1 to 5 and -cpus 1 to 4")
		return 2
	}
	rev, err := revisions.Lookup(*revName)
	if err != nil {
		fmt.Fprintln(stderr, "lwpbench:", err)
		return 2
	}
	var ns []int
	for s := range strings.SplitSeq(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			fmt.Fprintf(stderr, "lwpbench verify: -records: want positive numbers, got %q\n", s)
			return 2
		}
		ns = append(ns, n)
	}
	tw := tabwriter.NewWriter(stdout, 0, 8, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "records\tMB trace\ts read\ts check\tµs/record\tverdict\tmax frontier\tstates/record\tMB peak heap\t\n")
	for _, n := range ns {
		fmt.Fprintf(stderr, "%d records...\n", n)
		events, err := verify.Random(rev, verify.RandomOptions{Seed: *seed, Records: n, Steady: true, LWPs: *lwps, CPUs: *cpus})
		if err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		var buf bytes.Buffer
		if err := recorded.WriteJSONL(&buf, events); err != nil {
			fmt.Fprintln(stderr, "lwpbench:", err)
			return 1
		}
		var read, check time.Duration
		var r *verify.Result
		var peak uint64
		for i := range *runs {
			t0 := time.Now()
			tr, err := recorded.Parse("bench.jsonl", bytes.NewReader(buf.Bytes()), recorded.JSONL)
			if err != nil {
				fmt.Fprintln(stderr, "lwpbench:", err)
				return 1
			}
			t1 := time.Now()
			stop := sampleHeap(&peak)
			res, err := verify.Run(tr, verify.Options{Revision: rev, CPUs: *cpus})
			stop()
			t2 := time.Now()
			if err != nil {
				fmt.Fprintln(stderr, "lwpbench:", err)
				return 1
			}
			if i == 0 || t1.Sub(t0) < read {
				read = t1.Sub(t0)
			}
			if i == 0 || t2.Sub(t1) < check {
				check, r = t2.Sub(t1), res
			}
		}
		fmt.Fprintf(tw, "%d\t%.1f\t%.3f\t%.3f\t%.1f\t%s\t%d\t%.1f\t%.0f\t\n", len(events), float64(buf.Len())/1e6,
			read.Seconds(), check.Seconds(), float64(check.Microseconds())/float64(len(events)), r.Verdict,
			r.Stats.MaxFrontier, float64(r.Stats.States)/float64(len(events)), float64(peak)/1e6)
	}
	tw.Flush()
	return 0
}

// sampleHeap records, until stop is called, the largest heap in use.
func sampleHeap(peak *uint64) (stop func()) {
	runtime.GC()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			*peak = max(*peak, ms.HeapInuse)
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}
