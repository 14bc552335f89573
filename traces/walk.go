package traces

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// walkHelp lists the commands of Walk.
const walkHelp = "commands: n(ext) or an empty line, b(ack), j(ump) N or N (0: the initial state), " +
	"l(wp) N (on to LWP N's next step), s(tate) (the whole state here), q(uit)"

// Walk steps through rep interactively: it shows the header and the
// initial state, then reads commands from in, one a line (see walkHelp),
// showing the step it moves to. It writes a prompt to out before each
// command and stops at quit or at the end of in, so a script can drive it.
func (rep *Report) Walk(in io.Reader, out io.Writer) error {
	w := bufio.NewWriter(out)
	sc := bufio.NewScanner(in)
	n := len(rep.Steps)
	at := 0
	show := func(i int) {
		at = i
		if i == 0 {
			rep.writeHeader(w)
			return
		}
		rep.Steps[i-1].writeText(w)
		if i == n {
			rep.writeVerdict(w)
		}
	}
	show(0)
	for {
		fmt.Fprintf(w, "\n[%d/%d] n, b, j N, l N, s, q> ", at, n)
		if err := w.Flush(); err != nil {
			return err
		}
		ok := sc.Scan()
		fmt.Fprintln(w) // end the prompt's line: input from a script is not echoed
		if !ok {
			break
		}
		cmd, arg, _ := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		if _, err := strconv.Atoi(cmd); err == nil {
			cmd, arg = "j", cmd
		}
		switch cmd {
		case "", "n", "next":
			if at == n {
				fmt.Fprintln(w, "at the last step")
				continue
			}
			show(at + 1)
		case "b", "back":
			if at == 0 {
				fmt.Fprintln(w, "at the initial state")
				continue
			}
			show(at - 1)
		case "j", "jump":
			k, err := strconv.Atoi(strings.TrimSpace(arg))
			if err != nil || k < 0 || k > n {
				fmt.Fprintf(w, "jump to a step from 0 to %d\n", n)
				continue
			}
			show(k)
		case "l", "lwp":
			actor := "LWP " + strings.TrimSpace(arg)
			next := at + slices.IndexFunc(rep.Steps[at:], func(st ReportStep) bool { return st.Actor == actor })
			if next < at {
				fmt.Fprintf(w, "%s takes no step after step %d\n", actor, at)
				continue
			}
			show(next + 1)
		case "s", "state":
			things, locks, counters := rep.Initial.Things, rep.Initial.Locks, rep.Initial.Counters
			if at > 0 {
				st := &rep.Steps[at-1]
				things, locks, counters = st.Things, st.Locks, st.Counters
			}
			fmt.Fprintf(w, "state after step %d\n", at)
			for _, t := range things {
				fmt.Fprintf(w, "        %s\n", t)
			}
			writeHeld(w, locks, counters)
		case "q", "quit":
			return w.Flush()
		default:
			fmt.Fprintln(w, walkHelp)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading commands: %w", err)
	}
	return w.Flush()
}
