package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// cvLines are the lines of cv_wait, cv_wait_sig and cv_timedwait (by
// nb.CvWait* kind) in kern_condvar.c@1.16.2.1: the interlock assertion and
// the call of cv_enter.
var cvLines = [...]struct{ owned, enter int }{{176, 183}, {203, 208}, {227, 232}}

// cvWait mirrors cv_wait, cv_wait_sig and cv_timedwait with cv_enter and
// cv_exit, kern_condvar.c@1.16.2.1:99-235, on p_lwpcv with interlock
// p_lock. A: the kind. Returns sleepq_block's error. cv_waiters, which
// counts the queue's sleepers, is the length of the model's queue.
func cvWait(k *model.K, f *model.Frame) {
	l := k.Self()
	switch f.PC {
	case 0:
		k.Assert(k.Owned(k.PLock()), cvLines[f.A].owned, "mutex_owned(mtx)")
		if !k.Enter(k.SleepqLock(), 109, "sq = sleeptab_lookup(&sleeptab, cv)") {
			return
		}
		nb.LwpLockCall(k, f, 1, k.Cur) // sleepq_enter: lwp_lock(l), sleepq.h@1.10.2.1:131
	case 1:
		old := l.Mutex
		prev := k.In(nb.FnSleepqEnter)
		k.SetLock(k.Cur, k.SleepqLock(), 132) // lwp_unlock_to(l, sq->sq_mutex)
		k.Exit(old, 132)
		k.In(prev)
		sleepqEnqueue(k, model.WChanLwpcv, model.SObjCV) // :112
		k.Exit(k.PLock(), 113)
		var flags uint8
		switch f.A {
		case nb.CvWaitSig:
			flags = nb.BlockCatch
		case nb.CvTimedwait:
			flags = nb.BlockTimo
		}
		k.Call(f, 2, nb.FnSleepqBlock, flags, 0, 0)
	case 2:
		if !k.Enter(k.PLock(), 132, "cv_exit: mutex_enter(mtx)") {
			return
		}
		k.Return(f.Ret)
	}
}

// cvBroadcast mirrors cv_broadcast, kern_condvar.c@1.16.2.1:304, on
// p_lwpcv, with sleepq_wake (kern_sleepq.c@1.25.2.1:300).
func cvBroadcast(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		// cv_waiters is read unlocked; with p_lock held no waiter can
		// arrive (they enqueue under it), so it only races when p_lock
		// is free.
		if !k.Owned(k.PLock()) && !k.Cut(311, "cv->cv_waiters == 0 (unlocked)") {
			return
		}
		k.At(311, "cv_broadcast(&p->p_lwpcv)")
		if p.NCv == 0 {
			k.Return(0)
			return
		}
		f.PC = 1
	case 1:
		if !k.Enter(k.SleepqLock(), 314, "sq = sleeptab_lookup(&sleeptab, cv)") {
			return
		}
		f.PC = 2
	case 2: // cnt = cv->cv_waiters :315; B: 1 once sleepq_wake runs
		if p.NCv == 0 {
			if f.B != 0 {
				k.In(nb.FnSleepqWake)
				k.Exit(k.SleepqLock(), 318) // sleepq_wake's sleepq_unlock
			} else {
				k.Exit(k.SleepqLock(), 319)
			}
			k.Return(0)
			return
		}
		f.B = 1
		first := int(p.Cv[0]) - 1
		l := k.L(first)
		k.In(nb.FnSleepqWake)
		k.Assert(l.Mutex == k.SleepqLock(), 309, "l->l_mutex == sq->sq_mutex")
		k.Call(f, 2, nb.FnSleepqRemove, uint8(first), 1, 0) // :313
	}
}
