package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/readcap"
	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/verify"
)

var verifyVerb = &verb{
	name:  "verify",
	usage: "lwpcheck verify --revision R [--format auto|kdump|dtruss|jsonl] [--pid P] [--cpus N] [--attached] [--unseen N] [--env stop=N,cont=N,exit=N,core=N] [--preemptions N|unbounded] [--max-frontier N] [--output text|json] [--cex-dir DIR] TRACE",
	doc: `Check whether revision R can explain a recorded trace of a threaded
program: NetBSD kdump text (ktrace -i), dtruss output (with its PID/LWP
column) or JSON lines. Only the process's _lwp_* calls are read; kernel
steps, scheduling, preemption, migration and park timeouts are hidden and
may happen as the revision allows. The model's LWPs run the calls the trace
shows. Accepted: some run of the kernel shows these records in this order;
--cex-dir writes it as a counterexample file (lwpcheck replay walks it).
Rejected: the first record no run explains, why, and where each LWP is in
the states consistent with the trace before it.
Exit 0 accepted, 1 rejected, 2 a malformed trace or bad flag, 3 a limit
stopped it (the model's capacity, an argument the trace does not show, the
frontier bound).`,
	run:   runVerify,
	flags: func() *flag.FlagSet { fs, _ := newVerifyFlags(); return fs },
}

type verifyFlags struct {
	revision    string
	format      string
	pid         int64
	cpus        int
	attached    bool
	unseen      int
	env         string
	preemptions string
	maxFrontier int
	output      string
	cexDir      string
}

func newVerifyFlags() (*flag.FlagSet, *verifyFlags) {
	v := &verifyFlags{}
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.StringVar(&v.revision, "revision", "", "the revision to check the trace against (required)")
	fs.StringVar(&v.format, "format", "auto", "the trace's format: auto, kdump, dtruss or jsonl")
	fs.Int64Var(&v.pid, "pid", 0, "the process to check, when the trace holds several with _lwp_* calls")
	fs.IntVar(&v.cpus, "cpus", 0, fmt.Sprintf("the model's CPUs, 1 to %d (0: one per LWP, at most %d)", model.MaxCPUs, model.MaxCPUs))
	fs.BoolVar(&v.attached, "attached", false, "the capture began after the process started: LWPs that appear with no _lwp_create before them existed already")
	fs.IntVar(&v.unseen, "unseen", 0, "how many LWPs made by successful _lwp_create calls the trace may never show (a truncated capture)")
	fs.StringVar(&v.env, "env", "", "signals from outside the process, as many as may come: stop=N,cont=N,exit=N,core=N")
	fs.StringVar(&v.preemptions, "preemptions", strconv.Itoa(verify.DefaultPreemptions), "kernel preemptions and migrations in each gap between two records, or unbounded; a rejection under a bound is searched again without it")
	fs.IntVar(&v.maxFrontier, "max-frontier", verify.DefaultMaxFrontier, "stop (exit 3) when more states than this are consistent with a prefix of the trace")
	fs.StringVar(&v.output, "output", "text", "output: text or json")
	fs.StringVar(&v.cexDir, "cex-dir", "", "write the matching run of an accepted trace into this directory (*.cex.json)")
	return fs, v
}

func runVerify(args []string, stdout, stderr io.Writer) (int, error) {
	fs, vf := newVerifyFlags()
	paths, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if err := nonNegative(fs, "cpus", "unseen", "max-frontier"); err != nil {
		return exitUsage, err
	}
	if len(paths) != 1 {
		return exitUsage, usagef("name one trace file")
	}
	if vf.revision == "" {
		return exitUsage, usagef("--revision names the revision to check the trace against (see lwpcheck list revisions)")
	}
	rev, err := revisions.Lookup(vf.revision)
	if err != nil {
		return exitUsage, usagef("--revision: %v", err)
	}
	format, ok := recorded.ParseFormat(vf.format)
	if !ok {
		return exitUsage, usagef("--format %q: want auto, kdump, dtruss or jsonl", vf.format)
	}
	if vf.cpus > model.MaxCPUs {
		return exitUsage, usagef("--cpus %d: the model has 1 to %d CPUs", vf.cpus, model.MaxCPUs)
	}
	if vf.output != "text" && vf.output != "json" {
		return exitUsage, usagef("--output %q: want text or json", vf.output)
	}
	o := verify.Options{Revision: rev, PID: vf.pid, CPUs: vf.cpus, Attached: vf.attached, Unseen: vf.unseen,
		MaxFrontier: vf.maxFrontier, Witness: vf.cexDir != ""}
	if o.Env, err = parseEnv(vf.env, rev); err != nil {
		return exitUsage, err
	}
	switch n, err := strconv.Atoi(vf.preemptions); {
	case vf.preemptions == "unbounded":
		o.Preemptions = verify.Unbounded
	case err != nil || n < 1 || n >= model.EnvUnlimited:
		return exitUsage, usagef("--preemptions %q: want 1 to %d, or unbounded", vf.preemptions, model.EnvUnlimited-1)
	default:
		o.Preemptions = n
	}
	if vf.cexDir != "" {
		if st, err := os.Stat(vf.cexDir); err != nil || !st.IsDir() {
			return exitUsage, usagef("--cex-dir %s: not a directory", vf.cexDir)
		}
	}
	// Listening starts before the trace is read, which takes a while for
	// a long one: a signal meanwhile stops the check at its first record.
	ctx, signalled, stop := interruptible()
	defer stop()
	f, err := os.Open(paths[0])
	if err != nil {
		return exitUsage, usagef("%v", err)
	}
	defer f.Close()
	tr, err := recorded.Parse(paths[0], readcap.Reader(f, paths[0], readcap.Trace), format)
	var tl *readcap.TooLarge
	switch {
	case errors.As(err, &tl):
		return exitUsage, tl
	case err != nil:
		return exitUsage, err
	}
	o.Context = ctx
	r, err := verify.Run(tr, o)
	if sig := signalled(); sig != 0 {
		// Interrupted: say where it stopped, and exit as shells expect.
		fmt.Fprintf(stderr, "lwpcheck verify: %v\n", err)
		return sig, nil
	}
	var ie *verify.InputError
	var le *verify.LimitError
	switch {
	case errors.As(err, &ie):
		return exitUsage, err
	case errors.As(err, &le):
		return exitIncomplete, err
	case err != nil:
		return exitUsage, err
	}
	var cex string
	if r.Witness != nil {
		if cex, err = r.Witness.Save(vf.cexDir); err != nil {
			return exitUsage, err
		}
	}
	if vf.output == "json" {
		if err := writeVerifyJSON(stdout, r, cex); err != nil {
			return exitUsage, err
		}
	} else {
		writeVerifyText(stdout, r, cex, vf.cexDir != "")
	}
	switch {
	case r.Verdict == verify.Accepted:
		return exitOK, nil
	case r.Bounded != "":
		return exitIncomplete, nil
	}
	return exitFinding, nil
}

// parseEnv reads --env: stop=N,cont=N,exit=N,core=N.
func parseEnv(s string, rev *model.Revision) (specs.Env, error) {
	var env specs.Env
	if s == "" {
		return env, nil
	}
	for part := range strings.SplitSeq(s, ",") {
		name, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		n, err := strconv.Atoi(val)
		if !ok || err != nil || n < 0 || n > specs.MaxEnv {
			return env, usagef("--env %q: want EVENT=N with N from 0 to %d", part, specs.MaxEnv)
		}
		dst := map[string]*int{"stop": &env.Stop, "cont": &env.Cont, "exit": &env.Exit, "core": &env.Core}[name]
		if dst == nil {
			return env, usagef("--env: unknown event %q (stop, cont, exit or core; timeouts, preemption and migration are not bounded this way)", name)
		}
		*dst = n
	}
	if why := rev.Kernel.LacksEnv(env); why != "" {
		return env, usagef("--env: %s", why)
	}
	return env, nil
}

func writeVerifyText(w io.Writer, r *verify.Result, cex string, wantCex bool) {
	fmt.Fprintf(w, "%s: %s on %s: %d records of process %d (%s)\n", r.File, r.Verdict, r.Revision, r.Records, r.PID, r.Reading)
	if r.Verdict == verify.Rejected {
		fmt.Fprintf(w, "%s:%d: %s\n", r.File, r.At.Line, r.Reason)
		fmt.Fprintf(w, "  %d records before it are explained; there, the states consistent with the trace have:\n", r.Explained)
		for _, f := range r.Frontier {
			fmt.Fprintf(w, "    %s\n", f)
		}
		if len(r.Alternatives) > 0 {
			fmt.Fprintln(w, "  the kernel could show instead:")
			for _, a := range r.Alternatives {
				fmt.Fprintf(w, "    %s\n", a)
			}
		}
		if r.Bounded != "" {
			fmt.Fprintf(w, "  incomplete: %s\n", r.Bounded)
		}
	}
	switch {
	case cex != "":
		fmt.Fprintf(w, "  the matching run: %s (lwpcheck replay %s)\n", cex, cex)
	case wantCex && r.Verdict == verify.Accepted:
		fmt.Fprintf(w, "  no counterexample file: %s\n", r.NoWitness)
	}
	fmt.Fprintf(w, "  frontier: at most %d states (line %d); %d states visited; %d reading(s) of which create made which LWP; %.2fs\n",
		r.Stats.MaxFrontier, r.Stats.MaxAt, r.Stats.States, r.Plans, r.Stats.Elapsed.Seconds())
}

// verifyJSON is a verdict as --output json prints it.
type verifyJSON struct {
	File         string   `json:"file"`
	Revision     string   `json:"revision"`
	Verdict      string   `json:"verdict"`
	PID          int64    `json:"pid"`
	Records      int      `json:"records"`
	Reading      string   `json:"reading"`
	Line         int      `json:"line,omitempty"`
	Reason       string   `json:"reason,omitempty"`
	Explained    int      `json:"explained"`
	Frontier     []string `json:"frontier,omitempty"`
	Alternatives []string `json:"alternatives,omitempty"`
	Incomplete   string   `json:"incomplete,omitempty"`
	Cex          string   `json:"cex,omitempty"`
	NoCex        string   `json:"no_cex,omitempty"`
	MaxFrontier  int      `json:"max_frontier"`
	States       int      `json:"states"`
	Seconds      float64  `json:"seconds"`
}

func writeVerifyJSON(w io.Writer, r *verify.Result, cex string) error {
	v := verifyJSON{File: r.File, Revision: r.Revision, Verdict: r.Verdict.String(), PID: r.PID, Records: r.Records,
		Reading: r.Reading, Explained: r.Explained, Frontier: r.Frontier, Alternatives: r.Alternatives,
		Incomplete: r.Bounded, Cex: cex, NoCex: r.NoWitness, MaxFrontier: r.Stats.MaxFrontier, States: r.Stats.States,
		Seconds: r.Stats.Elapsed.Seconds()}
	if r.Verdict == verify.Rejected {
		v.Line, v.Reason = r.At.Line, r.Reason
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
