package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/traces"
)

var replayVerb = &verb{
	name:  "replay",
	usage: "lwpcheck replay CEX [--step] [--source DIR] [--por-explain] [--format text|json|html|dot|mermaid]",
	doc: `Re-execute a counterexample file (*.cex.json, written by check --cex-dir) on
the model built from its embedded spec and its revision, with every invariant
family, and list it: each step's actor and CPU, kernel function and
operation, source line (file@rev:line, and with --source the C line from a
NetBSD source tree, or from the history of a git checkout of it, each file
at the revision cited; without them, a link to the line on NetBSD's source
cross-reference), the state change, the locks held and the process
counters. --step walks the steps interactively (commands on standard input:
n, b, j N, l N for LWP N's next step, s for the whole state, q). The other
formats export the replay: json (machine-readable
steps), html (one self-contained page with a timeline), dot (Graphviz) and
mermaid (a sequence diagram). --por-explain is the reduction's debug view:
before each step it lists every action enabled in that state, whether an
ample set deferred it, and what makes it depend on the others (the "por:"
lines, always shown, say why steps were merged into one transition).
Exit 0 when the recorded violation recurs, 1 when the steps replay but it no
longer occurs (the model changed), 2 when the file is malformed or a step
cannot be executed (the first such step is named).`,
	run: runReplay,
	flags: func() *flag.FlagSet {
		fs, _ := newReplayFlags()
		return fs
	},
}

type replayFlags struct {
	step       bool
	source     string
	format     string
	explainPOR bool
}

func newReplayFlags() (*flag.FlagSet, *replayFlags) {
	r := &replayFlags{}
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.BoolVar(&r.step, "step", false, "walk the steps interactively, reading commands from standard input")
	fs.StringVar(&r.source, "source", "", "NetBSD source tree or git checkout to print the C lines from (DIR/sys/kern/kern_lwp.c ...)")
	fs.StringVar(&r.format, "format", "text", "output: text, json, html, dot or mermaid")
	fs.BoolVar(&r.explainPOR, "por-explain", false, "list, before each step, every enabled action, whether an ample set deferred it, and what makes it depend on the others")
	return fs, r
}

// renderers write a replay in each --format.
var renderers = map[string]func(*traces.Report, io.Writer) error{
	"text":    (*traces.Report).WriteText,
	"json":    (*traces.Report).WriteJSON,
	"html":    (*traces.Report).WriteHTML,
	"dot":     (*traces.Report).WriteDOT,
	"mermaid": (*traces.Report).WriteMermaid,
}

// stdin is where --step reads its commands.
var stdin io.Reader = os.Stdin

func runReplay(args []string, stdout, stderr io.Writer) (int, error) {
	fs, rf := newReplayFlags()
	files, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	render, ok := renderers[rf.format]
	switch {
	case len(files) != 1:
		return exitUsage, usagef("replay takes one counterexample file (run `lwpcheck help replay`)")
	case !ok:
		return exitUsage, usagef("unknown format %q (text, json, html, dot or mermaid)", rf.format)
	case rf.step && rf.format != "text":
		return exitUsage, usagef("--step shows text: drop --format %s", rf.format)
	}
	path := files[0]
	run, err := replayFile(path)
	if err != nil {
		return exitUsage, err
	}
	o := traces.Options{Name: filepath.Base(path), ExplainPOR: rf.explainPOR}
	if rf.source != "" {
		if st, err := os.Stat(rf.source); err != nil || !st.IsDir() {
			return exitUsage, usagef("--source %s: not a directory", rf.source)
		}
		o.Source = traces.NewSource(rf.source)
	}
	rep := run.Report(o)
	if rf.step {
		err = rep.Walk(stdin, stdout)
	} else {
		err = render(rep, stdout)
	}
	if err != nil {
		return exitUsage, err
	}
	if !run.Recurs {
		return exitFinding, fmt.Errorf("%s: %s", path, run.Verdict())
	}
	return exitOK, nil
}

// replayFile reads the counterexample at path and re-executes it on its
// spec and revision with every invariant family.
func replayFile(path string) (*traces.Run, error) {
	c, err := traces.Read(path)
	if err != nil {
		return nil, err
	}
	rev, err := revisions.Lookup(c.Revision)
	if err != nil {
		return nil, c.ErrorAt("revision", "%v", err)
	}
	sp, err := c.ParseSpec(path)
	if err != nil {
		return nil, err
	}
	m, _, err := invariants.Build(rev, sp, 0)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	m.POR, m.Ktrace = c.POR, c.Ktrace
	run, err := traces.Replay(m, c)
	var pe *traces.ParseError
	switch {
	case errors.As(err, &pe): // names the file, at a line and column
		return nil, err
	case err != nil:
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return run, nil
}
