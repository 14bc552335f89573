package model

import "math/bits"

// Lock coverage of fields. proc.h and lwp.h mark each field with the lock
// that covers it ("p: p_lock", "l: *l_mutex"); a step that writes a field
// must hold that lock. The machine compares the marked fields at each
// lock operation of a step (between two, the set of locks held does not
// change) and records an EvField event for each field written in the
// interval without its lock. An LWP not on p_lwps when the interval began
// is private to its creator or reaper, and an LSIDL LWP's "l" fields need
// no lock: "this state exists so that the LWP can occupy a slot in the
// process & PID table, but without having to worry about being touched"
// (kern_lwp.c@1.270:68-74; lwp_need_userret asserts "lwp_locked(l, NULL)
// || l->l_stat == LSIDL", :1795).
//
// Not checked here: l_stat (its own invariants), l_mutex (lwp_setlock
// asserts the old lock), l_cpu (s: spc_mutex, "which may or may not be
// referenced by l_mutex"), l_pflag (!: private) and what the model keeps
// for itself (slots, lids, continuations, the program).

// GuardedFields lists the fields the coverage check compares, by their C
// names; an EvField event's From indexes it. Which lock each needs is the
// revision's marking (Docs.Fields).
var GuardedFields = [NumGuarded]string{
	// struct proc
	"p_stat", "p_sflag", "p_nlwps", "p_nrlwps", "p_nzlwps", "p_ndlwps", "p_nlwpwait", "p_zomblwp", "p_lwps",
	// struct lwp
	"l_flag", "l_target_cpu", "l_syncobj", "l_wchan",
	"l_prflag", "l_waiter", "l_waitingfor", "l_refcnt", "l_sigpend", "l_lwpctl",
}

// NumGuarded is the number of fields the coverage check compares.
const NumGuarded = 19

const (
	gLWP   = 9 // index in GuardedFields of the first LWP field
	gLists = 8 // of p_lwps
)

// lwpGuarded are an LWP's checked fields, in GuardedFields order.
type lwpGuarded struct {
	flag                                             uint16
	targetCPU, syncObj, wchan                        uint8
	prflag, waiter, waitingFor, refCnt, sigPend, ctl uint8
}

func (g *lwpGuarded) diff(h *lwpGuarded) [10]bool {
	return [10]bool{g.flag != h.flag, g.targetCPU != h.targetCPU, g.syncObj != h.syncObj, g.wchan != h.wchan,
		g.prflag != h.prflag, g.waiter != h.waiter, g.waitingFor != h.waitingFor, g.refCnt != h.refCnt,
		g.sigPend != h.sigPend, g.ctl != h.ctl}
}

// guarded is a snapshot of the checked fields.
type guarded struct {
	proc   [MaxProcs][gLists]uint8      // p_stat ... p_zomblwp of each process
	lists  [MaxProcs][1 + MaxLWPs]uint8 // p_lwps: length and slots
	lwp    [MaxLWPs]lwpGuarded
	mutex  [MaxLWPs]uint8 // l_mutex: the lock that covers the LWP's "l" fields
	listed uint8          // bit per slot: on its process's p_lwps
	idle   uint8          // bit per slot: LSIDL
	at     SrcRef         // where the snapshot was taken
}

// procFields are the process's checked fields but p_lwps.
func procFields(p *Proc) [gLists]uint8 {
	return [gLists]uint8{p.Stat, p.SFlag, p.NLWPs, p.NRLWPs, p.NZLWPs, p.NDLWPs, p.NLWPWait, p.ZombLWP}
}

// lwpFields are an LWP's checked fields.
func lwpFields(l *LWP) lwpGuarded {
	return lwpGuarded{l.Flag, l.TargetCPU, l.SyncObj, l.WChan, l.PRFlag, l.Waiter, l.WaitingFor, l.RefCnt, l.SigPend, l.Ctl}
}

// unchanged reports whether s still holds what g took: then a new
// snapshot would equal g.
func (g *guarded) unchanged(s *State, nprocs int) bool {
	for pi := range nprocs {
		p := &s.Procs[pi]
		if g.proc[pi] != procFields(p) || g.lists[pi][0] != p.NList || [MaxLWPs]uint8(g.lists[pi][1:]) != p.Lwps {
			return false
		}
	}
	for b := g.listed; b != 0; b &= b - 1 {
		i := bits.TrailingZeros8(b)
		l := &s.LWPs[i]
		if g.lwp[i] != lwpFields(l) || g.mutex[i] != l.Mutex || (g.idle&(1<<i) != 0) != (l.Stat == LSIDL) {
			return false
		}
	}
	return true
}

func (g *guarded) take(s *State, nprocs int, at SrcRef) {
	g.listed, g.idle = 0, 0
	for pi := range nprocs {
		p := &s.Procs[pi]
		g.proc[pi] = procFields(p)
		g.lists[pi][0] = p.NList
		copy(g.lists[pi][1:], p.Lwps[:])
		for _, x := range p.Lwps[:p.NList] {
			if x != 0 {
				g.listed |= 1 << (x - 1)
			}
		}
	}
	// Only the LWPs on p_lwps are compared (see guard), so only theirs
	// are taken.
	for b := g.listed; b != 0; b &= b - 1 {
		g.fill(s, bits.TrailingZeros8(b))
	}
	g.at = at
}

// fill takes the fields of the LWP in slot i.
func (g *guarded) fill(s *State, i int) {
	l := &s.LWPs[i]
	g.lwp[i] = lwpFields(l)
	g.mutex[i] = l.Mutex
	if l.Stat == LSIDL {
		g.idle |= 1 << i
	} else {
		g.idle &^= 1 << i
	}
}

// guard checks the fields written since the last snapshot against the
// locks held now, which have been held since then; at is where the step
// is (the lock operation about to run; zero at the end of the step).
func (k *K) guard(at SrcRef) {
	if !k.M.Guard {
		return
	}
	before, now := &k.snaps[k.snapI], &k.snaps[k.snapI^1]
	if before.unchanged(k.S, k.M.nprocs) {
		before.at = at // nothing written: the next interval starts here
		return
	}
	k.snapI ^= 1
	now.take(k.S, k.M.nprocs, at)
	marks := &k.M.Rev.Docs.Fields
	for pi := range k.M.nprocs {
		pl := ProcLock(pi)
		if (now.proc[pi] == before.proc[pi] && now.lists[pi] == before.lists[pi]) || k.Owned(pl) {
			continue
		}
		for f := range gLists {
			if now.proc[pi][f] != before.proc[pi][f] && marks[f] == MarkProc {
				k.fieldEvent(-1, f, pl, before.at, now.at)
			}
		}
		if now.lists[pi] != before.lists[pi] && marks[gLists] == MarkProc {
			k.fieldEvent(-1, gLists, pl, before.at, now.at)
		}
	}
	for b := before.listed; b != 0; b &= b - 1 {
		i := bits.TrailingZeros8(b)
		if now.listed&(1<<i) == 0 {
			now.fill(k.S, i) // it left p_lwps in the interval
		}
		if now.lwp[i] == before.lwp[i] {
			continue
		}
		for j, changed := range now.lwp[i].diff(&before.lwp[i]) {
			if !changed {
				continue
			}
			f := gLWP + j
			lock := ProcLock(int(k.S.LWPs[i].Proc))
			switch marks[f] {
			case MarkNone:
				continue
			case MarkLWP:
				if before.idle&(1<<i) != 0 {
					continue
				}
				lock = before.mutex[i]
				if k.Owned(now.mutex[i]) {
					lock = now.mutex[i]
				}
			}
			if !k.Owned(lock) {
				k.fieldEvent(i, f, lock, before.at, now.at)
			}
		}
	}
}

// guardAcquire guards before a lock acquire. One that begins a step (the
// usual case, see K) follows the last guard with nothing written since.
func (k *K) guardAcquire(line int) {
	if k.ncase > 0 || k.atomic {
		k.guard(k.src(line))
	}
}

// fieldEvent records field f of the LWP in slot (-1: the process whose
// p_lock is lock) written
// without lock between two points of the step.
func (k *K) fieldEvent(slot, f int, lock uint8, since, until SrcRef) {
	k.event(Event{Kind: EvField, LWP: int8(slot), From: uint8(f), Lock: lock, Since: since, Src: until})
}
