package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// nextlwp mirrors nextlwp, kern_synch.c@1.366:549: the head of CPU c's run
// queue becomes LSONPROC on spc_lwplock; -1 means the idle LWP.
func nextlwp(k *model.K, c int) int {
	n := k.RunqHead(c)
	if n < 0 {
		return -1
	}
	defer k.In(k.In(FnNextlwp))
	k.RunqRemove(c, n) // sched_dequeue :564
	l := k.L(n)
	k.Assert(l.Mutex == k.SpcMutex(c), 565, "lwp_locked(newl, spc->spc_mutex)")
	k.Assert(int(l.CPU) == c, 566, "newl->l_cpu == ci")
	k.SetStat(n, model.LSONPROC, 567)
	l.PFlag |= model.LP_RUNNING // :568
	k.SetLock(n, model.SpcLwplock(c), 572)
	return n
}

// miSwitch mirrors mi_switch, kern_synch.c@1.366:608. The caller holds the
// LWP's lock and its CPU's spc_mutex. Everything up to cpu_switchto is
// covered by those locks, so it is one step; the new context's half (the
// handover of the previous LWP) is the CPU's next step, see startup.
func miSwitch(k *model.K, f *model.Frame) {
	i, c := k.Cur, k.CPU
	l := k.L(i)
	k.At(608, "mi_switch(l)")
	k.Assert(k.Owned(l.Mutex), 618, "lwp_locked(l, NULL)")
	k.Assert(k.Owned(k.SpcMutex(c)), 620, "mutex_owned(curcpu()->ci_schedstate.spc_mutex)")
	k.Assert(l.PFlag&model.LP_RUNNING != 0, 628, "(l->l_pflag & LP_RUNNING) != 0")
	k.Assert(int(l.CPU) == c || l.Stat == model.LSRUN, 629, "l->l_cpu == curcpu() || l->l_stat == LSRUN")
	if k.Panic != "" {
		return
	}
	// If on the CPU and we have gotten this far, then we must yield.
	if l.Stat == model.LSONPROC {
		k.Assert(l.Mutex == model.SpcLwplock(c), 665, "lwp_locked(l, spc->spc_lwplock)")
		k.SetStat(i, model.LSRUN, 667)
		k.SetLock(i, k.SpcMutex(c), 668)
		k.RunqAppend(c, i) // sched_enqueue :669
	}
	n := nextlwp(k, c) // :685
	cpu := &k.S.CPUs[c]
	if n == i {
		// Nothing to do - just unlock and return. :867-869
		k.Exit(k.SpcMutex(c), 867)
		k.Exit(l.Mutex, 869)
		k.Return(0)
		return
	}
	// Release all locks, but leave the current LWP locked. :733-743
	if l.Mutex == k.SpcMutex(c) {
		k.Exit(model.SpcLwplock(c), 736)
	} else {
		k.Exit(k.SpcMutex(c), 742)
	}
	cpu.Cur = uint8(n + 1)
	cpu.Prev = uint8(i + 1) // cpu_switchto :811; the new context releases l's lock
	k.Return(0)
	k.OffCPU()
}

// startup is the new context's half of a switch: the tail of mi_switch
// (kern_synch.c@1.366:833-841) for an LWP that ran before, lwp_startup
// (kern_lwp.c@1.270:1045-1052) for a new one, or the idle loop. It clears
// the previous LWP's LP_RUNNING and releases its lock. One step.
func startup(k *model.K, f *model.Frame) {
	c := k.CPU
	cpu := &k.S.CPUs[c]
	prev := int(cpu.Prev) - 1
	pl := k.L(prev)
	first := k.Cur >= 0 && k.S.LWPs[k.Cur].Depth == 1 && k.S.LWPs[k.Cur].Frames[0].Fn == FnStartLWP &&
		k.S.LWPs[k.Cur].Frames[0].PC == 0
	assertLine, clearLine, exitLine := 833, 839, 841
	if first {
		k.In(FnLwpStartup)
		assertLine, clearLine, exitLine = 1035, 1050, 1052
	}
	k.At(clearLine, "prevlwp->l_pflag &= ~LP_RUNNING; mutex_spin_exit(prevlwp->l_mutex)")
	k.Assert(pl.PFlag&model.LP_RUNNING != 0, assertLine, "(prevlwp->l_pflag & LP_RUNNING) != 0")
	lock := pl.Mutex
	pl.PFlag &^= model.LP_RUNNING
	k.Exit(lock, exitLine)
	cpu.Prev = 0
	k.Return(0)
}

// idle is the idle loop of an idle CPU finding its run queue non-empty:
// it locks the idle LWP (spc_lwplock) and spc_mutex and calls mi_switch;
// the new LWP then releases the idle LWP's lock. The model takes the whole
// hand-over as one step.
func idle(k *model.K, f *model.Frame) {
	c := k.CPU
	if !k.Enter(model.SpcLwplock(c), 0, "idle_loop: lwp_lock(idlelwp)") || !k.Enter(k.SpcMutex(c), 0, "spc_lock(ci)") {
		return
	}
	k.At(685, "mi_switch picks the head of the run queue")
	n := nextlwp(k, c)
	k.Exit(k.SpcMutex(c), 742)
	k.S.CPUs[c].Cur = uint8(n + 1)
	k.Exit(model.SpcLwplock(c), 841)
	k.Return(0)
}

// preempt mirrors preempt, kern_synch.c@1.366:314: the running LWP puts
// itself back on its run queue and switches (kernel preemption, or a
// clock tick in user space).
func preempt(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(320, "preempt: lwp_lock(l)")
		LwpLockCall(k, f, 1, k.Cur)
	case 1:
		l := k.Self()
		k.Assert(l.Mutex == model.SpcLwplock(int(l.CPU)), 322, "lwp_locked(l, l->l_cpu->ci_schedstate.spc_lwplock)")
		k.Assert(l.Stat == model.LSONPROC, 323, "l->l_stat == LSONPROC")
		f.PC = 2
	case 2:
		if !k.Enter(k.SpcMutex(int(k.Self().CPU)), 325, "spc_lock(l->l_cpu)") {
			return
		}
		k.Call(f, 3, FnMiSwitch, 0, 0, 0)
	case 3:
		k.Return(0)
	}
}

// setrunnable mirrors setrunnable, kern_synch.c@1.366:885. Called with
// p_lock and the LWP locked; returns with the LWP unlocked. A: the LWP.
func setrunnable(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(885, "setrunnable(l)")
		k.Assert(l.Flag&model.FlagDBGSUSPEND == 0, 892, "(l->l_flag & LW_DBGSUSPEND) == 0")
		k.Assert(k.Owned(k.PLock()), 893, "mutex_owned(p->p_lock)")
		k.Assert(k.Owned(l.Mutex), 894, "lwp_locked(l, NULL)")
		k.Assert(l.Mutex != k.SpcMutex(int(l.CPU)), 895, "l->l_mutex != l->l_cpu->ci_schedstate.spc_mutex")
		f.PC = 1
		switch l.Stat {
		case model.LSSTOP:
			p.NRLWPs++ // :905
		case model.LSSUSPENDED:
			k.Assert(l.Mutex == model.SpcLwplock(int(l.CPU)), 908, "lwp_locked(l, l->l_cpu->ci_schedstate.spc_lwplock)")
			l.Flag &^= model.FlagWSUSPEND        // :909
			p.NRLWPs++                           // :910
			k.Call(f, 1, FnCvBroadcast, 0, 0, 0) // :911
		case model.LSSLEEP:
			k.Assert(l.WChan != model.WChanNone, 914, "l->l_wchan != NULL")
		case model.LSIDL:
			k.Assert(l.Mutex == model.SpcLwplock(int(l.CPU)), 917, "lwp_locked(l, l->l_cpu->ci_schedstate.spc_lwplock)")
		default:
			k.Assert(false, 920, "panic: setrunnable: lwp state was "+model.StatName(l.Stat))
		}
	case 1:
		// If the LWP was sleeping, start it again.
		if l.WChan != model.WChanNone {
			k.SetStat(i, model.LSSLEEP, 927)
			k.Call(f, 4, FnLwpUnsleep, uint8(i), 1, 0) // :929
			return
		}
		// Still on the CPU: mark it LSONPROC; it may be about to switch.
		if l.PFlag&model.LP_RUNNING != 0 {
			k.SetStat(i, model.LSONPROC, 938)
			k.Exit(l.Mutex, 940)
			k.Return(0)
			return
		}
		// sched_takecpu may choose any CPU.
		l.CPU = uint8(k.Choose(k.M.NCPU)) // :948-949
		f.PC = 2
	case 2:
		if !k.Enter(k.SpcMutex(int(l.CPU)), 950, "spc_lock(ci)") {
			return
		}
		old := l.Mutex
		k.SetLock(i, k.SpcMutex(int(l.CPU)), 951)
		k.SetStat(i, model.LSRUN, 953)
		k.RunqAppend(int(l.CPU), i)         // sched_enqueue :955
		k.Exit(k.SpcMutex(int(l.CPU)), 956) // sched_resched_lwp unlocks the spc
		k.Exit(old, 958)
		k.Return(0)
	case 4:
		k.Return(0)
	}
}
