package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_synch.c 1.192 (2007-08-02), the stored HEAD revision
// nearest before kern_lwp.c 1.73 with the interfaces 1.73 calls. mi_switch
// takes the scheduler lock itself and keeps the old LWP locked across
// cpu_switchto: the new context releases it (:474, or lwp_startup for a new
// LWP, kern_lwp.c@1.73:663-665). Under SCHED_4BSD every CPU's spc_mutex is
// the one sched_mutex and the run queue is shared (the kernel's
// OneRunqueue).

// miSwitch mirrors mi_switch, kern_synch.c@1.192:353, called with the LWP
// locked: yield if still running, pick the next LWP (or the idle LWP) and
// switch to it. The old LWP's lock is held across the switch.
func miSwitch(k *model.K, f *model.Frame) {
	i, c := k.Cur, k.CPU
	l := k.L(i)
	k.Assert(k.Owned(l.Mutex), 359, "lwp_locked(l, NULL)")
	if !k.Enter(k.SpcMutex(c), 403, "mutex_spin_enter(spc->spc_mutex)") {
		return
	}
	k.Assert(l.Stat != model.LSRUN, 404, "l->l_stat != LSRUN")
	if l.Stat == model.LSONPROC {
		k.Assert(l.Mutex == model.SpcLwplock(c), 406, "lwp_locked(l, &spc->spc_lwplock)")
		k.SetStat(i, model.LSRUN, 408)
		k.SetLock(i, k.SpcMutex(c), 409)
		k.RunqAppend(c, i) // sched_enqueue :410
	}
	n := nextlwp(k, c) // :419-432
	if n == i {
		// Nothing to do - just unlock and return. :482-486
		k.Exit(k.SpcMutex(c), 484)
		k.Exit(l.Mutex, 485)
		k.Return(0)
		return
	}
	if l.Mutex == k.SpcMutex(c) {
		k.Exit(model.SpcLwplock(c), 450) // l went to the run queue
	} else {
		k.Exit(k.SpcMutex(c), 452)
	}
	l.Flag &^= model.FlagRUNNING // :463, l still locked
	cpu := &k.S.CPUs[c]
	cpu.Cur = uint8(n + 1) // cpu_switchto(l, newl) :465
	cpu.Prev = uint8(i + 1)
	k.Return(0)
	k.OffCPU()
}

// nextlwp is sched_nextlwp and the pick of mi_switch,
// kern_synch.c@1.192:419-432: the head of the run queue becomes LSONPROC
// on CPU c's spc_lwplock; -1 means the idle LWP.
func nextlwp(k *model.K, c int) int {
	n := k.RunqHead(c)
	if n < 0 {
		return -1
	}
	k.RunqRemove(c, n) // sched_dequeue :422
	l := k.L(n)
	k.Assert(l.Mutex == k.SpcMutex(c), 423, "lwp_locked(newl, spc->spc_mutex)")
	k.SetStat(n, model.LSONPROC, 424)
	l.CPU = uint8(c)            // :425
	l.Flag |= model.FlagRUNNING // :426
	k.SetLock(n, model.SpcLwplock(c), 427)
	return n
}

// startup is the new context's half of a switch: the tail of mi_switch
// for an LWP that ran before (kern_synch.c@1.192:471-474) or lwp_startup
// for a new one (kern_lwp.c@1.73:663-665). It releases the previous LWP's
// lock, held across the switch.
func startup(k *model.K, f *model.Frame) {
	cpu := &k.S.CPUs[k.CPU]
	prev := int(cpu.Prev) - 1
	first := k.Cur >= 0 && k.S.LWPs[k.Cur].Depth == 1 && k.S.LWPs[k.Cur].Frames[0].Fn == nb.FnStartLWP &&
		k.S.LWPs[k.Cur].Frames[0].PC == 0
	line := 474
	if first {
		k.In(nb.FnLwpStartup)
		line = 664
	}
	k.At(line, "lwp_unlock(prevlwp)")
	nb.LwpUnlock(k, prev, line)
	cpu.Prev = 0
	k.Return(0)
}

// idle is an idle CPU finding an LWP on the run queue: the idle LWP locks
// itself (kern_idle.c@1.1.2.9:79, a file the revision does not model, so
// cited at mi_switch) and calls mi_switch, which takes the scheduler lock,
// marks it LSIDL (:412), picks the LWP, drops the scheduler lock and
// switches; the new context releases the idle LWP's spc_lwplock (:474, or
// lwp_startup's kern_lwp.c@1.73:664 for a new LWP), which the LWP picked
// is now covered by too. The model takes the whole hand-over as one step.
func idle(k *model.K, f *model.Frame) {
	c := k.CPU
	if !k.Enter(model.SpcLwplock(c), 353, "lwp_lock(l)") || !k.Enter(k.SpcMutex(c), 403, "mutex_spin_enter(spc->spc_mutex)") {
		return
	}
	n := nextlwp(k, c)
	k.Exit(k.SpcMutex(c), 452)
	k.S.CPUs[c].Cur = uint8(n + 1) // cpu_switchto :465
	k.Exit(model.SpcLwplock(c), 474)
	k.Return(0)
}

// setrunnable mirrors setrunnable, kern_synch.c@1.192:520. Called with
// the process and the LWP locked; returns with the LWP unlocked. An LWP
// still covered by the scheduler lock (one created stopped or suspended,
// sys_lwp.c@1.16:119-133) is made runnable without changing locks
// (:583-586). A: the LWP.
func setrunnable(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(520, "setrunnable(l)")
		k.Assert(k.Owned(k.PLock()), 526, "mutex_owned(&p->p_smutex)")
		k.Assert(k.Owned(l.Mutex), 527, "lwp_locked(l, NULL)")
		f.PC = 1
		switch l.Stat {
		case model.LSSTOP:
			p.NRLWPs++ // :543 (no debugger: the traced case :535-542 is not modelled)
		case model.LSSUSPENDED:
			l.Flag &^= model.FlagWSUSPEND           // :546
			p.NRLWPs++                              // :547
			k.Call(f, 1, nb.FnCvBroadcast, 0, 0, 0) // :548
		case model.LSSLEEP:
			k.Assert(l.WChan != model.WChanNone, 551, "l->l_wchan != NULL")
		default:
			k.Assert(false, 554, "panic: setrunnable: lwp state was "+model.StatName(l.Stat))
		}
	case 1:
		if l.WChan != model.WChanNone {
			k.SetStat(i, model.LSSLEEP, 562)
			k.Call(f, 3, nb.FnLwpUnsleep, uint8(i), 1, 0) // :564
			return
		}
		if l.Flag&model.FlagRUNNING != 0 {
			k.SetStat(i, model.LSONPROC, 573)
			k.Exit(l.Mutex, 575)
			k.Return(0)
			return
		}
		c := int(l.CPU)
		if l.Mutex != k.SpcMutex(c) {
			f.PC = 2
			return
		}
		enqueue(k, i)
	case 2:
		c := int(l.CPU)
		if !k.Enter(k.SpcMutex(c), 584, "spc_lock(l->l_cpu)") {
			return
		}
		old := l.Mutex
		k.SetLock(i, k.SpcMutex(c), 585) // lwp_unlock_to(l, spc_mutex)
		k.Exit(old, 585)
		enqueue(k, i)
	case 3:
		k.Return(0)
	}
}

// enqueue is the end of setrunnable, kern_synch.c@1.192:588-595: the LWP,
// covered by the scheduler lock, goes on the run queue and is unlocked.
func enqueue(k *model.K, i int) {
	k.SetStat(i, model.LSRUN, 589)
	k.RunqAppend(int(k.L(i).CPU), i) // sched_enqueue :593 (the LWP is in memory)
	nb.LwpUnlock(k, i, 595)
	k.Return(0)
}
