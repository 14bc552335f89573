package specs

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// badFiles returns the files of testdata/bad. Each is a malformed spec whose
// first line is `# want: ERROR`, the error Parse must return.
func badFiles(t testing.TB) []string {
	files, err := filepath.Glob("testdata/bad/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	return files
}

func TestParseBad(t *testing.T) {
	for _, file := range badFiles(t) {
		name := filepath.Base(file)
		t.Run(strings.TrimSuffix(name, ".yaml"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			first, _, _ := bytes.Cut(data, []byte("\n"))
			want, ok := strings.CutPrefix(string(first), "# want: ")
			require.True(t, ok, "first line must be # want: ERROR")

			s, err := Parse(name, data)
			assert.Nil(t, s)
			require.Error(t, err)
			assert.Equal(t, want, err.Error())
			var e *Error
			assert.True(t, errors.As(err, &e), "error is a %T, not an *Error", err)
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		text string
		want *Spec
	}{{
		name: "defaults",
		text: "name: minimal\n",
		want: &Spec{
			Name:     "minimal",
			CPUs:     2,
			Programs: []Program{{LWP: 1}},
			Check:    AllFamilies,

			HasExpect: true,
		},
	}, {
		name: "expectations per revision",
		text: "name: per-rev\nexpect:\n  netbsd-5: pass\n  default: deadlock\n  netbsd-2025: violation p_nlwps\n",
		want: &Spec{
			Name:      "per-rev",
			CPUs:      2,
			Programs:  []Program{{LWP: 1}},
			Check:     AllFamilies,
			Expect:    Expect{Kind: Deadlock, Pos: Pos{4, 12}},
			HasExpect: true,
			Overrides: []Override{
				{Revision: "netbsd-5", Pos: Pos{3, 3}, Expect: Expect{Kind: Pass, Pos: Pos{3, 13}}},
				{Revision: "netbsd-2025", Pos: Pos{5, 3}, Expect: Expect{Kind: Violation, Name: "p_nlwps", Pos: Pos{5, 26}}},
			},
		},
	}, {
		name: "processes",
		text: "name: two\nsleepq: shared\nprocs:\n  1:\n    lwps:\n      1: [self]\n    env: {stop: 1}\n  2:\n    lwps:\n      3: [create 4]\nenv: {preempt: 2}\n",
		want: &Spec{
			Name: "two",
			CPUs: 2,
			Programs: []Program{
				{LWP: 1, Pos: Pos{6, 7}, Steps: []Step{{Op: "self", Pos: Pos{6, 11}, Text: "self"}}},
				{LWP: 3, Proc: 1, Pos: Pos{10, 7}, Steps: []Step{{Op: "create", Target: 4, Pos: Pos{10, 11}, Text: "create 4"}}},
				{LWP: 4, Proc: 1},
			},
			Env:          Env{Preempt: 2, Pos: [7]Pos{5: {11, 7}}},
			Procs:        []Process{{Pos: Pos{4, 3}, First: 1, Env: Env{Stop: 1, Pos: [7]Pos{{7, 11}}}}, {Pos: Pos{8, 3}, First: 3}},
			SleepqShared: true,
			Check:        AllFamilies,
			HasExpect:    true,
		},
	}, {
		name: "every key",
		text: `name: every-key-2
about: All of it.
revisions: [netbsd-2007, netbsd-5]
cpus: 4
lwps:
  3:
    - exit
  1: [create 3 detached badptr suspended -> 0|ENOMEM, 'wait any -> any']
env: {stop: 1, cont: 2, exit: 3, core: 4, timeout: 5, preempt: 6, migrate: 9}
check: [counters, lock-order, expect]
expect: violation p-nlwps-count
`,
		want: &Spec{
			Name:        "every-key-2",
			About:       "All of it.",
			Revisions:   []string{"netbsd-2007", "netbsd-5"},
			RevisionPos: []Pos{{3, 13}, {3, 26}},
			CPUs:        4,
			Programs: []Program{
				{LWP: 1, Pos: Pos{8, 3}, Steps: []Step{{
					Op: "create", Target: 3, Suspended: true, Detached: true, BadPtr: true,
					Results: []string{"0", "ENOMEM"}, Pos: Pos{8, 7},
					Text: "create 3 detached badptr suspended -> 0|ENOMEM",
				}, {
					Op: "wait", Target: AnyLWP, Results: []string{"any"}, Pos: Pos{8, 56},
					Text: "wait any -> any",
				}}},
				{LWP: 3, Pos: Pos{6, 3}, Steps: []Step{{Op: "exit", Pos: Pos{7, 7}, Text: "exit"}}},
			},
			Env: Env{Stop: 1, Cont: 2, Exit: 3, Core: 4, Timeout: 5, Preempt: 6, Migrate: 9,
				Pos: [7]Pos{{9, 7}, {9, 16}, {9, 25}, {9, 34}, {9, 43}, {9, 55}, {9, 67}}},
			Check:  FamilySet(0).With(FamilyCounters).With(FamilyLockOrder).With(FamilyExpect),
			Expect: Expect{Kind: Violation, Name: "p-nlwps-count", Pos: Pos{11, 19}},

			HasExpect: true,
		},
	}, {
		name: "every op",
		text: `name: ops
expect: deadlock
lwps:
  1:
    - create 2
    - create 4 suspended
    - self -> 0
    - wait 2 -> 0|EDEADLK|ESRCH
    - suspend 2
    - continue 2
    - wakeup 2 -> EBUSY
    - detach 2
    - kill 2
    - kill 2 0
    - kill 2 SIGKILL
    - park
    - park hint 3 timeout unpark 2 hint 4 -> ETIMEDOUT
    - park unpark 2
    - unpark 2 hint 9
    - exit
  2:
    - unpark_all 2,4,7
    - unpark_all 2 hint 1
    - setname 2
    - getname 2
    - ctl
    - " kill  2->0 "
`,
		want: &Spec{
			Name: "ops",
			CPUs: 2,
			Programs: []Program{{LWP: 1, Pos: Pos{4, 3}, Steps: []Step{
				{Op: "create", Target: 2, Pos: Pos{5, 7}, Text: "create 2"},
				{Op: "create", Target: 4, Suspended: true, Pos: Pos{6, 7}, Text: "create 4 suspended"},
				{Op: "self", Results: []string{"0"}, Pos: Pos{7, 7}, Text: "self -> 0"},
				{Op: "wait", Target: 2, Results: []string{"0", "EDEADLK", "ESRCH"}, Pos: Pos{8, 7}, Text: "wait 2 -> 0|EDEADLK|ESRCH"},
				{Op: "suspend", Target: 2, Pos: Pos{9, 7}, Text: "suspend 2"},
				{Op: "continue", Target: 2, Pos: Pos{10, 7}, Text: "continue 2"},
				{Op: "wakeup", Target: 2, Results: []string{"EBUSY"}, Pos: Pos{11, 7}, Text: "wakeup 2 -> EBUSY"},
				{Op: "detach", Target: 2, Pos: Pos{12, 7}, Text: "detach 2"},
				{Op: "kill", Target: 2, Signal: "SIGUSR1", Pos: Pos{13, 7}, Text: "kill 2"},
				{Op: "kill", Target: 2, Signal: "0", Pos: Pos{14, 7}, Text: "kill 2 0"},
				{Op: "kill", Target: 2, Signal: "SIGKILL", Pos: Pos{15, 7}, Text: "kill 2 SIGKILL"},
				{Op: "park", Pos: Pos{16, 7}, Text: "park"},
				{Op: "park", Hint: 3, Timeout: true, Unpark: 2, UnparkHint: 4, Results: []string{"ETIMEDOUT"}, Pos: Pos{17, 7}, Text: "park hint 3 timeout unpark 2 hint 4 -> ETIMEDOUT"},
				{Op: "park", Unpark: 2, Pos: Pos{18, 7}, Text: "park unpark 2"},
				{Op: "unpark", Target: 2, Hint: 9, Pos: Pos{19, 7}, Text: "unpark 2 hint 9"},
				{Op: "exit", Pos: Pos{20, 7}, Text: "exit"},
			}}, {LWP: 2, Pos: Pos{21, 3}, Steps: []Step{
				{Op: "unpark_all", Targets: []int{2, 4, 7}, Pos: Pos{22, 7}, Text: "unpark_all 2,4,7"},
				{Op: "unpark_all", Targets: []int{2}, Hint: 1, Pos: Pos{23, 7}, Text: "unpark_all 2 hint 1"},
				{Op: "setname", Target: 2, Pos: Pos{24, 7}, Text: "setname 2"},
				{Op: "getname", Target: 2, Pos: Pos{25, 7}, Text: "getname 2"},
				{Op: "ctl", Pos: Pos{26, 7}, Text: "ctl"},
				{Op: "kill", Target: 2, Signal: "SIGUSR1", Results: []string{"0"}, Pos: Pos{27, 9}, Text: "kill  2->0"},
			}}, {LWP: 4}},
			Check:  AllFamilies,
			Expect: Expect{Kind: Deadlock, Pos: Pos{2, 9}},

			HasExpect: true,
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse("t.yaml", []byte(tt.text))
			require.NoError(t, err)
			tt.want.File = "t.yaml"
			tt.want.Text = []byte(tt.text)
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestParseCopies checks that the spec does not share the caller's bytes.
func TestParseCopies(t *testing.T) {
	data := []byte("name: x\n")
	s, err := Parse("x.yaml", data)
	require.NoError(t, err)
	data[0] = '#'
	assert.Equal(t, "name: x\n", string(s.Text))
}

func TestBundled(t *testing.T) {
	all, err := Bundled()
	require.NoError(t, err)
	files, err := filepath.Glob("*.yaml")
	require.NoError(t, err)
	require.Len(t, all, len(files))
	assert.True(t, slices.IsSortedFunc(all, func(a, b *Spec) int { return strings.Compare(a.Name, b.Name) }))
	for _, s := range all {
		assert.Equal(t, s.Name+".yaml", s.File, "a bundled spec is named after its file")
		got, err := Lookup(s.Name)
		require.NoError(t, err)
		assert.Equal(t, s, got)
	}
}

func TestLookup(t *testing.T) {
	s, err := Lookup("create-wait")
	require.NoError(t, err)
	assert.Equal(t, []Program{
		{LWP: 1, Pos: Pos{5, 8}, Steps: []Step{
			{Op: "create", Target: 2, Results: []string{"0"}, Pos: Pos{5, 12}, Text: "create 2 -> 0"},
			{Op: "wait", Target: 2, Results: []string{"0"}, Pos: Pos{5, 27}, Text: "wait 2 -> 0"},
		}},
		{LWP: 2, Pos: Pos{5, 41}, Steps: []Step{
			{Op: "self", Results: []string{"0"}, Pos: Pos{5, 45}, Text: "self -> 0"},
			{Op: "exit", Pos: Pos{5, 56}, Text: "exit"},
		}},
	}, s.Programs)

	for _, name := range []string{"no-such-spec", "../go", "create-wait.yaml", ""} {
		_, err := Lookup(name)
		assert.EqualError(t, err, `no bundled spec "`+name+`"`)
	}
}

func TestOps(t *testing.T) {
	seen := map[string]bool{}
	for _, op := range Ops() {
		assert.False(t, seen[op.Name], "duplicate op %q", op.Name)
		seen[op.Name] = true
		assert.True(t, op.Usage == op.Name || strings.HasPrefix(op.Usage, op.Name+" "), "usage of %q: %q", op.Name, op.Usage)
		assert.NotEmpty(t, op.Doc, "doc of %q", op.Name)
		assert.NotContains(t, op.Usage+op.Doc, "\n", "op %q", op.Name)
		assert.NotNil(t, op.args, "op %q", op.Name)
	}
}

func TestExpectKindString(t *testing.T) {
	assert.Equal(t, "pass", Pass.String())
	assert.Equal(t, "violation", Violation.String())
	assert.Equal(t, "deadlock", Deadlock.String())
	assert.Equal(t, "ExpectKind(7)", ExpectKind(7).String())
}

// errorLine is the form of every error Parse returns.
var errorLine = regexp.MustCompile(`^[^:]+:\d+:\d+: .+$`)

func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob("*.yaml")
	require.NoError(f, err)
	for _, file := range append(seeds, badFiles(f)...) {
		data, err := os.ReadFile(file)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("fuzz.yaml", data)
		if err != nil {
			var e *Error
			require.True(t, errors.As(err, &e), "error is a %T, not an *Error", err)
			require.Regexp(t, errorLine, err.Error())
			require.NotContains(t, err.Error(), "\n")
			return
		}
		require.True(t, isName(s.Name), "name %q", s.Name)
		require.NotEmpty(t, s.Programs)
		require.Equal(t, 1, s.Programs[0].LWP)
		require.True(t, slices.IsSortedFunc(s.Programs, func(a, b Program) int { return a.LWP - b.LWP }))
		require.True(t, s.CPUs >= 1 && s.CPUs <= 4, "cpus %d", s.CPUs)
	})
}

// TestParseCapacity: a spec that can need more LWP slots, or longer
// programs, than the model has is rejected where it first does.
func TestParseCapacity(t *testing.T) {
	steps := func(n int) string { return strings.TrimSuffix(strings.Repeat("self, ", n), ", ") }
	tests := []struct {
		name, lwps string
		err        string // "" if the spec fits
	}{
		{"four creates fit", "  1: [create 2, create 3, create 4, create 5]\n", ""},
		{"five creates", "  1: [create 2, create 3]\n  2: [create 4, create 5]\n  3: [create 6]\n",
			"t.yaml:5:7: create 6: too many LWPs: the model holds 5 at once, this spec can have 6 (LWP 1 and 5 creates)"},
		{"a step after exit never runs", "  1: [create 2, create 3, create 4, create 5, exit, create 6]\n",
			"t.yaml:3:53: LWP 1: this step never runs: exit at 3:47 does not return"},
		{"nor does an LWP that step would create", "  1: [create 2, create 3, exit, create 6]\n  2: [create 4, create 5]\n  6: [create 7]\n",
			"t.yaml:3:33: LWP 1: this step never runs: exit at 3:27 does not return"},
		{"255 steps fit", "  1: [" + steps(255) + "]\n", ""},
		{"256 steps", "  1: [" + steps(256) + "]\n", "t.yaml:3:1537: LWP 1: the model runs programs of at most 255 steps"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("t.yaml", []byte("name: x\nlwps:\n"+tt.lwps))
			if tt.err == "" {
				assert.NoError(t, err)
			} else {
				assert.EqualError(t, err, tt.err)
			}
		})
	}
}

// TestParseUTF16: a UTF-16 spec is refused at 1:1, whichever its byte
// order, rather than read as bytes.
func TestParseUTF16(t *testing.T) {
	text := []rune("name: w\nlwps: {1: [self]}\n")
	for _, bom := range [][]byte{{0xfe, 0xff}, {0xff, 0xfe}} {
		data := slices.Clone(bom)
		for _, r := range text {
			if bom[0] == 0xfe {
				data = append(data, 0, byte(r))
			} else {
				data = append(data, byte(r), 0)
			}
		}
		_, err := Parse("w.yaml", data)
		assert.EqualError(t, err, "w.yaml:1:1: the file is UTF-16; save the spec as UTF-8")
	}
}
