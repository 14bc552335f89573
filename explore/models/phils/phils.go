// Package phils is the dining philosophers model of the BEEM benchmark,
// ported literally for validating the explore engine.
//
// Source: repository plug-obp/beem-benchmark, file compiled/phils.1.dve.cpp,
// the DVE model `phils` compiled by DiVinE for the instance N=4 (BEEM
// phils.1). Some BEEM instances, phils.4 among them, are a variant with a
// counter that bounds the philosophers at the table; that variant is not
// this model. The DVE model has one global array and one process per
// philosopher i, with right fork r = (i+1) mod N:
//
//	byte fork[N];
//	process phil_i {
//	  state think, one, eat, finish;   // our names; numbered 0..3 as compiled
//	  init think;
//	  trans
//	    think  -> one    { guard fork[i] == 0; effect fork[i] = 1; },
//	    one    -> eat    { guard fork[r] == 0; effect fork[r] = 1; },
//	    eat    -> finish { effect fork[i] = 0; },
//	    finish -> think  { effect fork[r] = 0; };
//	}
//	system async;
//
// A transition is one atomic step (guard and effect) of one process; the
// processes interleave. The model has 3^N - 1 reachable states: 80 for N=4,
// 531,440 for N=12. It deadlocks when every philosopher holds its left fork.
//
// BEEM gives phils no property but deadlock. The model checks the natural
// safety properties: "fork-owner" (every fork is set exactly when one
// philosopher holds it, never held by two) and "neighbours-eat" (no two
// neighbours eat at once). A terminal state is a "deadlock" finding.
package phils

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/explore"
)

// MaxN is the largest number of philosophers.
const MaxN = 16

// Control states of a philosopher, numbered as in the compiled model.
const (
	think  = 0 // holds no fork
	one    = 1 // holds its left fork, fork[i]
	eat    = 2 // holds both forks
	finish = 3 // has put down fork[i], still holds its right fork
)

// State is a state of the model: each philosopher's control state and the
// fork array. Entries from N on are always zero.
type State struct {
	Phil [MaxN]uint8
	Fork [MaxN]uint8
}

// Config chooses the instance.
type Config struct {
	N int // philosophers, 2..MaxN
	// Bug seeds a bug: philosopher 0 takes its right fork, fork[1], without
	// checking that it is free (its one -> eat transition has no guard).
	Bug bool
}

// Model is the phils model. It implements explore.Model[State],
// explore.StateChecker[State] and explore.Terminator[State].
type Model struct {
	n        int
	bug      bool
	forkMsg  [MaxN]string
	neighMsg [MaxN]string
}

// New returns the model for c.
func New(c Config) (*Model, error) {
	if c.N < 2 || c.N > MaxN {
		return nil, fmt.Errorf("phils: N = %d, want 2..%d", c.N, MaxN)
	}
	m := &Model{n: c.N, bug: c.Bug}
	for i := range c.N {
		m.forkMsg[i] = fmt.Sprintf("fork[%d] does not match the philosophers holding it", i)
		m.neighMsg[i] = fmt.Sprintf("philosophers %d and %d eat at once", i, m.right(i))
	}
	return m, nil
}

// right is the index of philosopher i's right fork and right neighbour.
func (m *Model) right(i int) int {
	if i == m.n-1 {
		return 0
	}
	return i + 1
}

// action returns the action of philosopher i leaving control state from.
// Philosopher i's actions are 4i (think -> one), 4i+1 (one -> eat), 4i+2
// (eat -> finish) and 4i+3 (finish -> think).
func action(i, from int) explore.Action { return explore.Action(4*i + from) }

// Init returns the initial state: everyone thinks, every fork is free.
func (m *Model) Init() []State { return []State{{}} }

// Expand adds the enabled transitions of every philosopher, in order.
func (m *Model) Expand(s *State, out *explore.Successors[State]) {
	for i := range m.n {
		r := m.right(i)
		switch s.Phil[i] {
		case think:
			if s.Fork[i] == 0 {
				t := out.Add(action(i, think), s)
				t.Next.Phil[i] = one
				t.Next.Fork[i] = 1
			}
		case one:
			if s.Fork[r] == 0 || (m.bug && i == 0) {
				t := out.Add(action(i, one), s)
				t.Next.Phil[i] = eat
				t.Next.Fork[r] = 1
			}
		case eat:
			t := out.Add(action(i, eat), s)
			t.Next.Phil[i] = finish
			t.Next.Fork[i] = 0
		case finish:
			t := out.Add(action(i, finish), s)
			t.Next.Phil[i] = think
			t.Next.Fork[r] = 0
		}
	}
}

// Encode appends the control states and forks of the N philosophers.
func (m *Model) Encode(s *State, buf []byte) []byte {
	buf = append(buf, s.Phil[:m.n]...)
	return append(buf, s.Fork[:m.n]...)
}

// CheckState checks "fork-owner" and "neighbours-eat".
func (m *Model) CheckState(s *State, vs []explore.Violation) []explore.Violation {
	for f := range m.n {
		// Fork f is the left fork of philosopher f and the right fork of
		// philosopher f-1.
		l := f - 1
		if f == 0 {
			l = m.n - 1
		}
		var holders uint8
		if p := s.Phil[f]; p == one || p == eat {
			holders++
		}
		if p := s.Phil[l]; p == eat || p == finish {
			holders++
		}
		if holders != s.Fork[f] {
			vs = append(vs, explore.Violation{Name: "fork-owner", Message: m.forkMsg[f]})
		}
	}
	for i := range m.n {
		if s.Phil[i] == eat && s.Phil[m.right(i)] == eat {
			vs = append(vs, explore.Violation{Name: "neighbours-eat", Message: m.neighMsg[i]})
		}
	}
	return vs
}

// Terminal reports every terminal state as a deadlock: in the correct model,
// every philosopher holds its left fork and waits for its right one.
func (m *Model) Terminal(s *State) (explore.Violation, bool) {
	return explore.Violation{Name: "deadlock", Message: "no philosopher can move"}, true
}
