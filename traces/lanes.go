package traces

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// lane is a lifeline of a trace: an LWP, a CPU or the environment.
type lane struct {
	Name  string // "LWP 2", "cpu0", "env"
	ID    string // an identifier: "L2", "C0", "ENV"
	Color string
	Class string // the HTML page's CSS class for the colour
}

type lanes []lane

// palette colours the LWPs; CPUs' own contexts are grey, the environment
// black. replay.html has the same colours as CSS classes lwp0..lwp7.
var palette = []string{"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"}

// lanes returns the lifelines of rep: its CPUs, then every LWP it names,
// by number, then the environment if it acts.
func (rep *Report) lanes() lanes {
	var ls lanes
	for c := 0; c < rep.CPUs; c++ {
		ls = append(ls, lane{fmt.Sprintf("cpu%d", c), fmt.Sprintf("C%d", c), "#666666", "cpu"})
	}
	var lwps []int
	addLWP := func(s string) {
		if rest, ok := strings.CutPrefix(s, "LWP "); ok {
			num, _, _ := strings.Cut(rest, " ")
			num = strings.TrimSuffix(num, ":")
			if n, err := strconv.Atoi(num); err == nil && !slices.Contains(lwps, n) {
				lwps = append(lwps, n)
			}
		}
	}
	env := false
	for _, t := range rep.Initial.Things {
		addLWP(t)
	}
	for _, st := range rep.Steps {
		addLWP(st.Actor)
		for _, ch := range st.Changes {
			addLWP(ch.What)
		}
		env = env || st.Actor == "env"
	}
	slices.Sort(lwps)
	for _, n := range lwps {
		ls = append(ls, lane{fmt.Sprintf("LWP %d", n), fmt.Sprintf("L%d", n), palette[(n-1)%len(palette)],
			fmt.Sprintf("lwp%d", (n-1)%len(palette))})
	}
	if env {
		ls = append(ls, lane{"env", "ENV", "#000000", "env"})
	}
	return ls
}

// find returns the lane called name, or the zero lane.
func (ls lanes) find(name string) lane {
	for _, l := range ls {
		if l.Name == name {
			return l
		}
	}
	return lane{}
}

func (ls lanes) color(name string) string {
	if c := ls.find(name).Color; c != "" {
		return c
	}
	return "#000000"
}
