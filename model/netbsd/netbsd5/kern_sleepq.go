package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_sleepq.c 1.25.2.1 (2008-05-18) and sleepq.h 1.10.2.1.
// Sleep queues are TAILQs under a hashed spin lock; p_lwpcv's waiters go
// to the tail (cv_syncobj sorts by priority, and the model's LWPs have one
// priority), parked LWPs to the head of lwp_park_tab's queue
// (SOBJ_SLEEPQ_LIFO, sys_lwp.c@1.43.4.1:57-63). sleepq_block, not
// sleepq_enqueue, marks an interruptible sleep, and a timeout is told by
// callout_halt reporting that the callout fired.

// sleepqEnqueue mirrors sleepq_enqueue, kern_sleepq.c@1.25.2.1:205: the
// current LWP, locked by the queue's lock, goes to sleep on wchan.
func sleepqEnqueue(k *model.K, wchan, sobj uint8) {
	i := k.Cur
	l := k.L(i)
	defer k.In(k.In(nb.FnSleepqEnqueue))
	k.Assert(l.Mutex == k.M.SleepqLock(k.Pid(), wchan) && k.Owned(l.Mutex), 209, "lwp_locked(l, sq->sq_mutex)")
	k.Assert(l.Stat == model.LSONPROC, 210, "l->l_stat == LSONPROC")
	k.Assert(l.WChan == model.WChanNone, 211, "l->l_wchan == NULL && l->l_sleepq == NULL")
	l.SyncObj, l.WChan = sobj, wchan // :213-214
	k.SetStat(i, model.LSSLEEP, 218)
	switch {
	case wchan == model.WChanParkq && nb.HooksOf(k).ParkLIFO:
		k.PqInsertHead(i) // sleepq_insert :191-192, SOBJ_SLEEPQ_LIFO
	case wchan == model.WChanParkq:
		k.PqAppend(i) // sleepq_insert :194, the tail
	default:
		k.CvAppend(i) // sleepq_insert :182-194, sorted: FIFO among equals
	}
}

// sleepqBlock mirrors sleepq_block, kern_sleepq.c@1.25.2.1:234. The LWP
// is locked by its sleep queue's lock and on the queue. A:
// nb.BlockTimo|nb.BlockCatch; B: the error. Returns the error.
func sleepqBlock(k *model.K, f *model.Frame) {
	l := k.Self()
	catch := f.A&nb.BlockCatch != 0
	switch f.PC {
	case 0:
		k.At(247, "sleepq_block: check for early wakeup")
		early := false
		if catch {
			l.Flag |= model.FlagSINTR // :248
			if l.Flag&(model.FlagCANCELLED|model.FlagWEXIT|model.FlagWCORE) != 0 {
				l.Flag &^= model.FlagCANCELLED // :250
				f.B = uint8(model.EINTR)       // :251
				early = true
			} else if l.Flag&model.FlagPENDSIG != 0 {
				k.Unlocked()                           // sigispending reads the pending sets without p_lock
				early = nb.Sigispending(k, k.Cur) != 0 // :253
			}
		}
		if early {
			k.Call(f, 3, nb.FnLwpUnsleep, uint8(k.Cur), 1, 0) // :259
			return
		}
		if f.A&nb.BlockTimo != 0 {
			l.Timo = 1 // callout_schedule :262
		}
		k.Call(f, 2, nb.FnMiSwitch, 0, 0, 0) // :263
	case 2:
		// Back on a CPU: the LWP and the sleep queue are unlocked.
		k.At(271, "awoken: callout_halt")
		if f.A&nb.BlockTimo != 0 {
			if l.Timo == 2 {
				f.B = uint8(model.EWOULDBLOCK) // the callout fired :271-272
			}
			l.Timo = 0
		}
		f.PC = 3
	case 3:
		if !catch || f.B != 0 {
			k.Return(f.B) // :291
			return
		}
		if !k.Cut(278, "l->l_flag & (LW_CANCELLED | LW_WEXIT | LW_WCORE) (unlocked)") {
			return
		}
		switch {
		case l.Flag&(model.FlagCANCELLED|model.FlagWEXIT|model.FlagWCORE) != 0:
			f.B = uint8(model.EINTR) // :279
		case l.Flag&model.FlagPENDSIG != 0:
			f.PC = 4
			return
		}
		k.Return(f.B)
	case 4:
		if !k.Enter(k.PLock(), 281, "mutex_enter(p->p_lock)") {
			return
		}
		k.Call(f, 5, nb.FnIssignal, 0, 0, 0) // :282
	case 5:
		if f.Ret != 0 {
			f.B = uint8(nb.Sigtoerror(f.Ret)) // :283
		}
		k.Exit(k.PLock(), 284)
		k.Return(f.B)
	}
}

// sleepqUnsleep mirrors sleepq_unsleep, kern_sleepq.c@1.25.2.1:338: A,
// locked by its sleep queue's lock, leaves the queue; B: cleanup, release
// that lock. C keeps the lock.
func sleepqUnsleep(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	switch f.PC {
	case 0:
		k.At(338, "sleepq_unsleep(l, cleanup)")
		f.C = k.WChanLock(i) // sq->sq_mutex :340
		k.Assert(l.Mutex == f.C && k.Owned(l.Mutex), 343, "lwp_locked(l, sq->sq_mutex)")
		k.Assert(l.WChan != model.WChanNone, 344, "l->l_wchan != NULL")
		k.Call(f, 1, nb.FnSleepqRemove, uint8(i), 0, 0) // :346
	case 1:
		if f.B != 0 {
			k.Exit(f.C, 349) // sleepq_unlock(sq)
		}
		k.Return(0)
	}
}

// sleepqRemove mirrors sleepq_remove, kern_sleepq.c@1.25.2.1:99: A leaves
// its sleep queue and becomes runnable, unless it is stopped or suspended.
func sleepqRemove(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	switch f.PC {
	case 0:
		k.At(99, "sleepq_remove(sq, l)")
		k.Assert(l.Mutex == k.WChanLock(i) && k.Owned(l.Mutex), 104, "lwp_locked(l, sq->sq_mutex)")
		p, park := k.S.ProcOf(i), l.WChan == model.WChanParkq
		k.Assert(park && p.NPq > 0 || !park && p.NCv > 0, 105, "sq->sq_waiters > 0")
		if park && !k.PqRemove(i) || !park && !k.CvRemove(i) { // :107-108
			k.Bug("sleepq_remove: the LWP is not on its sleep queue")
		}
		l.SyncObj, l.WChan = model.SObjSched, model.WChanNone // :117-118
		l.Flag &^= model.FlagSINTR                            // :120
		c := int(l.CPU)
		if l.Stat != model.LSSLEEP {
			// Suspended or stopped: whoever holds it stopped sets it running.
			k.Assert(l.Stat == model.LSSTOP || l.Stat == model.LSSUSPENDED, 130, "l->l_stat == LSSTOP || l->l_stat == LSSUSPENDED")
			k.SetLock(i, model.SpcLwplock(c), 131)
			k.Return(0)
			return
		}
		if l.Flag&model.FlagRUNNING != 0 {
			// Still on the CPU: it may be about to call mi_switch.
			k.SetStat(i, model.LSONPROC, 140)
			k.SetLock(i, model.SpcLwplock(c), 142)
			k.Return(0)
			return
		}
		// sched_wakeup (:150) is empty in SCHED_4BSD: the LWP goes onto
		// the run queue of the CPU it last ran on, from which an idle
		// CPU may take it (sched_idle's work stealing, which the model
		// does not run): the model lets it go onto any CPU's queue,
		// unless there is one run queue for all.
		if !k.M.Kernel.OneRunqueue {
			l.CPU = uint8(k.Choose(k.M.NCPU))
		}
		f.PC = 1
	case 1:
		c := int(l.CPU)
		if !k.Enter(k.SpcMutex(c), 157, "spc_lock(ci)") {
			return
		}
		k.SetLock(i, k.SpcMutex(c), 158)
		k.SetStat(i, model.LSRUN, 160)
		k.RunqAppend(c, i) // sched_enqueue :163
		k.Exit(k.SpcMutex(c), 164)
		k.Return(0)
	}
}

// sleepqTimeout is a park timeout firing: the callout is marked fired
// (callout_halt will report it), then sleepq_timeout,
// kern_sleepq.c@1.25.2.1:364, wakes the LWP if it still sleeps. A: the
// sleeper.
func sleepqTimeout(k *model.K, f *model.Frame) {
	i := int(f.A)
	switch f.PC {
	case 0:
		k.At(364, "sleepq_timeout(l)")
		k.L(i).Timo = 2
		nb.LwpLockCall(k, f, 1, i) // :372
	case 1:
		l := k.L(i)
		if l.WChan == model.WChanNone {
			nb.LwpUnlock(k, i, 376) // somebody beat us to it :374-377
			k.Return(0)
			return
		}
		k.Call(f, 2, nb.FnLwpUnsleep, uint8(i), 1, 0) // :380
	case 2:
		k.Return(0)
	}
}
