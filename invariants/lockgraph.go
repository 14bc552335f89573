package invariants

import (
	"gonum.org/v1/gonum/graph"
	"gonum.org/v1/gonum/graph/encoding"
	"gonum.org/v1/gonum/graph/multi"

	"github.com/lwpcheck/lwpcheck/model"
)

// LockGraph returns the lock-class graph gathered so far, for
// gonum.org/v1/gonum/graph/encoding/dot's MarshalMulti: a node per lock
// class, named after it, and a line per edge labelled with the locks held
// at every acquisition along it; edges against the documented order are
// red. It is a multigraph only so that an edge may be a loop (two locks
// of one class); there is at most one line per pair. Nil if the lock-order
// family is not checked.
func (c *Checker) LockGraph() graph.Multigraph {
	if c.graph == nil {
		return nil
	}
	g := multi.NewDirectedGraph()
	kn := c.M.Kernel
	for cl := model.LockClass(1); cl < model.NumClasses; cl++ {
		g.AddNode(classVertex{cl, kn})
	}
	for _, e := range c.Edges() {
		g.SetLine(edgeLine{e, c.M})
	}
	return g
}

// classVertex is a lock class as a graph node; its DOT ID is the class's
// name in the kernel's C code.
type classVertex struct {
	class model.LockClass
	kn    *model.Kernel
}

// ID implements graph.Node.
func (n classVertex) ID() int64 { return int64(n.class) }

// DOTID implements dot.Node.
func (n classVertex) DOTID() string { return n.kn.ClassName(n.class) }

// edgeLine is an edge of the lock-class graph as a graph line.
type edgeLine struct {
	GraphEdge
	m *model.Machine
}

func (l edgeLine) From() graph.Node { return classVertex{l.Edge.From, l.m.Kernel} }
func (l edgeLine) To() graph.Node   { return classVertex{l.Edge.To, l.m.Kernel} }
func (l edgeLine) ID() int64        { return int64(l.Edge.From)*int64(model.NumClasses) + int64(l.Edge.To) }

func (l edgeLine) ReversedLine() graph.Line {
	r := l
	r.Edge.From, r.Edge.To = l.Edge.To, l.Edge.From
	return r
}

// Attributes implements encoding.Attributer.
func (l edgeLine) Attributes() []encoding.Attribute {
	label := "held throughout: none"
	if held := l.Gate &^ classLocks(l.Edge.From); held != 0 {
		label = "held throughout: " + lockNames(l.m, held)
	}
	attrs := []encoding.Attribute{{Key: "label", Value: label}}
	if l.Against {
		attrs = append(attrs, encoding.Attribute{Key: "color", Value: "red"},
			encoding.Attribute{Key: "xlabel", Value: "against the documented order"})
	}
	return attrs
}
