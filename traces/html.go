package traces

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strings"
)

//go:embed replay.html
var pageText string

var page = template.Must(template.New("replay.html").Parse(pageText))

// htmlPage is what replay.html renders.
type htmlPage struct {
	*Report
	Lanes []htmlLane
	Kind  string // what the violation's kind means
}

// htmlLane is one row of the timeline: a cell per step.
type htmlLane struct {
	lane
	Cells []htmlCell
}

// htmlCell is one step in one lane: Event marks the step's actor (exactly
// one cell per step), Busy a CPU running an LWP's step.
type htmlCell struct {
	N     int
	Event bool
	Busy  bool
	Class string // colour class of the actor
	Label string
	Title string
	// Stat is, in an LWP's lane, its l_stat after the step when it did
	// not act: the cell is tinted by state.
	Stat string
}

// WriteHTML writes one self-contained page (HTML, CSS and script inline)
// with a timeline of the trace, a lane per LWP, CPU and the environment,
// and the steps in full; clicking a step, or the arrow keys, selects one.
func (rep *Report) WriteHTML(w io.Writer) error {
	ls := rep.lanes()
	p := htmlPage{Report: rep, Kind: kindText[rep.Violation.Kind]}
	for _, l := range ls {
		hl := htmlLane{lane: l, Cells: make([]htmlCell, len(rep.Steps))}
		for i, st := range rep.Steps {
			c := &hl.Cells[i]
			c.N = st.N
			a := ls.find(st.Actor)
			title := fmt.Sprintf("%d. %s: %s (%s)", st.N, st.Who, st.Action, st.Source)
			switch {
			case st.Actor == l.Name:
				c.Event, c.Class, c.Title = true, a.Class, title
				c.Label = shortName(st.Actor)
			case strings.HasPrefix(st.Actor, "LWP ") && l.Name == fmt.Sprintf("cpu%d", st.CPU):
				c.Busy, c.Class, c.Title = true, a.Class, title
				c.Label = shortName(st.Actor)
			default:
				if stat := lwpStat(st.Things, l.Name); stat != "" {
					c.Stat, c.Title = stat, fmt.Sprintf("after step %d: %s %s", st.N, l.Name, stat)
				}
			}
		}
		p.Lanes = append(p.Lanes, hl)
	}
	if err := page.Execute(w, p); err != nil {
		return fmt.Errorf("rendering the page: %w", err)
	}
	return nil
}

// lwpStat finds the l_stat of the LWP named lwp ("LWP 2") in a state's
// lines ("LWP 2: l_lid=2 l_stat=LSSLEEP ..."), or "".
func lwpStat(things []string, lwp string) string {
	for _, t := range things {
		if rest, ok := strings.CutPrefix(t, lwp+": "); ok {
			if _, after, ok := strings.Cut(rest, "l_stat="); ok {
				stat, _, _ := strings.Cut(after, " ")
				return stat
			}
		}
	}
	return ""
}

// shortName abbreviates an actor for a timeline cell: "L2", "c1", "E".
func shortName(actor string) string {
	switch {
	case strings.HasPrefix(actor, "LWP "):
		return "L" + strings.TrimPrefix(actor, "LWP ")
	case strings.HasPrefix(actor, "cpu"):
		return "c" + strings.TrimPrefix(actor, "cpu")
	}
	return "E"
}
