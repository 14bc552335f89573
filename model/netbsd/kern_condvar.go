package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// Kinds of condition-variable wait (frame local A of cvWait).
const (
	CvWaitPlain = iota // cv_wait
	CvWaitSig          // cv_wait_sig
	CvTimedwait        // cv_timedwait (one tick: the clock fires on its own)
)

var cvEnterLines = [...]int{175, 196, 219}

// cvWait mirrors cv_wait, cv_wait_sig and cv_timedwait with cv_enter,
// kern_condvar.c@1.54:120-221, on p_lwpcv with interlock p_lock. A: the
// kind. Returns sleepq_block's error.
func cvWait(k *model.K, f *model.Frame) {
	l := k.Self()
	switch f.PC {
	case 0:
		k.Assert(k.Owned(k.PLock()), 171, "mutex_owned(mtx)")
		if !k.Enter(k.SleepqLock(), 130, "mp = sleepq_hashlock(cv)") {
			return
		}
		LwpLockCall(k, f, 1, k.Cur) // sleepq_enter: lwp_lock(l), kern_sleepq.c@1.87:240
	case 1:
		old := l.Mutex
		prev := k.In(FnSleepqEnter)
		k.SetLock(k.Cur, k.SleepqLock(), 242) // lwp_unlock_to(l, mp)
		k.Exit(old, 242)
		k.In(prev)
		sleepqEnqueue(k, model.WChanLwpcv, model.SObjCV, f.A == CvWaitSig) // :133
		k.Exit(k.PLock(), 134)
		var flags uint8
		switch f.A {
		case CvWaitSig:
			flags = BlockCatch
		case CvTimedwait:
			flags = BlockTimo
		}
		k.Call(f, 2, FnSleepqBlock, flags, 0, 0)
	case 2:
		if !k.Enter(k.PLock(), cvEnterLines[f.A], "mutex_enter(mtx)") {
			return
		}
		k.Return(f.Ret)
	}
}

// cvBroadcast mirrors cv_broadcast and cv_wakeup_all,
// kern_condvar.c@1.54:508-540, on p_lwpcv.
func cvBroadcast(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		// The emptiness test is unlocked; with p_lock held no waiter can
		// arrive (they enqueue under it), so it only races when p_lock is
		// free.
		if !k.Owned(k.PLock()) && !k.Cut(513, "!LIST_EMPTY(CV_SLEEPQ(cv))") {
			return
		}
		k.At(513, "cv_broadcast(&p->p_lwpcv)")
		if p.NCv == 0 {
			k.Return(0)
			return
		}
		f.PC = 1
	case 1:
		if !k.Enter(k.SleepqLock(), 531, "mp = sleepq_hashlock(cv)") {
			return
		}
		f.PC = 2
	case 2:
		if p.NCv == 0 {
			k.Exit(k.SleepqLock(), 539)
			k.Return(0)
			return
		}
		first := int(p.Cv[0]) - 1
		l := k.L(first)
		k.Assert(l.Mutex == k.SleepqLock(), 535, "l->l_mutex == mp")
		k.Assert(l.WChan == model.WChanLwpcv, 536, "l->l_wchan == cv")
		k.Call(f, 2, FnSleepqRemove, uint8(first), 1, 0) // :537
	}
}
