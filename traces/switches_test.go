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

// TestMinimize minimises every counterexample the bundled specs produce,
// as the engine reports them with and without its own fewest-switch pass:
// the result has the same length and violation, replays, and has no more
// switches. It logs the measurements (go test -v -run TestMinimize).
func TestMinimize(t *testing.T) {
	modes := []bool{false}
	if !testing.Short() {
		modes = append(modes, true)
	}
	for _, firstTrace := range modes {
		engine := "fewest-switch trace pass"
		if firstTrace {
			engine = "first trace (FirstTrace)"
		}
		t.Logf("engine: %s", engine)
		t.Logf("  %-72s %5s %8s %9s", "counterexample", "steps", "switches", "minimized")
		var total [2]int
		for _, f := range bundledCexes(t, firstTrace) {
			min, err := Minimize(machine(t, f.cex), f.cex)
			if err != nil {
				t.Errorf("%s: %v", f.cex.FileName(), err)
				continue
			}
			before, after := Switches(f.cex.Steps), Switches(min.Steps)
			t.Logf("  %-72s %5d %8d %9d", f.cex.FileName(), len(f.cex.Steps), before, after)
			if len(min.Steps) != len(f.cex.Steps) || min.Violation != f.cex.Violation || after > before {
				t.Errorf("%s: minimized to %d steps, %d switches, %+v", f.cex.FileName(), len(min.Steps), after, min.Violation)
			}
			r, err := Replay(machine(t, min), min)
			if err != nil || !r.Recurs {
				t.Errorf("%s: minimized trace does not replay: %v", f.cex.FileName(), err)
			}
			total[0] += before
			total[1] += after
		}
		t.Logf("  %-72s %5s %8d %9d", "all", "", total[0], total[1])
	}
}

// TestMinimizeKeepsMinimal checks that a trace that cannot be improved is
// returned as it is.
func TestMinimizeKeepsMinimal(t *testing.T) {
	c := suspendRunning(t)
	min, err := Minimize(machine(t, c), c)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Minimize(machine(t, min), min)
	if err != nil {
		t.Fatal(err)
	}
	if again != min {
		t.Errorf("a minimized trace changed again: %d -> %d switches", Switches(min.Steps), Switches(again.Steps))
	}
}

// BenchmarkMinimize measures Minimize on the suspend-running deadlock and
// reports the switches before and after.
func BenchmarkMinimize(b *testing.B) {
	c := suspendRunning(b)
	m := machine(b, c)
	var min *Cex
	for b.Loop() {
		var err error
		if min, err = Minimize(m, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(Switches(c.Steps)), "switches-before")
	b.ReportMetric(float64(Switches(min.Steps)), "switches-after")
}

// ExampleSwitches shows the count of a small trace.
func ExampleSwitches() {
	steps := []Step{{Actor: "LWP 1"}, {Actor: "LWP 1"}, {Actor: "cpu1"}, {Actor: "LWP 2"}, {Actor: "LWP 1"}}
	fmt.Println(Switches(steps))
	// Output: 3
}
