package recorded

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func parseFile(t *testing.T, name string, f Format) *Trace {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	tr, err := Parse(name, bytes.NewReader(data), f)
	require.NoError(t, err)
	return tr
}

// brief renders events compactly for comparison.
func brief(events []Event) []string {
	var out []string
	for _, e := range events {
		s := e.Phase.String() + " " + itoa(e.LID) + " " + e.Sys.Canon
		if e.Phase == Call || e.Args != nil {
			for i, p := range CanonParams(e.Sys.Canon) {
				if e.Args[i] != 0 {
					s += " " + p + "=" + itoa(e.Args[i])
				}
			}
		}
		if e.Phase == Ret {
			s += " -> " + e.Ret.Err.String()
			if e.Ret.Err == 0 {
				s += "/" + itoa(e.Ret.Value)
			}
		}
		out = append(out, s)
	}
	return out
}

func itoa(v int64) string {
	if v > 9 {
		return fmt.Sprintf("%#x", v)
	}
	return fmt.Sprint(v)
}

func TestKdump(t *testing.T) {
	tr := parseFile(t, "create-wait.kdump", Auto)
	assert.Equal(t, Kdump, tr.Format)
	require.Len(t, tr.Procs, 1)
	assert.Equal(t, Proc{PID: 812, Comm: "create-wait", FirstLID: 1, Line: 5, Calls: 13}, tr.Procs[0])
	assert.Equal(t, []string{
		"call 1 _lwp_create ucp=0x7f7fffffe4d0 new_lwp=0x7f7fffffe4cc",
		"ret 1 _lwp_create -> 0/0",
		"call 2 _lwp_park hint=0x7f7ff7a0c040",
		"call 1 _lwp_unpark target=2 hint=0x7f7ff7a0c040",
		"ret 1 _lwp_unpark -> 0/0",
		"ret 2 _lwp_park -> 0/0",
		"call 2 _lwp_self",
		"ret 2 _lwp_self -> 0/2",
		"call 1 _lwp_wait wait_for=2 departed=0x7f7fffffe4c8",
		"call 2 _lwp_exit",
		"ret 1 _lwp_wait -> 0/0",
		"call 1 _lwp_wait departed=0x7f7fffffe4c8",
		"ret 1 _lwp_wait -> ESRCH",
	}, brief(tr.Events))
	assert.Equal(t, 15, tr.Events[0].Line, "the line of the first _lwp_create")
}

func TestDtrussReal(t *testing.T) {
	tr := parseFile(t, "golang-go-22968.dtruss", Auto)
	assert.Equal(t, Dtruss, tr.Format)
	require.Len(t, tr.Procs, 1)
	assert.Equal(t, int64(2), tr.Procs[0].FirstLID)
	require.Len(t, tr.Events, 5)
	e := tr.Events[0]
	assert.Equal(t, "compat_60__lwp_park", e.Name)
	assert.Equal(t, Ret, e.Phase)
	assert.Equal(t, int64(0xC42003DE58), e.Arg("ts"))
	assert.True(t, e.Shown("unpark"))
	assert.False(t, e.Shown("unparkhint"), "dtruss prints three arguments")
	assert.Equal(t, Result{}, e.Ret)
}

func TestDtrussAltName(t *testing.T) {
	in := "PID/LWP    SYSCALL(args)  = return\n  7/3:  _lwp_park(0x0, 0x0, 0x7F00)\t\t = -1 Err#60\n  7/3:  _lwp_unpark(0x2, 0x0, 0x0)\t\t = 0 0\n"
	tr, err := Parse("t", strings.NewReader(in), Auto)
	require.NoError(t, err)
	require.Len(t, tr.Events, 2)
	assert.Equal(t, "___lwp_park60", tr.Events[0].Name, "NetBSD's DTrace probes ___lwp_park60 as _lwp_park")
	assert.Equal(t, int64(0x7F00), tr.Events[0].Arg("ts"))
	assert.False(t, tr.Events[0].Shown("unpark"))
	assert.Equal(t, Errno(60), tr.Events[0].Ret.Err)
	assert.Equal(t, int64(2), tr.Events[1].Arg("target"))
}

func TestJSONL(t *testing.T) {
	in := `{"lid": 1, "call": "_lwp_create", "phase": "call", "args": {"flags": "0x80"}}
{"lid": 1, "call": "_lwp_create", "phase": "ret", "ret": 0, "new": 2}
{"lid": 1, "call": "_lwp_unpark_all", "phase": "call", "args": {"targets": [2, 3], "ntargets": 2}}
{"lid": 1, "call": "_lwp_unpark_all", "phase": "ret", "ret": 0}
{"lid": 1, "call": "_lwp_wait", "phase": "call", "args": {"wait_for": 2, "departed": null}}
{"lid": 1, "call": "read", "phase": "call"}
{"lid": 1, "call": "_lwp_wait", "phase": "ret", "ret": "EDEADLK"}
`
	tr, err := Parse("t.jsonl", strings.NewReader(in), Auto)
	require.NoError(t, err)
	assert.Equal(t, JSONL, tr.Format)
	assert.Equal(t, []string{
		"call 1 _lwp_create flags=0x80",
		"ret 1 _lwp_create -> 0/0",
		"call 1 _lwp_unpark_all targets=1 ntargets=2",
		"ret 1 _lwp_unpark_all -> 0/0",
		"call 1 _lwp_wait wait_for=2",
		"ret 1 _lwp_wait -> EDEADLK",
	}, brief(tr.Events))
	assert.Equal(t, int64(2), tr.Events[1].New)
	assert.Equal(t, []int64{2, 3}, tr.Events[2].Targets)
}

// TestRoundTrip: what WriteJSONL and WriteKdump write parses back to the
// same events.
func TestRoundTrip(t *testing.T) {
	tr := parseFile(t, "create-wait.kdump", Kdump)
	for _, f := range []Format{JSONL, Kdump} {
		var buf bytes.Buffer
		if f == JSONL {
			require.NoError(t, WriteJSONL(&buf, tr.Events))
		} else {
			require.NoError(t, WriteKdump(&buf, tr.Events, "create-wait"))
		}
		back, err := Parse("back", &buf, Auto)
		require.NoError(t, err, f.String())
		assert.Equal(t, f, back.Format)
		assert.Equal(t, brief(tr.Events), brief(back.Events), f.String())
	}
}

func TestBad(t *testing.T) {
	tests := []struct {
		name, in string
		f        Format
		err      string
	}{
		{"unknown format", "hello world\n", Auto, "t:1: cannot tell the trace's format"},
		{"empty", "\n# only a comment\n", Auto, "t:2: the trace is empty"},
		{"kdump garbage", "   1      1 a CALL  _lwp_self\nnonsense\n", Kdump, "t:2: not a kdump record"},
		{"kdump v0", "   1 a.out    CALL  _lwp_self\n", Kdump, "t:1: the record has no LID column"},
		{"kdump bad arg", "   1      1 a CALL  _lwp_wait(zz,0)\n", Kdump, `t:1: CALL _lwp_wait: argument "zz": want a number`},
		{"kdump unclosed", "   1      1 a CALL  _lwp_wait(2,0\n", Kdump, "t:1: CALL _lwp_wait: the argument list does not end"},
		{"kdump bad ret", "   1      1 a RET   _lwp_wait what\n", Kdump, "t:1: RET _lwp_wait: want a value"},
		{"kdump bad errno", "   1      1 a RET   _lwp_wait -1 errno x y\n", Kdump, `t:1: RET _lwp_wait: want an error number, got "x"`},
		{"kdump stray continuation", "   1      1 a CALL  _lwp_self\n\t0000 00 00\n", Kdump, "t:2: not a kdump record"},
		{"dtruss no ids", "_lwp_self(0x0, 0x0, 0x0) = 1 0\n", Dtruss, "t:1: a dtruss line without its PID/LWP column"},
		{"dtruss bad result", "  1/1:  _lwp_self(0x0, 0x0, 0x0) = x\n", Dtruss, `t:1: _lwp_self: want "= RET ERRNO"`},
		{"json syntax", `{"lid": 1,` + "\n", JSONL, "t:1: not a JSON event"},
		{"json unknown key", `{"lid": 1, "call": "_lwp_self", "phase": "call", "x": 1}` + "\n", JSONL, `t:1: not a JSON event: unknown field "x"`},
		{"json missing", `{"call": "_lwp_self", "phase": "call"}` + "\n", JSONL, `t:1: an event needs "lid", "call" and "phase"`},
		{"json phase", `{"lid": 1, "call": "_lwp_self", "phase": "exit"}` + "\n", JSONL, `t:1: phase: want "call" or "ret"`},
		{"json param", `{"lid": 1, "call": "_lwp_wait", "phase": "call", "args": {"target": 2}}` + "\n", JSONL, `t:1: args: _lwp_wait has no parameter "target"`},
		{"json old park", `{"lid": 1, "call": "_lwp_park", "phase": "call", "args": {"clock_id": 2}}` + "\n", JSONL, `t:1: args: _lwp_park has no parameter "clock_id"`},
		{"json ret errno", `{"lid": 1, "call": "_lwp_wait", "phase": "ret", "ret": "EWHAT"}` + "\n", JSONL, `t:1: ret: unknown errno "EWHAT"`},
		{"json ret missing", `{"lid": 1, "call": "_lwp_wait", "phase": "ret"}` + "\n", JSONL, `t:1: a "ret" event needs "ret"`},
		{"json new", `{"lid": 1, "call": "_lwp_wait", "phase": "ret", "ret": 0, "new": 3}` + "\n", JSONL, `t:1: "new" is the positive lid`},
		{"json two values", `{"lid": 1, "call": "_lwp_self", "phase": "call"} {}` + "\n", JSONL, "t:1: more than one JSON value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t", strings.NewReader(tt.in), tt.f)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
			var pe *Error
			assert.True(t, errors.As(err, &pe), "an *Error")
		})
	}
}

func TestLongLine(t *testing.T) {
	in := `{"lid": 1, "call": "` + strings.Repeat("x", MaxLine) + `"}` + "\n"
	_, err := Parse("t", strings.NewReader(in), JSONL)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "t:1: line longer than")
}

func TestLookup(t *testing.T) {
	for name, canon := range map[string]string{
		"_lwp_park": "_lwp_park", "___lwp_park50": "_lwp_park", "___lwp_park60": "_lwp_park",
		"compat_50__lwp_park": "_lwp_park", "compat_60__lwp_park": "_lwp_park",
		"netbsd32__lwp_create": "_lwp_create", "netbsd32____lwp_park60": "_lwp_park",
	} {
		s, ok := Lookup(name)
		require.True(t, ok, name)
		assert.Equal(t, canon, s.Canon, name)
	}
	_, ok := Lookup("read")
	assert.False(t, ok)
	s, _ := Lookup("___lwp_park60")
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6}, s.canonArgs([]int64{1, 2, 3, 4, 5, 6}))
	s, _ = Lookup("compat_50__lwp_park")
	assert.Equal(t, []int64{0, 0, 3, 4, 5, 6}, s.canonArgs([]int64{3, 4, 5, 6}))
}
