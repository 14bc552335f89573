package traces

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Options configure the renderings of a Run.
type Options struct {
	Name   string  // the counterexample file's name, for headers
	Source *Source // where to read the C lines; nil: none
	// ExplainPOR adds to each step the reduction in the state before it:
	// each enabled action and what makes it depend on the others
	// (model.Machine.Reduction).
	ExplainPOR bool
}

// kindText says what each kind of violation is, for listings.
var kindText = map[string]string{
	KindState:      "a state invariant fails in the last state",
	KindTransition: "the last step breaks an invariant",
	KindTerminal:   "the last state is terminal and bad",
	KindBehaviour:  "what user space sees of the run",
	KindTrace:      "the ktrace records of the run",
	KindCycle:      "the loop at the end runs for ever and some LWP never leaves the kernel",
}

// WriteText writes the full listing of rep: a header, the initial state,
// every step with its source (and C line), note, lock operations, state
// changes, locks held and process counters, and the verdict.
func (rep *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriter(w)
	rep.writeHeader(bw)
	for i := range rep.Steps {
		if rep.Steps[i].N == rep.Loop {
			fmt.Fprintf(bw, "\n== loop: steps %d to %d return to this state, for ever ==\n", rep.Loop, len(rep.Steps))
		}
		rep.Steps[i].writeText(bw)
	}
	rep.writeVerdict(bw)
	return bw.Flush()
}

func (rep *Report) writeHeader(w io.Writer) {
	if rep.File != "" {
		fmt.Fprintf(w, "counterexample: %s\n", rep.File)
	}
	fmt.Fprintf(w, "spec:           %s (%d CPUs)\n", rep.Spec, rep.CPUs)
	fmt.Fprintf(w, "revision:       %s\n", rep.Revision)
	v := rep.Violation
	fmt.Fprintf(w, "violation:      %s (%s): %s\n", v.Name, kindText[v.Kind], v.Message)
	fmt.Fprintf(w, "steps:          %d, %d context switches\n", len(rep.Steps), rep.Switches)
	for _, n := range rep.Integrity {
		fmt.Fprintf(w, "warning:        %s\n", n)
	}
	for _, n := range rep.SourceNotes {
		fmt.Fprintf(w, "source:         %s\n", n)
	}
	fmt.Fprintln(w, "\ninitial state")
	for _, t := range rep.Initial.Things {
		fmt.Fprintf(w, "        %s\n", t)
	}
	writeHeld(w, rep.Initial.Locks, rep.Initial.Counters)
}

func (rs *ReportStep) writeText(w io.Writer) {
	switch {
	case rs.ViolatedOp != "":
		// The heading is the operation that violated; the transaction
		// it ended began elsewhere.
		fmt.Fprintf(w, "\nstep %d  %s  %s\n", rs.N, rs.Who, rs.ViolatedOp)
		fmt.Fprintf(w, "        violated at %s\n", rs.ViolatedAt)
		fmt.Fprintf(w, "        in a transaction from %s at %s\n", rs.Action, rs.Source)
	default:
		fmt.Fprintf(w, "\nstep %d  %s  %s\n", rs.N, rs.Who, rs.Action)
		fmt.Fprintf(w, "        at %s\n", rs.Source)
		if rs.ViolatedAt != "" {
			fmt.Fprintf(w, "        violated at %s\n", rs.ViolatedAt)
		}
	}
	switch {
	case rs.Line != "":
		fmt.Fprintf(w, "        | %s\n", rs.Line)
	case rs.Link != "":
		fmt.Fprintf(w, "        see %s\n", rs.Link)
	}
	if rs.Note != "" {
		fmt.Fprintf(w, "        note: %s\n", rs.Note)
	}
	if rs.RecordedNote != "" {
		fmt.Fprintf(w, "        note recorded: %s\n", rs.RecordedNote)
	}
	for _, m := range rs.Merged {
		fmt.Fprintf(w, "        por: %s\n", m)
	}
	if len(rs.Reduction) > 0 {
		fmt.Fprintf(w, "        enabled before it:\n")
	}
	for _, r := range rs.Reduction {
		fmt.Fprintf(w, "          %s\n", r)
	}
	if len(rs.Locking) > 0 {
		fmt.Fprintf(w, "        locking: %s\n", strings.Join(rs.Locking, " "))
	}
	for _, ch := range rs.Changes {
		fmt.Fprintf(w, "        ~ %s\n", ch)
	}
	for _, v := range rs.Violations {
		fmt.Fprintf(w, "        violation %s\n", v)
	}
	writeHeld(w, rs.Locks, rs.Counters)
}

func writeHeld(w io.Writer, locks []string, c Counters) {
	held := "none"
	if len(locks) > 0 {
		held = strings.Join(locks, ", ")
	}
	fmt.Fprintf(w, "        locks: %s\n", held)
	fmt.Fprintf(w, "        counters: %s\n", c)
}

func (rep *Report) writeVerdict(w io.Writer) {
	fmt.Fprintf(w, "\nresult: %s\n", rep.Verdict)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
