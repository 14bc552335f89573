package verify

import (
	"bytes"
	"errors"
	"os"
	"testing"

	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/revisions"
)

// FuzzVerify: any trace that parses is accepted, rejected at one of its
// lines, or refused with an *InputError or a *LimitError naming a line;
// never a panic.
func FuzzVerify(f *testing.F) {
	for _, name := range []string{"testdata/create-wait.kdump", "testdata/golang-go-22968.dtruss"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, false)
	}
	f.Add([]byte(`{"lid": 1, "call": "_lwp_create", "phase": "call", "args": {"flags": 128}}
{"lid": 1, "call": "_lwp_create", "phase": "ret", "ret": 0, "new": 2}
{"lid": 1, "call": "_lwp_continue", "phase": "call", "args": {"target": 2}}
{"lid": 2, "call": "_lwp_exit", "phase": "call"}
`), true)
	revs := revisions.All()
	f.Fuzz(func(t *testing.T, data []byte, attached bool) {
		tr, err := recorded.Parse("fuzz", bytes.NewReader(data), recorded.Auto)
		if err != nil {
			return
		}
		rev := revs[len(data)%len(revs)]
		r, err := Run(tr, Options{Revision: rev, CPUs: 1, Attached: attached, Unseen: 1, MaxFrontier: 20000})
		var ie *InputError
		var le *LimitError
		switch {
		case errors.As(err, &ie):
			if ie.Line < 1 {
				t.Fatalf("input error without a line: %v", err)
			}
		case errors.As(err, &le):
			if le.Line < 1 {
				t.Fatalf("limit without a line: %v", err)
			}
		case err != nil:
			t.Fatalf("untyped error: %v", err)
		case r.Verdict == Rejected && (r.At.Line < 1 || r.Reason == ""):
			t.Fatalf("a rejection without its line or reason: %+v", r)
		}
	})
}
