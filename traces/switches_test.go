package traces

import (
	"fmt"
	"strings"
	"testing"
)

func TestSwitches(t *testing.T) {
	steps := func(actors string) []Step {
		var out []Step
		for _, a := range strings.Fields(actors) {
			out = append(out, Step{Actor: a})
		}
		return out
	}
	for _, tc := range []struct {
		actors string
		want   int
	}{
		{"", 0},
		{"L1", 0},
		{"L1 L1 L1", 0},
		{"L1 L2", 1},
		{"L1 L2 L1", 2},
		{"L1 L1 cpu1 L2 L2 env env L1", 4},
	} {
		if got := Switches(steps(tc.actors)); got != tc.want {
			t.Errorf("Switches(%s) = %d, want %d", tc.actors, got, tc.want)
		}
	}
}

// TestFewestSwitchTraces compares, for every counterexample the bundled
// specs produce, the engine's first shortest trace (FirstTrace) with the
// one its trace pass picks: the same length, and never more switches. It
// logs the measurements (go test -v -run TestFewestSwitchTraces).
func TestFewestSwitchTraces(t *testing.T) {
	if testing.Short() {
		t.Skip("explores every bundled spec twice")
	}
	first := map[string]*Cex{}
	for _, f := range bundledCexes(t, true) {
		first[f.cex.FileName()] = f.cex
	}
	t.Logf("%-72s %5s %6s %6s", "counterexample", "steps", "first", "chosen")
	var total [2]int
	for _, f := range bundledCexes(t, false) {
		c, ok := first[f.cex.FileName()]
		if !ok {
			t.Errorf("%s: not found with FirstTrace", f.cex.FileName())
			continue
		}
		before, after := Switches(c.Steps), Switches(f.cex.Steps)
		t.Logf("%-72s %5d %6d %6d", f.cex.FileName(), len(f.cex.Steps), before, after)
		if len(c.Steps) != len(f.cex.Steps) || after > before {
			t.Errorf("%s: first trace %d steps, %d switches; chosen %d steps, %d switches",
				f.cex.FileName(), len(c.Steps), before, len(f.cex.Steps), after)
		}
		total[0] += before
		total[1] += after
	}
	t.Logf("%-72s %5s %6d %6d", "all", "", total[0], total[1])
}

// ExampleSwitches shows the count of a small trace.
func ExampleSwitches() {
	steps := []Step{{Actor: "LWP 1"}, {Actor: "LWP 1"}, {Actor: "cpu1"}, {Actor: "LWP 2"}, {Actor: "LWP 1"}}
	fmt.Println(Switches(steps))
	// Output: 3
}
