package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_lwp.c 1.101.2.1 (2008-05-18), which stands in for the
// netbsd-5 branch's kern_lwp.c (not stored): the newest stored revision
// before the branch, and the one whose interface sys_lwp.c 1.43.4.1 calls
// (p->p_lock, proc_lock, lwp_unsleep(l, cleanup)).

// lwpCreate mirrors lwp_create, kern_lwp.c@1.101.2.1:533, for an LWP of
// the current process: the new LWP is LSIDL on a CPU's spc_mutex, gets
// lid ++p_nlwpid and is counted in p_nlwps but not in p_nrlwps (the caller
// counts it when it makes it runnable). A: 1 if LWP_DETACHED; B: the new
// LWP's spec name; C: its slot+1 once chosen. Returns the slot.
func lwpCreate(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Cut(547, "p2->p_zomblwp != NULL (unlocked)") {
			return
		}
		f.C, f.PC = 0, 3
		if p.ZombLWP != 0 {
			f.PC = 1
		}
	case 1:
		if !k.Enter(k.PLock(), 548, "mutex_enter(p2->p_lock)") {
			return
		}
		if z := p.ZombLWP; z != 0 {
			// Reap the detached zombie and reuse its structure. :549-551
			p.ZombLWP = 0
			f.C = z
			k.Call(f, 3, nb.FnLwpFree, z-1, 1, 0) // releases p_lock
			return
		}
		k.Exit(k.PLock(), 553)
		f.PC = 3
	case 3:
		i := int(f.C) - 1
		if i < 0 {
			if i = nb.FreeSlot(k.S); i < 0 {
				k.Bug("more LWP structures than the model holds")
				return
			}
		}
		l := k.L(i)
		// memset(l2, 0) :557, :565; then LSIDL on the creator's CPU's
		// spc_mutex :569-589. The structure is the creator's alone until
		// it is on p_lwps.
		*l = model.LWP{Gen: l.Gen + 1, Name: f.B, Proc: uint8(k.Pid()), Stat: model.LSIDL, RefCnt: 1, CPU: k.Self().CPU,
			Mutex: k.SpcMutex(int(k.Self().CPU))} // l_refcnt = 1 :571
		// lwp_update_creds (:594) takes and releases p_lock around the
		// credentials (:1175-1179), which the model does not track: with
		// nothing else held and no modelled field touched, that changes
		// no outcome and adds no lock-order edge, so it is left out.
		l.Depth, l.Frames[0] = 1, model.Frame{Fn: nb.FnStartLWP} // uvm_lwp_fork :605: starts in lwp_startup
		f.C, f.PC = uint8(i+1), 4
	case 4:
		if !k.Enter(k.PLock(), 608, "mutex_enter(p2->p_lock)") {
			return
		}
		i := int(f.C) - 1
		l := k.L(i)
		if f.A != 0 {
			l.PRFlag = model.LPR_DETACHED // :611
			p.NDLWPs++                    // :612
		}
		l.Lid = p.NextLid // ++p2->p_nlwpid :620-623 (NextLid is p_nlwpid+1)
		p.NextLid++
		copy(p.Lwps[1:], p.Lwps[:p.NList]) // LIST_INSERT_HEAD :624
		p.Lwps[0] = uint8(i + 1)
		p.NList++
		l.PidSlot = 1 // lwp_find finds it on p_lwps from now on
		p.NLWPs++     // :625
		k.Exit(k.PLock(), 627)
		f.PC = 5
	case 5:
		if !k.Enter(model.LockProcList, 629, "mutex_enter(proc_lock)") {
			return
		}
		k.Exit(model.LockProcList, 631)     // alllwp :630
		nb.LwpLockCall(k, f, 6, int(f.C)-1) // :635
	case 6:
		i := int(f.C) - 1
		l := k.L(i)
		l.CPU = uint8(k.Choose(k.M.NCPU)) // sched_takecpu :641
		old := l.Mutex
		k.SetLock(i, k.SpcMutex(int(l.CPU)), 642) // lwp_unlock_to(l2, spc_mutex)
		k.Exit(old, 642)
		k.Return(uint8(i))
	}
}

// lwpExit mirrors lwp_exit, kern_lwp.c@1.101.2.1:687, which ends in
// lwp_exit_switchaway (:826). A: the exiting LWP (not curlwp only on
// sys__lwp_create's error path, for an LSIDL LWP); C: loop index.
func lwpExit(k *model.K, f *model.Frame) {
	i := int(f.A)
	current := i == k.Cur
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.Assert(current || l.Stat == model.LSIDL, 695, "current || l->l_stat == LSIDL")
		if !k.Enter(k.PLock(), 716, "mutex_enter(p->p_lock)") {
			return
		}
		if p.NLWPs-p.NZLWPs == 1 {
			// The last live LWP: the whole process exits. :717-722
			k.Assert(current, 718, "current == true")
			k.Call(f, 20, nb.FnExit1, 0, 0, 0)
			return
		}
		p.NZLWPs++ // :723, before it is a zombie, for accounting
		l.Ghost |= model.GhostZomb
		k.Exit(k.PLock(), 724)
		f.PC = 1
	case 1:
		if !k.Enter(model.LockProcList, 748, "mutex_enter(proc_lock)") {
			return
		}
		k.Exit(model.LockProcList, 750) // LIST_REMOVE(l, l_list) :749
		f.PC = 2
	case 2:
		if !k.Enter(k.PLock(), 759, "mutex_enter(p->p_lock)") {
			return
		}
		k.Call(f, 3, nb.FnLwpDrainrefs, uint8(i), 0, 0) // :760
	case 3:
		if l.PRFlag&model.LPR_DETACHED != 0 {
			if z := p.ZombLWP; z != 0 {
				// Free the older detached zombie first. :763-769
				p.ZombLWP = 0
				k.Call(f, 4, nb.FnLwpFree, z-1, 0, 0) // releases p_lock
				return
			}
			p.ZombLWP = uint8(i + 1) // :770
		}
		f.PC, f.C = 8, 0
		if l.Flag&model.FlagPENDSIG != 0 && p.SigPend != 0 {
			f.PC = 6 // every LWP checks for signals :778-785
		}
	case 4:
		if !k.Enter(k.PLock(), 766, "mutex_enter(p->p_lock)") {
			return
		}
		l.RefCnt++                                      // :767
		k.Call(f, 3, nb.FnLwpDrainrefs, uint8(i), 0, 0) // :768
	case 6: // LIST_FOREACH(l2, &p->p_lwps) { lwp_lock; LW_PENDSIG; unlock }
		if f.C >= p.NList {
			f.PC = 8
			return
		}
		nb.LwpLockCall(k, f, 7, int(p.Lwps[f.C])-1) // :781
	case 7:
		l2 := int(p.Lwps[f.C]) - 1
		k.L(l2).Flag |= model.FlagPENDSIG // :782
		nb.LwpUnlock(k, l2, 783)
		f.C++
		f.PC = 6
	case 8:
		nb.LwpLockCall(k, f, 9, i) // :787
	case 9:
		k.SetStat(i, model.LSZOMB, 788)
		nb.LwpUnlock(k, i, 791)
		p.NRLWPs--                               // :792
		k.Call(f, 10, nb.FnCvBroadcast, 0, 0, 0) // :793
	case 10:
		k.Exit(k.PLock(), 796)
		if !current {
			k.Return(0)
			return
		}
		k.Call(f, 11, nb.FnLwpExitSwitchaway, uint8(i), 0, 0) // :821, never returns
	case 20:
		k.Assert(false, 721, "NOTREACHED: exit1 returned")
	}
}

// lwpExitSwitchaway mirrors lwp_exit_switchaway, kern_lwp.c@1.101.2.1:826:
// the zombie clears LW_RUNNING without a lock and switches to the idle
// LWP for good. A: the exiting LWP.
func lwpExitSwitchaway(k *model.K, f *model.Frame) {
	l := k.L(int(f.A))
	switch f.PC {
	case 0:
		if !k.Cut(832, "l->l_flag &= ~LW_RUNNING") {
			return
		}
		l.Flag &^= model.FlagRUNNING
		f.PC = 1
	case 1:
		c := k.CPU
		if !k.Enter(k.SpcMutex(c), 845, "spc_lock(ci)") {
			return
		}
		k.Exit(k.SpcMutex(c), 847) // cpu_onproc = idlelwp :846
		f.PC = 2
	case 2:
		if !k.Cut(848, "cpu_switchto(NULL, idlelwp)") {
			return
		}
		k.S.CPUs[k.CPU].Cur = 0
		f.PC = 3
		k.OffCPU()
	case 3:
		k.Assert(false, 848, "a zombie ran again after cpu_switchto")
	}
}

// lwpFree mirrors lwp_free, kern_lwp.c@1.101.2.1:857, called with p_lock
// held (not last); releases it. A: the dead LWP; B: 1 to recycle the
// structure. Unlike netbsd-2025's, it takes the LWP off p_lwps before
// waiting for it to leave its CPU, and leaves it LSZOMB.
func lwpFree(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(857, "lwp_free(l, recycle, last)")
		k.Assert(i != k.Cur, 863, "l != curlwp")
		if !k.Owned(k.PLock()) {
			k.Bug("lwp_free called without p_lock")
		}
		remove := -1
		for j, x := range p.Lwps[:p.NList] {
			if int(x) == i+1 {
				remove = j
			}
		}
		k.Assert(remove >= 0, 880, "LIST_REMOVE(l, l_sibling): on p_lwps")
		if remove >= 0 {
			copy(p.Lwps[remove:], p.Lwps[remove+1:p.NList])
			p.NList--
			p.Lwps[p.NList] = 0
		}
		l.PidSlot = 0 // off p_lwps: lwp_find no longer finds it
		p.NLWPs--     // :881
		p.NZLWPs--    // :882
		if l.PRFlag&model.LPR_DETACHED != 0 {
			p.NDLWPs-- // :884
		}
		k.Call(f, 1, nb.FnCvBroadcast, 0, 0, 0) // :890
	case 1:
		k.Exit(k.PLock(), 891)
		f.PC = 2
	case 2:
		// Spin until the LWP has left its CPU. :901-909
		onCPU := l.Flag&model.FlagRUNNING != 0 || int(k.S.CPUs[l.CPU].Cur) == i+1
		if !k.Await(!onCPU, 905, "while ((l->l_flag & LW_RUNNING) != 0 || l->l_cpu->ci_curlwp == l) spin") {
			return
		}
		if f.B == 0 {
			*l = model.LWP{Gen: l.Gen} // pool_cache_put :947: the slot is free again
		}
		k.Return(0)
	}
}

// lwpWait mirrors lwp_wait1, kern_lwp.c@1.101.2.1:353. Called with p_lock
// held; returns with it held. A: the lid waited for (0: any); B:
// nb.WaitExiting (LWPWAIT_EXITCONTROL), nb.WaitDeparted; C: the error
// while bailing out, or the LWP collected.
func lwpWait(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.L(me)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(353, "lwp_wait1(l, lid, departed, flags)")
		k.Assert(k.Owned(k.PLock()), 361, "mutex_owned(p->p_lock)")
		p.NLWPWait++ // :363
		l.Ghost |= model.GhostWait
		l.WaitingFor = f.A // :364
		f.PC = 1
	case 1: // for (;;) :368
		if p.SFlag&model.PS_WCORE != 0 {
			// Dumping core: suspend in lwp_userret until the deed is done. :375-382
			k.Exit(k.PLock(), 376)
			k.Call(f, 9, nb.FnLwpUserret, 0, 0, 0)
			return
		}
		f.PC = 10
	case 10: // while ((l2 = p->p_zomblwp) != NULL) :388
		if z := p.ZombLWP; z != 0 {
			p.ZombLWP = 0                         // :389
			k.Call(f, 2, nb.FnLwpFree, z-1, 0, 0) // :390, releases p_lock
			return
		}
		lwpWaitScan(k, f, me)
	case 2:
		if !k.Enter(k.PLock(), 391, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 10
	case 4: // collected: lwp_free released p_lock
		if !k.Enter(k.PLock(), 459, "mutex_enter(p->p_lock)") {
			return
		}
		k.Return(0) // :460
	case 5: // back from cv_wait_sig (:499) or cv_wait (:476)
		if f.B&nb.WaitExiting == 0 && f.Ret != 0 {
			f.C, f.PC = f.Ret, 6 // :499-500
			return
		}
		f.PC = 1 // continue
	case 6: // bail out :511-524
		if f.A != 0 {
			for _, x := range p.Lwps[:p.NList] {
				if l2 := k.L(int(x) - 1); l2.Lid == f.A {
					if l2.Waiter == l.Lid {
						l2.Waiter = 0 // :515
					}
					break
				}
			}
		}
		p.NLWPWait-- // :520
		l.Ghost &^= model.GhostWait
		l.WaitingFor = 0                        // :521
		k.Call(f, 7, nb.FnCvBroadcast, 0, 0, 0) // :522
	case 7:
		k.Return(f.C) // :524
	case 8:
		k.Call(f, 4, nb.FnLwpFree, f.C, 0, 0) // :458, releases p_lock
	case 9:
		k.Assert(false, 379, "panic(\"lwp_wait1\"): lwp_userret returned")
	}
}

// lwpWaitScan is the body of lwp_wait1's loop after the zombie drain,
// kern_lwp.c@1.101.2.1:399-500, under p_lock: it walks every LWP of the
// process, even for a specific lid.
func lwpWaitScan(k *model.K, f *model.Frame, me int) {
	s := k.S
	p := k.P()
	lid, exiting := f.A, f.B&nb.WaitExiting != 0
	curlid := s.LWPs[me].Lid
	bail := func(e model.Errno) { f.C, f.PC = uint8(e), 6 }
	nfound := 0
	for _, x := range p.Lwps[:p.NList] { // LIST_FOREACH :401
		l2 := int(x) - 1
		t := k.L(l2)
		if t.Lid == lid && t.WaitingFor == curlid {
			bail(model.EDEADLK) // :411-413
			return
		}
		if l2 == me {
			continue // :415-416
		}
		if t.PRFlag&model.LPR_DETACHED != 0 {
			if exiting {
				nfound++ // :418
			}
			continue
		}
		if lid != 0 {
			if t.Lid != lid {
				continue // :422-423
			}
			if t.Waiter == 0 {
				t.Waiter = curlid // :428-429
			}
		} else if t.Waiter != 0 {
			nfound++ // :437
			continue
		}
		nfound++ // :440
		if t.Stat != model.LSZOMB {
			continue // :443-444
		}
		// Collect it. :450-458
		s.LWPs[me].WaitingFor = 0
		t.Waiter = 0
		p.NLWPWait--
		s.LWPs[me].Ghost &^= model.GhostWait
		if f.B&nb.WaitDeparted != 0 {
			s.LWPs[me].Value = t.Lid // *departed = l2->l_lid :454
		}
		f.C = uint8(l2)
		if !k.M.Kernel.Has(nb.FnSchedLwpCollect) {
			f.PC = 8 // a revision without it frees the LWP at once
			return
		}
		k.Call(f, 8, nb.FnSchedLwpCollect, 0, 0, 0) // :455
		return
	}
	if nfound == 0 {
		bail(model.ESRCH) // :465-467
		return
	}
	if exiting {
		k.Assert(p.NLWPs > 1, 475, "p->p_nlwps > 1")
		k.Call(f, 5, nb.FnCvWait, nb.CvWaitPlain, 0, 0) // :476
		return
	}
	if p.SFlag&model.PS_WEXIT != 0 || int(p.NRLWPs)+int(p.NZLWPs)-int(p.NDLWPs) <= int(p.NLWPWait) {
		bail(model.EDEADLK) // :488-491
		return
	}
	k.Call(f, 5, nb.FnCvWait, nb.CvWaitSig, 0, 0) // :499
}

// lwpUserret mirrors lwp_userret, kern_lwp.c@1.101.2.1:1306: while a
// LW_USERRET flag is set, handle signals, then suspension, then exit,
// each test an unlocked read of l_flag of its own.
func lwpUserret(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.L(me)
	p := k.P()
	switch f.PC {
	case 0:
		if l.Stat != model.LSONPROC {
			k.Bug("lwp_userret entered by an LWP not LSONPROC")
		}
		if !k.Cut(1324, "while (l->l_flag & LW_USERRET) (unlocked)") {
			return
		}
		switch {
		case l.Flag&k.M.Kernel.Userret == 0:
			k.Return(0)
		case l.Flag&(model.FlagPENDSIG|model.FlagWCORE|model.FlagWEXIT) == model.FlagPENDSIG:
			f.PC = 1 // :1330-1331
		default:
			f.PC = 2
		}
	case 1:
		if !k.Enter(k.PLock(), 1332, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 11
	case 11: // while ((sig = issignal(l)) != 0) postsig(sig); :1333-1334
		k.Call(f, 12, nb.FnIssignal, 0, 0, 0)
	case 12:
		if f.Ret != 0 {
			k.Call(f, 11, nb.FnPostsig, f.Ret, 0, 0)
			return
		}
		k.Exit(k.PLock(), 1335)
		f.PC = 2
	case 2:
		if !k.Cut(1348, "l->l_flag & LW_WSUSPEND (unlocked)") {
			return
		}
		f.PC = 5
		if l.Flag&model.FlagWSUSPEND != 0 {
			f.PC = 3
		}
	case 3:
		if !k.Enter(k.PLock(), 1349, "mutex_enter(p->p_lock)") {
			return
		}
		p.NRLWPs--                               // :1350
		k.Call(f, 31, nb.FnCvBroadcast, 0, 0, 0) // :1351
	case 31:
		nb.LwpLockCall(k, f, 32, me) // :1352
	case 32:
		k.SetStat(me, model.LSSUSPENDED, 1353)
		if nb.HooksOf(k).SuspendStaysLocked {
			k.Exit(k.PLock(), 1355)
			k.Call(f, 5, nb.FnMiSwitch, 0, 0, 0) // still locked
			return
		}
		nb.LwpUnlock(k, me, 1354)
		k.Exit(k.PLock(), 1355)
		nb.LwpLockCall(k, f, 33, me) // :1356
	case 33:
		k.Call(f, 5, nb.FnMiSwitch, 0, 0, 0) // :1357
	case 5:
		if !k.Cut(1361, "l->l_flag & LW_WEXIT (unlocked)") {
			return
		}
		if l.Flag&model.FlagWEXIT != 0 {
			k.Call(f, 20, nb.FnLwpExit, uint8(me), 0, 0) // :1362
			return
		}
		f.PC = 0 // LW_WUSERRET is never set: no emulation hook is modelled
	case 20:
		k.Assert(false, 1363, "KASSERT(0): lwp_exit returned")
	}
}

// lwpDrainrefs mirrors lwp_drainrefs, kern_lwp.c@1.101.2.1:1432: drop the
// LWP's own reference and wait while others hold one. No modelled path
// takes another, so it never waits.
func lwpDrainrefs(k *model.K, f *model.Frame) {
	l := k.L(int(f.A))
	switch f.PC {
	case 0:
		k.At(1439, "l->l_refcnt--")
		k.Assert(k.Owned(k.PLock()), 1436, "mutex_owned(p->p_lock)")
		k.Assert(l.RefCnt != 0, 1437, "l->l_refcnt != 0")
		l.RefCnt-- // :1439
		f.PC = 1
	case 1:
		if l.RefCnt != 0 {
			k.Call(f, 1, nb.FnCvWait, nb.CvWaitPlain, 0, 0) // :1440-1441
			return
		}
		k.Return(0)
	}
}

// lwpFind mirrors lwp_find, kern_lwp.c@1.101.2.1:1137: the LWP of the
// process with lid on p_lwps, unless it is LSIDL or LSZOMB; -1 if none.
func lwpFind(k *model.K, lid uint8) int {
	defer k.In(k.In(nb.FnLwpFind))
	k.Assert(k.Owned(k.PLock()), 1141, "mutex_owned(p->p_lock)")
	p := k.P()
	for _, x := range p.Lwps[:p.NList] { // LIST_FOREACH :1143-1146
		if l := k.L(int(x) - 1); l.Lid == lid {
			if l.Stat == model.LSIDL || l.Stat == model.LSZOMB {
				return -1 // :1152-1153
			}
			return int(x) - 1
		}
	}
	return -1
}

// lwpNeedUserret mirrors lwp_need_userret, kern_lwp.c@1.101.2.1:1383. The
// AST it posts is the model's trap, possible while a LW_USERRET flag is
// set.
func lwpNeedUserret(k *model.K, slot int) {
	defer k.In(k.In(nb.FnLwpNeedUserret))
	k.Assert(k.Owned(k.S.LWPs[slot].Mutex), 1385, "lwp_locked(l, NULL)")
}

// lwpMigrate mirrors lwp_migrate, kern_lwp.c@1.101.2.1:1063, with the LWP
// locked by the caller; unlocks it. i: the LWP; tci: the target CPU.
func lwpMigrate(k *model.K, i, tci int) {
	l := k.L(i)
	defer k.In(k.In(nb.FnLwpMigrate))
	k.At(1063, "lwp_migrate(l, ci)")
	k.Assert(k.Owned(l.Mutex), 1066, "lwp_locked(l, NULL)")
	if int(l.CPU) == tci {
		nb.LwpUnlock(k, i, 1069)
		return
	}
	switch l.Stat {
	case model.LSRUN:
		l.TargetCPU = uint8(tci + 1) // :1077 (the LWP is in memory)
	case model.LSIDL:
		l.CPU = uint8(tci) // :1081
		old := l.Mutex
		k.SetLock(i, k.SpcMutex(tci), 1082) // lwp_unlock_to
		k.Exit(old, 1082)
		return
	case model.LSSLEEP:
		l.CPU = uint8(tci) // :1086
	case model.LSSTOP, model.LSSUSPENDED, model.LSONPROC:
		if l.Stat != model.LSONPROC && l.WChan != model.WChanNone {
			l.CPU = uint8(tci) // :1091
			break
		}
		l.TargetCPU = uint8(tci + 1) // :1095
	}
	nb.LwpUnlock(k, i, 1098)
}
