package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// sleepq_block's flags (frame local A).
const (
	BlockTimo  = 1 // a timeout is armed (timo != 0)
	BlockCatch = 2 // catch_p: the sleep is interruptible
)

// sleepqEnqueue mirrors sleepq_enqueue, kern_sleepq.c@1.87:258: the
// current LWP, locked, goes to sleep on wchan. No lock is taken.
func sleepqEnqueue(k *model.K, wchan, sobj uint8, catch bool) {
	i := k.Cur
	l := k.L(i)
	defer k.In(k.In(FnSleepqEnqueue))
	k.Assert(k.Owned(l.Mutex), 263, "lwp_locked(l, NULL)")
	k.Assert(l.Stat == model.LSONPROC, 264, "l->l_stat == LSONPROC")
	k.Assert(l.WChan == model.WChanNone, 265, "l->l_wchan == NULL")
	k.Assert(l.Flag&model.FlagSINTR == 0, 267, "(l->l_flag & LW_SINTR) == 0")
	l.SyncObj, l.WChan = sobj, wchan // :269-270
	k.SetStat(i, model.LSSLEEP, 274)
	if catch {
		l.Flag |= model.FlagSINTR // :276
	}
	if sobj != model.SObjPark {
		k.CvAppend(i) // sleepq_insert :278, sorted by priority: FIFO among equals
	}
}

// sleepqBlock mirrors sleepq_block, kern_sleepq.c@1.87:344. The LWP is
// locked (by the sleep queue's lock, or spc_lwplock for a park) and on its
// sleep queue. A: BlockTimo|BlockCatch; B: the error. Returns the error.
func sleepqBlock(k *model.K, f *model.Frame) {
	l := k.Self()
	switch f.PC {
	case 0:
		k.At(363, "sleepq_block: check for early wakeup")
		early := false
		if f.A&BlockCatch != 0 {
			if l.Flag&(model.FlagCANCELLED|model.FlagWEXIT|model.FlagWCORE) != 0 {
				l.Flag &^= model.FlagCANCELLED // :365
				f.B = uint8(model.EINTR)       // :366
				early = true
			} else if l.Flag&model.FlagPENDSIG != 0 {
				k.Unlocked()                        // Sigispending reads the pending sets without p_lock
				early = Sigispending(k, k.Cur) != 0 // :368-369
			}
			l.Flag |= model.FlagCATCHINTR // :370
		} else {
			l.Flag &^= model.FlagCATCHINTR // :372
		}
		if early {
			k.Call(f, 3, FnLwpUnsleep, uint8(k.Cur), 1, 0) // :376
			return
		}
		if f.A&BlockTimo != 0 {
			l.Flag &^= model.FlagSTIMO // :386
			l.Timo = 1                 // callout_schedule :387
		}
		f.PC = 1
	case 1:
		if !k.Enter(k.SpcMutex(int(l.CPU)), 390, "spc_lock(l->l_cpu)") {
			return
		}
		k.Call(f, 2, FnMiSwitch, 0, 0, 0) // :391
	case 2:
		// Back on a CPU: the LWP and the sleep queue are unlocked.
		k.At(403, "awoken: callout_halt")
		if f.A&BlockTimo != 0 {
			l.Timo = 0 // callout_halt :403
			if l.Flag&model.FlagSTIMO != 0 {
				f.B = uint8(model.EWOULDBLOCK) // :404
			}
		}
		f.PC = 3
	case 3:
		if !k.Cut(419, "flag = atomic_load_relaxed(&l->l_flag)") {
			return
		}
		const mask = model.FlagCANCELLED | model.FlagWEXIT | model.FlagWCORE | model.FlagPENDSIG
		flag := l.Flag
		switch {
		case flag&mask == 0, flag&model.FlagCATCHINTR == 0 || f.B != 0: // :420-421
		case flag&(model.FlagCANCELLED|model.FlagWEXIT|model.FlagWCORE) != 0:
			f.B = uint8(model.EINTR) // :424
		case flag&model.FlagPENDSIG != 0:
			f.PC = 4
			return
		}
		k.Return(f.B)
	case 4:
		if !k.Enter(k.PLock(), 434, "mutex_enter(p->p_lock)") {
			return
		}
		if sig := Sigispending(k, k.Cur); sig != 0 && sig != model.SigSTOP { // :435-436
			f.B = uint8(Sigtoerror(sig))
			k.Exit(k.PLock(), 439)
			k.Return(f.B)
			return
		}
		k.Call(f, 5, FnIssignal, 0, 0, 0) // :437
	case 5:
		if f.Ret != 0 {
			f.B = uint8(Sigtoerror(f.Ret)) // :438
		}
		k.Exit(k.PLock(), 439)
		k.Return(f.B)
	}
}

// Sigtoerror mirrors sleepq_sigtoerror: ERESTART if the handler has
// SA_RESTART, else EINTR. The model's handlers are installed without
// SA_RESTART, and default actions have no flags.
func Sigtoerror(sig uint8) model.Errno { return model.EINTR }

// sleepqUnsleep mirrors sleepq_unsleep, kern_sleepq.c@1.87:484: A, locked,
// leaves its sleep queue; B: release the lock. C keeps the lock.
func sleepqUnsleep(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	switch f.PC {
	case 0:
		k.At(484, "sleepq_unsleep(l, unlock)")
		f.C = l.Mutex // :487
		k.Assert(k.Owned(l.Mutex), 489, "lwp_locked(l, mp)")
		k.Assert(l.WChan != model.WChanNone, 490, "l->l_wchan != NULL")
		k.Call(f, 1, FnSleepqRemove, uint8(i), 0, 0) // :492
	case 1:
		if f.B != 0 {
			k.Exit(f.C, 494)
		}
		k.Return(0)
	}
}

// sleepqRemove mirrors sleepq_remove, kern_sleepq.c@1.87:120: A leaves its
// sleep queue and becomes runnable; B: a wakeup (not an unsleep).
func sleepqRemove(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	switch f.PC {
	case 0:
		k.At(120, "sleepq_remove(sq, l)")
		k.Assert(k.Owned(l.Mutex), 125, "lwp_locked(l, NULL)")
		if l.SyncObj != model.SObjPark {
			k.Assert(k.CvRemove(i), 129, "LIST_REMOVE(l, l_sleepchain)")
		}
		l.SyncObj, l.WChan = model.SObjSched, model.WChanNone // :134-135
		if f.B != 0 {
			l.Flag &^= model.FlagSINTR | model.FlagCATCHINTR | model.FlagSTIMO // :137
		} else {
			l.Flag &^= model.FlagSINTR
		}
		c := int(l.CPU)
		if l.Stat != model.LSSLEEP {
			// Suspended or stopped: whoever holds it stopped sets it running.
			k.Assert(l.Stat == model.LSSTOP || l.Stat == model.LSSUSPENDED, 147, "l->l_stat == LSSTOP || l->l_stat == LSSUSPENDED")
			k.SetLock(i, model.SpcLwplock(c), 148)
			k.Return(0)
			return
		}
		if l.PFlag&model.LP_RUNNING != 0 {
			// Still on the CPU: it may be about to call mi_switch.
			k.SetStat(i, model.LSONPROC, 157)
			k.SetLock(i, model.SpcLwplock(c), 159)
			k.Return(0)
			return
		}
		l.CPU = uint8(k.Choose(k.M.NCPU)) // sched_takecpu :168
		f.PC = 1
	case 1:
		c := int(l.CPU)
		if !k.Enter(k.SpcMutex(c), 175, "spc_lock(ci)") {
			return
		}
		k.SetLock(i, k.SpcMutex(c), 176)
		k.SetStat(i, model.LSRUN, 178)
		k.RunqAppend(c, i)         // sched_enqueue :180
		k.Exit(k.SpcMutex(c), 181) // sched_resched_lwp unlocks the spc
		k.Return(0)
	}
}
