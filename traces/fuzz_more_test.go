package traces

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/revisions"
)

// FuzzReplay replays whatever parses as a counterexample: a file naming a
// revision and embedding a spec that parse either replays or fails with
// one line; nothing panics.
func FuzzReplay(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "cex", "*.cex.json"))
	for _, name := range files[:min(len(files), 8)] {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.cex.json", data)
		if err != nil {
			return // FuzzParse covers the parser's errors
		}
		rev, err := revisions.Lookup(c.Revision)
		if err != nil {
			return
		}
		sp, err := c.ParseSpec("f.cex.json")
		if err != nil {
			return
		}
		m, _, err := invariants.Build(rev, sp, 0)
		if err != nil {
			return
		}
		m.POR, m.Ktrace = c.POR, c.Ktrace
		r, err := Replay(m, c)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error %q is not one line", err)
			}
			return
		}
		if v := r.Verdict(); v == "" || strings.ContainsAny(v, "\n\r") {
			t.Fatalf("verdict %q", v)
		}
	})
}

// FuzzWalk drives replay --step with any input: it never panics and
// always ends.
func FuzzWalk(f *testing.F) {
	for _, s := range []string{"n\nb\nj 3\nq\n", "l 2\ns\n", "j -1\nl\nl x\n999\n", "\n\n\n"} {
		f.Add(s)
	}
	rep := (*Report)(nil)
	f.Fuzz(func(t *testing.T, script string) {
		if rep == nil {
			c := suspendRunning(t)
			r, err := Replay(machine(t, c), c)
			if err != nil {
				t.Fatal(err)
			}
			rep = r.Report(Options{})
		}
		var out strings.Builder
		_ = rep.Walk(strings.NewReader(script), &out) // only a too long line is an error
	})
}

// FuzzSource reads any file as a source file: a line comes back only for
// a file whose id names the revision cited, and nothing panics.
func FuzzSource(f *testing.F) {
	f.Add([]byte("/*\t$NetBSD: kern_lwp.c,v 1.270 2025/04/11 fake Exp $\t*/\nx\ny\n"), 2)
	f.Add([]byte("\r\n\r\n$NetBSD: kern_lwp.c,v 1.270 \n"), 1)
	f.Fuzz(func(t *testing.T, data []byte, line int) {
		dir := t.TempDir()
		kern := filepath.Join(dir, "sys", "kern")
		if err := os.MkdirAll(kern, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(kern, "kern_lwp.c"), data, 0o644); err != nil {
			t.Fatal(err)
		}
		src := NewSource(dir)
		got, ok := src.Line("kern_lwp.c@1.270:" + strconv.Itoa(line))
		if ok && !strings.Contains(string(data), "kern_lwp.c,v 1.270 ") {
			t.Fatalf("line %q from a file without the revision's id", got)
		}
	})
}
