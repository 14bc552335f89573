package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_exit.c 1.202.4.1 (2008-05-18).

// exit1 mirrors exit1, kern_exit.c@1.202.4.1:189, with p_lock held: make
// the other LWPs exit, tear the process down and become its zombie. A:
// the signal (0 for a normal exit). PS_STOPEXIT (:219) is never set in the
// model.
func exit1(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0:
		k.At(189, "exit1(l, rv)")
		k.Assert(k.Owned(k.PLock()), 199, "mutex_owned(p->p_lock)")
		p.SFlag |= model.PS_WEXIT // :205
		f.PC = 1
		if p.NLWPs > 1 {
			k.Call(f, 1, nb.FnExitLwps, 0, 0, 0) // :211-212
		}
	case 1:
		k.Exit(k.PLock(), 232)
		f.PC = 2
	case 2:
		if !k.Enter(k.PLock(), 251, "mutex_enter(p->p_lock)") {
			return
		}
		// Bin remaining signals, mark the process dying. :252-254
		p.SigPend = 0
		for i := range k.S.LWPs {
			if int(k.S.LWPs[i].Proc) == k.Pid() {
				k.S.LWPs[i].SigPend = 0
			}
		}
		p.Stat = model.SDYING // :254
		p.ExitSig = f.A
		k.Exit(k.PLock(), 255)
		f.PC = 3
	case 3:
		if !k.Enter(model.LockProcList, 336, "mutex_enter(proc_lock)") {
			return
		}
		f.PC = 4
	case 4:
		if !k.Enter(k.PLock(), 337, "mutex_enter(p->p_lock)") {
			return
		}
		k.Exit(k.PLock(), 342) // PS_PPWAIT :338-341: no parent waits in vfork
		f.PC = 5
	case 5:
		if !k.Enter(k.PLock(), 536, "mutex_enter(p->p_lock)") {
			return
		}
		k.Call(f, 6, nb.FnLwpDrainrefs, uint8(me), 0, 0) // :537
	case 6:
		nb.LwpLockCall(k, f, 7, me) // :538
	case 7:
		k.Self().PRFlag &^= model.LPR_DETACHED // :539
		k.SetStat(me, model.LSZOMB, 540)
		nb.LwpUnlock(k, me, 541)
		k.Assert(p.NRLWPs == 1, 543, "p->p_nrlwps == 1")
		k.Assert(p.NLWPs == 1, 544, "p->p_nlwps == 1")
		p.Stat = model.SZOMB // :545
		p.NRLWPs--           // :546
		p.NZLWPs++           // :547
		k.Self().Ghost |= model.GhostZomb
		p.NDLWPs = 0 // :548
		k.Exit(k.PLock(), 549)
		k.Exit(model.LockProcList, 556)
		// The process is gone. Its zombie switches away for good, which
		// matters only to the processes still running.
		k.Call(f, 8, nb.FnLwpExitSwitchaway, uint8(me), 0, 0) // :588
	case 8:
		k.Assert(false, 589, "exit1 returned")
	}
}

// exitLwps mirrors exit_lwps, kern_exit.c@1.202.4.1:592, with p_lock held:
// set LW_WEXIT on every other LWP, wake those that sleep interruptibly,
// are suspended or stopped, and collect them all with lwp_wait1 in its
// exiting mode, which waits without a timeout. Only EDEADLK makes it scan
// again. C: loop index.
func exitLwps(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0: // retry: :607
		k.At(607, "exit_lwps(l): retry")
		k.Assert(k.Owned(k.PLock()), 605, "mutex_owned(p->p_lock)")
		f.C, f.PC = 0, 1
	case 1: // LIST_FOREACH(l2, &p->p_lwps) :612
		if f.C >= p.NList {
			f.PC = 4
			return
		}
		if int(p.Lwps[f.C])-1 == me {
			f.C++ // :613-614
			return
		}
		nb.LwpLockCall(k, f, 2, int(p.Lwps[f.C])-1) // :615
	case 2:
		i := int(p.Lwps[f.C]) - 1
		l2 := k.L(i)
		l2.Flag |= model.FlagWEXIT // :616
		if (l2.Stat == model.LSSLEEP && l2.Flag&model.FlagSINTR != 0) ||
			l2.Stat == model.LSSUSPENDED || l2.Stat == model.LSSTOP {
			k.Call(f, 3, nb.FnSetrunnable, uint8(i), 0, 0) // :620
			return
		}
		nb.LwpUnlock(k, i, 625)
		f.C++
		f.PC = 1
	case 3:
		f.C++
		f.PC = 1
	case 4: // while (p->p_nlwps > 1) :627
		if p.NLWPs <= 1 {
			k.Assert(p.NLWPs == 1, 654, "p->p_nlwps == 1")
			k.Return(0)
			return
		}
		k.Call(f, 5, nb.FnLwpWait, 0, nb.WaitExiting|nb.WaitDeparted, 0) // :630
	case 5:
		switch {
		case p.NLWPs == 1, model.Errno(f.Ret) == model.OK:
			f.PC = 4 // break :631-632, or wait again
		case model.Errno(f.Ret) == model.EDEADLK:
			f.PC = 0 // goto retry :633-639
		default:
			k.Assert(false, 642, "panic(\"exit_lwps: lwp_wait1 failed with error %d\")")
		}
	}
}
