package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/explore/models/peterson"
	"github.com/lwpcheck/lwpcheck/explore/models/phils"
)

// panMemLimit is pan's memory limit in MB (-DMEMLIM).
const panMemLimit = 8192

// A benchModel is one model both tools explore.
type benchModel struct {
	name string
	n    int    // the instance, N for the engine and for Promela's -DN
	pml  string // the Promela port, in the -pml directory
	run  func(ctx context.Context, n, workers int) (*explore.Result, error)
}

var benchModels = []benchModel{
	{name: "phils", n: 12, pml: "phils.pml", run: func(ctx context.Context, n, workers int) (*explore.Result, error) {
		m, err := phils.New(phils.Config{N: n})
		if err != nil {
			return nil, err
		}
		return explore.Run[phils.State](ctx, m, explore.Options{Workers: workers})
	}},
	{name: "peterson", n: 4, pml: "peterson.pml", run: func(ctx context.Context, n, workers int) (*explore.Result, error) {
		m, err := peterson.New(peterson.Config{N: n})
		if err != nil {
			return nil, err
		}
		return explore.Run[peterson.State](ctx, m, explore.Options{Workers: workers})
	}},
}

// A row is one line of the table.
type row struct {
	model         string
	tool          string
	workers       int
	states        int64
	transitions   int64
	seconds       float64
	bytesPerState float64
	found         string
}

func (r *row) rate() float64 {
	if r.seconds <= 0 {
		return 0
	}
	return float64(r.states) / r.seconds
}

func spinCommand(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("lwpbench spin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	names := fs.String("models", "phils,peterson", "comma-separated models to run: phils, peterson")
	workers := fs.Int("workers", runtime.NumCPU(), "workers of the engine's parallel run")
	runs := fs.Int("runs", 3, "runs of each configuration; the fastest is reported")
	pmlDir := fs.String("pml", filepath.Join("testdata", "spin"), "directory of the Promela models")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 || *workers < 1 || *runs < 1 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var selected []benchModel
	for _, name := range strings.Split(*names, ",") {
		i := slices.IndexFunc(benchModels, func(m benchModel) bool { return m.name == name })
		if i < 0 {
			fmt.Fprintf(stderr, "lwpbench spin: unknown model %q (have phils, peterson)\n", name)
			return 2
		}
		selected = append(selected, benchModels[i])
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	spinVersion, err := ensureSpin(ctx, stderr)
	if err != nil {
		fmt.Fprintf(stdout, "SPIN not available: %v\n", err)
	}
	haveSpin := err == nil
	sources := map[string][]byte{}
	for _, m := range selected {
		src, err := os.ReadFile(filepath.Join(*pmlDir, m.pml))
		if err != nil && haveSpin {
			fmt.Fprintf(stderr, "lwpbench spin: %v (run lwpbench from the module root, or give -pml)\n", err)
			return 2
		}
		sources[m.name] = src
	}
	dir, err := os.MkdirTemp("", "lwpbench-spin-")
	if err != nil {
		fmt.Fprintf(stderr, "lwpbench spin: %v\n", err)
		return 1
	}
	defer os.RemoveAll(dir)

	var rows []row
	var notes []string
	for _, m := range selected {
		label := fmt.Sprintf("%s N=%d", m.name, m.n)
		ws := []int{1}
		if *workers != 1 {
			ws = append(ws, *workers)
		}
		var states int64
		for _, w := range ws {
			fmt.Fprintf(stderr, "%s: engine, %d worker(s)\n", label, w)
			r, err := bestEngineRun(ctx, m, w, *runs)
			if err != nil {
				fmt.Fprintf(stderr, "lwpbench spin: %s: %v\n", label, err)
				return 1
			}
			states = r.States
			rows = append(rows, row{
				model: label, tool: "engine", workers: w,
				states: r.States, transitions: r.Transitions, seconds: r.Elapsed.Seconds(),
				bytesPerState: r.BytesPerState, found: findingNames(r),
			})
		}
		if !haveSpin {
			continue
		}
		fmt.Fprintf(stderr, "%s: SPIN\n", label)
		p, err := bestSpinRun(ctx, filepath.Join(dir, m.name), m, sources[m.name], states, *runs)
		if err != nil {
			fmt.Fprintf(stderr, "lwpbench spin: %s: %v\n", label, err)
			return 1
		}
		found := "-"
		if p.Errors > 0 {
			found = fmt.Sprintf("%d error(s)", p.Errors)
		}
		rows = append(rows, row{
			model: label, tool: "SPIN", workers: 1,
			states: p.States, transitions: p.Transitions, seconds: p.Seconds,
			bytesPerState: p.StoreBytes() / float64(p.States), found: found,
		})
		if p.States != states {
			notes = append(notes, fmt.Sprintf("%s: SPIN stores %d states, the engine %d", label, p.States, states))
		}
	}
	printTable(stdout, rows)
	fmt.Fprintf(stdout, "\nfastest of %d run(s) each. engine: BFS, 64-bit fingerprints; B/state = Result.BytesPerState;\n", *runs)
	fmt.Fprintln(stdout, "  seconds include the second BFS pass that rebuilds the traces of findings.")
	if haveSpin {
		fmt.Fprintf(stdout, "SPIN: %s; spin -o1 -o3 -a; gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=%d; pan -m<states+1> -w<bits> -c0 -n:\n", spinVersion, panMemLimit)
		fmt.Fprintln(stdout, "  exhaustive DFS, full state vectors, no partial-order reduction;")
		fmt.Fprintln(stdout, "  B/state = (actual memory usage for states + memory used for hash table) / states stored.")
		fmt.Fprintln(stdout, "  SPIN's transitions count the initial state (stored + matched).")
	}
	for _, n := range notes {
		fmt.Fprintln(stdout, "note:", n)
	}
	return 0
}

// bestEngineRun explores m runs times and returns the fastest run.
func bestEngineRun(ctx context.Context, m benchModel, workers, runs int) (*explore.Result, error) {
	var best *explore.Result
	for range runs {
		runtime.GC()
		r, err := m.run(ctx, m.n, workers)
		if err != nil {
			return nil, err
		}
		if r.Verdict == explore.Incomplete {
			return nil, fmt.Errorf("the search stopped early: %s", r.Limit)
		}
		if best == nil || r.Elapsed < best.Elapsed {
			best = r
		}
	}
	return best, nil
}

func findingNames(r *explore.Result) string {
	if len(r.Findings) == 0 {
		return "-"
	}
	var names []string
	for _, f := range r.Findings {
		names = append(names, f.Name)
	}
	return strings.Join(names, ",")
}

// ensureSpin makes sure spin and a C compiler are installed, installing
// spin with apt-get if needed, and returns spin's version line.
func ensureSpin(ctx context.Context, log io.Writer) (string, error) {
	if _, err := exec.LookPath("spin"); err != nil {
		fmt.Fprintln(log, "spin not found: apt-get install -y spin")
		if err := aptInstallSpin(ctx); err != nil {
			return "", err
		}
	}
	if _, err := exec.LookPath("gcc"); err != nil {
		return "", fmt.Errorf("no C compiler to build pan: %v", err)
	}
	out, err := exec.CommandContext(ctx, "spin", "-V").Output()
	if err != nil {
		return "", fmt.Errorf("spin -V: %v", err)
	}
	return strings.TrimSpace(firstLine(out)), nil
}

func aptInstallSpin(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Minute)
	defer cancel()
	apt := func(args ...string) error {
		cmd := exec.CommandContext(ctx, "apt-get", args...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		out, err := cmd.CombinedOutput()
		if err == nil {
			return nil
		}
		if msg := lastLine(out); msg != "" {
			err = fmt.Errorf("%v: %s", err, msg)
		}
		return fmt.Errorf("apt-get %s: %w", strings.Join(args, " "), err)
	}
	err := apt("install", "-y", "spin")
	if err == nil {
		return nil
	}
	// A fresh machine may not have the package lists yet.
	if uerr := apt("update"); uerr != nil {
		return fmt.Errorf("%v; %v", err, uerr)
	}
	return apt("install", "-y", "spin")
}

// bestSpinRun generates and compiles pan for m from its Promela source src
// in dir and runs it runs times; it returns the fastest run. states, the
// engine's count, sizes the depth limit and the hash table.
func bestSpinRun(ctx context.Context, dir string, m benchModel, src []byte, states int64, runs int) (*panStats, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, m.pml), src, 0o644); err != nil {
		return nil, err
	}
	if _, err := command(ctx, dir, "spin", "-o1", "-o3", fmt.Sprintf("-DN=%d", m.n), "-a", m.pml); err != nil {
		return nil, err
	}
	if _, err := command(ctx, dir, "gcc", "-O2", "-DSAFETY", "-DNOREDUCE", fmt.Sprintf("-DMEMLIM=%d", panMemLimit), "-o", "pan", "pan.c"); err != nil {
		return nil, err
	}
	panArgs := []string{
		fmt.Sprintf("-m%d", states+1),
		fmt.Sprintf("-w%d", max(bits.Len64(uint64(states)), 10)),
		"-c0", "-n",
	}
	var best *panStats
	for range runs {
		out, err := command(ctx, dir, "./pan", panArgs...)
		if err != nil {
			return nil, err
		}
		p, err := parsePan(out)
		if err != nil {
			return nil, err
		}
		if p.Truncated {
			return nil, errors.New("pan: max search depth too small")
		}
		if best == nil || p.Seconds < best.Seconds {
			best = p
		}
	}
	return best, nil
}

// command runs name in dir and returns its standard output.
func command(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := lastLine(stderr.Bytes())
		if msg == "" {
			msg = lastLine(stdout.Bytes())
		}
		return "", fmt.Errorf("%s %s: %v: %s", name, strings.Join(args, " "), err, msg)
	}
	return stdout.String(), nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(string(b), "\n")
	return s
}

func lastLine(b []byte) string {
	s := strings.TrimSpace(string(b))
	return s[strings.LastIndexByte(s, '\n')+1:]
}

func printTable(w io.Writer, rows []row) {
	spin := map[string]float64{}
	for _, r := range rows {
		if r.tool == "SPIN" {
			spin[r.model] = r.rate()
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "model\ttool\tworkers\tstates\ttransitions\tseconds\tstates/s\tB/state\tengine/SPIN\tfound\t")
	for _, r := range rows {
		ratio := "-"
		if s := spin[r.model]; r.tool != "SPIN" && s > 0 {
			ratio = fmt.Sprintf("%.2f", r.rate()/s)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%.3f\t%.0f\t%.1f\t%s\t%s\t\n",
			r.model, r.tool, r.workers, r.states, r.transitions, r.seconds, r.rate(), r.bytesPerState, ratio, r.found)
	}
	tw.Flush()
}
