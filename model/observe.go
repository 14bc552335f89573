package model

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
)

// An Observation is what user space sees of a run: a syscall of an LWP
// returning a result, a hang (LWPs stuck in the kernel for good, in a
// terminal state) or a panic. Kernel steps, scheduling, environment events
// and restarted calls are hidden.
type Observation struct {
	Kind   ObsKind
	LWP    uint8  // ObsReturn: the spec's name of the LWP
	Call   string // ObsReturn: the syscall, e.g. "_lwp_wait"
	Result Errno  // ObsReturn
	// Stuck lists, for ObsHang, the stuck LWPs in name order.
	Stuck []StuckIn
}

// StuckIn is an LWP stuck for good in Call, its syscall, or "(kernel)" in
// a path an event started.
type StuckIn struct {
	LWP  uint8
	Call string
}

// ObsKind is the kind of an Observation.
type ObsKind uint8

// Kinds of observation.
const (
	ObsReturn ObsKind = iota
	ObsHang
	ObsPanic
)

// String renders o as one label: "LWP 1: _lwp_wait -> EDEADLK",
// "hang: LWP 1 in _lwp_wait, LWP 2 in _lwp_park" or "panic". Two runs
// are observably the same iff their labels are.
func (o Observation) String() string {
	switch o.Kind {
	case ObsHang:
		parts := make([]string, len(o.Stuck))
		for i, st := range o.Stuck {
			parts[i] = fmt.Sprintf("LWP %d in %s", st.LWP, st.Call)
		}
		return "hang: " + strings.Join(parts, ", ")
	case ObsPanic:
		return "panic"
	}
	return fmt.Sprintf("LWP %d: %s -> %s", o.LWP, o.Call, o.Result)
}

// Observe returns what user space sees of a step: the syscall returns its
// events record, in order (a restarted call is not seen), or a panic if
// the step is fatal. post is the state after the step.
func (m *Machine) Observe(events []Event, post *State, vs []explore.Violation) []Observation {
	var out []Observation
	for _, e := range events {
		if e.Kind != EvReturn || Errno(e.To) == ERESTART {
			continue
		}
		out = append(out, Observation{Kind: ObsReturn, LWP: post.LWPs[e.LWP].Name,
			Call: OpKind(e.From).Syscall(), Result: Errno(e.To)})
	}
	if slices.ContainsFunc(vs, func(v explore.Violation) bool { return v.Fatal }) {
		out = append(out, Observation{Kind: ObsPanic})
	}
	return out
}

// ObserveEnd returns what user space sees of a terminal state: a hang if
// some LWP is stuck in the kernel for good (StuckLWPs), in LWP order.
func (m *Machine) ObserveEnd(s *State) (Observation, bool) {
	st := StuckLWPs(m, s)
	if len(st) == 0 {
		return Observation{}, false
	}
	slices.SortFunc(st, func(a, b Stuck) int { return int(a.Name) - int(b.Name) })
	o := Observation{Kind: ObsHang}
	for _, x := range st {
		call := "(kernel)"
		if l := &s.LWPs[x.Slot]; l.Frames[0].Fn == m.Kernel.Syscall && int(l.PC) < len(m.progs[l.Name]) {
			call = m.progs[l.Name][l.PC].Kind.Syscall()
		}
		o.Stuck = append(o.Stuck, StuckIn{LWP: x.Name, Call: call})
	}
	return o, true
}

// A Record is what ktrace writes of a step of a machine that records its
// ktrace points (Machine.Ktrace): the CALL or the RET record of an LWP's
// syscall.
type Record struct {
	LWP    uint8 // the spec's name of the LWP
	Op     uint8 // its PC: which op of its program the call is
	Ret    bool  // a RET record; a CALL record otherwise
	Call   OpKind
	Result Errno // of a RET record
}

// String renders r as "LWP 2: CALL _lwp_park" or "LWP 2: RET _lwp_park
// ETIMEDOUT".
func (r Record) String() string {
	if r.Ret {
		return fmt.Sprintf("LWP %d: RET %s %s", r.LWP, r.Call.Syscall(), r.Result)
	}
	return fmt.Sprintf("LWP %d: CALL %s", r.LWP, r.Call.Syscall())
}

// Records appends to out the ktrace records of a step's events, in
// order; post is the state after the step.
func Records(events []Event, post *State, out []Record) []Record {
	for _, e := range events {
		if e.Kind != EvKtrCall && e.Kind != EvKtrRet {
			continue
		}
		l := &post.LWPs[e.LWP]
		out = append(out, Record{LWP: l.Name, Op: l.PC, Ret: e.Kind == EvKtrRet, Call: OpKind(e.From), Result: Errno(e.To)})
	}
	return out
}
