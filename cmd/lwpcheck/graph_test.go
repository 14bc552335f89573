package main

import (
	"bytes"
	"context"
	"github.com/lwpcheck/lwpcheck/model"
	"strings"
	"testing"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/multi"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/specs"
)

// namedNode keeps the DOT ID the decoder gives it.
type namedNode struct {
	id   int64
	name string
}

func (n *namedNode) ID() int64          { return n.id }
func (n *namedNode) SetDOTID(id string) { n.name = id }

// namedMulti is a multigraph builder whose nodes keep their DOT IDs.
type namedMulti struct{ *multi.DirectedGraph }

func (g namedMulti) NewNode() graph.Node { return &namedNode{id: g.DirectedGraph.NewNode().ID()} }

func graphOut(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(append([]string{"graph"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

func TestGraphLockOrder(t *testing.T) {
	out, errs, code := graphOut(t, "lock-order", "create-wait")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g := namedMulti{multi.NewDirectedGraph()}
	if err := dot.UnmarshalMulti([]byte(out), g); err != nil {
		t.Fatalf("the output is not DOT: %v\n%s", err, out)
	}
	var edges []string
	for lines := g.Edges(); lines.Next(); {
		e := lines.Edge()
		edges = append(edges, e.From().(*namedNode).name+" -> "+e.To().(*namedNode).name)
	}
	for _, want := range []string{"p_lock -> sleepq", "sleepq -> spc_lwplock", "spc_lwplock -> spc_mutex"} {
		if !strings.Contains(strings.Join(edges, "\n"), want) {
			t.Errorf("no edge %s among %q", want, edges)
		}
	}
	if n := g.Nodes().Len(); n != int(model.NumClasses)-1 {
		t.Errorf("%d nodes, want the %d lock classes", n, model.NumClasses-1)
	}
}

func TestGraphStates(t *testing.T) {
	out, errs, code := graphOut(t, "states", "create-wait")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	g := simple.NewDirectedGraph()
	if err := dot.Unmarshal([]byte(out), g); err != nil {
		t.Fatalf("the output is not DOT: %v", err)
	}
	// The graph has every state a search of create-wait stores (none of
	// them fatal), connected.
	sp, err := specs.Lookup("create-wait")
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := invariants.Build(netbsd.Netbsd2025, sp, 0)
	if err != nil {
		t.Fatal(err)
	}
	r, err := explore.Run(context.Background(), m, explore.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if n := int64(g.Nodes().Len()); n != r.States {
		t.Errorf("%d states, want %d", n, r.States)
	}
	if int64(g.Edges().Len()) < r.States-1 {
		t.Errorf("%d edges: the graph is not connected", g.Edges().Len())
	}
}

func TestGraphErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"states", "--max-states", "50", "create-wait"}, "has more than 50 states"},
		{[]string{"paths", "create-wait"}, "graph what?"},
		{[]string{"states"}, "want one SPEC"},
		{[]string{"lock-order", "--revision", "netbsd-1", "create-wait"}, "unknown revision"},
	}
	for _, tt := range tests {
		_, errs, code := graphOut(t, tt.args...)
		if code != exitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("graph %q: exit %d, %q; want exit %d and %q", tt.args, code, errs, exitUsage, tt.want)
		}
	}
}
