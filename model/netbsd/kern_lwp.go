package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// Routines of kern_lwp.c 1.270. Frame locals are documented per
// routine; slots are LWP structure indexes.

// LwpLockCall calls lwp_lock(slot); the caller continues at next.
func LwpLockCall(k *model.K, f *model.Frame, next uint8, slot int) {
	k.Call(f, next, FnLwpLock, uint8(slot), 0, 0)
}

// lwpLock mirrors lwp_lock, kern_lwp.c@1.270:1606: read l_mutex, acquire
// it, and re-check that it is still the LWP's lock, retrying if another CPU
// changed it in between. The read joins the caller's step; the acquire
// begins a new one. A: the LWP; B: the lock read.
func lwpLock(k *model.K, f *model.Frame) {
	l := &k.S.LWPs[f.A]
	switch f.PC {
	case 0:
		k.Unlocked()
		f.B = l.Mutex // old = atomic_load_consume(&l->l_mutex) :1608
		f.PC = 1
	case 1:
		if !k.Enter(f.B, 1614, "mutex_spin_enter(old)") {
			return
		}
		if l.Mutex != f.B {
			// l_mutex changed behind us: drop the stale lock and retry. :1615-1618
			k.Exit(f.B, 1616)
			f.B = l.Mutex // :1617
			k.Retry()
			return
		}
		k.Return(0)
	}
}

// LwpUnlock mirrors lwp_unlock, kern_lwp.c@1.270:1626.
func LwpUnlock(k *model.K, slot int, line int) { k.Exit(k.S.LWPs[slot].Mutex, line) }

// lwpUnsleep mirrors lwp_unsleep, kern_lwp.c@1.270:1595: dispatch to the
// sync object's unsleep (cv_unsleep and the park object both use
// sleepq_unsleep). A: the LWP; B: unlock.
func lwpUnsleep(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(1598, "lwp_unsleep(l, unlock)")
		k.Assert(k.Owned(k.S.LWPs[f.A].Mutex), 1598, "mutex_owned(l->l_mutex)")
		k.Assert(k.S.LWPs[f.A].SyncObj != model.SObjSched, 1599, "l_syncobj->sobj_unsleep != sched_unsleep (which panics)")
		k.Call(f, 1, FnSleepqUnsleep, f.A, f.B, 0)
	case 1:
		k.Return(0)
	}
}

// lwpNeedUserret mirrors lwp_need_userret, kern_lwp.c@1.270:1791. The IPI
// it sends to a running LWP is the model's trap action, always possible
// while a LW_USERRET flag is set, so nothing else changes here.
func lwpNeedUserret(k *model.K, slot int) {
	l := &k.S.LWPs[slot]
	defer k.In(k.In(FnLwpNeedUserret))
	k.Assert(k.Owned(l.Mutex) || l.Stat == model.LSIDL, 1795, "lwp_locked(l, NULL) || l->l_stat == LSIDL")
}

// ProcFindLwp mirrors proc_find_lwp (kern_proc.c): the LWP holding lid in
// the PID table, unless it is LSIDL or of another process (l_proc != p);
// -1 if none. The model numbers each process's lids on their own, so an
// LWP of another process is never found, as in the kernel.
func ProcFindLwp(k *model.K, lid uint8) int {
	s, pid := k.S, uint8(k.Pid())
	for i := range s.LWPs {
		l := &s.LWPs[i]
		if l.Name != 0 && l.PidSlot != 0 && l.Lid == lid && l.Proc == pid {
			if l.Stat == model.LSIDL {
				return -1
			}
			return i
		}
	}
	return -1
}

// lwpFind mirrors lwp_find, kern_lwp.c@1.270:1519: a live LWP of the
// process by lid (not LSIDL, not LSZOMB); -1 if none.
func lwpFind(k *model.K, lid uint8) int {
	defer k.In(k.In(FnLwpFind))
	k.Assert(k.Owned(k.PLock()), 1523, "mutex_owned(p->p_lock)")
	i := ProcFindLwp(k, lid)
	if i >= 0 && (k.S.LWPs[i].Stat == model.LSIDL || k.S.LWPs[i].Stat == model.LSZOMB) {
		return -1 // :1532
	}
	return i
}

// lwpSuspend mirrors lwp_suspend, kern_lwp.c@1.270:437. Called with p_lock
// held and the target locked; unlocks it. A: the target. Returns an errno.
func lwpSuspend(k *model.K, f *model.Frame) {
	t := int(f.A)
	tl := k.L(t)
	switch f.PC {
	case 0:
		k.At(437, "lwp_suspend(curl, t)")
		k.Assert(k.Owned(k.PLock()), 441, "mutex_owned(t->l_proc->p_lock)")
		k.Assert(k.Owned(tl.Mutex), 442, "lwp_locked(t, NULL)")
		k.Assert(k.Cur != t || k.Self().Stat == model.LSONPROC, 444, "curl != t || curl->l_stat == LSONPROC")
		if !hooks(k).SuspendReadsStat && k.Self().Flag&(model.FlagWEXIT|model.FlagWCORE) != 0 {
			LwpUnlock(k, t, 451)
			k.Return(uint8(model.EDEADLK)) // :452
			return
		}
		if tl.Flag&model.FlagDBGSUSPEND != 0 {
			LwpUnlock(k, t, 456)
			k.Return(0)
			return
		}
		switch tl.Stat {
		case model.LSRUN, model.LSONPROC:
			tl.Flag |= model.FlagWSUSPEND // :465
			hooks(k).LwpNeedUserret(k, t)
			LwpUnlock(k, t, 467)
		case model.LSSLEEP:
			tl.Flag |= model.FlagWSUSPEND // :471
			hooks(k).LwpNeedUserret(k, t)
			if tl.Flag&model.FlagSINTR != 0 {
				k.Call(f, 1, FnSetrunnable, uint8(t), 0, 0) // :480
				return
			}
			LwpUnlock(k, t, 482)
		case model.LSSUSPENDED:
			LwpUnlock(k, t, 486)
		case model.LSSTOP:
			tl.Flag |= model.FlagWSUSPEND // :490
			hooks(k).LwpNeedUserret(k, t)
			k.Call(f, 1, FnSetrunnable, uint8(t), 0, 0) // :492
			return
		case model.LSIDL, model.LSZOMB:
			LwpUnlock(k, t, 498)
			k.Return(uint8(model.EINTR)) // :497 "It's what Solaris does"
			return
		}
		k.Return(0)
	case 1:
		k.Return(0)
	}
}

// lwpContinue mirrors lwp_continue, kern_lwp.c@1.270:512. Called with
// p_lock held and the LWP locked; unlocks it. A: the LWP.
func lwpContinue(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	switch f.PC {
	case 0:
		k.At(512, "lwp_continue(l)")
		k.Assert(k.Owned(k.PLock()), 515, "mutex_owned(l->l_proc->p_lock)")
		k.Assert(k.Owned(l.Mutex), 516, "lwp_locked(l, NULL)")
		if l.Flag&model.FlagWREBOOT != 0 {
			LwpUnlock(k, i, 520)
			k.Return(0)
			return
		}
		l.Flag &^= model.FlagWSUSPEND // :524
		if l.Stat != model.LSSUSPENDED || l.Flag&model.FlagDBGSUSPEND != 0 {
			LwpUnlock(k, i, 527)
			k.Return(0)
			return
		}
		k.Call(f, 1, FnSetrunnable, uint8(i), 0, 0) // :532
	case 1:
		k.Return(0)
	}
}

// lwp_wait's flags (frame local B).
const (
	WaitExiting  = 1 // exiting: called from exit_lwps
	WaitDeparted = 2 // the caller wants the departed lid (in the LWP's Value)
)

// lwpWait mirrors lwp_wait, kern_lwp.c@1.270:585. Called with p_lock held;
// returns with it held. A: the lid waited for (0: any); B: wait* flags;
// C: the error while bailing out.
func lwpWait(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.L(me)
	p := k.P()
	lid := f.A
	exiting := f.B&WaitExiting != 0
	switch f.PC {
	case 0:
		k.At(585, "lwp_wait(l, lid, departed, exiting)")
		k.Assert(k.Owned(k.PLock()), 592, "mutex_owned(p->p_lock)")
		p.NLWPWait++ // :594
		l.Ghost |= model.GhostWait
		l.WaitingFor = lid // :595
		f.PC = 1
	case 1: // for (;;) :597
		if p.SFlag&model.PS_WCORE != 0 {
			// Dumping core: suspend in lwp_userret until the deed is done. :606-610
			k.Exit(k.PLock(), 607)
			k.Call(f, 9, FnLwpUserret, 0, 0, 0)
			return
		}
		if p.ZombLWP != 0 {
			z := p.ZombLWP - 1
			p.ZombLWP = 0                    // :617
			k.Call(f, 2, FnLwpFree, z, 0, 0) // :618, releases p_lock
			return
		}
		f.PC = 3
		lwpWaitScan(k, f, me, lid, exiting)
	case 2:
		if !k.Enter(k.PLock(), 619, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 1
	case 4: // collected: lwp_free released p_lock
		if !k.Enter(k.PLock(), 707, "mutex_enter(p->p_lock)") {
			return
		}
		k.Return(0) // :708
	case 5: // back from cv_wait_sig or cv_timedwait
		if exiting || f.Ret != 0 {
			f.C = f.Ret // :724-725, :743-744
			f.PC = 6
			return
		}
		f.PC = 1
	case 6: // bail out :755-765
		if lid != 0 {
			if l2 := ProcFindLwp(k, lid); l2 >= 0 && k.S.LWPs[l2].Waiter == l.Lid {
				k.L(l2).Waiter = 0 // :760
			}
		}
		p.NLWPWait-- // :762
		l.Ghost &^= model.GhostWait
		l.WaitingFor = 0 // :763
		k.Call(f, 7, FnCvBroadcast, 0, 0, 0)
	case 7:
		k.Return(f.C) // :766
	case 8:
		k.Call(f, 4, FnLwpFree, f.C, 0, 0) // :706, releases p_lock
	case 9:
		k.Assert(false, 609, "KASSERT(false): lwp_userret returned")
	}
}

// lwpWaitScan is the body of lwp_wait's loop, kern_lwp.c@1.270:628-744,
// all under p_lock.
func lwpWaitScan(k *model.K, f *model.Frame, me int, lid uint8, exiting bool) {
	s := k.S
	p := k.P()
	curlid := s.LWPs[me].Lid
	bail := func(e model.Errno) { f.C, f.PC = uint8(e), 6 }
	var cand [model.MaxLWPs]int
	n := 0
	if lid != 0 {
		l2 := ProcFindLwp(k, lid) // :636
		if l2 < 0 {
			bail(model.ESRCH) // :638
			return
		}
		if s.LWPs[l2].PRFlag&model.LPR_DETACHED != 0 {
			bail(model.EINVAL) // :643
			return
		}
		cand[0], n = l2, 1
	} else {
		for _, x := range p.Lwps[:p.NList] { // LIST_FIRST(&p->p_lwps) :647
			cand[n] = int(x) - 1
			n++
		}
	}
	nfound := 0
	for _, l2 := range cand[:n] {
		t := k.L(l2)
		if t.Lid == lid && t.WaitingFor == curlid {
			bail(model.EDEADLK) // :661-663
			return
		}
		if l2 == me {
			continue // :665
		}
		if t.PRFlag&model.LPR_DETACHED != 0 {
			if exiting {
				nfound++ // :668
			}
			continue
		}
		if lid != 0 {
			if t.Waiter == 0 {
				t.Waiter = curlid // :676-677
			}
		} else if t.Waiter != 0 {
			nfound++ // :685
			continue
		}
		nfound++ // :688
		if t.Stat != model.LSZOMB {
			continue // :691
		}
		// Collect it. :698-708
		s.LWPs[me].WaitingFor = 0
		t.Waiter = 0
		p.NLWPWait--
		s.LWPs[me].Ghost &^= model.GhostWait
		if f.B&WaitDeparted != 0 {
			s.LWPs[me].Value = t.Lid // *departed = l2->l_lid :702
		}
		f.C = uint8(l2)
		k.Call(f, 8, FnSchedLwpCollect, 0, 0, 0) // :703
		return
	}
	if nfound == 0 {
		bail(model.ESRCH) // :713-714
		return
	}
	if exiting {
		k.Assert(p.NLWPs > 1, 723, "p->p_nlwps > 1")
		k.Call(f, 5, FnCvWait, CvTimedwait, 0, 0) // :724
		return
	}
	if p.NLWPWait == p.NLWPs {
		bail(model.EDEADLK) // :733-734
		return
	}
	k.Call(f, 5, FnCvWait, CvWaitSig, 0, 0) // :743
}

// lwpCreate mirrors lwp_create, kern_lwp.c@1.270:775, for an LWP of the
// current process. A: 1 if LWP_DETACHED; B: the new LWP's spec name; C:
// its slot once allocated. Returns the slot.
func lwpCreate(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 790, "mutex_enter(p2->p_lock)") {
			return
		}
		// RLIMIT_NTHR (:791-806) is not modelled: the limit is never reached.
		if p.ZombLWP != 0 {
			// Reap a detached zombie and recycle its structure. :812-820
			f.C = p.ZombLWP - 1
			p.ZombLWP = 0
			k.Call(f, 1, FnLwpFree, f.C, 1, 0) // recycle: keeps the structure
			return
		}
		k.Exit(k.PLock(), 822)
		i := FreeSlot(k.S)
		if i < 0 {
			k.Bug("more LWP structures than the model holds")
			return
		}
		// pool_cache_get: a structure never used is constructed by
		// lwp_ctor (:398-400) on this CPU's spc_lwplock; a freed one keeps
		// the CPU and lock lwp_free gave it (:1294-1295).
		l := k.L(i)
		if l.Gen == 0 {
			*l = model.LWP{CPU: uint8(k.CPU), Mutex: model.SpcLwplock(k.CPU)}
		}
		l.Stat = model.LSIDL
		f.C = uint8(i)
		f.PC = 1
	case 1:
		i := int(f.C)
		l := k.L(i)
		k.Assert(l.Stat == model.LSIDL, 834, "l2->l_stat == LSIDL")
		k.Assert(l.Mutex == model.SpcLwplock(int(l.CPU)), 837, "l2->l_mutex == l2->l_cpu->ci_schedstate.spc_lwplock")
		// memset(&l2->l_startzero, 0, ...): only l_stat, l_cpu and l_mutex
		// stay; the structure has a new identity.
		*l = model.LWP{Gen: l.Gen + 1, Name: f.B, Proc: uint8(k.Pid()), Stat: l.Stat, CPU: l.CPU, Mutex: l.Mutex}
		f.PC = 2
	case 2:
		// proc_alloc_lwpid (kern_proc.c) under proc_lock: the process's
		// own PID if no LWP holds it (the first LWP, or after it was
		// freed), else a fresh number. :853
		if !k.Enter(model.LockProcList, 853, "proc_alloc_lwpid: mutex_enter(&proc_lock)") {
			return
		}
		i := int(f.C)
		l := k.L(i)
		if procFindPid(k.S, k.Pid()) {
			l.Lid = p.NextLid
			p.NextLid++
		} else {
			l.Lid = 1
		}
		l.PidSlot = 1
		k.Exit(model.LockProcList, 853)
		l.Flag = 0                                            // :868
		l.Depth, l.Frames[0] = 1, model.Frame{Fn: FnStartLWP} // uvm_lwp_fork: starts in lwp_startup
		f.PC = 3
	case 3:
		if !k.Enter(k.PLock(), 925, "mutex_enter(p2->p_lock)") {
			return
		}
		i := int(f.C)
		l := k.L(i)
		if f.A != 0 {
			l.PRFlag = model.LPR_DETACHED // :928
			p.NDLWPs++                    // :929
		} else {
			l.PRFlag = 0
		}
		// Inherit the exit, reboot and core flags set under p_lock. :939
		l.Flag |= k.Self().Flag & (model.FlagWEXIT | model.FlagWREBOOT | model.FlagWCORE)
		copy(p.Lwps[1:], p.Lwps[:p.NList]) // LIST_INSERT_HEAD :949
		p.Lwps[0] = uint8(i + 1)
		p.NList++
		p.NLWPs++  // :950
		p.NRLWPs++ // :951: counted as running before it runs
		if l.Flag&lwUserret2025 != 0 {
			lwpNeedUserret(k, i) // :970-971
		}
		k.Exit(k.PLock(), 975)
		f.PC = 4
	case 4:
		if !k.Enter(model.LockProcList, 979, "mutex_enter(&proc_lock)") {
			return
		}
		k.Exit(model.LockProcList, 983) // alllwp insertion :980
		k.Return(f.C)
	}
}

// procFindPid reports whether an LWP of process pid holds the process's
// own PID as its lid (so that proc_alloc_lwpid must allocate a new
// number).
func procFindPid(s *model.State, pid int) bool {
	for i := range s.LWPs {
		if l := &s.LWPs[i]; l.Name != 0 && l.PidSlot != 0 && l.Lid == 1 && int(l.Proc) == pid {
			return true
		}
	}
	return false
}

func FreeSlot(s *model.State) int {
	for i := range s.LWPs {
		if s.LWPs[i].Name == 0 && s.LWPs[i].Stat == 0 {
			return i
		}
	}
	return -1
}

// lwpStart mirrors lwp_start, kern_lwp.c@1.270:998. A: the new LWP; B: 1
// if LWP_SUSPENDED.
func lwpStart(k *model.K, f *model.Frame) {
	i := int(f.A)
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 1002, "mutex_enter(p->p_lock)") {
			return
		}
		LwpLockCall(k, f, 1, i) // :1003
	case 1:
		l := k.L(i)
		p := k.P()
		k.Assert(l.Stat == model.LSIDL, 1004, "l->l_stat == LSIDL")
		if f.B != 0 {
			l.Flag |= model.FlagWSUSPEND // :1007 it suspends itself in lwp_userret
			lwpNeedUserret(k, i)
		}
		if p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0 {
			k.Assert(l.WChan == model.WChanNone, 1011, "l->l_wchan == NULL")
			k.SetStat(i, model.LSSTOP, 1012)
			p.NRLWPs-- // :1013
			LwpUnlock(k, i, 1014)
			f.PC = 2
			return
		}
		k.Call(f, 2, FnSetrunnable, uint8(i), 0, 0) // :1016
	case 2:
		k.Exit(k.PLock(), 1019)
		k.Return(0)
	}
}

// lwpExit mirrors lwp_exit, kern_lwp.c@1.270:1080. A: the exiting LWP
// (not curlwp only on sys__lwp_create's error path, for an LSIDL LWP);
// C: loop index.
func lwpExit(k *model.K, f *model.Frame) {
	i := int(f.A)
	current := i == k.Cur
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.Assert(current || l.Stat == model.LSIDL, 1088, "current || l->l_stat == LSIDL")
		k.Assert(current || l.TargetCPU == 0, 1089, "current || l->l_target_cpu == NULL")
		if !k.Enter(k.PLock(), 1108, "mutex_enter(p->p_lock)") {
			return
		}
		if p.NLWPs-p.NZLWPs == 1 {
			// The last live LWP: the whole process exits. :1109-1113
			k.Assert(current, 1110, "current == true")
			k.Call(f, 20, FnExit1, 0, 0, 0)
			return
		}
		p.NZLWPs++ // :1115, before it is a zombie, for accounting
		l.Ghost |= model.GhostZomb
		prev := k.In(FnLwpThreadCleanup) // :1124
		k.Exit(k.PLock(), 2181)
		k.In(prev)
		f.PC = 1
	case 1:
		if !k.Enter(model.LockProcList, 1150, "mutex_enter(&proc_lock)") {
			return
		}
		k.Exit(model.LockProcList, 1168) // LIST_REMOVE(l, l_list) :1167
		f.PC = 2
	case 2:
		if !k.Enter(k.PLock(), 1180, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 3
	case 3: // for (;;) :1181
		k.Call(f, 4, FnLwpDrainrefs, uint8(i), 0, 0)
	case 4:
		if f.Ret != 0 {
			f.PC = 3 // :1183
			return
		}
		if l.PRFlag&model.LPR_DETACHED != 0 {
			if z := p.ZombLWP; z != 0 {
				// Free the older detached zombie first. :1185-1190
				p.ZombLWP = 0
				k.Call(f, 5, FnLwpFree, z-1, 0, 0)
				return
			}
			p.ZombLWP = uint8(i + 1) // :1192
		}
		f.PC, f.C = 6, 0
		if l.Flag&model.FlagPENDSIG != 0 && p.SigPend != 0 {
			f.PC = 7 // signotify the others :1202-1209
		}
	case 5:
		if !k.Enter(k.PLock(), 1189, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 3
	case 7: // LIST_FOREACH(l2, &p->p_lwps) { lwp_lock; signotify; unlock }
		if f.C >= p.NList {
			f.PC = 6
			return
		}
		LwpLockCall(k, f, 8, int(p.Lwps[f.C])-1)
	case 8:
		l2 := int(p.Lwps[f.C]) - 1
		signotify(k, l2)
		LwpUnlock(k, l2, 1207)
		f.C++
		f.PC = 7
	case 6:
		LwpLockCall(k, f, 9, i) // :1216
	case 9:
		k.SetStat(i, model.LSZOMB, 1217)
		LwpUnlock(k, i, 1221)
		p.NRLWPs-- // :1222
		k.Exit(k.PLock(), 1225)
		k.Call(f, 10, FnCvBroadcast, 0, 0, 0) // :1226
	case 10:
		if !current {
			k.Return(0)
			return
		}
		LwpLockCall(k, f, 11, i) // :1238
	case 11:
		if !k.Enter(k.SpcMutex(int(l.CPU)), 1239, "spc_lock(l->l_cpu)") {
			return
		}
		k.Call(f, 12, FnMiSwitch, 0, 0, 0) // :1240
	case 12:
		k.Assert(false, 1241, "panic(\"lwp_exit\"): a zombie ran again")
	case 20:
		k.Assert(false, 1113, "NOTREACHED: exit1 returned")
	}
}

// lwpFree mirrors lwp_free, kern_lwp.c@1.270:1251. Called with p_lock held
// (not last); releases it. A: the dead LWP; B: 1 to recycle the structure.
func lwpFree(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1251, "lwp_free(l, recycle, last)")
		k.Assert(i != k.Cur, 1257, "l != curlwp")
		k.Assert(k.Owned(k.PLock()), 1258, "last || mutex_owned(p->p_lock)")
		f.PC = 1
	case 1:
		// Spin until the LWP has switched away. :1276-1279
		if !k.Await(l.PFlag&model.LP_RUNNING == 0, 1276, "while (l->l_pflag & LP_RUNNING) spin") {
			return
		}
		LwpLockCall(k, f, 2, i) // :1292
	case 2:
		k.SetStat(i, model.LSIDL, 1293)
		l.CPU = uint8(k.CPU) // :1294
		old := l.Mutex
		k.SetLock(i, model.SpcLwplock(k.CPU), 1295) // lwp_unlock_to
		k.Exit(old, 1295)
		// Adjust counters and unlink. :1310-1315
		remove := -1
		for j, x := range p.Lwps[:p.NList] {
			if int(x) == i+1 {
				remove = j
			}
		}
		k.Assert(remove >= 0, 1310, "LIST_REMOVE(l, l_sibling): on p_lwps")
		if remove >= 0 {
			copy(p.Lwps[remove:], p.Lwps[remove+1:p.NList])
			p.NList--
			p.Lwps[p.NList] = 0
		}
		p.NLWPs--  // :1311
		p.NZLWPs-- // :1312
		if l.PRFlag&model.LPR_DETACHED != 0 {
			p.NDLWPs-- // :1314
		}
		k.Exit(k.PLock(), 1315)
		k.Call(f, 3, FnCvBroadcast, 0, 0, 0) // :1321
	case 3:
		if !k.Enter(model.LockProcList, 1324, "mutex_enter(&proc_lock)") {
			return
		}
		l.PidSlot = 0 // proc_free_lwpid :1325
		k.Exit(model.LockProcList, 1326)
		if f.B == 0 {
			// pool_cache_put :1366: the slot is free again.
			*l = model.LWP{Gen: l.Gen, CPU: l.CPU, Mutex: l.Mutex}
		}
		k.Return(0)
	}
}

// schedLwpCollect mirrors sched_lwp_collect of SCHED_4BSD (sched_4bsd.c,
// the default scheduler), called by lwp_wait at kern_lwp.c@1.270:703 with
// p_lock held: it locks curlwp to absorb the collected LWP's estcpu.
func schedLwpCollect(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(703, "sched_lwp_collect(l2)")
		LwpLockCall(k, f, 1, k.Cur)
	case 1:
		LwpUnlock(k, k.Cur, 703) // l->l_estcpu += t->l_estcpu
		k.Return(0)
	}
}

// lwpDrainrefs mirrors lwp_drainrefs, kern_lwp.c@1.270:1864. A: the LWP.
// Returns 1 if it slept. No modelled path takes a reference (procfs,
// ptrace and sysctl are outside the model), so l_refcnt stays 0.
func lwpDrainrefs(k *model.K, f *model.Frame) {
	l := k.L(int(f.A))
	switch f.PC {
	case 0:
		k.At(1871, "l->l_prflag |= LPR_DRAINING")
		k.Assert(k.Owned(k.PLock()), 1869, "mutex_owned(p->p_lock)")
		l.PRFlag |= model.LPR_DRAINING // :1871
		f.PC = 1
	case 1:
		if l.RefCnt > 0 {
			f.B = 1
			k.Call(f, 1, FnCvWait, CvWaitPlain, 0, 0) // :1875
			return
		}
		k.Return(f.B)
	}
}

// lwpUserret mirrors lwp_userret, kern_lwp.c@1.270:1682: the loop that
// handles LW_USERRET flags on the way to user space, in the C order:
// signals, then suspension (which also parks a core-dumping or exiting
// LWP), then exit.
func lwpUserret(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.L(me)
	p := k.P()
	switch f.PC {
	case 0:
		k.Assert(l.Stat == model.LSONPROC, 1688, "l->l_stat == LSONPROC")
		if !k.Cut(1705, "f = atomic_load_relaxed(&l->l_flag) & LW_USERRET") {
			return
		}
		fl := l.Flag & lwUserret2025
		switch {
		case fl == 0:
			k.Return(0)
		case fl&(model.FlagPENDSIG|model.FlagWCORE|model.FlagWEXIT) == model.FlagPENDSIG:
			f.PC = 1 // :1728
		case fl&model.FlagWSUSPEND != 0:
			f.PC = 10 // :1747
		case fl&model.FlagWEXIT != 0:
			k.Call(f, 20, FnLwpExit, uint8(me), 0, 0) // :1767
		default:
			k.Bug("lwp_userret: unmodelled LW_USERRET flag " + model.FlagNames(fl))
		}
	case 1:
		if !k.Enter(k.PLock(), 1729, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 2
	case 2: // while ((sig = issignal(l)) != 0) postsig(sig); :1730-1731
		k.Call(f, 3, FnIssignal, 0, 0, 0)
	case 3:
		if f.Ret != 0 {
			k.Call(f, 2, FnPostsig, f.Ret, 0, 0)
			return
		}
		k.Exit(k.PLock(), 1732)
		f.PC = 0
	case 10:
		if !k.Enter(k.PLock(), 1749, "mutex_enter(p->p_lock)") {
			return
		}
		p.NRLWPs-- // :1750
		LwpLockCall(k, f, 11, me)
	case 11:
		k.SetStat(me, model.LSSUSPENDED, 1752)
		LwpUnlock(k, me, 1753)
		k.Exit(k.PLock(), 1754)
		k.Call(f, 12, FnCvBroadcast, 0, 0, 0) // :1755
	case 12:
		LwpLockCall(k, f, 13, me) // :1756
	case 13:
		if !k.Enter(k.SpcMutex(int(l.CPU)), 1757, "spc_lock(l->l_cpu)") {
			return
		}
		k.Call(f, 0, FnMiSwitch, 0, 0, 0) // :1758, then continue
	case 20:
		k.Assert(false, 1768, "KASSERT(0): lwp_exit returned")
	}
}

// lwpMigrate mirrors lwp_migrate, kern_lwp.c@1.270:1373, with the LWP
// locked by the caller; unlocks it. i: the LWP; tci: the target CPU.
func lwpMigrate(k *model.K, i, tci int) {
	l := k.L(i)
	defer k.In(k.In(FnLwpMigrate))
	k.At(1373, "lwp_migrate(l, tci)")
	k.Assert(k.Owned(l.Mutex), 1378, "lwp_locked(l, NULL)")
	lstat := l.Stat
	if l.PFlag&model.LP_RUNNING != 0 {
		lstat = model.LSONPROC // :1382-1384
	}
	if l.TargetCPU != 0 {
		l.TargetCPU = uint8(tci + 1) // :1391
		LwpUnlock(k, i, 1392)
		return
	}
	if int(l.CPU) == tci {
		LwpUnlock(k, i, 1398)
		return
	}
	switch lstat {
	case model.LSRUN:
		l.TargetCPU = uint8(tci + 1) // :1406
	case model.LSSLEEP:
		l.CPU = uint8(tci) // :1409
	case model.LSIDL, model.LSSTOP, model.LSSUSPENDED:
		l.CPU = uint8(tci) // :1414
		if l.WChan == model.WChanNone {
			old := l.Mutex
			k.SetLock(i, model.SpcLwplock(tci), 1416) // lwp_unlock_to
			k.Exit(old, 1416)
			return
		}
	case model.LSONPROC:
		l.TargetCPU = uint8(tci + 1) // :1421
		// spc_lock + sched_resched_cpu: the LWP notices at its next switch.
		if !k.Enter(k.SpcMutex(int(l.CPU)), 1422, "spc_lock(l->l_cpu)") {
			return
		}
		k.Exit(k.SpcMutex(int(l.CPU)), 1423)
	}
	LwpUnlock(k, i, 1427)
}
