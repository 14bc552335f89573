package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
)

// suspendRunningCex checks the bundled suspend-running spec, writes its
// counterexamples into a temporary directory with writeCexFiles, and
// returns the deadlock's file.
func suspendRunningCex(t *testing.T) string {
	t.Helper()
	sp, err := specs.Lookup("suspend-running")
	if err != nil {
		t.Fatal(err)
	}
	rev, err := revisions.Lookup("netbsd-2025")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := invariants.Build(rev, sp, sp.Check)
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Run(context.Background(), m, explore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "cex")
	paths, err := writeCexFiles(dir, rev, sp, m, r)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != len(r.Findings) {
		t.Fatalf("%d files for %d findings", len(paths), len(r.Findings))
	}
	path := filepath.Join(dir, "suspend-running-netbsd-2025-deadlock.cex.json")
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no deadlock file among %q: %v", paths, err)
	}
	return path
}

// replayOut runs `lwpcheck replay ARGS...` and returns its output and
// exit code.
func replayOut(args ...string) (stdout, stderr string, code int) {
	var out, errb bytes.Buffer
	code = run(append([]string{"replay"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

func TestReplayFormats(t *testing.T) {
	path := suspendRunningCex(t)
	for _, tc := range []struct {
		args  []string
		start string // how the output begins
		has   string // something it contains
	}{
		{[]string{path}, "counterexample: suspend-running-netbsd-2025-deadlock.cex.json\n", "\nresult: the violation recurs: deadlock: "},
		{[]string{"--format", "text", path}, "counterexample: ", "\nstep 1  LWP 1 on cpu0  "},
		{[]string{path, "--format", "json"}, "{\n  \"format\": \"lwpcheck-replay/1\",", `"recurs": true`},
		{[]string{path, "--format=html"}, "<!DOCTYPE html>", `<div id="timeline"`},
		{[]string{path, "--format", "dot"}, "digraph cex {\n", " -> s1 ["},
		{[]string{path, "--format", "mermaid"}, "---\ntitle: ", "\nsequenceDiagram\n"},
		{[]string{path, "--por-explain"}, "counterexample: ", "\n        enabled before it:\n          [cpu0 syscall] LWP 1 syscall: sys__lwp_create"},
		{[]string{path, "--por-explain", "--format", "json"}, "{\n", `"reduction": [`},
	} {
		t.Run(strings.Join(tc.args[1:], " "), func(t *testing.T) {
			out, errs, code := replayOut(tc.args...)
			if code != exitOK || errs != "" {
				t.Fatalf("exit %d, stderr %q", code, errs)
			}
			if !strings.HasPrefix(out, tc.start) || !strings.Contains(out, tc.has) {
				t.Errorf("output does not begin with %q and contain %q:\n%.600s", tc.start, tc.has, out)
			}
		})
	}
}

func TestReplayExitCodes(t *testing.T) {
	path := suspendRunningCex(t)
	c, err := traces.Read(path)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string, c *traces.Cex) string {
		data, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	// The steps replay, but stop before the deadlock: the model "changed".
	early := *c
	early.Steps = c.Steps[:len(c.Steps)-3]
	earlyPath := write("early.cex.json", &early)
	// A step is missing: the next one cannot run.
	gap := *c
	gap.Steps = append([]traces.Step(nil), c.Steps[1:]...)
	for i := range gap.Steps {
		gap.Steps[i].N = i + 1
	}
	gapPath := write("gap.cex.json", &gap)
	badJSON := filepath.Join(dir, "bad.cex.json")
	if err := os.WriteFile(badJSON, []byte("{\n  \"format\": \"lwpcheck-cex/1\",\n  \"revision\" \"x\"\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	unknownRev := *c
	unknownRev.Revision = "netbsd-1"
	unknownRevPath := write("rev.cex.json", &unknownRev)

	for _, tc := range []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"recurs", []string{path}, exitOK, ""},
		{"violation gone", []string{earlyPath}, exitFinding, "lwpcheck replay: " + earlyPath + ": the violation deadlock no longer occurs (the model changed)"},
		{"step missing", []string{gapPath}, exitUsage, "lwpcheck replay: " + gapPath + ": step 1 (LWP 1 on cpu0: "},
		{"bad json", []string{badJSON}, exitUsage, "lwpcheck replay: " + badJSON + ":3:14: invalid character '\"' after object key"},
		{"unknown revision", []string{unknownRevPath}, exitUsage, "lwpcheck replay: " + unknownRevPath + `:3:15: unknown revision "netbsd-1"`},
		{"no file", []string{filepath.Join(dir, "none.cex.json")}, exitUsage, "lwpcheck replay: open " + filepath.Join(dir, "none.cex.json")},
		{"two files", []string{path, path}, exitUsage, "lwpcheck replay: replay takes one counterexample file"},
		{"no file given", nil, exitUsage, "lwpcheck replay: replay takes one counterexample file"},
		{"unknown format", []string{path, "--format", "svg"}, exitUsage, `lwpcheck replay: unknown format "svg" (text, json, html, dot or mermaid)`},
		{"step and html", []string{"--step", "--format", "html", path}, exitUsage, "lwpcheck replay: --step shows text: drop --format html"},
		{"source not a dir", []string{path, "--source", path}, exitUsage, "lwpcheck replay: --source " + path + ": not a directory"},
		{"unknown flag", []string{path, "--frob"}, exitUsage, "lwpcheck replay: flag provided but not defined: -frob"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, errs, code := replayOut(tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tc.code, errs)
			}
			if tc.stderr == "" && errs != "" || !strings.HasPrefix(errs, tc.stderr) {
				t.Errorf("stderr %q, want it to begin with %q", errs, tc.stderr)
			}
			if strings.Count(errs, "\n") > 1 {
				t.Errorf("stderr is more than one line: %q", errs)
			}
		})
	}
}

func TestReplayStep(t *testing.T) {
	path := suspendRunningCex(t)
	defer func(r io.Reader) { stdin = r }(stdin)
	stdin = strings.NewReader("n\nn\nb\nq\n")
	out, errs, code := replayOut("--step", path)
	if code != exitOK || errs != "" {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	i1 := strings.Index(out, "\nstep 1  ")
	i2 := strings.Index(out, "\nstep 2  ")
	i3 := strings.LastIndex(out, "\nstep 1  ")
	if i1 < 0 || i2 < i1 || i3 < i2 {
		t.Errorf("steps not shown in the order 1, 2, 1:\n%s", out)
	}
}

func TestReplaySource(t *testing.T) {
	path := suspendRunningCex(t)
	tree := t.TempDir()
	kern := filepath.Join(tree, "sys", "kern")
	if err := os.MkdirAll(kern, 0o755); err != nil {
		t.Fatal(err)
	}
	// A made-up kern_lwp.c: lwpcheck contains none of the C code.
	lines := []string{"/* $NetBSD: kern_lwp.c,v 1.270 2025/04/11 fake Exp $ */"}
	for i := 2; i <= 2000; i++ {
		lines = append(lines, "\tfake_line_"+strings.Repeat("x", i%3)+"();")
	}
	if err := os.WriteFile(filepath.Join(kern, "kern_lwp.c"), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := replayOut(path, "--source", tree)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errs)
	}
	if !strings.Contains(out, "\n        | fake_line_") {
		t.Errorf("no C line shown:\n%.2000s", out)
	}
	if !strings.Contains(out, "source:         "+filepath.Join("sys", "kern", "sys_lwp.c")+": not found in "+tree) {
		t.Errorf("no note on the missing sys_lwp.c:\n%.1000s", out)
	}
}

func TestHelpReplay(t *testing.T) {
	var out, errb bytes.Buffer
	if code := run([]string{"help", "replay"}, &out, &errb); code != exitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, want := range []string{"Usage: lwpcheck replay CEX", "Flags:", "-format string", "-source string", "-step"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help replay lacks %q:\n%s", want, out.String())
		}
	}
}

func TestWriteCexFilesNoFindings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "none")
	paths, err := writeCexFiles(dir, nil, nil, nil, &explore.Result{})
	if err != nil || paths != nil {
		t.Fatalf("writeCexFiles without findings: %q, %v", paths, err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the directory was created without a finding to write")
	}
}
