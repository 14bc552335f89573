package traces

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestWalk(t *testing.T) {
	c := suspendRunning(t)
	r, err := Replay(machine(t, c), c)
	if err != nil {
		t.Fatal(err)
	}
	rep := r.Report(Options{})
	n := len(rep.Steps)
	for _, tc := range []struct {
		name, script string
		shown        string // the steps shown, in order ("0" the header)
		says         []string
	}{
		{"next and back", "n\n\nb\nq\nn\n", "0 1 2 1", nil},
		{"jump", fmt.Sprintf("j %d\n%d\nn\n0\nquit\n", n-1, n), fmt.Sprintf("0 %d %d 0", n-1, n),
			[]string{"at the last step", "result: the violation recurs: deadlock"}},
		{"mistakes", "b\nj 999\nfrob\n3\n", "0 3",
			[]string{"at the initial state", fmt.Sprintf("jump to a step from 0 to %d", n), walkHelp}},
		{"end of input", "n", "0 1", nil},
		{"an LWP's next step", "l 2\nl 2\nl 7\n", "0 " + lwpSteps(rep, "LWP 2", 2),
			[]string{"LWP 7 takes no step after step"}},
		{"state", "3\ns\n", "0 3", []string{"state after step 3\n        LWP 1: ", "        counters: p_nlwps="}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out strings.Builder
			if err := rep.Walk(strings.NewReader(tc.script), &out); err != nil {
				t.Fatal(err)
			}
			var shown []string
			for _, m := range regexp.MustCompile(`(?m)^(spec: |step (\d+) )`).FindAllStringSubmatch(out.String(), -1) {
				if m[2] == "" {
					m[2] = "0"
				}
				shown = append(shown, m[2])
			}
			if got := strings.Join(shown, " "); got != tc.shown {
				t.Errorf("shown %q, want %q\n%s", got, tc.shown, out.String())
			}
			for _, s := range tc.says {
				if !strings.Contains(out.String(), s) {
					t.Errorf("output lacks %q", s)
				}
			}
			if prompt := fmt.Sprintf("\n[0/%d] n, b, j N, l N, s, q> \n", n); !strings.Contains(out.String(), prompt) {
				t.Errorf("output lacks the prompt %q", prompt)
			}
		})
	}
}

// lwpSteps returns the numbers of actor's first k steps in rep, as the
// walk shows them.
func lwpSteps(rep *Report, actor string, k int) string {
	var out []string
	for _, st := range rep.Steps {
		if st.Actor == actor && len(out) < k {
			out = append(out, fmt.Sprint(st.N))
		}
	}
	return strings.Join(out, " ")
}
