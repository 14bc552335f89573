package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// The system calls of sys_lwp.c 1.43.4.1 (seed 001) whose C differs from
// sys_lwp.c 1.84's; the others are netbsd-2025's, placed at their lines
// here (rev.go). The kernel is built without options KERN_SA, so the
// #ifdef KERN_SA blocks (:90-97, :208-213) are compiled out.

// sysLwpCreate mirrors sys__lwp_create, sys_lwp.c@1.43.4.1:75: it creates
// the LWP, copies its lid out, and only then sets it running, stopped or
// suspended itself (there is no lwp_start). The ucontext is valid and the
// uarea never runs out in the model; `badptr` makes the copyout fault. A:
// the new LWP.
func sysLwpCreate(k *model.K, f *model.Frame) {
	op := k.Op()
	switch f.PC {
	case 0:
		k.At(115, "sys__lwp_create")
		var detached uint8
		if op.Detached {
			detached = 1
		}
		k.Call(f, 1, nb.FnLwpCreate, detached, op.Target, 0) // :115-116
	case 1:
		f.A = f.Ret
		if op.BadPtr {
			// copyout(&lid, new_lwp) faults :124-125: the unstarted LSIDL
			// LWP exits where it stands.
			k.Call(f, 3, nb.FnLwpExit, f.A, 0, 0) // :126
			return
		}
		l2 := &k.S.LWPs[f.A]
		k.S.NameLid[op.Target] = l2.Lid // the program learns the lid :123-124
		k.Self().Value = l2.Lid
		f.PC = 2
	case 2:
		if !k.Enter(k.PLock(), 136, "mutex_enter(p->p_lock)") {
			return
		}
		nb.LwpLockCall(k, f, 4, int(f.A)) // :137
	case 4:
		i := int(f.A)
		l2 := k.L(i)
		p := k.P()
		c := int(l2.CPU) // spc = &l2->l_cpu->ci_schedstate :138
		self := k.Self().Flag
		switch {
		case op.Suspended || self&(model.FlagWREBOOT|model.FlagWSUSPEND|model.FlagWEXIT) != 0:
			k.SetStat(i, model.LSSUSPENDED, 153)
			old := l2.Mutex
			k.SetLock(i, model.SpcLwplock(c), 154) // lwp_unlock_to(l2, spc->spc_lwplock)
			k.Exit(old, 154)
		case p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0:
			k.Assert(l2.WChan == model.WChanNone, 142, "l2->l_wchan == NULL")
			k.SetStat(i, model.LSSTOP, 143)
			old := l2.Mutex
			k.SetLock(i, model.SpcLwplock(c), 144) // lwp_unlock_to(l2, spc->spc_lwplock)
			k.Exit(old, 144)
		default:
			k.Assert(l2.Mutex == k.SpcMutex(c), 146, "lwp_locked(l2, spc->spc_mutex)")
			p.NRLWPs++ // :147
			k.SetStat(i, model.LSRUN, 148)
			k.RunqAppend(c, i) // sched_enqueue :149
			nb.LwpUnlock(k, i, 150)
		}
		k.Exit(k.PLock(), 156)
		k.Return(uint8(model.OK)) // :158
	case 3:
		k.Return(uint8(model.EFAULT)) // :128
	}
}

// lwpUnpark mirrors lwp_unpark, sys_lwp.c@1.43.4.1:474, for the op's one
// target: remove it from the park sleep queue if it is there, else mark
// it unparked under p_lock. B: the target's slot while it is locked.
func lwpUnpark(k *model.K, f *model.Frame) {
	lid := nb.LidOf(k, nb.UnparkTargets(k.Op())[0])
	switch f.PC {
	case 0:
		k.At(487, "lwp_unpark(target, hint)")
		if !k.Enter(k.ParkqLock(), 489, "sq = sleeptab_lookup(&lwp_park_tab, wchan, &mp)") {
			return
		}
		if t := parked(k, lid); t >= 0 {
			k.Call(f, 1, nb.FnSleepqRemove, uint8(t), 0, 0) // :496
			return
		}
		k.Exit(k.ParkqLock(), 507)
		f.PC = 2
	case 1:
		k.Exit(k.ParkqLock(), 497)
		k.Return(0) // :500
	case 2:
		if !k.Enter(k.PLock(), 509, "mutex_enter(p->p_lock)") {
			return
		}
		t := lwpFind(k, lid) // :510
		if t < 0 {
			k.Exit(k.PLock(), 511)
			k.Return(uint8(model.ESRCH)) // :512
			return
		}
		f.B = uint8(t)
		nb.LwpLockCall(k, f, 3, t) // :519
	case 3:
		t := int(f.B)
		if k.L(t).SyncObj == model.SObjPark {
			k.Call(f, 4, nb.FnLwpUnsleep, uint8(t), 1, 0) // :522
			return
		}
		k.L(t).Flag |= model.FlagUNPARKED // :528, its next park returns at once
		nb.LwpUnlock(k, t, 529)
		f.PC = 4
	case 4:
		k.Exit(k.PLock(), 532)
		k.Return(0) // :533
	}
}

// parked returns the slot of the LWP of the process with lid on the park
// sleep queue (TAILQ_FOREACH, sys_lwp.c@1.43.4.1:491-493), or -1.
func parked(k *model.K, lid uint8) int {
	p := k.P()
	for _, x := range p.Pq[:p.NPq] {
		if k.L(int(x)-1).Lid == lid {
			return int(x) - 1
		}
	}
	return -1
}

// lwpPark mirrors lwp_park, sys_lwp.c@1.43.4.1:537: lock the park sleep
// queue, then the LWP; return at once if an unpark or wakeup is pending;
// else sleep on the queue. A: 1 with a timeout (a deadline not yet
// passed).
func lwpPark(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.Self()
	switch f.PC {
	case 0:
		if !k.Enter(k.ParkqLock(), 562, "sq = sleeptab_lookup(&lwp_park_tab, wchan, &mp)") {
			return
		}
		nb.LwpLockCall(k, f, 1, me) // :568
	case 1:
		if l.Flag&(model.FlagCANCELLED|model.FlagUNPARKED) != 0 {
			l.Flag &^= model.FlagCANCELLED | model.FlagUNPARKED // :570
			nb.LwpUnlock(k, me, 571)
			k.Exit(k.ParkqLock(), 572)
			k.Return(uint8(model.EALREADY)) // :573
			return
		}
		old := l.Mutex
		k.SetLock(me, k.ParkqLock(), 575) // lwp_unlock_to(l, mp)
		k.Exit(old, 575)
		sleepqEnqueue(k, model.WChanParkq, model.SObjPark) // :577
		flags := uint8(nb.BlockCatch)
		if f.A != 0 {
			flags |= nb.BlockTimo
		}
		k.Call(f, 2, nb.FnSleepqBlock, flags, 0, 0) // :578
	case 2:
		k.Return(nb.ParkError(f.Ret)) // :580-585
	}
}

// sysLwpPark mirrors sys__lwp_park, sys_lwp.c@1.43.4.1:599.
func sysLwpPark(k *model.K, f *model.Frame) {
	op := k.Op()
	switch f.PC {
	case 0:
		k.At(619, "sys__lwp_park")
		if op.Unpark != 0 {
			k.Call(f, 1, nb.FnLwpUnpark, 0, 0, 0) // :620
			return
		}
		f.PC = 2
	case 1:
		if f.Ret != 0 {
			k.Return(f.Ret) // :621-622
			return
		}
		f.PC = 2
	case 2:
		var timo uint8
		if op.Timeout {
			timo = 1
		}
		k.Call(f, 3, nb.FnLwpPark, timo, 0, 0) // :625
	case 3:
		k.Return(f.Ret)
	}
}

// sysLwpUnpark mirrors sys__lwp_unpark, sys_lwp.c@1.43.4.1:629.
func sysLwpUnpark(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(636, "lwp_unpark(target, hint)")
		k.Call(f, 1, nb.FnLwpUnpark, 0, 0, 0)
	case 1:
		k.Return(f.Ret)
	}
}

// sysLwpUnparkAll mirrors sys__lwp_unpark_all, sys_lwp.c@1.43.4.1:640:
// with the park sleep queue locked, wake each target found on it; for one
// that is not, drop the queue's lock and mark it unparked under p_lock. A
// target that no LWP has is skipped; the call returns 0. A: index of the
// target; B: its slot while it is locked.
func sysLwpUnparkAll(k *model.K, f *model.Frame) {
	targets := k.Op().Targets
	switch f.PC {
	case 0:
		k.At(692, "sys__lwp_unpark_all")
		if !k.Enter(k.ParkqLock(), 693, "sq = sleeptab_lookup(&lwp_park_tab, wchan, &mp)") {
			return
		}
		f.A, f.PC = 0, 1
	case 1: // for (tpp = tp; tpp < tmax; tpp++) :695
		if int(f.A) >= len(targets) {
			k.Exit(k.ParkqLock(), 744)
			k.Return(0) // :750
			return
		}
		lid := nb.LidOf(k, targets[f.A])
		if t := parked(k, lid); t >= 0 {
			f.A++
			k.Call(f, 1, nb.FnSleepqRemove, uint8(t), 0, 0) // :707
			return
		}
		k.Exit(k.ParkqLock(), 715)
		f.PC = 2
	case 2:
		if !k.Enter(k.PLock(), 716, "mutex_enter(p->p_lock)") {
			return
		}
		t := lwpFind(k, nb.LidOf(k, targets[f.A])) // :717
		if t < 0 {
			k.Exit(k.PLock(), 718)
			f.PC = 6
			return
		}
		f.B = uint8(t)
		nb.LwpLockCall(k, f, 3, t) // :722
	case 3:
		t := int(f.B)
		if k.L(t).SyncObj == model.SObjPark {
			k.Call(f, 4, nb.FnLwpUnsleep, uint8(t), 1, 0) // :730
			return
		}
		k.L(t).Flag |= model.FlagUNPARKED // :736
		nb.LwpUnlock(k, t, 737)
		f.PC = 4
	case 4:
		k.Exit(k.PLock(), 740)
		f.PC = 5
	case 5, 6:
		line := 741
		if f.PC == 6 {
			line = 719
		}
		if !k.Enter(k.ParkqLock(), line, "mutex_spin_enter(mp)") {
			return
		}
		f.A++
		f.PC = 1
	}
}

// sysLwpCtl mirrors sys__lwp_ctl, sys_lwp.c@1.43.4.1:836, with
// lwp_ctl_alloc, kern_lwp.c@1.101.2.1:1533: an LWP that has its lwpctl
// area already gets EINVAL (:1546-1549, netbsd-2025 returns it again with
// 0); the first call in a process allocates the process's header under
// p_lock; the page allocation under lp_lock touches nothing else the
// model tracks.
func sysLwpCtl(k *model.K, f *model.Frame) {
	l := k.Self()
	switch f.PC {
	case 0:
		k.At(849, "lwp_ctl_alloc(&vaddr)")
		k.In(nb.FnLwpCtlAlloc)
		if l.Ctl != 0 {
			k.Return(uint8(model.EINVAL)) // :1549
			return
		}
		f.PC = 1
	case 1:
		k.In(nb.FnLwpCtlAlloc)
		if !k.Cut(1553, "(lp = p->p_lwpctl) == NULL (unlocked)") {
			return
		}
		f.PC = 3
		if k.P().LwpCtl == 0 {
			f.PC = 2
		}
	case 2:
		k.In(nb.FnLwpCtlAlloc)
		if !k.Enter(k.PLock(), 1558, "mutex_enter(p->p_lock)") {
			return
		}
		line := 1563
		if k.P().LwpCtl == 0 {
			k.P().LwpCtl = 1 // :1560
			line = 1561
		}
		k.Exit(k.PLock(), line)
		f.PC = 3
	case 3:
		l.Ctl = 1 // l->l_lwpctl :1653, under lp_lock
		k.Return(uint8(model.OK))
	}
}
