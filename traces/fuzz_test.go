package traces

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzParse feeds the parser mutations of real counterexample files: it
// must not panic, its errors must be one line naming the file, and what it
// accepts must survive a write and a read unchanged. The seeds are large:
// bound the minimisation of new inputs, e.g.
//
//	go test ./traces -run '^$' -fuzz FuzzParse -fuzztime 1m -fuzzminimizetime 2s
func FuzzParse(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "cex", "*.cex.json"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no seed files in testdata/cex (%v)", err)
	}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"format": "lwpcheck-cex/1"}`))
	f.Add([]byte(`{"steps": [{"n": 1e400}]}`))
	f.Add([]byte(`{"format": "lwpcheck-cex/1", "revision": "r", "spec": {"name": "s", "text": "t"}, "violation": {"kind": "state", "name": "v", "message": ""}, "init": 0, "steps": null}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.cex.json", data)
		if err != nil {
			msg := err.Error()
			if strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "f.cex.json") {
				t.Fatalf("error %q is not one line naming the file", msg)
			}
			return
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := Parse("f.cex.json", out)
		if err != nil {
			t.Fatalf("a parsed file does not parse once written: %v\n%s", err, out)
		}
		// Writing stamps the writer and the digest, and nothing else.
		if diff := cmp.Diff(c, back, cmpopts.EquateEmpty(), cmpopts.IgnoreFields(Cex{}, "WrittenBy", "Digest"), cmpopts.IgnoreUnexported(Cex{})); diff != "" {
			t.Fatalf("write and read changed the file:\n%s", diff)
		}
		if got := back.Integrity(); len(got) != 0 {
			t.Fatalf("a file as written raises %q", got)
		}
	})
}
