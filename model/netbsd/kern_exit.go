package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// Routines of kern_exit.c. The newest stored revision is 1.285 (2020-03);
// where kern_lwp.c 1.270 changed the interface (lwp_thread_cleanup now
// releases p_lock), the model follows 1.270 and releases p_lock once, where
// 1.285 does.

// exit1 mirrors exit1, kern_exit.c@1.285:198, with p_lock held: make the
// other LWPs exit, tear the process down and become its zombie. A: the
// signal (0 for a normal exit).
func exit1(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0:
		k.At(198, "exit1(l, exitcode, signo)")
		k.Assert(k.Owned(k.PLock()), 215, "mutex_owned(p->p_lock)")
		p.SFlag |= model.PS_WEXIT // :222
		f.PC = 1
		if p.NLWPs > 1 {
			k.Call(f, 1, FnExitLwps, 0, 0, 0) // :228-229
		}
	case 1:
		// Bin remaining signals, mark the process dying. :268-271
		p.SigPend = 0
		for i := range k.S.LWPs {
			if int(k.S.LWPs[i].Proc) == k.Pid() {
				k.S.LWPs[i].SigPend = 0
			}
		}
		p.Stat = model.SDYING // :270
		p.ExitSig = f.A
		k.Exit(k.PLock(), 271)
		f.PC = 2
	case 2:
		if !k.Enter(model.LockProcList, 354, "mutex_enter(proc_lock)") {
			return
		}
		f.PC = 3
	case 3:
		if !k.Enter(k.PLock(), 556, "mutex_enter(p->p_lock)") {
			return
		}
		k.Call(f, 4, FnLwpDrainrefs, uint8(me), 0, 0) // :565
	case 4:
		LwpLockCall(k, f, 5, me) // :566
	case 5:
		k.Self().PRFlag &^= model.LPR_DETACHED // :567
		k.SetStat(me, model.LSZOMB, 568)
		LwpUnlock(k, me, 569)
		k.Assert(p.NRLWPs == 1, 571, "p->p_nrlwps == 1")
		k.Assert(p.NLWPs == 1, 572, "p->p_nlwps == 1")
		p.Stat = model.SZOMB // :573
		p.NRLWPs--           // :574
		p.NZLWPs++           // :575
		k.Self().Ghost |= model.GhostZomb
		p.NDLWPs = 0 // :576
		k.Exit(k.PLock(), 577)
		k.Exit(model.LockProcList, 585)
		// The process is gone. Its zombie switches away for good, which
		// matters only to the processes still running.
		LwpLockCall(k, f, 6, me) // :599
	case 6:
		if !k.Enter(k.SpcMutex(int(k.Self().CPU)), 600, "spc_lock(l->l_cpu)") {
			return
		}
		k.Call(f, 7, FnMiSwitch, 0, 0, 0) // :601
	case 7:
		k.Assert(false, 602, "panic(\"exit1\")")
	}
}

// exitLwps mirrors exit_lwps, kern_exit.c@1.285:606, with p_lock held: set
// LW_WEXIT on every other LWP, wake those that sleep interruptibly, are
// suspended or stopped, and collect them all. C: loop index.
func exitLwps(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0: // retry:
		k.At(606, "exit_lwps(l)")
		k.Assert(k.Owned(k.PLock()), 612, "mutex_owned(p->p_lock)")
		f.C, f.PC = 0, 1
	case 1: // LIST_FOREACH(l2, &p->p_lwps) :618
		if f.C >= p.NList {
			f.PC = 4
			return
		}
		if int(p.Lwps[f.C])-1 == me {
			f.C++ // :619-620
			return
		}
		LwpLockCall(k, f, 2, int(p.Lwps[f.C])-1) // :621
	case 2:
		i := int(p.Lwps[f.C]) - 1
		l2 := k.L(i)
		l2.Flag |= model.FlagWEXIT // :622
		if (l2.Stat == model.LSSLEEP && l2.Flag&model.FlagSINTR != 0) ||
			l2.Stat == model.LSSUSPENDED || l2.Stat == model.LSSTOP {
			l2.Flag &^= model.FlagDBGSUSPEND            // :625
			k.Call(f, 3, FnSetrunnable, uint8(i), 0, 0) // :627
			return
		}
		hooks(k).LwpNeedUserret(k, i) // :630
		LwpUnlock(k, i, 631)
		f.C++
		f.PC = 1
	case 3:
		f.C++
		f.PC = 1
	case 4: // while (p->p_nlwps > 1) :639
		if p.NLWPs <= 1 {
			k.Assert(p.NLWPs == 1, 645, "p->p_nlwps == 1")
			k.Return(0)
			return
		}
		k.Call(f, 5, FnLwpWait, 0, WaitExiting, 0) // :640
	case 5:
		if f.Ret != 0 {
			f.PC = 0 // goto retry :641
			return
		}
		f.PC = 4
	}
}
