// Package twophase is Lamport's TLA+ specification of the two-phase commit
// protocol, ported literally for validating the explore engine.
//
// Source: repository tlaplus/Examples, file
// specifications/transaction_commit/TwoPhase.tla, with the instance of
// TwoPhase.cfg: three resource managers, RM = {r1, r2, r3}. The variables
// are rmState, tmState, tmPrepared (a set of RMs, here a bitset) and msgs
// (the set of messages ever sent, here a bitset: one Prepared message per RM,
// Commit and Abort). Each disjunct of TPNext is an action: TMCommit,
// TMAbort, and for each RM TMRcvPrepared, RMPrepare, RMChooseToAbort,
// RMRcvCommitMsg and RMRcvAbortMsg. A step that changes nothing (receiving
// a message a second time) is a stuttering step, which the engine does not
// count. The model has 288 reachable states with 3 RMs, and 50,816 with 6
// (the figure the specification's closing comment gives).
//
// The property is TCConsistent of TCommit.tla, which TwoPhase implements:
// no RM has committed while another has aborted. A terminal state is a
// normal end when every RM has decided (always so in the correct model),
// else a "stuck" finding.
package twophase

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/explore"
)

// MaxRM is the largest number of resource managers.
const MaxRM = 8

// Values of rmState and tmState.
const (
	working   = 0 // rmState only
	prepared  = 1 // rmState only
	committed = 2
	aborted   = 3
	initial   = 0 // tmState "init"
)

// Messages in msgs: bit r is [type |-> "Prepared", rm |-> r].
const (
	msgCommit = 1 << MaxRM
	msgAbort  = 1 << (MaxRM + 1)
)

// State is a state of the model. Entries from the number of RMs on are
// always zero.
type State struct {
	RMState    [MaxRM]uint8
	TMState    uint8
	TMPrepared uint8  // bit r: r is in tmPrepared
	Msgs       uint16 // bits 0..MaxRM-1: Prepared; msgCommit; msgAbort
}

// Config chooses the instance.
type Config struct {
	RMs int // resource managers, 1..MaxRM
	// Bug seeds a bug: the TM commits as soon as it has received one
	// Prepared message instead of waiting for all of them (TMCommit's guard
	// tmPrepared = RM becomes tmPrepared # {}).
	Bug bool
}

// Model is the two-phase commit model. It implements explore.Model[State],
// explore.StateChecker[State] and explore.Terminator[State].
type Model struct {
	n   int
	all uint8 // tmPrepared = RM
	bug bool
}

// New returns the model for c.
func New(c Config) (*Model, error) {
	if c.RMs < 1 || c.RMs > MaxRM {
		return nil, fmt.Errorf("twophase: %d RMs, want 1..%d", c.RMs, MaxRM)
	}
	return &Model{n: c.RMs, all: uint8(1<<c.RMs - 1), bug: c.Bug}, nil
}

// Actions of the model. The actions of RM r are RMAction(r, a) with a one
// of TMRcvPrepared ... RMRcvAbortMsg.
const (
	TMCommit explore.Action = iota
	TMAbort
	TMRcvPrepared
	RMPrepare
	RMChooseToAbort
	RMRcvCommitMsg
	RMRcvAbortMsg
	numRMActions = 5
)

// RMAction returns action a (TMRcvPrepared ... RMRcvAbortMsg) for RM r.
func RMAction(r int, a explore.Action) explore.Action {
	return a + explore.Action(numRMActions*r)
}

// Init returns TPInit.
func (m *Model) Init() []State { return []State{{}} }

// Expand adds the enabled actions of TPNext, in its order.
func (m *Model) Expand(s *State, out *explore.Successors[State]) {
	if s.TMState == initial && (s.TMPrepared == m.all || (m.bug && s.TMPrepared != 0)) {
		t := out.Add(TMCommit, s)
		t.Next.TMState = committed
		t.Next.Msgs |= msgCommit
	}
	if s.TMState == initial {
		t := out.Add(TMAbort, s)
		t.Next.TMState = aborted
		t.Next.Msgs |= msgAbort
	}
	for r := range m.n {
		bit := uint8(1) << r
		if s.TMState == initial && s.Msgs&uint16(bit) != 0 {
			t := out.Add(RMAction(r, TMRcvPrepared), s)
			t.Next.TMPrepared |= bit
		}
		if s.RMState[r] == working {
			t := out.Add(RMAction(r, RMPrepare), s)
			t.Next.RMState[r] = prepared
			t.Next.Msgs |= uint16(bit)
		}
		if s.RMState[r] == working {
			t := out.Add(RMAction(r, RMChooseToAbort), s)
			t.Next.RMState[r] = aborted
		}
		if s.Msgs&msgCommit != 0 {
			t := out.Add(RMAction(r, RMRcvCommitMsg), s)
			t.Next.RMState[r] = committed
		}
		if s.Msgs&msgAbort != 0 {
			t := out.Add(RMAction(r, RMRcvAbortMsg), s)
			t.Next.RMState[r] = aborted
		}
	}
}

// Encode appends rmState, tmState, tmPrepared and msgs.
func (m *Model) Encode(s *State, buf []byte) []byte {
	buf = append(buf, s.RMState[:m.n]...)
	return append(buf, s.TMState, s.TMPrepared, byte(s.Msgs), byte(s.Msgs>>8))
}

// CheckState checks TCConsistent.
func (m *Model) CheckState(s *State, vs []explore.Violation) []explore.Violation {
	if !m.TCConsistent(s) {
		vs = append(vs, explore.Violation{Name: "TCConsistent", Message: "an RM committed while another aborted"})
	}
	return vs
}

// TCConsistent reports whether no RM has committed while another aborted.
func (m *Model) TCConsistent(s *State) bool {
	var c, a bool
	for r := range m.n {
		c = c || s.RMState[r] == committed
		a = a || s.RMState[r] == aborted
	}
	return !(c && a)
}

// Terminal reports a terminal state where some RM has not decided.
func (m *Model) Terminal(s *State) (explore.Violation, bool) {
	for r := range m.n {
		if st := s.RMState[r]; st != committed && st != aborted {
			return explore.Violation{Name: "stuck", Message: "an RM has not decided and nothing can move"}, true
		}
	}
	return explore.Violation{}, false
}
