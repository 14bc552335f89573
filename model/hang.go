package model

import (
	"fmt"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
)

// Stuck describes an LWP that can never leave the kernel.
type Stuck struct {
	Slot  int
	Name  uint8
	Where string // the syscall, or the routine an event started
	Stat  uint8
	WChan uint8
}

func (st Stuck) String() string { return fmt.Sprintf("LWP %d %s", st.Name, st.Place()) }

// Place says where the LWP is: "in _lwp_park, LSSLEEP parked".
func (st Stuck) Place() string {
	s := fmt.Sprintf("in %s, %s", st.Where, StatName(st.Stat))
	switch st.WChan {
	case WChanLwpcv:
		s += " on p_lwpcv"
	case WChanPark:
		s += " parked"
	}
	return s
}

// StuckLWPs lists, for a terminal state, the LWPs stuck in the kernel for
// good. An LWP in user space is never stuck (its program may have ended);
// nor is one suspended by _lwp_suspend, nor any while the process is
// stopped by request or gone.
func StuckLWPs(m *Machine, s *State) []Stuck {
	if s.Proc.Stat == SZOMB || s.Proc.Stat == SSTOP {
		return nil
	}
	var out []Stuck
	for i := range s.LWPs {
		l := &s.LWPs[i]
		if l.Name == 0 || !l.InKernel() || l.Stat == LSSUSPENDED || l.Stat == LSZOMB {
			continue
		}
		if l.Stat == LSSTOP && s.Proc.SFlag&PS_STOPPING == 0 {
			continue
		}
		out = append(out, Stuck{Slot: i, Name: l.Name, Where: m.Where(s, i), Stat: l.Stat, WChan: l.WChan})
	}
	return out
}

// Where names what an LWP in the kernel is doing: its syscall, or the
// routine at the bottom of its kernel stack.
func (m *Machine) Where(s *State, slot int) string {
	l := &s.LWPs[slot]
	if l.Depth == 0 {
		return "user space"
	}
	if l.Frames[0].Fn == m.Kernel.Syscall && int(l.PC) < len(m.progs[l.Name]) {
		return m.progs[l.Name][l.PC].Kind.Syscall()
	}
	return m.Kernel.Routines[l.Frames[0].Fn].Name
}

// HangViolation classifies a terminal state: a hang if some LWP is stuck.
func HangViolation(m *Machine, s *State) (explore.Violation, bool) {
	st := StuckLWPs(m, s)
	if len(st) == 0 {
		return explore.Violation{}, false
	}
	parts := make([]string, len(st))
	for i, x := range st {
		parts[i] = x.String()
	}
	// The first stuck LWP's innermost routine: where it waits.
	l := &s.LWPs[st[0].Slot]
	r := &m.Kernel.Routines[l.Frames[l.Depth-1].Fn]
	return explore.Violation{Name: "deadlock", Message: "no LWP can move and " + strings.Join(parts, "; "),
		Where: m.Kernel.Src(SrcRef{File: r.File, Line: uint16(r.Line)})}, true
}
