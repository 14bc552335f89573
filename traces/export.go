package traces

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// WriteJSON writes rep as indented JSON (format ReportFormat).
func (rep *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(rep); err != nil {
		return fmt.Errorf("encoding the replay: %w", err)
	}
	return nil
}

// WriteDOT writes the trace as a Graphviz graph: a node per state, from
// the initial state to the one the violation is seen in, labelled with
// what changed; an edge per step, labelled with its number, actor,
// operation and source, and coloured by actor. A cycle's last state, the
// one its loop starts from, has a dashed edge back to it.
func (rep *Report) WriteDOT(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph cex {")
	fmt.Fprintf(bw, "  label=%s;\n  labelloc=t;\n  rankdir=TB;\n", dotQuote(rep.Spec+" on "+rep.Revision+": "+rep.Violation.Name))
	fmt.Fprintln(bw, `  node [shape=box, fontname="monospace", fontsize=10];`)
	fmt.Fprintln(bw, `  edge [fontname="monospace", fontsize=10];`)
	fmt.Fprintf(bw, "  s0 [label=%s];\n", dotQuote("initial state\n"+strings.Join(rep.Initial.Things, "\n")))
	lanes := rep.lanes()
	for i, st := range rep.Steps {
		var lines []string
		for _, ch := range st.Changes {
			lines = append(lines, ch.String())
		}
		attrs := ""
		if i == len(rep.Steps)-1 {
			lines = append(lines, rep.Violation.Name+": "+rep.Violation.Message)
			attrs = `, color=red, penwidth=2`
		}
		fmt.Fprintf(bw, "  s%d [label=%s%s];\n", st.N, dotQuote(strings.Join(lines, "\n")), attrs)
		fmt.Fprintf(bw, "  s%d -> s%d [label=%s, color=%q, fontcolor=%q];\n", st.N-1, st.N,
			dotQuote(fmt.Sprintf("%d. %s\n%s\n%s", st.N, st.Who, st.Action, st.Source)),
			lanes.color(st.Actor), lanes.color(st.Actor))
	}
	if len(rep.Steps) == 0 {
		fmt.Fprintf(bw, "  s0 [label=%s, color=red, penwidth=2];\n", dotQuote(rep.Violation.Name+": "+rep.Violation.Message))
	}
	if rep.Loop > 0 {
		// The last state is the one the loop starts from: close the loop.
		fmt.Fprintf(bw, "  s%d -> s%d [label=%s, style=dashed, color=red, constraint=false];\n", len(rep.Steps), rep.Loop-1,
			dotQuote("the same state: the loop runs again"))
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// dotQuote quotes s as a DOT string with left-justified lines.
func dotQuote(s string) string {
	s = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\l`).Replace(s)
	return `"` + s + `\l"`
}
