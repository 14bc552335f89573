// Package peterson is Peterson's mutual exclusion algorithm for N processes
// (the filter lock) as the BEEM benchmark models it, ported literally for
// validating the explore engine.
//
// Source: repository plug-obp/beem-benchmark, file
// compiled/peterson.1.dve.cpp, the DVE model `peterson` compiled by DiVinE
// for the instance N=3 (BEEM peterson.1). The DVE model has two global
// arrays and one process P_i per process, with locals j (its level) and k
// (the process it is looking at):
//
//	byte pos[N], step[N];
//	process P_i {
//	  byte j = 0, k = 0;
//	  state NCS, CS, wait, q2, q3;     // our names; numbered 0..4 as compiled
//	  init NCS;
//	  trans
//	    NCS  -> wait { effect j = 1; },
//	    wait -> q2   { guard j < N; effect pos[i] = j; },
//	    q2   -> q3   { effect step[j-1] = i, k = 0; },
//	    q3   -> q3   { guard k < N && (k == i || pos[k] < j); effect k = k+1; },
//	    q3   -> wait { guard step[j-1] != i || k == N; effect j = j+1; },
//	    wait -> CS   { guard j == N; },
//	    CS   -> NCS  { effect pos[i] = 0; };
//	}
//	system async;
//
// pos[i] is process i's level (its flag) and step[l] the turn variable of
// level l+1 (the last process to reach it, which must wait). A transition is
// one atomic step of one process; the processes interleave. The model has
// 12,498 reachable states for N=3 and 1,119,560 for N=4.
//
// The property is mutual exclusion ("mutex": at most one process in CS). A
// terminal state is a "deadlock" finding; the correct model has none.
package peterson

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/explore"
)

// MaxN is the largest number of processes.
const MaxN = 8

// Control states of a process, numbered as in the compiled model.
const (
	ncs  = 0
	cs   = 1
	wait = 2
	q2   = 3
	q3   = 4
)

// Transitions of a process, in the order of the DVE source.
const (
	ncsWait = iota // NCS -> wait
	waitQ2         // wait -> q2
	q2Q3           // q2 -> q3
	q3Q3           // q3 -> q3
	q3Wait         // q3 -> wait
	waitCS         // wait -> CS
	csNCS          // CS -> NCS
	numTrans
)

// State is a state of the model. Entries from N on are always zero.
type State struct {
	P    [MaxN]uint8 // control state of each process
	Pos  [MaxN]uint8
	Step [MaxN]uint8
	J, K [MaxN]uint8 // the locals of each process
}

// Config chooses the instance.
type Config struct {
	N int // processes, 2..MaxN
	// Bug seeds a bug: a process writes the turn variable before its flag.
	// Its wait -> q2 transition sets step[j-1] = i instead of pos[i] = j,
	// and q2 -> q3 sets pos[i] = j (and k = 0). A slower process that
	// overwrites the turn then frees the faster one, which enters on a scan
	// that did not yet see the slower one's flag, and the slower one enters
	// in turn. (Removing the turn variable alone would keep mutual exclusion,
	// since every process raises its flag before it scans: it only deadlocks.)
	Bug bool
}

// Model is the peterson model. It implements explore.Model[State],
// explore.StateChecker[State] and explore.Terminator[State].
type Model struct {
	n   int
	bug bool
}

// New returns the model for c.
func New(c Config) (*Model, error) {
	if c.N < 2 || c.N > MaxN {
		return nil, fmt.Errorf("peterson: N = %d, want 2..%d", c.N, MaxN)
	}
	return &Model{n: c.N, bug: c.Bug}, nil
}

// action returns the action of process i taking transition t (0..6, in the
// order of the DVE source).
func action(i, t int) explore.Action { return explore.Action(numTrans*i + t) }

// Init returns the initial state: every process in NCS, everything zero.
func (m *Model) Init() []State { return []State{{}} }

// Expand adds the enabled transitions of every process, in order.
func (m *Model) Expand(s *State, out *explore.Successors[State]) {
	n := uint8(m.n)
	for i := range m.n {
		id := uint8(i)
		j, k := s.J[i], s.K[i]
		switch s.P[i] {
		case ncs:
			t := out.Add(action(i, ncsWait), s)
			t.Next.P[i] = wait
			t.Next.J[i] = 1
		case wait:
			if j < n {
				t := out.Add(action(i, waitQ2), s)
				t.Next.P[i] = q2
				if m.bug {
					t.Next.Step[j-1] = id
				} else {
					t.Next.Pos[i] = j
				}
			}
			if j == n {
				t := out.Add(action(i, waitCS), s)
				t.Next.P[i] = cs
			}
		case q2:
			t := out.Add(action(i, q2Q3), s)
			t.Next.P[i] = q3
			if m.bug {
				t.Next.Pos[i] = j
			} else {
				t.Next.Step[j-1] = id
			}
			t.Next.K[i] = 0
		case q3:
			if k < n && (k == id || s.Pos[k] < j) {
				t := out.Add(action(i, q3Q3), s)
				t.Next.K[i] = k + 1
			}
			if s.Step[j-1] != id || k == n {
				t := out.Add(action(i, q3Wait), s)
				t.Next.P[i] = wait
				t.Next.J[i] = j + 1
			}
		case cs:
			t := out.Add(action(i, csNCS), s)
			t.Next.P[i] = ncs
			t.Next.Pos[i] = 0
		}
	}
}

// Encode appends the control states, the globals and the locals of the N
// processes.
func (m *Model) Encode(s *State, buf []byte) []byte {
	buf = append(buf, s.P[:m.n]...)
	buf = append(buf, s.Pos[:m.n]...)
	buf = append(buf, s.Step[:m.n]...)
	buf = append(buf, s.J[:m.n]...)
	return append(buf, s.K[:m.n]...)
}

// CheckState checks "mutex".
func (m *Model) CheckState(s *State, vs []explore.Violation) []explore.Violation {
	if m.InCS(s) > 1 {
		vs = append(vs, explore.Violation{Name: "mutex", Message: "two processes are in the critical section"})
	}
	return vs
}

// InCS returns the number of processes in the critical section.
func (m *Model) InCS(s *State) int {
	c := 0
	for i := range m.n {
		if s.P[i] == cs {
			c++
		}
	}
	return c
}

// Terminal reports every terminal state as a deadlock.
func (m *Model) Terminal(s *State) (explore.Violation, bool) {
	return explore.Violation{Name: "deadlock", Message: "no process can move"}, true
}
