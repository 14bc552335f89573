package traces

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"
)

// report replays the suspend-running deadlock and prepares it for reading.
func report(t *testing.T) *Report {
	t.Helper()
	c := suspendRunning(t)
	r, err := Replay(machine(t, c), c)
	if err != nil {
		t.Fatal(err)
	}
	return r.Report(Options{Name: c.FileName()})
}

func TestWriteJSON(t *testing.T) {
	rep := report(t)
	var b bytes.Buffer
	if err := rep.WriteJSON(&b); err != nil {
		t.Fatal(err)
	}
	var back struct {
		Format   string `json:"format"`
		Recurs   bool   `json:"recurs"`
		Switches int    `json:"switches"`
		Steps    []struct {
			N        int      `json:"n"`
			A        uint32   `json:"a"`
			Who      string   `json:"who"`
			Changes  []Change `json:"changes"`
			Locks    []string `json:"locks"`
			Counters struct {
				NLWPs *int `json:"p_nlwps"`
			} `json:"counters"`
		} `json:"steps"`
	}
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if back.Format != ReportFormat || !back.Recurs || back.Switches != rep.Switches || len(back.Steps) != len(rep.Steps) {
		t.Fatalf("decoded %+v", back)
	}
	for i, st := range back.Steps {
		if st.N != i+1 || st.A == 0 || st.Who == "" || st.Locks == nil || st.Counters.NLWPs == nil {
			t.Errorf("step %d decoded as %+v", i+1, st)
		}
	}
}

func TestWriteDOT(t *testing.T) {
	rep := report(t)
	var b bytes.Buffer
	if err := rep.WriteDOT(&b); err != nil {
		t.Fatal(err)
	}
	g := multi.NewDirectedGraph()
	if err := dot.UnmarshalMulti(b.Bytes(), g); err != nil {
		t.Fatalf("the output is not DOT: %v\n%s", err, b.String())
	}
	if got, want := g.Nodes().Len(), len(rep.Steps)+1; got != want {
		t.Errorf("%d nodes, want one per state (%d)", got, want)
	}
	if got, want := g.Edges().Len(), len(rep.Steps); got != want {
		t.Errorf("%d edges, want one per step (%d)", got, want)
	}
}

func TestMermaidText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"plain text (x)", "plain text (x)"},
		{"a; b", "a#59; b"},
		{"#1 <b>", "#35;1 #lt;b>"},
		{"two\nlines", "two lines"},
	} {
		if got := mmd(tc.in); got != tc.want {
			t.Errorf("mmd(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFlagDelta(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"LW_PENDSIG", "LW_WSUSPEND|LW_PENDSIG", "+LW_WSUSPEND"},
		{"LW_WSUSPEND|LW_SINTR", "LW_SINTR", "-LW_WSUSPEND"},
		{"0", "LW_WEXIT", "+LW_WEXIT"},
		{"LW_WEXIT", "0", "-LW_WEXIT"},
		{"LW_A", "LW_A", ""},
	} {
		if got := flagDelta(tc.from, tc.to); got != tc.want {
			t.Errorf("flagDelta(%q, %q) = %q, want %q", tc.from, tc.to, got, tc.want)
		}
	}
}

// TestViolatedAt: when the step that breaks an invariant is a merged
// transaction that began elsewhere, the listing says where in it the
// violation happened.
func TestViolatedAt(t *testing.T) {
	for _, f := range bundledCexes(t, false) {
		c := f.cex
		if c.Revision != "netbsd-2025" || c.Spec.Name != "continue-while-waiting" || c.Violation.Name != "transition/LSSUSPENDED->LSONPROC" {
			continue
		}
		r, err := Replay(machine(t, c), c)
		if err != nil {
			t.Fatal(err)
		}
		last := r.Report(Options{}).Steps[len(c.Steps)-1]
		if last.ViolatedAt != "kern_synch.c@1.366:938" || last.Source == last.ViolatedAt {
			t.Errorf("last step at %s, violated at %q; want the setrunnable line kern_synch.c@1.366:938", last.Source, last.ViolatedAt)
		}
		if last.ViolatedOp == "" || last.ViolatedOp == last.Action {
			t.Errorf("violated by %q in a transaction from %q; want the operation at kern_synch.c@1.366:938", last.ViolatedOp, last.Action)
		}
		var text bytes.Buffer
		last.writeText(&text)
		if head, _, _ := strings.Cut(text.String()[1:], "\n"); !strings.HasSuffix(head, last.ViolatedOp) {
			t.Errorf("heading %q; want the operation that violated, %q", head, last.ViolatedOp)
		}
		return
	}
	t.Fatal("continue-while-waiting on netbsd-2025 has no transition/LSSUSPENDED->LSONPROC finding")
}
