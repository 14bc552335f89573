package refine

import (
	"context"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
)

// A Witness is a shortest observable trace that one system has and the
// other lacks: the other can show every event of Trace but the last.
type Witness struct {
	Trace []Label
	// Instead lists what the other system can show after Trace's prefix,
	// sorted by name; none if it can show nothing more there.
	Instead []Label
}

// Result is what Compare found.
type Result struct {
	// AOnly and BOnly are the witnesses of each direction: nil when every
	// trace of that system is a trace of the other.
	AOnly, BOnly *Witness
	// Pairs counts the product states explored; SubsetsA and SubsetsB the
	// determinised states of each system.
	Pairs, SubsetsA, SubsetsB int
}

// Same reports whether the systems have the same traces.
func (r *Result) Same() bool { return r.AOnly == nil && r.BOnly == nil }

// Compare checks trace inclusion between a and b both ways. It
// determinises both on the fly (a state of the determinised system is the
// set of states the same trace can reach, closed under hidden steps) and
// explores their product breadth first, so each witness is a shortest
// one; among witnesses of equal length it takes the first in the order of
// label names. maxPairs, if positive, bounds the product states: beyond it
// Compare returns ErrLimit. a and b must share their alphabet.
func Compare(ctx context.Context, a, b *LTS, maxPairs int) (*Result, error) {
	if a.Alphabet != b.Alphabet {
		return nil, errors.New("refine: the systems have different alphabets")
	}
	da, db := newDet(a), newDet(b)
	type pair struct{ a, b int32 }
	type node struct {
		pair
		parent int32 // index in queue; -1 for the start
		label  Label // the event from the parent
	}
	start := pair{da.intern(da.closure([]uint32{0})), db.intern(db.closure([]uint32{0}))}
	queue := []node{{pair: start, parent: -1}}
	seen := map[pair]bool{start: true}
	r := &Result{}
	trace := func(i int32, last Label) []Label {
		t := []Label{last}
		for ; queue[i].parent >= 0; i = queue[i].parent {
			t = append(t, queue[i].label)
		}
		slices.Reverse(t)
		return t
	}
	labels := func(ms []move) []Label {
		out := make([]Label, len(ms))
		for i, m := range ms {
			out[i] = m.label
		}
		return out
	}
	names := a.Alphabet
	for i := 0; i < len(queue) && (r.AOnly == nil || r.BOnly == nil); i++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n := queue[i]
		ma, mb := da.moves(n.a), db.moves(n.b)
		for ja, jb := 0, 0; ja < len(ma) || jb < len(mb); {
			c := 0
			switch {
			case ja == len(ma):
				c = 1
			case jb == len(mb):
				c = -1
			default:
				c = strings.Compare(names.Name(ma[ja].label), names.Name(mb[jb].label))
			}
			switch {
			case c < 0:
				if r.AOnly == nil {
					r.AOnly = &Witness{Trace: trace(int32(i), ma[ja].label), Instead: labels(mb)}
				}
				ja++
			case c > 0:
				if r.BOnly == nil {
					r.BOnly = &Witness{Trace: trace(int32(i), mb[jb].label), Instead: labels(ma)}
				}
				jb++
			default:
				p := pair{ma[ja].to, mb[jb].to}
				if !seen[p] {
					if maxPairs > 0 && len(queue) >= maxPairs {
						return nil, ErrLimit
					}
					seen[p] = true
					queue = append(queue, node{pair: p, parent: int32(i), label: ma[ja].label})
				}
				ja++
				jb++
			}
		}
	}
	r.Pairs, r.SubsetsA, r.SubsetsB = len(queue), len(da.sets), len(db.sets)
	return r, nil
}

// move is an event of a determinised state and the state it leads to.
type move struct {
	label Label
	to    int32
}

// det determinises an LTS: its states are sets of the LTS's states,
// sorted, closed under hidden steps.
type det struct {
	l     *LTS
	sets  [][]uint32
	index map[uint64][]int32 // hash of a set -> the sets with that hash
	memo  [][]move           // the moves of each set, once computed
	mark  []uint32           // mark[s] == stamp: s is in the set being built
	stamp uint32
	buf   []byte
}

func newDet(l *LTS) *det {
	return &det{l: l, index: map[uint64][]int32{}, mark: make([]uint32, l.States())}
}

// closure returns the states reachable from seeds by hidden steps, sorted.
func (d *det) closure(seeds []uint32) []uint32 {
	d.stamp++
	var set, stack []uint32
	for _, s := range seeds {
		if d.mark[s] != d.stamp {
			d.mark[s] = d.stamp
			stack = append(stack, s)
		}
	}
	for len(stack) > 0 {
		s := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		set = append(set, s)
		for _, e := range d.l.out(s) {
			if e.label == Tau && d.mark[e.to] != d.stamp {
				d.mark[e.to] = d.stamp
				stack = append(stack, e.to)
			}
		}
	}
	slices.Sort(set)
	return set
}

// intern returns the number of set, adding it if new.
func (d *det) intern(set []uint32) int32 {
	d.buf = d.buf[:0]
	for _, s := range set {
		d.buf = binary.LittleEndian.AppendUint32(d.buf, s)
	}
	h := explore.Fingerprint(d.buf)
	for _, i := range d.index[h] {
		if slices.Equal(d.sets[i], set) {
			return i
		}
	}
	i := int32(len(d.sets))
	d.sets = append(d.sets, set)
	d.memo = append(d.memo, nil)
	d.index[h] = append(d.index[h], i)
	return i
}

// moves returns the events set i can show, sorted by name, each with the
// set it leads to.
func (d *det) moves(i int32) []move {
	if d.memo[i] != nil {
		return d.memo[i]
	}
	targets := map[Label][]uint32{}
	var order []Label
	for _, s := range d.sets[i] {
		for _, e := range d.l.out(s) {
			if e.label == Tau {
				continue
			}
			if _, ok := targets[e.label]; !ok {
				order = append(order, e.label)
			}
			targets[e.label] = append(targets[e.label], e.to)
		}
	}
	names := d.l.Alphabet
	slices.SortFunc(order, func(x, y Label) int { return strings.Compare(names.Name(x), names.Name(y)) })
	ms := make([]move, len(order))
	for k, lb := range order {
		ms[k] = move{label: lb, to: d.intern(d.closure(targets[lb]))}
	}
	d.memo[i] = ms
	return ms
}

// Path returns the actions of a shortest run of l that shows trace, hidden
// steps in between, from state 0: the run a witness of l's describes. An
// event that a step shows after its first, and the end a terminal state
// shows, add no action.
func (l *LTS) Path(trace []Label) ([]explore.Action, error) {
	type node struct {
		s      uint32
		k      int // events of trace shown
		parent int32
		act    explore.Action
	}
	key := func(s uint32, k int) uint64 { return uint64(s)<<32 | uint64(k) }
	queue := []node{{s: 0, parent: -1, act: noAction}}
	seen := map[uint64]bool{key(0, 0): true}
	for i := 0; i < len(queue); i++ {
		n := queue[i]
		if n.k == len(trace) {
			var acts []explore.Action
			for j := int32(i); j >= 0; j = queue[j].parent {
				if queue[j].act != noAction {
					acts = append(acts, queue[j].act)
				}
			}
			slices.Reverse(acts)
			return acts, nil
		}
		for _, e := range l.out(n.s) {
			k := n.k
			switch {
			case e.label == Tau:
			case e.label == trace[k]:
				k++
			default:
				continue
			}
			if !seen[key(e.to, k)] {
				seen[key(e.to, k)] = true
				queue = append(queue, node{s: e.to, k: k, parent: int32(i), act: e.act})
			}
		}
	}
	return nil, errors.New("refine: no run shows the trace")
}
