package model

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
)

// The findings the machine reports itself, by the names the invariant
// catalog documents them under.
const (
	FindingKAssert      = "kassert"       // a KASSERT or panic of the C code
	FindingModelError   = "model-error"   // the model broke a rule of its own
	FindingDeadlock     = "deadlock"      // a terminal state with an LWP stuck
	FindingLockDeadlock = "lock-deadlock" // CPUs spinning for each other's locks
	FindingHang         = "hang"          // a fair cycle that keeps an LWP in the kernel
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
// good (see owes).
func StuckLWPs(m *Machine, s *State) []Stuck {
	var out []Stuck
	for i := range s.LWPs {
		if owes(s, i) {
			l := &s.LWPs[i]
			out = append(out, Stuck{Slot: i, Name: l.Name, Where: m.Where(s, i), Stat: l.Stat, WChan: l.WChan})
		}
	}
	return out
}

// owes reports whether the LWP in slot i owes a return to user space: it
// is in the kernel, in a syscall or an event's path. An LWP in user space
// owes nothing (its program may have ended); nor does one suspended by
// _lwp_suspend, nor any while the process is stopped by request or gone.
func owes(s *State, i int) bool {
	l, p := &s.LWPs[i], s.ProcOf(i)
	if p.Stat == SZOMB || p.Stat == SSTOP {
		return false
	}
	if l.Name == 0 || !l.InKernel() || l.Stat == LSSUSPENDED || l.Stat == LSZOMB {
		return false
	}
	return l.Stat != LSSTOP || p.SFlag&PS_STOPPING != 0
}

// Pending implements explore.Liveness: bit i for the LWP in slot i, while
// it owes a return to user space.
func (m *Machine) Pending(s *State) uint64 {
	var p uint64
	for i := range s.LWPs {
		if owes(s, i) {
			p |= 1 << i
		}
	}
	return p
}

// NonProgress implements explore.Liveness: a fair cycle on which the LWP
// in slot i never returns from the kernel. The finding names every LWP
// that stays in the kernel all along, where each is when the loop starts,
// and what the loop does, step by step, in kernel terms.
func (m *Machine) NonProgress(entry *State, i int, loop []explore.Action) explore.Violation {
	s, all := *entry, m.Pending(entry)
	var did []string
	for _, a := range loop {
		st, next, _, err := m.Describe(&s, a)
		if err != nil {
			return explore.Violation{Name: FindingModelError, Message: "a loop does not replay: " + err.Error()}
		}
		all &= m.Pending(&next)
		if d := st.Actor + " " + st.Action + " (" + st.Source + ")"; !slices.Contains(did, d) {
			did = append(did, d)
		}
		s = next
	}
	var parts []string
	for j := range entry.LWPs {
		if all&(1<<j) != 0 {
			l := &entry.LWPs[j]
			parts = append(parts, Stuck{Slot: j, Name: l.Name, Where: m.Where(entry, j), Stat: l.Stat, WChan: l.WChan}.String()+
				" (at "+m.stackTail(l, 4)+")")
		}
	}
	l := &entry.LWPs[i]
	r := &m.Kernel.Routines[l.Frames[l.Depth-1].Fn]
	const most = 8
	if len(did) > most {
		did = append(did[:most], fmt.Sprintf("%d more", len(did)-most))
	}
	return explore.Violation{Name: FindingHang,
		Message: fmt.Sprintf("a fair loop of %d steps keeps %s in the kernel for ever; the loop runs %s", len(loop),
			strings.Join(parts, "; "), strings.Join(did, ", ")),
		Where: m.Kernel.Src(SrcRef{File: r.File, Line: uint16(r.Line)})}
}

// stackTail names the innermost n routines on l's kernel stack, outermost
// first: "exit_lwps > lwp_wait > cv_wait > sleepq_block".
func (m *Machine) stackTail(l *LWP, n int) string {
	var names []string
	for _, f := range l.Frames[max(0, int(l.Depth)-n):l.Depth] {
		names = append(names, m.Kernel.Routines[f.Fn].Name)
	}
	return strings.Join(names, " > ")
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
	what := "no LWP can move"
	if kn := m.Kernel; kn.Callout != 0 && kn.CalloutPending(s, int(l.Proc)) {
		// The callout changes nothing: in the kernel it re-arms itself
		// every tick, for ever.
		what += " (only " + kn.Routines[kn.Callout].Name + " runs, finding nothing to do and re-arming itself each tick)"
	}
	return explore.Violation{Name: FindingDeadlock, Message: what + " and " + strings.Join(parts, "; "),
		Where: m.Kernel.Src(SrcRef{File: r.File, Line: uint16(r.Line)})}, true
}

// StrongFair implements explore.StrongFairness: LWPs and CPUs are held to
// strong fairness, the environment to the check's. An LWP's step is
// disabled only while it waits for a lock another holds (or spins on a
// flag another clears); a cycle on which the holder keeps releasing and
// retaking the lock before the waiter gets it is an artefact of the
// interleaving semantics, not a hang: the kernel's mutexes hand a
// released lock to a waiter (the turnstile, or the spinning CPU sees it
// free) long before the holder, asleep for a tick, comes back for it. A
// CPU's own context (the idle loop, a handover) likewise runs whenever it
// is enabled on real hardware.
// WeakLWPs (check --fairness weak) turns the request off.
func (m *Machine) StrongFair(actor int32) bool { return !m.WeakLWPs && actor < MaxLWPs+EnvCPU }

// LockWait is one CPU of a lock-wait cycle: it spins for Lock, which CPU
// Holder holds (itself, or the LWP running on it).
type LockWait struct {
	CPU, Holder int
	Lock        uint8
}

// LockWaitCycle returns CPUs of s that spin for each other's locks in a
// cycle, in cycle order: none of them can move again, whatever the others
// do (a deadlock, although the rest of the machine may still run). Nil if
// there is none. It tries the next step of each CPU that holds a lock,
// and only in a state where two CPUs do; a search learns the same from
// the steps it tries anyway (Expand, with Machine.LockWaits).
func (m *Machine) LockWaitCycle(s *State) []LockWait {
	// Most states have one lock owner at most: a pass that only compares
	// owners rules them out.
	first, several := uint8(0), false
	for _, o := range s.Locks {
		if o != 0 && o != first {
			several = first != 0
			first = o
			if several {
				break
			}
		}
	}
	if !several {
		return nil
	}
	var waits [MaxCPUs]uint8
	for c := 0; c < m.NCPU; c++ {
		if m.holds(s, c) {
			waits[c] = m.waitsFor(s, c)
		}
	}
	return m.lockWaitCycle(s, &waits)
}

// holds reports whether CPU c holds a lock in s: a spin lock it owns, or
// an adaptive lock the LWP it runs owns.
func (m *Machine) holds(s *State, c int) bool {
	cpu := &s.CPUs[c]
	for _, o := range s.Locks {
		if o == uint8(ownerCPU+c) || (o != 0 && o < ownerCPU && cpu.Prev == 0 && o == cpu.Cur) {
			return true
		}
	}
	return false
}

// lockWaitCycle finds a cycle among the CPUs of s given the lock each
// spins for (waits[c], LockNone if it does not).
func (m *Machine) lockWaitCycle(s *State, waits *[MaxCPUs]uint8) []LockWait {
	var ws [MaxCPUs]LockWait
	var waiting uint8
	for c := 0; c < m.NCPU; c++ {
		if id := waits[c]; id != LockNone {
			if h, ok := m.holderCPU(s, id); ok && h != c {
				ws[c], waiting = LockWait{CPU: c, Holder: h, Lock: id}, waiting|1<<c
			}
		}
	}
	if bits.OnesCount8(waiting) < 2 {
		return nil
	}
	// Follow the holders from each waiting CPU: a walk that comes back to
	// a CPU it passed is a cycle.
	for start := 0; start < m.NCPU; start++ {
		var seen uint8
		c := start
		for waiting&(1<<c) != 0 && seen&(1<<c) == 0 {
			seen |= 1 << c
			c = ws[c].Holder
		}
		if waiting&(1<<c) == 0 {
			continue
		}
		cycle := []LockWait{ws[c]}
		for h := ws[c].Holder; h != c; h = ws[h].Holder {
			cycle = append(cycle, ws[h])
		}
		return cycle
	}
	return nil
}

// holderCPU returns the CPU that holds lock id in s: a spin lock's owner,
// or the CPU running the LWP that owns an adaptive lock.
func (m *Machine) holderCPU(s *State, id uint8) (int, bool) {
	o := s.Locks[id]
	if o == 0 {
		return 0, false
	}
	if c, ok := OwnerCPU(o); ok {
		return c, true
	}
	if Adaptive(id) && o != OwnerEnv {
		for c := 0; c < m.NCPU; c++ {
			if s.CPUs[c].Cur == o && s.CPUs[c].Prev == 0 {
				return c, true
			}
		}
	}
	return 0, false
}

// waitsFor returns the lock CPU c spins for in s: the lock the first step
// of its next kernel action acquires, which another holds; LockNone if
// its next step can run or it waits for something else.
func (m *Machine) waitsFor(s *State, c int) uint8 {
	cpu := &s.CPUs[c]
	if cpu.Prev == 0 && cpu.Cur != 0 && !s.LWPs[cpu.Cur-1].InKernel() {
		return LockNone
	}
	next := m.probes.Get().(*State)
	*next = *s
	k := m.run(s, next, actStep, c, 0, 0, false)
	defer m.pool.Put(k)
	defer m.probes.Put(next)
	if k.blocked && k.onLock {
		return k.waitOn
	}
	return LockNone
}

// LockWaitString describes a lock-wait cycle of s in kernel terms.
func (m *Machine) LockWaitString(s *State, cycle []LockWait) string {
	var parts []string
	for _, w := range cycle {
		parts = append(parts, fmt.Sprintf("cpu%d (%s) spins for %s, held by cpu%d", w.CPU, m.onCPU(s, w.CPU), m.LockName(w.Lock), w.Holder))
	}
	return strings.Join(parts, "; ")
}

// onCPU names what CPU c runs in s.
func (m *Machine) onCPU(s *State, c int) string {
	cpu := &s.CPUs[c]
	switch {
	case cpu.Prev != 0:
		return fmt.Sprintf("switching to LWP %d", s.LWPs[cpu.Cur-1].Name)
	case cpu.Cur == 0:
		return "idle loop"
	}
	i := int(cpu.Cur) - 1
	l := &s.LWPs[i]
	return fmt.Sprintf("LWP %d in %s", l.Name, m.Where(s, i))
}
