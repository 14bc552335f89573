package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/encoding/dot"
	"gonum.org/v1/gonum/graph/simple"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/verdict"
)

var graphVerb = &verb{
	name:  "graph",
	usage: "lwpcheck graph lock-order|states [--revision R] [--max-states N] SPEC",
	doc: `Explore SPEC (a file or a bundled spec's name) on one revision (default: the
newest it runs on) and print a graph in Graphviz DOT on stdout.
lock-order: the lock-class graph of every explored interleaving (an edge A -> B:
a lock of class B acquired while one of class A is held), each edge labelled
with the locks held at every such acquisition, red if against the revision's
documented order.
states: the explored state graph, one node per state, one edge per step (steps
between the same two states share an edge); states and steps where an
invariant fails are red, terminal states doubly circled. Refused, with exit
code 2, when the spec has more than --max-states states.`,
	run:   runGraph,
	flags: func() *flag.FlagSet { fs, _ := newGraphFlags(); return fs },
}

type graphFlags struct {
	revision  string
	maxStates int64
}

func newGraphFlags() (*flag.FlagSet, *graphFlags) {
	g := &graphFlags{}
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.StringVar(&g.revision, "revision", "", "the revision to explore (default: the newest the spec runs on)")
	fs.Int64Var(&g.maxStates, "max-states", 1000, "states: the most states a graph may have")
	return fs, g
}

func runGraph(args []string, stdout, stderr io.Writer) (int, error) {
	fs, gf := newGraphFlags()
	operands, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if err := nonNegative(fs, "max-states"); err != nil {
		return exitUsage, err
	}
	if len(operands) == 0 || operands[0] != "lock-order" && operands[0] != "states" {
		return exitUsage, usagef("graph what? lock-order or states")
	}
	noun := operands[0]
	if len(operands) != 2 {
		return exitUsage, usagef("graph %s: want one SPEC", noun)
	}
	all, err := loadSpecs(operands[1:], 0)
	if err != nil {
		return exitUsage, err
	}
	var only []string
	if gf.revision != "" {
		if _, err := revisions.Lookup(gf.revision); err != nil {
			return exitUsage, usagef("%v", err)
		}
		only = []string{gf.revision}
	}
	jobs, err := verdict.Plan(all, only)
	if err != nil {
		return exitUsage, err
	}
	if len(jobs) == 0 {
		return exitUsage, usagef("spec %s does not run on revision %q", all[0].Name, gf.revision)
	}
	j := jobs[len(jobs)-1]
	name := j.Spec.Name + "@" + j.Rev.Name
	var out []byte
	switch noun {
	case "lock-order":
		out, err = lockOrderDOT(j, name)
	case "states":
		out, err = statesDOT(j, name, gf.maxStates)
	}
	if err != nil {
		return exitUsage, err
	}
	if _, err := fmt.Fprintf(stdout, "%s\n", out); err != nil {
		return exitUsage, err
	}
	return exitOK, nil
}

// lockOrderDOT explores job j and returns its lock-class graph in DOT.
func lockOrderDOT(j verdict.Job, name string) ([]byte, error) {
	m, c, err := invariants.Build(j.Rev, j.Spec, specs.FamilySet(0).With(specs.FamilyLockOrder))
	if err != nil {
		return nil, err
	}
	if _, err := explore.Run(context.Background(), m, explore.Options{}); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return dot.MarshalMulti(c.LockGraph(), name, "", "  ")
}

// statesDOT explores job j on one worker, so that states are numbered in
// the same order every time, and returns its state graph in DOT.
func statesDOT(j verdict.Job, name string, limit int64) ([]byte, error) {
	m, c, err := invariants.Build(j.Rev, j.Spec, 0)
	if err != nil {
		return nil, err
	}
	sg := &stateGraph{m: m, inner: c, g: simple.NewDirectedGraph(), ids: map[string]*stateNode{}, edges: map[[2]int64]*stepEdge{}}
	m.Check = sg
	r, err := explore.Run(context.Background(), m, explore.Options{Workers: 1, MaxStates: limit})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if r.Limit != "" {
		return nil, fmt.Errorf("%s has more than %d states: raise --max-states, or graph a smaller spec", name, limit)
	}
	return dot.Marshal(sg.g, name, "", "  ")
}

// stateGraph is a model.Checker that records the states and steps the
// search meets, and runs the invariants to mark where they fail.
type stateGraph struct {
	m     *model.Machine
	inner model.Checker
	g     *simple.DirectedGraph
	ids   map[string]*stateNode
	edges map[[2]int64]*stepEdge
	enc   []byte
}

func (sg *stateGraph) node(s *model.State) *stateNode {
	sg.enc = sg.m.Encode(s, sg.enc[:0])
	if n, ok := sg.ids[string(sg.enc)]; ok {
		return n
	}
	n := &stateNode{id: int64(len(sg.ids)), label: stateLabel(sg.m, s)}
	sg.ids[string(sg.enc)] = n
	sg.g.AddNode(n)
	return n
}

func (sg *stateGraph) State(s *model.State, vs []explore.Violation) []explore.Violation {
	n0 := len(vs)
	vs = sg.inner.State(s, vs)
	sg.node(s).mark(vs[n0:])
	return vs
}

func (sg *stateGraph) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	n0 := len(vs)
	vs = sg.inner.Step(k, pre, post, vs)
	from, to := sg.node(pre), sg.node(post)
	if from == to {
		from.mark(vs[n0:]) // a stutter step: not a move, but it may fail a check
		return vs
	}
	e, ok := sg.edges[[2]int64{from.id, to.id}]
	if !ok {
		e = &stepEdge{from: from, to: to}
		sg.edges[[2]int64{from.id, to.id}] = e
		sg.g.SetEdge(e)
	}
	e.add(stepLabel(sg.m, k, pre), vs)
	return vs
}

func (sg *stateGraph) Terminal(s *model.State) (explore.Violation, bool) {
	v, bad := sg.inner.Terminal(s)
	n := sg.node(s)
	n.terminal = true
	if bad {
		n.mark([]explore.Violation{v})
	}
	return v, bad
}

// stateNode is a state of the graph.
type stateNode struct {
	id       int64
	label    string
	terminal bool
	bad      []string // names of the invariants that fail here
}

func (n *stateNode) ID() int64     { return n.id }
func (n *stateNode) DOTID() string { return fmt.Sprintf("s%d", n.id) }
func (n *stateNode) mark(vs []explore.Violation) {
	for _, v := range vs {
		n.bad = appendNew(n.bad, v.Name)
	}
}

// Attributes implements encoding.Attributer.
func (n *stateNode) Attributes() []encoding.Attribute {
	label := n.label
	if len(n.bad) > 0 {
		label += "\nviolates: " + strings.Join(n.bad, ", ")
	}
	attrs := []encoding.Attribute{{Key: "shape", Value: "box"}, {Key: "label", Value: label}}
	if n.terminal {
		attrs = append(attrs, encoding.Attribute{Key: "peripheries", Value: "2"})
	}
	if len(n.bad) > 0 {
		attrs = append(attrs, encoding.Attribute{Key: "color", Value: "red"})
	}
	return attrs
}

// stepEdge is the steps from one state to another.
type stepEdge struct {
	from, to *stateNode
	labels   []string
	bad      []string
}

func (e *stepEdge) From() graph.Node { return e.from }
func (e *stepEdge) To() graph.Node   { return e.to }
func (e *stepEdge) ReversedEdge() graph.Edge {
	return &stepEdge{from: e.to, to: e.from, labels: e.labels, bad: e.bad}
}

func (e *stepEdge) add(label string, vs []explore.Violation) {
	e.labels = appendNew(e.labels, label)
	for _, v := range vs {
		e.bad = appendNew(e.bad, v.Name)
	}
}

// Attributes implements encoding.Attributer.
func (e *stepEdge) Attributes() []encoding.Attribute {
	label := strings.Join(e.labels, "\n")
	if len(e.bad) > 0 {
		label += "\nviolates: " + strings.Join(e.bad, ", ")
	}
	attrs := []encoding.Attribute{{Key: "label", Value: label}}
	if len(e.bad) > 0 {
		attrs = append(attrs, encoding.Attribute{Key: "color", Value: "red"})
	}
	return attrs
}

func appendNew(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// stateLabel summarises a state: the process counters and each LWP.
func stateLabel(m *model.Machine, s *model.State) string {
	var lines []string
	for pi := range m.Procs() {
		p, prefix := &s.Procs[pi], ""
		if m.Procs() > 1 {
			prefix = fmt.Sprintf("proc%d ", pi+1)
		}
		lines = append(lines, fmt.Sprintf("%sp_nlwps=%d p_nrlwps=%d p_nzlwps=%d", prefix, p.NLWPs, p.NRLWPs, p.NZLWPs))
	}
	for i := range s.LWPs {
		l := &s.LWPs[i]
		if l.Name == 0 {
			continue
		}
		lines = append(lines, fmt.Sprintf("LWP %d %s cpu%d %s", l.Name, model.StatName(l.Stat), l.CPU, m.Where(s, i)))
	}
	return strings.Join(lines, "\n")
}

// stepLabel names a step: who ran what, where.
func stepLabel(m *model.Machine, k *model.K, pre *model.State) string {
	who := fmt.Sprintf("cpu%d", k.CPU)
	switch {
	case k.CPU == model.EnvCPU:
		who = "env"
	case k.Cur >= 0:
		who = fmt.Sprintf("LWP %d", pre.LWPs[k.Cur].Name)
	}
	what := m.Kernel.Routines[k.Fn].Name
	if k.What != "" && k.What != what {
		what += ": " + k.What
	}
	return fmt.Sprintf("%s: %s (%s)", who, what, m.Kernel.Src(k.Src))
}
