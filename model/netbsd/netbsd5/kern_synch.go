package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_synch.c 1.227.2.1 (2008-05-18). Unlike netbsd-2025's,
// mi_switch takes the run queue lock itself (its callers hold only the
// LWP's lock), releases the old LWP's lock before cpu_switchto and marks
// it l_ctxswtch until the new context has run: another CPU that picks the
// LWP meanwhile spins on that mark.

// miSwitch mirrors mi_switch, kern_synch.c@1.227.2.1:512, called with the
// LWP locked. A: the LWP chosen to run next (slot+1; 0 the idle LWP); B:
// l_target_cpu+1 taken at :586-590.
func miSwitch(k *model.K, f *model.Frame) {
	i, c := k.Cur, k.CPU
	l := k.L(i)
	switch f.PC {
	case 0:
		k.Assert(k.Owned(l.Mutex), 521, "lwp_locked(l, NULL)")
		k.Assert(int(l.CPU) == c, 531, "l->l_cpu == curcpu()")
		k.Assert(l.Stat != model.LSRUN, 582, "l->l_stat != LSRUN")
		f.B = 0
		if l.Stat == model.LSONPROC {
			k.Assert(l.Mutex == model.SpcLwplock(c), 584, "lwp_locked(l, spc->spc_lwplock)")
			if int(l.TargetCPU)-1 == c {
				l.TargetCPU = 0 // :586-587
			} else {
				f.B = l.TargetCPU // tci :589
			}
		}
		f.PC = 1
	case 1:
		if f.B != 0 {
			// spc_dlock(ci, tci) :594: both run queue locks, lower first.
			if !k.Enter(k.SpcMutex(min(c, int(f.B)-1)), 594, "spc_dlock(ci, tci)") {
				return
			}
			f.PC = 2
			return
		}
		line := 597 // spc_lock(ci) :597 or :621
		if l.Stat != model.LSONPROC {
			line = 621
		}
		if !k.Enter(k.SpcMutex(c), line, "spc_lock(ci)") {
			return
		}
		f.PC = 3
	case 2:
		hi := max(c, int(f.B)-1)
		if !k.Enter(k.SpcMutex(hi), 594, "spc_dlock(ci, tci): the second") {
			return
		}
		f.PC = 3
	case 3:
		miSwitchLocked(k, f, i, c)
	case 4:
		// Spin while the LWP picked is still being switched away on
		// another CPU :749-754, then cpu_switchto :757.
		n := int(f.A) - 1
		if !k.Await(n < 0 || k.L(n).PFlag&model.LP_CTXSWTCH == 0, 752, "while (newl->l_ctxswtch) spin") {
			return
		}
		cpu := &k.S.CPUs[c]
		cpu.Cur = f.A
		cpu.Prev = uint8(i + 1) // the new context clears l_ctxswtch :770
		k.Return(0)
		k.OffCPU()
	}
}

// miSwitchLocked is the part of mi_switch run with the run queue locked
// (kern_synch.c@1.227.2.1:600-729): yield or not, pick the next LWP,
// release every lock but l's and then l's.
func miSwitchLocked(k *model.K, f *model.Frame, i, c int) {
	l := k.L(i)
	if l.Stat == model.LSONPROC {
		k.SetStat(i, model.LSRUN, 601)
		q := c
		if f.B != 0 {
			q = int(f.B) - 1
			l.CPU = uint8(q)                 // :608
			k.SetLock(i, k.SpcMutex(q), 609) // lwp_setlock(l, tci's spc_mutex)
			l.TargetCPU = 0                  // :610
		} else {
			k.SetLock(i, k.SpcMutex(c), 612)
		}
		k.RunqAppend(q, i) // sched_enqueue :614
	}
	n := nextlwp(k, c) // :632-643
	if n == i {
		// Nothing to do - just unlock and return. :783-787
		k.Exit(k.SpcMutex(c), 785)
		k.Exit(l.Mutex, 786)
		k.Return(0)
		return
	}
	// Release all locks, but leave the current LWP locked. :690-710
	if l.Mutex == k.SpcMutex(int(l.CPU)) {
		if f.B != 0 {
			k.Exit(k.SpcMutex(c), 697)
		}
		k.Exit(model.SpcLwplock(c), 702)
	} else {
		k.Exit(k.SpcMutex(c), 708)
		k.Assert(f.B == 0, 709, "tci == NULL")
	}
	k.Assert(l.PFlag&model.LP_CTXSWTCH == 0, 717, "l->l_ctxswtch == 0")
	l.PFlag |= model.LP_CTXSWTCH // :718
	l.Flag &^= model.FlagRUNNING // :720
	k.Exit(l.Mutex, 729)         // lwp_unlock(l)
	f.A, f.PC = uint8(n+1), 4
}

// nextlwp is sched_nextlwp and the pick of mi_switch,
// kern_synch.c@1.227.2.1:631-644: the head of CPU c's run queue becomes
// LSONPROC on spc_lwplock; -1 means the idle LWP.
func nextlwp(k *model.K, c int) int {
	n := k.RunqHead(c)
	if n < 0 {
		return -1
	}
	k.RunqRemove(c, n) // sched_dequeue :634
	l := k.L(n)
	k.Assert(l.Mutex == k.SpcMutex(c), 635, "lwp_locked(newl, spc->spc_mutex)")
	k.SetStat(n, model.LSONPROC, 636)
	l.CPU = uint8(c)            // :637
	l.Flag |= model.FlagRUNNING // :638
	k.SetLock(n, model.SpcLwplock(c), 639)
	return n
}

// startup is the new context's half of a switch: the tail of mi_switch
// for an LWP that ran before (kern_synch.c@1.227.2.1:765-771) or
// lwp_startup for a new one (kern_lwp.c@1.101.2.1:663-672): it clears the
// previous LWP's l_ctxswtch. Its locks were released before the switch.
func startup(k *model.K, f *model.Frame) {
	cpu := &k.S.CPUs[k.CPU]
	pl := k.L(int(cpu.Prev) - 1)
	first := k.Cur >= 0 && k.S.LWPs[k.Cur].Depth == 1 && k.S.LWPs[k.Cur].Frames[0].Fn == nb.FnStartLWP &&
		k.S.LWPs[k.Cur].Frames[0].PC == 0
	line := 770
	if first {
		k.In(nb.FnLwpStartup)
		line = 671
	}
	k.At(line, "prevlwp->l_ctxswtch = 0")
	pl.PFlag &^= model.LP_CTXSWTCH
	cpu.Prev = 0
	k.Return(0)
}

// idle is the idle loop of an idle CPU finding its run queue non-empty:
// lwp_lock(idlelwp) and mi_switch, which takes spc_mutex, marks the idle
// LWP LSIDL (:617), picks the head of the run queue, releases both locks
// and switches once the LWP picked has left its previous CPU. The model
// takes the whole hand-over as one step, enabled once that LWP's
// l_ctxswtch is clear.
func idle(k *model.K, f *model.Frame) {
	c := k.CPU
	if !k.Enter(model.SpcLwplock(c), 0, "idle_loop: lwp_lock(idlelwp)") || !k.Enter(k.SpcMutex(c), 597, "spc_lock(ci)") {
		return
	}
	k.At(632, "mi_switch picks the head of the run queue")
	n := nextlwp(k, c)
	k.Exit(k.SpcMutex(c), 708)
	k.Exit(model.SpcLwplock(c), 729)
	if !k.Await(k.L(n).PFlag&model.LP_CTXSWTCH == 0, 752, "while (newl->l_ctxswtch) spin") {
		return
	}
	k.S.CPUs[c].Cur = uint8(n + 1)
	k.Return(0)
}

// preempt mirrors preempt, kern_synch.c@1.227.2.1:330: the running LWP
// locks itself and calls mi_switch, which yields.
func preempt(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(335, "preempt: lwp_lock(l)")
		nb.LwpLockCall(k, f, 1, k.Cur)
	case 1:
		l := k.Self()
		k.Assert(l.Mutex == model.SpcLwplock(int(l.CPU)), 336, "lwp_locked(l, l->l_cpu->ci_schedstate.spc_lwplock)")
		k.Assert(l.Stat == model.LSONPROC, 337, "l->l_stat == LSONPROC")
		k.Call(f, 2, nb.FnMiSwitch, 0, 0, 0) // :340
	case 2:
		k.Return(0)
	}
}

// setrunnable mirrors setrunnable, kern_synch.c@1.227.2.1:815. Called with
// the process and the LWP locked; returns with the LWP unlocked. A: the
// LWP.
func setrunnable(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(815, "setrunnable(l)")
		k.Assert(k.Owned(k.PLock()), 822, "mutex_owned(p->p_lock)")
		k.Assert(k.Owned(l.Mutex), 823, "lwp_locked(l, NULL)")
		k.Assert(l.Mutex != k.SpcMutex(int(l.CPU)), 824, "l->l_mutex != l->l_cpu->ci_schedstate.spc_mutex")
		f.PC = 1
		switch l.Stat {
		case model.LSSTOP:
			p.NRLWPs++ // :840 (no debugger: the traced case :832-839 is not modelled)
		case model.LSSUSPENDED:
			l.Flag &^= model.FlagWSUSPEND           // :843
			p.NRLWPs++                              // :844
			k.Call(f, 1, nb.FnCvBroadcast, 0, 0, 0) // :845
		case model.LSSLEEP:
			k.Assert(l.WChan != model.WChanNone, 848, "l->l_wchan != NULL")
		default:
			k.Assert(false, 851, "panic: setrunnable: lwp state was "+model.StatName(l.Stat))
		}
	case 1:
		if l.WChan != model.WChanNone {
			k.SetStat(i, model.LSSLEEP, 859)
			k.Call(f, 3, nb.FnLwpUnsleep, uint8(i), 1, 0) // :861
			return
		}
		if l.Flag&model.FlagRUNNING != 0 {
			k.SetStat(i, model.LSONPROC, 870)
			k.Exit(l.Mutex, 872)
			k.Return(0)
			return
		}
		l.CPU = uint8(k.Choose(k.M.NCPU)) // sched_takecpu :880-881
		f.PC = 2
	case 2:
		c := int(l.CPU)
		if !k.Enter(k.SpcMutex(c), 882, "spc_lock(ci)") {
			return
		}
		old := l.Mutex
		k.SetLock(i, k.SpcMutex(c), 883) // lwp_unlock_to(l, spc_mutex)
		k.Exit(old, 883)
		k.SetStat(i, model.LSRUN, 885)
		k.RunqAppend(c, i) // sched_enqueue :893
		k.Exit(k.SpcMutex(c), 895)
		k.Return(0)
	case 3:
		k.Return(0)
	}
}
