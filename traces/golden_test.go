package traces

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/specs"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with the file testdata/name, or rewrites the file
// with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./traces -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (-want +got; go test ./traces -update rewrites it):\n%s", path, cmp.Diff(string(want), string(got)))
	}
}

// TestGoldenCounterexamples pins the files of the counterexamples the
// bundled regression specs expect on each revision (expect: deadlock or
// violation NAME).
// The files also seed FuzzParse.
func TestGoldenCounterexamples(t *testing.T) {
	want := map[string]bool{}
	for _, f := range bundledCexes(t, false) {
		exp, _ := f.spec.ExpectFor(f.cex.Revision)
		expected := false
		for _, e := range exp.All() {
			expected = expected || e.Kind == specs.Deadlock && f.cex.Violation.Name == "deadlock" ||
				e.Kind == specs.Violation && invariants.BaseName(f.cex.Violation.Name) == e.Name
		}
		if !expected {
			continue
		}
		data, err := f.cex.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		name := f.cex.FileName()
		want[name] = true
		golden(t, filepath.Join("cex", name), data)
	}
	if len(want) == 0 {
		t.Fatal("no bundled spec expects a finding")
	}
	files, err := filepath.Glob(filepath.Join("testdata", "cex", "*.cex.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if want[filepath.Base(f)] {
			continue
		}
		if *update {
			if err := os.Remove(f); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("%s is no longer a counterexample a spec expects (go test ./traces -update removes it)", f)
	}
}

// TestGoldenListing pins the text listing and the Mermaid diagram of the
// suspend-running deadlock, and the listing with the reduction's debug
// view (--por-explain).
func TestGoldenListing(t *testing.T) {
	c := suspendRunning(t)
	r, err := Replay(machine(t, c), c)
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Report(Options{Name: c.FileName()})
	// The debug view of the reduction, on the deadlock found with it.
	cp := suspendRunningWith(t, true).cex
	mp := machine(t, cp)
	mp.POR = true
	rp, err := Replay(mp, cp)
	if err != nil {
		t.Fatal(err)
	}
	explained := rp.Report(Options{Name: cp.FileName(), ExplainPOR: true})
	for _, tc := range []struct {
		file  string
		rep   *Report
		write func(*Report, *bytes.Buffer) error
	}{
		{"suspend-running.txt", rep, func(r *Report, b *bytes.Buffer) error { return r.WriteText(b) }},
		{"suspend-running.mmd", rep, func(r *Report, b *bytes.Buffer) error { return r.WriteMermaid(b) }},
		{"suspend-running-por.txt", explained, func(r *Report, b *bytes.Buffer) error { return r.WriteText(b) }},
	} {
		var b bytes.Buffer
		if err := tc.write(tc.rep, &b); err != nil {
			t.Fatal(err)
		}
		golden(t, tc.file, b.Bytes())
	}
}
