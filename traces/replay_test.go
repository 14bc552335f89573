package traces

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestBundledCounterexamplesReplay writes every counterexample the bundled
// specs produce, reads it back and replays it: each must reach its
// violation again.
func TestBundledCounterexamplesReplay(t *testing.T) {
	all := bundledCexes(t, false)
	if len(all) == 0 {
		t.Fatal("the bundled specs produce no counterexample")
	}
	dir := t.TempDir()
	for _, f := range all {
		name := f.cex.FileName()
		t.Run(name, func(t *testing.T) {
			data, err := f.cex.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := Read(path)
			if err != nil {
				t.Fatal(err)
			}
			r, err := Replay(machine(t, c), c)
			if err != nil {
				t.Fatal(err)
			}
			if !r.Recurs {
				t.Fatalf("%s does not recur: %s", c.Violation.Name, r.Verdict())
			}
			if !strings.HasPrefix(r.Verdict(), "the violation recurs: "+c.Violation.Name+": ") {
				t.Errorf("verdict %q", r.Verdict())
			}
		})
	}
}

// TestReplayRejectsMissingStep removes each step of a counterexample in
// turn: replay must reject the file, naming a step at or after the gap,
// or find that the violation no longer occurs.
func TestReplayRejectsMissingStep(t *testing.T) {
	c := suspendRunning(t)
	m := machine(t, c)
	rejected := 0
	for k := range c.Steps {
		cut := *c
		cut.Steps = nil
		for i, st := range c.Steps {
			if i != k {
				st.N = len(cut.Steps) + 1
				cut.Steps = append(cut.Steps, st)
			}
		}
		r, err := Replay(m, &cut)
		var se *StepError
		switch {
		case errors.As(err, &se):
			if se.Step.N < k+1 {
				t.Errorf("without step %d: rejected at step %d, before the gap", k+1, se.Step.N)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("step %d (", se.Step.N)) {
				t.Errorf("without step %d: error %q does not name the step first", k+1, err)
			}
			rejected++
		case err != nil:
			t.Errorf("without step %d: %v", k+1, err)
		case r.Recurs:
			t.Errorf("without step %d: the trace still replays to %s", k+1, c.Violation.Name)
		}
	}
	if rejected == 0 {
		t.Error("no removal was rejected as a step that cannot be executed")
	}
	// Without its syscall entry, LWP 1 is in user space: its next kernel
	// step is not there.
	cut := *c
	cut.Steps = append([]Step(nil), c.Steps[1:]...)
	for i := range cut.Steps {
		cut.Steps[i].N = i + 1
	}
	_, err := Replay(m, &cut)
	var se *StepError
	if !errors.As(err, &se) || se.Step.N != 1 {
		t.Errorf("without step 1: error %v, want one naming step 1", err)
	}
}

func TestReplayStepErrors(t *testing.T) {
	c := suspendRunning(t)
	m := machine(t, c)
	first := c.Steps[0]
	k := slices.IndexFunc(c.Steps, func(st Step) bool { return strings.Contains(st.Source, "@") })
	for _, tc := range []struct {
		name string
		edit func(*Cex)
		want string
	}{
		{"not enabled", func(c *Cex) { c.Steps[0].A = 0x3f },
			fmt.Sprintf("step 1 (%s: %s at %s): not enabled (action 0x3f)", who(first), first.Action, first.Source)},
		{"other source", func(c *Cex) { c.Steps[k].Source = "kern_lwp.c@1.1:1" },
			fmt.Sprintf(`step %d (%s: %s at kern_lwp.c@1.1:1): the model now runs source %q here, the file records "kern_lwp.c@1.1:1"`,
				k+1, who(c.Steps[k]), c.Steps[k].Action, c.Steps[k].Source)},
		{"other actor", func(c *Cex) { c.Steps[0].Actor = "LWP 7" },
			fmt.Sprintf(`the model now runs actor %q here, the file records "LWP 7"`, first.Actor)},
		{"other cpu", func(c *Cex) { c.Steps[0].CPU = 3 },
			fmt.Sprintf(`the model now runs cpu "%d" here, the file records "3"`, first.CPU)},
		{"other action", func(c *Cex) { c.Steps[0].Action = "frob" },
			fmt.Sprintf(`the model now runs action %q here, the file records "frob"`, first.Action)},
		{"no initial state", func(c *Cex) { c.Init = 3 }, "initial state 3 does not exist (the model has 1)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := *c
			bad.Steps = append([]Step(nil), c.Steps...)
			tc.edit(&bad)
			_, err := Replay(m, &bad)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestReplayViolationGone replays a deadlock without its last steps: the
// steps execute, but the state they reach is not the deadlock.
func TestReplayViolationGone(t *testing.T) {
	c := suspendRunning(t)
	short := *c
	short.Steps = c.Steps[:len(c.Steps)-3]
	r, err := Replay(machine(t, c), &short)
	if err != nil {
		t.Fatal(err)
	}
	if r.Recurs {
		t.Fatal("a deadlock three steps early")
	}
	if v := r.Verdict(); v != "the violation deadlock no longer occurs (the model changed)" {
		t.Errorf("verdict %q", v)
	}
}

// TestReplayBlamesTheEdit: a file edited after it was written, whose run
// no longer recurs, says so instead of blaming the model.
func TestReplayBlamesTheEdit(t *testing.T) {
	data, err := suspendRunning(t).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	steps := doc["steps"].([]any)
	doc["steps"] = steps[:len(steps)-3]
	edited, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Parse("x.cex.json", edited)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Replay(machine(t, c), c)
	if err != nil {
		t.Fatal(err)
	}
	want := "the violation deadlock no longer occurs (the file was edited after it was written: its digest does not match)"
	if v := r.Verdict(); v != want {
		t.Errorf("verdict %q, want %q", v, want)
	}
	mid := append(steps[:1:1], steps[2:]...) // a step dropped from the middle
	for i, st := range mid {
		st.(map[string]any)["n"] = i + 1
	}
	doc["steps"] = mid
	edited, _ = json.Marshal(doc)
	c, err = Parse("x.cex.json", edited)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Replay(machine(t, c), c); err == nil || !strings.Contains(err.Error(), "(the file was edited after it was written") {
		t.Errorf("error %v, want it to blame the edit", err)
	}
}

// TestReplayNoteDrift shows a note that changed beside the recorded one,
// without rejecting the step.
func TestReplayNoteDrift(t *testing.T) {
	c := suspendRunning(t)
	drift := *c
	drift.Steps = append([]Step(nil), c.Steps...)
	k := slices.IndexFunc(c.Steps, func(st Step) bool { return st.Note != "" })
	drift.Steps[k].Note = "something else"
	r, err := Replay(machine(t, c), &drift)
	if err != nil || !r.Recurs {
		t.Fatalf("replay: %v", err)
	}
	var b strings.Builder
	if err := r.Report(Options{}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	want := "        note: " + c.Steps[k].Note + "\n        note recorded: something else\n"
	if !strings.Contains(b.String(), want) {
		t.Errorf("listing does not show the drift:\n%s", b.String())
	}
}
