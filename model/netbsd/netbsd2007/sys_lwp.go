package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// The system calls of sys_lwp.c 1.16 (seed 000) whose C differs from
// sys_lwp.c 1.43.4.1's; the others are netbsd-5's (or netbsd-2025's),
// placed at their lines here (rev.go). 1.16 predates the per-CPU
// scheduler of kern_lwp.c 1.73: its global sched_mutex (:126) is the
// scheduler lock every CPU's spc_mutex points to under SCHED_4BSD, and
// setrunqueue (:129) is sched_enqueue.

// sysLwpCreate mirrors sys__lwp_create, sys_lwp.c@1.16:79: it creates the
// LWP, sets it running, stopped or suspended, and only then copies the
// lid out. An LWP created stopped or suspended stays on the scheduler
// lock newlwp gave it. A copyout that faults (`badptr`) returns EFAULT
// with the LWP already set going, its lid unknown to the program. A: the
// new LWP.
func sysLwpCreate(k *model.K, f *model.Frame) {
	op := k.Op()
	switch f.PC {
	case 0:
		k.At(109, "sys__lwp_create: newlwp(...)")
		var detached uint8
		if op.Detached {
			detached = 1
		}
		k.Call(f, 1, nb.FnLwpCreate, detached, op.Target, 0) // :109-111, the result unchecked
	case 1:
		f.A = f.Ret
		if !k.Enter(k.PLock(), 118, "mutex_enter(&p->p_smutex)") {
			return
		}
		nb.LwpLockCall(k, f, 2, int(f.A)) // :119
	case 2:
		i := int(f.A)
		l2 := k.L(i)
		p := k.P()
		switch {
		case op.Suspended || k.Self().Flag&(model.FlagWREBOOT|model.FlagWSUSPEND|model.FlagWEXIT) != 0:
			k.SetStat(i, model.LSSUSPENDED, 132)
		case p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0:
			k.SetStat(i, model.LSSTOP, 124)
		default:
			k.Assert(l2.Mutex == k.SpcMutex(int(l2.CPU)), 126, "lwp_locked(l2, &sched_mutex)")
			p.NRLWPs++ // :127
			k.SetStat(i, model.LSRUN, 128)
			k.RunqAppend(int(l2.CPU), i) // setrunqueue :129
		}
		nb.LwpUnlock(k, i, 133)
		k.Exit(k.PLock(), 134)
		if op.BadPtr {
			k.Return(uint8(model.EFAULT)) // copyout faults :136-138
			return
		}
		k.S.NameLid[op.Target] = l2.Lid // lid = l2->l_lid :120, copied out :136
		k.Self().Value = l2.Lid
		k.Return(uint8(model.OK)) // :140
	}
}

// sysLwpSuspend mirrors sys__lwp_suspend, sys_lwp.c@1.16:179: it sets the
// target suspending and returns at once, without waiting for it to stop
// (sys_lwp.c 1.43.4.1 waits). A: the target.
func sysLwpSuspend(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 188, "mutex_enter(&p->p_smutex)") {
			return
		}
		t := nb.HooksOf(k).LwpFind(k, nb.LidOf(k, k.Op().Target)) // :189
		if t < 0 {
			k.Exit(k.PLock(), 190)
			k.Return(uint8(model.ESRCH)) // :191
			return
		}
		f.A = uint8(t)
		nb.LwpLockCall(k, f, 1, t) // :201
	case 1:
		t := int(f.A)
		if (t == me && p.NRLWPs == 1) || k.Self().Flag&(model.FlagWCORE|model.FlagWEXIT) != 0 {
			nb.LwpUnlock(k, t, 204)
			k.Exit(k.PLock(), 205)
			k.Return(uint8(model.EDEADLK)) // :206
			return
		}
		k.Call(f, 2, nb.FnLwpSuspend, f.A, 0, 0) // :215
	case 2:
		k.Exit(k.PLock(), 216)
		k.Return(f.Ret) // :218
	}
}

// sysLwpDetach mirrors sys__lwp_detach, sys_lwp.c@1.16:348: like
// 1.43.4.1's, but it wakes the waiters of p_lwpcv before freeing a
// detached zombie and after every other outcome, failures included
// (:389, :399).
func sysLwpDetach(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 361, "mutex_enter(&p->p_smutex)") {
			return
		}
		target := nb.LidOf(k, k.Op().Target)
		t := k.Cur // :363-364
		if k.Self().Lid != target {
			t = nb.ProcFindLwp(k, target) // LIST_FOREACH(t, &p->p_lwps) :370-372, zombies too
		}
		f.PC = 1
		switch {
		case t < 0 || k.S.LWPs[t].Stat == model.LSIDL:
			f.C = uint8(model.ESRCH) // :397
		case k.S.LWPs[t].PRFlag&model.LPR_DETACHED != 0:
			f.C = uint8(model.EINVAL) // :395
		default:
			p.NDLWPs++                          // :386
			k.L(t).PRFlag |= model.LPR_DETACHED // :387
			f.C = uint8(model.OK)               // :393
			if k.S.LWPs[t].Stat == model.LSZOMB {
				f.A = uint8(t)
				k.Call(f, 2, nb.FnCvBroadcast, 0, 0, 0) // :389
				return
			}
		}
		k.Call(f, 1, nb.FnCvBroadcast, 0, 0, 0) // :399
	case 1:
		k.Exit(k.PLock(), 400)
		k.Return(f.C) // :402
	case 2:
		k.Call(f, 3, nb.FnLwpFree, f.A, 0, 0) // :390, releases p_smutex
	case 3:
		k.Return(uint8(model.OK)) // :391
	}
}

// sysLwpPark mirrors sys__lwp_park, sys_lwp.c@1.16:417: with a deadline
// not yet passed (:432-445), or none, the LWP parks itself (:448-486, the
// body that later revisions call lwp_park).
func sysLwpPark(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		k.At(417, "sys__lwp_park")
		var timo uint8
		if k.Op().Timeout {
			timo = 1
		}
		k.Call(f, 1, nb.FnLwpPark, timo, 0, 0)
	case 1:
		k.Return(f.Ret)
	}
}
