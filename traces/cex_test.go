package traces

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

func TestWriteReadRoundTrip(t *testing.T) {
	sr := suspendRunningFound(t)
	c, sp, rev := sr.cex, sr.spec, sr.rev
	m := machine(t, c)
	f := explore.Finding{Violation: explore.Violation{Name: c.Violation.Name, Message: c.Violation.Message},
		Init: c.Init, OnState: true}
	for _, st := range c.Steps {
		f.Trace = append(f.Trace, st.A)
	}
	path, err := Write(t.TempDir(), rev, sp, m, f)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := filepath.Base(path), "suspend-running-netbsd-2025-deadlock.cex.json"; got != want {
		t.Errorf("file name %q, want %q", got, want)
	}
	back, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	// The file adds who wrote it and its digest, which vouch for it.
	if diff := cmp.Diff(c, back, cmpopts.IgnoreFields(Cex{}, "WrittenBy", "Digest"), cmpopts.IgnoreUnexported(Cex{})); diff != "" {
		t.Errorf("read back differs (-written +read):\n%s", diff)
	}
	if got := back.Integrity(); len(got) != 0 {
		t.Errorf("integrity of a file as written: %q", got)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "\n    {\"n\":1,") || !strings.Contains(string(data), "-> 0|ESRCH") {
		t.Errorf("file is not laid out one step a line with HTML characters unescaped:\n%s", data)
	}
}

func TestFileName(t *testing.T) {
	for _, tc := range []struct {
		spec, rev, violation, want string
	}{
		{"suspend-running", "netbsd-2025", "deadlock", "suspend-running-netbsd-2025-deadlock.cex.json"},
		{"core-dump", "netbsd-2025", "p_nlwpwait", "core-dump-netbsd-2025-p_nlwpwait.cex.json"},
		{"x", "netbsd-5", "Lock Order/../x", "x-netbsd-5-lock_order_x.cex.json"},
		{"core-dump", "netbsd-2025", "transition LSSUSPENDED -> LSONPROC", "core-dump-netbsd-2025-transition_lssuspended-to-lsonproc.cex.json"},
		{"x", "r", "", "x-r-_.cex.json"},
		{"x", "r", "?", "x-r-_.cex.json"},
	} {
		c := &Cex{Spec: SpecText{Name: tc.spec}, Revision: tc.rev, Violation: Violation{Name: tc.violation}}
		if got := c.FileName(); got != tc.want {
			t.Errorf("FileName(%s, %s, %s) = %q, want %q", tc.spec, tc.rev, tc.violation, got, tc.want)
		}
	}
}

// TestKinds checks the kind recorded for each kind of finding the bundled
// specs produce.
func TestKinds(t *testing.T) {
	want := map[string]string{
		"suspend-running/deadlock": KindTerminal,
		"core-dump/p_nlwpwait":     KindState,
	}
	got := map[string]string{}
	for _, f := range bundledCexes(t, false) {
		got[f.spec.Name+"/"+f.cex.Violation.Name] = f.cex.Violation.Kind
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s: kind %q, want %q", k, got[k], w)
		}
	}
	// A transition violation: the spec expects a result the call does not return.
	sp, err := specs.Parse("self-esrch.yaml", []byte("name: self-esrch\nlwps: {1: [self -> ESRCH]}\nexpect: violation expect\n"))
	if err != nil {
		t.Fatal(err)
	}
	rev, err := revisions.Lookup("netbsd-2025")
	if err != nil {
		t.Fatal(err)
	}
	fs := search(t, rev, sp, explore.Options{})
	if len(fs) != 1 || fs[0].cex.Violation.Kind != KindTransition {
		t.Fatalf("self -> ESRCH: findings %+v, want one transition violation", fs)
	}
	r, err := Replay(machine(t, fs[0].cex), fs[0].cex)
	if err != nil || !r.Recurs {
		t.Errorf("transition counterexample does not replay: %v, recurs=%v", err, r != nil && r.Recurs)
	}
}

func TestParseErrors(t *testing.T) {
	good, err := suspendRunning(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) string {
		if !strings.Contains(string(good), old) {
			t.Fatalf("%q is not in the file", old)
		}
		return strings.Replace(string(good), old, new, 1)
	}
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", "", "x.cex.json: empty file, not a counterexample"},
		{"utf-16", "\xff\xfe{\x00}\x00", "x.cex.json:1:1: the file is UTF-16; a counterexample file is UTF-8 JSON"},
		{"not json", "format: x\n", "x.cex.json:1:2: invalid character 'o' in literal false (expecting 'a')"},
		{"truncated", string(good[:200]), "unexpected end of file"},
		{"syntax at line", edit(`"revision": "netbsd-2025",`, `"revision": "netbsd-2025"`), "x.cex.json:4:3: invalid character '\"' after object key:value pair"},
		{"wrong type", edit(`"a":2}`, `"a":"two"}`), "x.cex.json:18:120: steps.a: got string, want a number from 0 to 4294967295"},
		{"negative action", edit(`"a":2}`, `"a":-2}`), "steps.a: got number -2, want a number from 0 to 4294967295"},
		{"unknown field", edit(`"init": 0,`, `"init": 0, "extra": 1,`), `x.cex.json:13:14: unknown field "extra"`},
		{"no format", edit(`"format": "lwpcheck-cex/2",`, ``), `x.cex.json:1:1: no "format": not a counterexample file`},
		{"future format", edit(`lwpcheck-cex/2`, `lwpcheck-cex/3`), `format "lwpcheck-cex/3" is not supported (this lwpcheck reads lwpcheck-cex/2 and lwpcheck-cex/1)`},
		{"loop in format 1", edit(`"lwpcheck-cex/2",`, `"lwpcheck-cex/1", "loop": 1,`), `lwpcheck-cex/1 has no "loop"`},
		{"loop of a deadlock", edit(`"init": 0,`, `"init": 0, "loop": 1,`), `only a cycle has a "loop"`},
		{"cycle without loop", edit(`"terminal"`, `"cycle"`), `a cycle needs "loop", the number of the loop's first step (1 to 25), not 0`},
		{"loop past the end", strings.Replace(edit(`"terminal"`, `"cycle"`), `"init": 0,`, `"init": 0, "loop": 26,`, 1),
			`a cycle needs "loop", the number of the loop's first step (1 to 25), not 26`},
		{"no revision", edit(`"netbsd-2025"`, `""`), `no "revision"`},
		{"bad kind", edit(`"terminal"`, `"hang"`), `x.cex.json:9:13: violation kind "hang" is not one of state, transition, terminal, behaviour, trace, cycle`},
		{"behaviour without observations", edit(`"terminal"`, `"behaviour"`), `a behaviour needs what is "observed"`},
		{"observations of a deadlock", edit(`"init": 0,`, `"init": 0, "observed": ["LWP 1: _lwp_self -> 0"],`), `only a behaviour or a trace has "observed"`},
		{"misnumbered", edit(`{"n":2,`, `{"n":3,`), "x.cex.json:19:10: step 2 numbered 3"},
		{"duplicate key", edit(`"init": 0,`, `"init": 0, "init": 1,`), `x.cex.json:13:14: key "init" given twice`},
		{"duplicate key in a step", edit(`{"n":2,`, `{"n":2,"n":2,`), `x.cex.json:19:12: key "n" given twice`},
		{"no action code", edit(`"a":2}`, `"a":0}`), `step 1 has no action code ("a")`},
		{"no actor", edit(`"actor":"LWP 1","cpu":0,"action":"syscall: sys__lwp_create"`, `"actor":"","cpu":0,"action":"syscall: sys__lwp_create"`), "step 1 needs an actor, an action and a source"},
		{"bad cpu", edit(`"cpu":0,`, `"cpu":9,`), "step 1 cpu 9 does not exist"},
		{"trailing data", string(good) + "{}", "x.cex.json:45:1: data after the counterexample"},
		{"newline in string", edit(`"init": 0`, "\"init\": 0, \"x\n\": 1"), "x.cex.json:13:16: invalid character '\\n' in string literal"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("x.cex.json", []byte(tc.data))
			if err == nil {
				t.Fatal("no error")
			}
			msg := err.Error()
			if !strings.Contains(msg, tc.want) {
				t.Errorf("error %q, want it to contain %q", msg, tc.want)
			}
			if strings.ContainsAny(msg, "\n\r") {
				t.Errorf("error %q is not one line", msg)
			}
		})
	}
}

// TestErrorsAtTheirValue: what replay rejects after parsing names the
// value at fault by its line and column, and a value the file lacks by
// the object that should hold it.
func TestErrorsAtTheirValue(t *testing.T) {
	good, err := suspendRunning(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	edit := func(old, new string) []byte {
		if !strings.Contains(string(good), old) {
			t.Fatalf("%q is not in the file", old)
		}
		return []byte(strings.Replace(string(good), old, new, 1))
	}
	_, err = Parse("x.cex.json", edit(`"name": "suspend-running",`, `"name": "",`))
	assert.ErrorContains(t, err, `x.cex.json:4:11: "spec" needs a name and a text`)
	_, err = Parse("x.cex.json", edit(`"revision": "netbsd-2025",`, ``))
	assert.ErrorContains(t, err, `x.cex.json:1:1: no "revision"`)

	c, err := Parse("x.cex.json", edit(`"init": 0,`, `"init": 9,`))
	require.NoError(t, err)
	_, err = Replay(machine(t, c), c)
	assert.ErrorContains(t, err, "x.cex.json:13:11: initial state 9 does not exist (the model has 1)")

	c, err = Parse("x.cex.json", edit(`"name": "suspend-running",`, `"name": "other",`))
	require.NoError(t, err)
	_, err = c.ParseSpec("x.cex.json")
	assert.ErrorContains(t, err, `x.cex.json:5:13: the embedded spec is "suspend-running", not "other"`)
	assert.EqualError(t, c.ErrorAt("revision", "unknown"), "x.cex.json:3:15: unknown")
}

func TestParseSpec(t *testing.T) {
	c := suspendRunning(t)
	if _, err := c.ParseSpec("x.cex.json"); err != nil {
		t.Fatal(err)
	}
	bad := *c
	bad.Spec.Name = "other"
	if _, err := bad.ParseSpec("x.cex.json"); err == nil || !strings.Contains(err.Error(), `the embedded spec is "suspend-running", not "other"`) {
		t.Errorf("renamed spec: error %v", err)
	}
	bad.Spec = SpecText{Name: "x", Text: "name: x\nlwps: {1: [frob]}\n"}
	if _, err := bad.ParseSpec("x.cex.json"); err == nil || !strings.HasPrefix(err.Error(), "x.cex.json#spec:2:") {
		t.Errorf("bad spec: error %v, want one at x.cex.json#spec:2", err)
	}
}

// TestIntegrity: a file as lwpcheck wrote it raises no warning; an edited
// message, a file of another lwpcheck and one without a digest do.
func TestIntegrity(t *testing.T) {
	data, err := suspendRunning(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	parse := func(text string) *Cex {
		c, err := Parse("x.cex.json", []byte(text))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if got := parse(string(data)).Integrity(); len(got) != 0 {
		t.Errorf("a file as written: %q", got)
	}
	edited := parse(strings.Replace(string(data), `"message": "no LWP can move`, `"message": "nothing moves`, 1))
	other := parse(string(data))
	other.WrittenBy = "lwpcheck v0.0.1"
	other.Digest, _ = other.digest()
	none := parse(string(data))
	none.Digest = ""
	for _, tc := range []struct {
		name string
		c    *Cex
		want string
	}{
		{"edited message", edited, "the file was edited after it was written"},
		{"another lwpcheck", other, "written by lwpcheck v0.0.1; this is lwpcheck "},
		{"no digest", none, "the file has no digest"},
	} {
		got := strings.Join(tc.c.Integrity(), "; ")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s: integrity %q, want %q", tc.name, got, tc.want)
		}
	}
}
