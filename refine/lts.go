// Package refine compares the observable behaviour of two transition
// systems: trace inclusion both ways, as CSP's trace refinement checks it.
// It knows nothing of kernels. A model labels its transitions with the
// events an observer sees (most are hidden, τ); Build explores it into an
// explicit labelled transition system; Compare determinises both systems
// on the fly and explores them in product (FDR normalises the
// specification side the same way), and reports, for each direction, the
// shortest observable trace one system has and the other lacks, with what
// the other allows at that point instead; Path turns a trace back into a
// run of the system that has it, for replay.
package refine

import (
	"context"
	"errors"
	"math"
	"unsafe"

	"github.com/lwpcheck/lwpcheck/explore"
)

// Label is an observable event; Tau (0) is a hidden step.
type Label uint32

// Tau is the label of a hidden step.
const Tau Label = 0

// Alphabet interns the names of labels. Systems that are compared must
// share one, so that equal names are equal labels.
type Alphabet struct {
	names []string
	ids   map[string]Label
}

// NewAlphabet returns an alphabet holding only Tau.
func NewAlphabet() *Alphabet {
	return &Alphabet{names: []string{"τ"}, ids: map[string]Label{"τ": Tau}}
}

// Intern returns the label named name, adding it if new.
func (a *Alphabet) Intern(name string) Label {
	if l, ok := a.ids[name]; ok {
		return l
	}
	l := Label(len(a.names))
	a.names = append(a.names, name)
	a.ids[name] = l
	return l
}

// Name returns the name of l.
func (a *Alphabet) Name(l Label) string { return a.names[l] }

// Names returns the names of ls.
func (a *Alphabet) Names(ls []Label) []string {
	out := make([]string, len(ls))
	for i, l := range ls {
		out[i] = a.names[l]
	}
	return out
}

// Observer is a model whose transitions an observer can see.
type Observer[S any] interface {
	explore.Model[S]
	// Observe returns what is seen of successor i of s, which the last
	// Expand(s, out) added: the names of its events in order, none for a
	// hidden step. A successor with a fatal violation ends the run; what
	// it shows is seen, but its state is not entered.
	Observe(s *S, out *explore.Successors[S], i int) []string
	// ObserveEnd returns what is seen of a terminal state s (one without
	// successors), if anything: a hang, say.
	ObserveEnd(s *S) (string, bool)
}

// noAction marks an edge that is not a step of the model: the later
// events of a step that shows several, or the end a terminal state shows.
const noAction = explore.Action(math.MaxUint32)

type edge struct {
	to    uint32
	label Label
	act   explore.Action // the model's action; noAction for none
}

// LTS is an explicit labelled transition system. State 0 is the initial
// state; the states a system reaches are numbered in breadth-first order,
// then come the states inside steps that show several events, and the
// sink the end of a run leads to.
type LTS struct {
	Alphabet *Alphabet
	start    []uint32 // edges of state s: edges[start[s]:start[s+1]]
	edges    []edge
	// Reached counts the model's states; the others are auxiliary.
	Reached int
}

// States is the number of states, auxiliary ones included.
func (l *LTS) States() int { return len(l.start) - 1 }

// Transitions is the number of edges.
func (l *LTS) Transitions() int { return len(l.edges) }

// Bytes is the memory the LTS holds, its alphabet aside.
func (l *LTS) Bytes() int64 {
	return int64(cap(l.start))*4 + int64(cap(l.edges))*int64(unsafe.Sizeof(edge{}))
}

func (l *LTS) out(s uint32) []edge { return l.edges[l.start[s]:l.start[s+1]] }

// ErrLimit is the error of a search that a limit stopped.
var ErrLimit = errors.New("state limit reached")

// Build explores every reachable state of m (breadth first, from its
// first initial state) into an LTS whose labels are interned in alpha.
// maxStates, if positive, bounds the states stored: beyond it Build
// returns ErrLimit. States are identified by the fingerprint of their
// encoding, as the search engine identifies them.
func Build[S any](ctx context.Context, m Observer[S], alpha *Alphabet, maxStates int) (*LTS, error) {
	inits := m.Init()
	if len(inits) == 0 {
		return nil, errors.New("the model has no initial state")
	}
	const sink = math.MaxUint32 // fixed up once the states are counted
	type chainEdge struct {
		from  uint32 // an auxiliary state, numbered from 0 until then
		to    uint32 // a state of the model, or another auxiliary one (aux bit)
		label Label
	}
	const aux = 1 << 31
	var (
		ids    = map[uint64]uint32{}
		l      = &LTS{Alphabet: alpha}
		level  = []S{inits[0]}
		next   []S
		chains []chainEdge
		enc    []byte
		out    explore.Successors[S]
	)
	id := func(s *S) (uint32, bool) {
		enc = m.Encode(s, enc[:0])
		fp := explore.Fingerprint(enc)
		if v, ok := ids[fp]; ok {
			return v, false
		}
		v := uint32(len(ids))
		ids[fp] = v
		return v, true
	}
	id(&level[0])
	for cur := uint32(0); len(level) > 0; level, next = next, level[:0] {
		for i := range level {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			s := &level[i]
			l.start = append(l.start, uint32(len(l.edges)))
			out.Reset()
			m.Expand(s, &out)
			moved := false
			for j := 0; j < out.Len(); j++ {
				t := out.At(j)
				fatal := false
				for _, v := range t.Violations {
					fatal = fatal || v.Fatal
				}
				to := uint32(sink)
				if !fatal {
					v, isNew := id(&t.Next)
					if v == cur && len(t.Violations) == 0 {
						continue // a stutter step
					}
					if isNew {
						if maxStates > 0 && len(ids) > maxStates {
							return nil, ErrLimit
						}
						next = append(next, t.Next)
					}
					to = v
				}
				moved = true
				seen := m.Observe(s, &out, j)
				if len(seen) == 0 {
					l.edges = append(l.edges, edge{to: to, label: Tau, act: t.Action})
					continue
				}
				// A step showing several events passes through auxiliary
				// states, one event an edge.
				first := to
				if len(seen) > 1 {
					first = aux | uint32(len(chains))
				}
				l.edges = append(l.edges, edge{to: first, label: alpha.Intern(seen[0]), act: t.Action})
				for k := 1; k < len(seen); k++ {
					c := chainEdge{from: uint32(len(chains)), to: to, label: alpha.Intern(seen[k])}
					if k+1 < len(seen) {
						c.to = aux | uint32(len(chains)+1)
					}
					chains = append(chains, c)
				}
			}
			if !moved {
				if end, ok := m.ObserveEnd(s); ok {
					l.edges = append(l.edges, edge{to: sink, label: alpha.Intern(end), act: noAction})
				}
			}
			cur++
		}
	}
	l.Reached = len(ids)
	base := uint32(l.Reached)
	for _, c := range chains {
		l.start = append(l.start, uint32(len(l.edges)))
		l.edges = append(l.edges, edge{to: c.to, label: c.label, act: noAction})
	}
	sinkID := base + uint32(len(chains))
	l.start = append(l.start, uint32(len(l.edges)), uint32(len(l.edges))) // the sink, then the end
	for i := range l.edges {
		switch e := &l.edges[i]; {
		case e.to == sink:
			e.to = sinkID
		case e.to&aux != 0:
			e.to = base + e.to&^aux
		}
	}
	return l, nil
}
