package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// The system calls of sys_lwp.c 1.84. Each returns its errno; values
// returned to the program (a lid) go in the LWP's Value.

// sysLwpCreate mirrors sys__lwp_create, sys_lwp.c@1.84:118. The ucontext
// is valid and the uarea and RLIMIT_NTHR never run out in the model (see
// the revision notes); `badptr` makes the copyout of the new lid fault.
// A: the new LWP.
func sysLwpCreate(k *model.K, f *model.Frame) {
	op := k.Op()
	switch f.PC {
	case 0:
		k.At(131, "sys__lwp_create")
		var detached uint8
		if op.Detached {
			detached = 1
		}
		k.Call(f, 1, FnLwpCreate, detached, op.Target, 0) // do_lwp_create :147, sys_lwp.c:107
	case 1:
		f.A = f.Ret
		l2 := &k.S.LWPs[f.A]
		if op.BadPtr {
			// copyout(&l2->l_lid) faults: the LWP is torn down unstarted. :152, :157
			k.Call(f, 3, FnLwpExit, f.A, 0, 0)
			return
		}
		k.S.NameLid[op.Target] = l2.Lid // the program learns the lid :152
		k.Self().Value = l2.Lid
		var suspended uint8
		if op.Suspended {
			suspended = 1
		}
		k.Call(f, 2, FnLwpStart, f.A, suspended, 0) // :154
	case 2:
		k.Return(uint8(model.OK)) // :155
	case 3:
		k.Return(uint8(model.EFAULT)) // :160
	}
}

// sysLwpExit mirrors sys__lwp_exit, sys_lwp.c@1.84:164.
func sysLwpExit(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.Call(f, 1, FnLwpExit, uint8(k.Cur), 0, 0) // :167
	case 1:
		k.Assert(false, 168, "lwp_exit returned")
	}
}

// sysLwpSelf mirrors sys__lwp_self, sys_lwp.c@1.84:172.
func sysLwpSelf(k *model.K, f *model.Frame) {
	k.At(175, "*retval = l->l_lid")
	k.Self().Value = k.Self().Lid
	k.Return(uint8(model.OK))
}

// sysLwpWait mirrors sys__lwp_wait, sys_lwp.c@1.84:338.
func sysLwpWait(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 349, "mutex_enter(p->p_lock)") {
			return
		}
		k.Call(f, 1, FnLwpWait, LidOf(k, k.Op().Target), WaitDeparted, 0) // :350
	case 1:
		k.Exit(k.PLock(), 351)
		k.Return(f.Ret) // copyout of the departed lid :353-355
	}
}

// sysLwpSuspend mirrors sys__lwp_suspend, sys_lwp.c@1.84:199. A: the
// target; B: its generation (the pointer is kept across sleeps); C: the
// error.
func sysLwpSuspend(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	lid := LidOf(k, k.Op().Target)
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 209, "mutex_enter(p->p_lock)") {
			return
		}
		t := hooks(k).LwpFind(k, lid) // :210
		if t < 0 {
			k.Exit(k.PLock(), 211)
			k.Return(uint8(model.ESRCH)) // :212
			return
		}
		f.A, f.B = uint8(t), k.S.LWPs[t].Gen
		LwpLockCall(k, f, 1, t) // :222
	case 1:
		t := int(f.A)
		if (t == me && p.NRLWPs == 1) || k.Self().Flag&(model.FlagWCORE|model.FlagWEXIT) != 0 {
			LwpUnlock(k, t, 225)
			k.Exit(k.PLock(), 226)
			k.Return(uint8(model.EDEADLK)) // :227
			return
		}
		k.Call(f, 2, FnLwpSuspend, f.A, 0, 0) // :236
	case 2:
		if f.Ret != 0 {
			k.Exit(k.PLock(), 238)
			k.Return(f.Ret) // :239
			return
		}
		f.PC = 3
	case 3: // for (;;) :249
		k.Call(f, 4, FnCvWait, CvWaitSig, 0, 0) // :250
	case 4:
		t := int(f.A)
		switch {
		case f.Ret != 0:
			f.C = uint8(model.ERESTART) // :252
		case hooks(k).LwpFind(k, lid) < 0:
			f.C = uint8(model.ESRCH) // :256
		default:
			if k.S.LWPs[t].Gen != f.B {
				// lwp_find found the lid again, but t was freed meanwhile
				// and its structure reused: the C code reads whatever
				// occupies it now.
				k.Report("stale-lwp", "sys__lwp_suspend reads t->l_flag and t->l_stat of a freed LWP")
			}
			tl := k.L(t)
			switch {
			case (k.Self().Flag|tl.Flag)&(model.FlagWCORE|model.FlagWEXIT) != 0:
				f.C = uint8(model.ERESTART) // :260
			case tl.Stat == model.LSSUSPENDED || tl.Flag&model.FlagWSUSPEND == 0:
				f.C = uint8(model.OK) // :263-265
			default:
				f.PC = 3
				return
			}
		}
		f.PC = 5
	case 5:
		k.Exit(k.PLock(), 267)
		k.Return(f.C)
	}
}

// findTarget runs the common prologue of the calls that look an LWP up:
// p_lock, lwp_find (in the same step), ESRCH. It returns the target or -1
// (having returned ESRCH), and false if the case must stop.
func findTarget(k *model.K, enterLine, errLine int) (int, bool) {
	if !k.Enter(k.PLock(), enterLine, "mutex_enter(p->p_lock)") {
		return -1, false
	}
	t := hooks(k).LwpFind(k, LidOf(k, k.Op().Target))
	if t < 0 {
		k.Exit(k.PLock(), errLine)
		k.Return(uint8(model.ESRCH))
	}
	return t, true
}

// sysLwpContinue mirrors sys__lwp_continue, sys_lwp.c@1.84:273. A: target.
func sysLwpContinue(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		t, ok := findTarget(k, 285, 287)
		if ok && t >= 0 {
			f.A = uint8(t)
			LwpLockCall(k, f, 1, t) // :291
		}
	case 1:
		k.Call(f, 2, FnLwpContinue, f.A, 0, 0) // :292
	case 2:
		k.Exit(k.PLock(), 293)
		k.Return(uint8(model.OK))
	}
}

// sysLwpWakeup mirrors sys__lwp_wakeup, sys_lwp.c@1.84:299. A: target; C:
// the error.
func sysLwpWakeup(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		t, ok := findTarget(k, 310, 313)
		if ok && t >= 0 {
			f.A = uint8(t)
			LwpLockCall(k, f, 1, t) // :317
		}
	case 1:
		t := int(f.A)
		tl := k.L(t)
		tl.Flag |= model.FlagCANCELLED | model.FlagUNPARKED // :318, even if it fails
		switch {
		case tl.Stat != model.LSSLEEP:
			LwpUnlock(k, t, 321)
			f.C = uint8(model.ENODEV) // :322
		case tl.Flag&model.FlagSINTR == 0:
			LwpUnlock(k, t, 324)
			f.C = uint8(model.EBUSY) // :325
		default:
			f.C = uint8(model.OK)
			k.Call(f, 2, FnLwpUnsleep, f.A, 1, 0) // :328
			return
		}
		f.PC = 2
	case 2:
		k.Exit(k.PLock(), 332)
		k.Return(f.C)
	}
}

// sysLwpDetach mirrors sys__lwp_detach, sys_lwp.c@1.84:397. C: the error.
func sysLwpDetach(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 411, "mutex_enter(p->p_lock)") {
			return
		}
		target := LidOf(k, k.Op().Target)
		t := k.Cur // :413-414
		if k.Self().Lid != target {
			t = ProcFindLwp(k, target) // :420 (zombies too)
		}
		f.PC = 1
		switch {
		case t < 0 || k.S.LWPs[t].Stat == model.LSIDL:
			f.C = uint8(model.ESRCH) // :452
		case k.S.LWPs[t].PRFlag&model.LPR_DETACHED != 0:
			f.C = uint8(model.EINVAL) // :450
		default:
			p.NDLWPs++                          // :435
			k.L(t).PRFlag |= model.LPR_DETACHED // :436
			if k.S.LWPs[t].Stat == model.LSZOMB {
				k.Call(f, 2, FnLwpFree, uint8(t), 0, 0) // :439, releases p_lock
				return
			}
			f.C = uint8(model.OK)
			k.Call(f, 1, FnCvBroadcast, 0, 0, 0) // :448
		}
	case 1:
		k.Exit(k.PLock(), 454)
		k.Return(f.C)
	case 2:
		k.Return(uint8(model.OK)) // :440
	}
}

// sysLwpKill mirrors sys__lwp_kill, sys_lwp.c@1.84:361. C: the error.
func sysLwpKill(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		if !k.Enter(model.LockProcList, 384, "mutex_enter(&proc_lock)") {
			return
		}
		f.PC = 1
	case 1:
		if !k.Enter(k.PLock(), 385, "mutex_enter(p->p_lock)") {
			return
		}
		lid := LidOf(k, k.Op().Target)
		f.PC = 2
		switch t := hooks(k).LwpFind(k, lid); {
		case t < 0:
			f.C = uint8(model.ESRCH) // :387
		case k.Op().Signal != 0:
			k.Call(f, 2, FnKpsignal2, k.Op().Signal, lid, 0) // :389
		}
	case 2:
		k.Exit(k.PLock(), 390)
		k.Exit(model.LockProcList, 391)
		k.Return(f.C)
	}
}

// UnparkTargets lists the LWP names an op unparks.
func UnparkTargets(op *model.Op) []uint8 {
	switch op.Kind {
	case model.OpPark:
		return []uint8{op.Unpark}
	case model.OpUnpark:
		return []uint8{op.Target}
	}
	return op.Targets
}

// lwpUnpark mirrors lwp_unpark, sys_lwp.c@1.84:460. A: index of the
// target; B: the target's slot while it is locked; C: the error.
func lwpUnpark(k *model.K, f *model.Frame) {
	targets := UnparkTargets(k.Op())
	switch f.PC {
	case 0: // for (target = 0; target < ntargets; target++) :471
		if int(f.A) >= len(targets) {
			k.Return(f.C) // :504
			return
		}
		k.At(472, "t = proc_find_lwp_unlocked(p, tp[target])")
		// The PID table is read without a lock; the LWP found is then locked.
		k.Unlocked()
		t := -1
		lid := LidOf(k, targets[f.A])
		for i := range k.S.LWPs {
			if l := &k.S.LWPs[i]; l.Name != 0 && l.PidSlot != 0 && l.Lid == lid && int(l.Proc) == k.Pid() {
				t = i
			}
		}
		if t < 0 {
			f.C = uint8(model.ESRCH) // :473-475
			f.A++
			return
		}
		f.B = uint8(t)
		LwpLockCall(k, f, 1, t)
	case 1:
		t := int(f.B)
		tl := k.L(t)
		lid := LidOf(k, targets[f.A])
		if tl.Stat == model.LSIDL || tl.Lid != lid {
			// proc_find_lwp_unlocked: embryonic, reaped or reused.
			LwpUnlock(k, t, 472)
			f.C = uint8(model.ESRCH)
			f.A, f.PC = f.A+1, 0
			return
		}
		k.Assert(k.Owned(tl.Mutex), 478, "lwp_locked(t, NULL)")
		switch {
		case tl.SyncObj == model.SObjPark:
			k.Call(f, 2, FnLwpUnsleep, uint8(t), 1, 0) // :485
			return
		case tl.Stat == model.LSZOMB:
			LwpUnlock(k, t, 487)
			f.C = uint8(model.ESRCH) // :488
		default:
			tl.Flag |= model.FlagUNPARKED // :498, its next park returns at once
			LwpUnlock(k, t, 499)
		}
		f.A, f.PC = f.A+1, 0
	case 2:
		f.A, f.PC = f.A+1, 0
	}
}

// sysLwpPark mirrors sys____lwp_park60, sys_lwp.c@1.84:561, and lwp_park
// (:508). A: 1 with a timeout.
func sysLwpPark(k *model.K, f *model.Frame) {
	op := k.Op()
	switch f.PC {
	case 0:
		k.At(575, "sys____lwp_park60")
		if op.Unpark != 0 {
			k.Call(f, 1, FnLwpUnpark, 0, 0, 0) // :584-585
			return
		}
		f.PC = 2
	case 1:
		if f.Ret != 0 {
			k.Return(f.Ret) // :586-587
			return
		}
		f.PC = 2
	case 2:
		var timo uint8
		if op.Timeout {
			timo = 1
		}
		k.Call(f, 3, FnLwpPark, timo, 0, 0) // :590
	case 3:
		k.Return(f.Ret) // :593
	}
}

// lwpPark mirrors lwp_park, sys_lwp.c@1.84:508. A: 1 with a timeout. The
// sleep queue routines are those of kern_sleepq.c 1.87 (no stored revision
// matches 1.84's calls exactly; the park path is the same).
func lwpPark(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.Self()
	switch f.PC {
	case 0:
		k.At(529, "lwp_park: lwp_lock(l)")
		LwpLockCall(k, f, 1, me) // :529
	case 1:
		if l.Flag&(model.FlagCANCELLED|model.FlagUNPARKED) != 0 {
			l.Flag &^= model.FlagCANCELLED | model.FlagUNPARKED // :531
			LwpUnlock(k, me, 532)
			k.Return(uint8(model.EALREADY)) // :533
			return
		}
		sleepqEnqueue(k, model.WChanPark, model.SObjPark, true) // :536
		flags := uint8(BlockCatch)
		if f.A != 0 {
			flags |= BlockTimo
		}
		k.Call(f, 2, FnSleepqBlock, flags, 0, 0) // :537
	case 2:
		k.Return(ParkError(f.Ret)) // :540, 545
	}
}

// ParkError is what lwp_park returns for sleepq_block's result: a timeout
// is ETIMEDOUT and a restart EINTR (sys_lwp.c@1.84:540, 545, and
// sys_lwp.c@1.43.4.1:580-585 before it).
func ParkError(e uint8) uint8 {
	switch model.Errno(e) {
	case model.EWOULDBLOCK:
		return uint8(model.ETIMEDOUT)
	case model.ERESTART:
		return uint8(model.EINTR)
	}
	return e
}

// sysLwpUnpark mirrors sys__lwp_unpark (sys_lwp.c@1.84:597) and
// sys__lwp_unpark_all (:609): lwp_unpark of the targets.
func sysLwpUnpark(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(605, "lwp_unpark(targets, ntargets)")
		k.Call(f, 1, FnLwpUnpark, 0, 0, 0)
	case 1:
		k.Return(f.Ret)
	}
}

// sysLwpSetname mirrors sys__lwp_setname, sys_lwp.c@1.84:657 (target 0
// means the caller; the name is valid). A: the target.
func sysLwpSetname(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		t, ok := findTarget(k, 686, 688)
		if ok && t >= 0 {
			f.A = uint8(t)
			LwpLockCall(k, f, 1, t) // :692
		}
	case 1:
		k.L(int(f.A)).Named = 1 // :694
		LwpUnlock(k, int(f.A), 695)
		k.Exit(k.PLock(), 696)
		k.Return(uint8(model.OK))
	}
}

// sysLwpGetname mirrors sys__lwp_getname, sys_lwp.c@1.84:705.
func sysLwpGetname(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		t, ok := findTarget(k, 723, 725)
		if ok && t >= 0 {
			f.A = uint8(t)
			LwpLockCall(k, f, 1, t) // :728
		}
	case 1:
		LwpUnlock(k, int(f.A), 733)
		k.Exit(k.PLock(), 734)
		k.Return(uint8(model.OK)) // copyoutstr :738
	}
}

// sysLwpCtl mirrors sys__lwp_ctl, sys_lwp.c@1.84:742, with lwp_ctl_alloc
// (kern_lwp.c@1.270:1925): the first call in a process allocates the
// process's lwpctl header under p_lock; the page allocation under lp_lock
// touches nothing else the model tracks.
func sysLwpCtl(k *model.K, f *model.Frame) {
	l := k.Self()
	p := k.P()
	switch f.PC {
	case 0:
		k.At(752, "sys__lwp_ctl")
		k.Unlocked() // p->p_lwpctl is tested before p_lock is taken (kern_lwp.c:1949)
		if l.Ctl != 0 || p.LwpCtl != 0 {
			f.PC = 1
			return
		}
		k.In(FnLwpCtlAlloc)
		if !k.Enter(k.PLock(), 1954, "mutex_enter(p->p_lock)") {
			return
		}
		k.P().LwpCtl = 1 // :1956
		k.Exit(k.PLock(), 1957)
		f.PC = 1
	case 1:
		l.Ctl = 1 // :2045-2047
		k.Return(uint8(model.OK))
	}
}
