package recorded

import (
	"bytes"
	"errors"
	"os"
	"testing"
)

// FuzzParse: any input, in any format, parses or fails with an *Error
// naming a line; it never panics, and what parses writes back as JSON
// lines that parse to as many events.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"create-wait.kdump", "golang-go-22968.dtruss"} {
		data, err := os.ReadFile("testdata/" + name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, uint8(Auto))
	}
	f.Add([]byte(`{"lid": 1, "call": "_lwp_unpark_all", "phase": "call", "args": {"targets": [2], "hint": "0x10"}}`+"\n"), uint8(JSONL))
	f.Add([]byte("   1      1 a 1.5 CALL  _lwp_wait(2,0)\n   1      1 a RET   _lwp_wait -1 errno 3 No such process\n"), uint8(Kdump))
	f.Add([]byte("  1/0x1f:  12 _lwp_kill(0x1, 0x9, 0x0) = -1 Err#3\n"), uint8(Dtruss))
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		tr, err := Parse("fuzz", bytes.NewReader(data), Format(format%4))
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		var buf bytes.Buffer
		if err := WriteJSONL(&buf, tr.Events); err != nil {
			t.Fatal(err)
		}
		back, err := Parse("back", &buf, JSONL)
		if len(tr.Events) == 0 {
			return
		}
		if err != nil {
			t.Fatalf("the JSON lines written do not parse: %v\n%s", err, buf.Bytes())
		}
		if len(back.Events) != len(tr.Events) {
			t.Fatalf("%d events written, %d read back", len(tr.Events), len(back.Events))
		}
	})
}
