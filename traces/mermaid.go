package traces

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteMermaid writes the trace as a Mermaid sequence diagram: the CPUs,
// the LWPs and the environment are lifelines; each step is a message from
// the CPU to the LWP it runs (or to itself, for a CPU's own context and
// the environment); lock acquires (+) and releases (-), the actor's own
// state changes and syscall results are notes over the actor; a change of
// another LWP's state is a message to it; the violation is a note across
// all lifelines.
func (rep *Report) WriteMermaid(w io.Writer) error {
	bw := bufio.NewWriter(w)
	ls := rep.lanes()
	fmt.Fprintf(bw, "---\ntitle: %q\n---\nsequenceDiagram\n", mmd(rep.Spec+" on "+rep.Revision+": "+rep.Violation.Name))
	for _, l := range ls {
		fmt.Fprintf(bw, "  participant %s as %s\n", l.ID, l.Name)
	}
	for _, st := range rep.Steps {
		if st.N == rep.Loop {
			fmt.Fprintf(bw, "  loop %s\n", mmd(fmt.Sprintf("steps %d to %d, for ever", rep.Loop, len(rep.Steps))))
		}
		actor := ls.find(st.Actor).ID
		from := actor
		if strings.HasPrefix(st.Actor, "LWP ") {
			from = ls.find(fmt.Sprintf("cpu%d", st.CPU)).ID
		}
		fmt.Fprintf(bw, "  %s->>%s: %s\n", from, actor, mmd(fmt.Sprintf("%d. %s (%s)", st.N, st.Action, st.Source)))
		var notes []string
		if len(st.Locking) > 0 {
			notes = append(notes, strings.Join(st.Locking, " "))
		}
		for _, ch := range st.Changes {
			target, field, ok := lwpField(ch.What)
			switch {
			case !ok:
			case field == "l_stat" && target == st.Actor:
				notes = append(notes, ch.From+" → "+ch.To)
			case field == "l_stat":
				fmt.Fprintf(bw, "  %s-)%s: %s\n", actor, ls.find(target).ID, mmd("l_stat "+ch.From+" → "+ch.To))
			case field == "l_flag" && target != st.Actor:
				// Another LWP's flags: what the actor asks of it (LW_WSUSPEND,
				// LW_WEXIT, LW_PENDSIG).
				if d := flagDelta(ch.From, ch.To); d != "" {
					fmt.Fprintf(bw, "  %s-)%s: %s\n", actor, ls.find(target).ID, mmd("l_flag "+d))
				}
			case field == "" && ch.From == none:
				stat, _, _ := strings.Cut(ch.To, " ")
				fmt.Fprintf(bw, "  %s-)%s: %s\n", actor, ls.find(target).ID, mmd("created, "+stat))
			case field == "" && ch.To == none:
				fmt.Fprintf(bw, "  %s-)%s: freed\n", actor, ls.find(target).ID)
			}
		}
		for _, part := range strings.Split(st.Note, "; ") {
			if part != "" && !strings.HasPrefix(part, "LWP ") {
				notes = append(notes, part)
			}
		}
		for _, v := range st.Violations {
			notes = append(notes, "violation "+v)
		}
		if len(notes) > 0 {
			for i := range notes {
				notes[i] = mmd(notes[i])
			}
			fmt.Fprintf(bw, "  Note over %s: %s\n", actor, strings.Join(notes, "<br/>"))
		}
	}
	if rep.Loop > 0 {
		fmt.Fprintln(bw, "  end")
	}
	span := ls[0].ID
	if len(ls) > 1 {
		span += "," + ls[len(ls)-1].ID
	}
	v := rep.Violation
	fmt.Fprintf(bw, "  Note over %s: %s\n", span, mmd(v.Name+" ("+v.Kind+"): "+v.Message))
	return bw.Flush()
}

// lwpField splits a change's name "LWP 2 l_stat" into the LWP and the
// field; field is "" for the LWP itself (created or freed).
func lwpField(what string) (lwp, field string, ok bool) {
	rest, ok := strings.CutPrefix(what, "LWP ")
	if !ok {
		return "", "", false
	}
	num, field, _ := strings.Cut(rest, " ")
	return "LWP " + num, field, true
}

// mmd makes s safe as Mermaid text: one line, and no character Mermaid
// reads as markup (';' ends a statement, '#' starts an entity, '<' a tag).
func mmd(s string) string {
	return strings.NewReplacer("#", "#35;", ";", "#59;", "<", "#lt;", "\n", " ", "\r", " ").Replace(s)
}

// flagDelta says which flags of a set rendered "A|B" (none: "0" or "-")
// to was given that from lacks, and the reverse: "+LW_WSUSPEND -LW_SINTR".
func flagDelta(from, to string) string {
	set := func(s string) []string {
		if s == "0" || s == none {
			return nil
		}
		return strings.Split(s, "|")
	}
	f, t := set(from), set(to)
	var out []string
	for _, x := range t {
		if !slices.Contains(f, x) {
			out = append(out, "+"+x)
		}
	}
	for _, x := range f {
		if !slices.Contains(t, x) {
			out = append(out, "-"+x)
		}
	}
	return strings.Join(out, " ")
}
