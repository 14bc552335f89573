package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_sig.c 1.256.2.2 (2008-01-09), the newest stored
// revision before the netbsd-5 branch, read with the lock merge of April
// 2008 that netbsd-5 has: p_smutex and p_mutex are p_lock, proclist_mutex
// and proclist_lock are proc_lock. The steps quote the C of 1.256.2.2 as
// it is (&p->p_smutex, &proclist_mutex); the model's locks carry the
// revision's names. The signal properties, the pending-set helpers and
// postsig are netbsd-2025's (the same in both).

// kpsignal2 mirrors kpsignal2, kern_sig.c@1.256.2.2:1197, with proc_lock
// and p_lock held. A: the signal; B: the target lid (0: process-directed);
// C: the index of the next LWP to post to. A default stop signal stops the
// process here, in the sender (proc_stop, :1353-1362), and any signal
// with SA_CONT or SA_KILL resumes a stopped process (:1378-1384).
func kpsignal2(k *model.K, f *model.Frame) {
	p := k.P()
	sig := f.A
	prop := nb.Sigprop(sig)
	dfl := !nb.Caught(sig)
	switch f.PC {
	case 0:
		k.At(1197, nb.Kpsignal2What(sig))
		k.Assert(k.Owned(model.LockProcList), 1206, "mutex_owned(&proclist_mutex)")
		k.Assert(k.Owned(k.PLock()), 1207, "mutex_owned(&p->p_smutex)")
		if p.Stat != model.SACTIVE && p.Stat != model.SSTOP {
			k.Return(0) // :1215-1216
			return
		}
		lid := f.B
		if prop&nb.SaToall != 0 {
			lid = 0 // :1230-1231
		}
		if prop&nb.SaCont != 0 {
			p.SigPend &^= model.SigSTOP // sigclear(stopsigmask) :1301
		}
		if prop&nb.SaStop != 0 {
			p.SigPend &^= model.SigCONT // :1303
		}
		if lid != 0 {
			// LWP-private: post it to that LWP. :1328-1336
			if t := lwpFind(k, lid); t >= 0 {
				k.L(t).SigPend |= sig                        // sigput :1331
				k.Call(f, 9, nb.FnSigpost, uint8(t), sig, 0) // :1333
				return
			}
			k.Return(0)
			return
		}
		if p.Stat == model.SACTIVE && p.SFlag&model.PS_STOPPING == 0 {
			switch {
			case prop&nb.SaCont != 0 && dfl:
				k.Return(0) // :1350-1351
				return
			case prop&nb.SaStop != 0 && dfl:
				p.XSig = sig                           // p_xstat :1359
				k.Call(f, 9, nb.FnProcStop, sig, 0, 0) // :1360
				return
			}
			p.SigPend |= sig // sigput(&p->p_sigpend) :1368
		} else {
			switch {
			case prop&(nb.SaCont|nb.SaKill) != 0:
				p.Stat = model.SACTIVE        // :1383
				p.SFlag &^= model.PS_STOPPING // :1384
				if prop&nb.SaCont == 0 || !dfl {
					p.SigPend |= sig // :1399-1400
				}
			case prop&nb.SaStop != 0:
				k.Return(0) // already stopped :1401-1406
				return
			default:
				p.SigPend |= sig // :1408
			}
		}
		f.C, f.PC = 0, 1 // deliver: :1411
	case 1: // LIST_FOREACH(l, &p->p_lwps) :1422
		if f.C >= p.NList {
			k.Return(0)
			return
		}
		k.Call(f, 2, nb.FnSigpost, p.Lwps[f.C]-1, sig, 0)
	case 2:
		if f.Ret != 0 && prop&nb.SaToall == 0 {
			k.Return(0) // :1423-1424
			return
		}
		f.C++
		f.PC = 1
	case 9:
		k.Return(0)
	}
}

// sigpost mirrors sigpost, kern_sig.c@1.256.2.2:1022, with p_lock held. A:
// the LWP; B: the signal. Returns 1 if the LWP may take the signal. An
// LWP whose references are drained (l_refcnt 0: exiting) is skipped, and a
// suspended LWP is continued by any signal with SA_KILL (:1084-1089).
func sigpost(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	prop := nb.Sigprop(f.B)
	switch f.PC {
	case 0:
		k.At(1022, "sigpost(l, action, prop, sig)")
		k.Assert(k.Owned(k.PLock()), 1026, "mutex_owned(&l->l_proc->p_smutex)")
		if l.RefCnt == 0 {
			k.Return(0) // :1032-1033
			return
		}
		nb.LwpLockCall(k, f, 1, i) // :1035
	case 1:
		l.Flag |= model.FlagPENDSIG // :1041
		rv := uint8(0)
		switch l.Stat {
		case model.LSRUN, model.LSONPROC:
			lwpNeedUserret(k, i) // :1072
			rv = 1
		case model.LSSLEEP:
			if l.Flag&model.FlagSINTR != 0 {
				k.Call(f, 2, nb.FnSetrunnable, uint8(i), 0, 0) // :1079
				return
			}
		case model.LSSUSPENDED:
			if prop&nb.SaKill != 0 {
				k.Call(f, 2, nb.FnLwpContinue, uint8(i), 0, 0) // :1087
				return
			}
		case model.LSSTOP:
			switch {
			case prop&nb.SaStop != 0: // :1093-1094
			case prop&nb.SaCont != 0:
				if l.WChan != model.WChanNone {
					k.SetStat(i, model.LSSLEEP, 1102)
					k.P().NRLWPs++ // :1103
					rv = 1
					break
				}
				k.Call(f, 2, nb.FnSetrunnable, uint8(i), 0, 0) // :1108
				return
			case l.WChan == model.WChanNone || l.Flag&model.FlagSINTR != 0:
				k.Call(f, 2, nb.FnSetrunnable, uint8(i), 0, 0) // :1112
				return
			}
		}
		nb.LwpUnlock(k, i, 1121)
		k.Return(rv)
	case 2:
		k.Return(1)
	}
}

// issignal mirrors issignal, kern_sig.c@1.256.2.2:1600, with p_lock held:
// if the process is stopped or stopping, the whole of sigswitch runs (it
// may complete the stop); then, without looking at the stop again, it
// returns the next signal for postsig (0: none). A: a signal to discard
// at the top of the loop; B: 1 if it is the LWP's own, 2 the process's.
func issignal(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.L(me)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1600, "issignal(l)")
		k.Assert(k.Owned(k.PLock()), 1607, "mutex_owned(&p->p_smutex)")
		f.A, f.PC = 0, 1
	case 1: // for (;;) :1609
		if f.A != 0 {
			nb.Sigget(k, me, f.A, f.B) // :1611-1612
			f.A = 0
		}
		if p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0 {
			k.Call(f, 3, nb.FnSigswitch, 0, 0, 0) // sigswitch(true, PS_NOCLDSTOP, 0) :1619-1620
			return
		}
		f.PC = 3
	case 3: // the search :1630-1656 (sigchecktrace gives 0: not traced)
		sig, from := nb.Firstsig(l.SigPend), uint8(1)
		if sig == 0 {
			sig, from = nb.Firstsig(p.SigPend), 2
		}
		if sig == 0 {
			nb.LwpLockCall(k, f, 4, me) // no signal: clear the indicator :1649
			return
		}
		switch {
		case nb.Caught(sig):
			k.Return(sig) // postsig will run the handler :1757, :1764
		case nb.Sigprop(sig)&nb.SaStop != 0:
			nb.Sigget(k, me, sig, from)             // :1726
			p.XSig = sig                            // :1727
			k.Call(f, 5, nb.FnSigswitch, sig, 0, 0) // :1728-1729
		case nb.Sigprop(sig)&nb.SaIgnore != 0:
			f.A, f.B, f.PC = sig, from, 1 // discard and look again :1730-1735
		default:
			k.Return(sig) // default action kills: postsig calls sigexit
		}
	case 4:
		l.Flag &^= model.FlagPENDSIG // :1650
		nb.LwpUnlock(k, me, 1651)
		k.Return(0) // :1764
	case 5:
		k.Return(0) // signo = 0 :1728, break :1737
	}
}

// sigswitch mirrors sigswitch, kern_sig.c@1.256.2.2:1448, with p_lock
// held (not proc_lock): stop the process if it is not stopping yet, let
// the last LWP to stop finish the stop, and switch away stopped; p_lock
// is held again on return. A: the signal; C: loop index.
func sigswitch(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1448, "sigswitch(ppsig, ppmask, signo)")
		k.Assert(k.Owned(k.PLock()), 1456, "mutex_owned(&p->p_smutex)")
		k.Assert(k.Self().Stat == model.LSONPROC, 1457, "l->l_stat == LSONPROC")
		k.Assert(p.NRLWPs > 0, 1458, "p->p_nrlwps > 0")
		f.PC = 6
		if p.Stat == model.SACTIVE && p.SFlag&model.PS_STOPPING == 0 {
			p.SFlag |= model.PS_STOPPING // PS_STOPPING | PS_NOTIFYSTOP :1470
			f.C, f.PC = 0, 1
		}
	case 1, 2: // stop the interruptible sleepers :1473-1481
		stopSleepers(k, f, 3, 1474, 1477, 1480)
	case 3:
		k.Assert(f.A != 0, 1487, "signo != 0")
		k.Assert(p.NRLWPs > 0, 1488, "p->p_nrlwps > 0")
		f.C, f.PC = 0, 6
		if p.NRLWPs > 1 {
			f.PC = 4 // sigpost every LWP, callout_schedule :1490-1494
		}
	case 4:
		if f.C >= p.NList {
			f.PC = 6
			return
		}
		k.Call(f, 5, nb.FnSigpost, p.Lwps[f.C]-1, f.A, 0) // :1492
	case 5:
		f.C++
		f.PC = 4
	case 6:
		if p.SFlag&model.PS_STOPPING == 0 {
			f.PC = 9 // :1501
			return
		}
		if k.TryEnter(model.LockProcList, 1502, "mutex_tryenter(&proclist_mutex)") {
			f.PC = 8
			return
		}
		if k.Done() {
			return
		}
		k.Exit(k.PLock(), 1503)
		f.PC = 7
	case 7:
		if !k.Enter(model.LockProcList, 1504, "mutex_enter(&proclist_mutex)") {
			return
		}
		f.PC = 71
	case 71:
		if !k.Enter(k.PLock(), 1505, "mutex_enter(&p->p_smutex)") {
			return
		}
		f.PC = 8
	case 8:
		if p.NRLWPs == 1 && p.SFlag&model.PS_STOPPING != 0 {
			p.SFlag &^= model.PS_STOPPING // :1509
			p.Stat = model.SSTOP          // :1510
		}
		k.Exit(model.LockProcList, 1524)
		f.PC = 9
	case 9:
		if p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0 {
			p.NRLWPs--                   // :1532
			nb.LwpLockCall(k, f, 10, me) // :1533
			return
		}
		f.PC = 11
	case 10:
		st := k.Self().Stat
		k.Assert(st == model.LSONPROC || st == model.LSSLEEP, 1534, "l->l_stat == LSONPROC || l->l_stat == LSSLEEP")
		k.SetStat(me, model.LSSTOP, 1535)
		nb.LwpUnlock(k, me, 1536)
		f.PC = 11
	case 11:
		k.Exit(k.PLock(), 1539)
		nb.LwpLockCall(k, f, 12, me) // :1540
	case 12:
		k.Call(f, 13, nb.FnMiSwitch, 0, 0, 0) // :1541
	case 13:
		if !k.Enter(k.PLock(), 1543, "mutex_enter(&p->p_smutex)") {
			return
		}
		k.Return(0)
	}
}

// stopSleepers runs the loop that 1.256.2.2 writes out three times (in
// sigswitch :1473-1481, proc_stop :2004-2011, proc_stop_callout
// :2089-2097), as cases 1 and 2 of the calling routine (index in C), going
// to done when finished: each interruptible sleeper becomes LSSTOP. lock,
// stop and unlock are the lines of its lwp_lock, l_stat = LSSTOP and
// lwp_unlock (p_nrlwps-- is the line after LSSTOP).
func stopSleepers(k *model.K, f *model.Frame, done uint8, lock, stop, unlock int) {
	p := k.P()
	switch f.PC {
	case 1:
		if f.C >= p.NList {
			f.PC = done
			return
		}
		nb.LwpLockCall(k, f, 2, int(p.Lwps[f.C])-1) // lwp_lock
	case 2:
		i := int(p.Lwps[f.C]) - 1
		l := k.L(i)
		if l.Stat == model.LSSLEEP && l.Flag&model.FlagSINTR != 0 {
			k.SetStat(i, model.LSSTOP, stop)
			p.NRLWPs--
		}
		nb.LwpUnlock(k, i, unlock)
		f.C++
		f.PC = 1
	}
}

// procStop mirrors proc_stop, kern_sig.c@1.256.2.2:1989, run by
// kpsignal2 in the sender with proc_lock and p_lock held: set the process
// stopping, stop the interruptible sleepers, and either stop the process
// at once (nothing runs) or have the others take the stop. A: the signal;
// C: loop index.
func procStop(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1989, "proc_stop(p, notify, signo)")
		k.Assert(k.Owned(model.LockProcList), 1993, "mutex_owned(&proclist_mutex)")
		k.Assert(k.Owned(k.PLock()), 1994, "mutex_owned(&p->p_smutex)")
		p.SFlag |= model.PS_STOPPING // :2001
		f.C, f.PC = 0, 1
	case 1, 2:
		stopSleepers(k, f, 3, 2005, 2007, 2010)
	case 3:
		if p.NRLWPs == 0 {
			p.SFlag &^= model.PS_STOPPING // :2024
			p.Stat = model.SSTOP          // :2025
			k.Return(0)
			return
		}
		f.C, f.PC = 0, 4
	case 4: // sigpost every LWP :2038-2039
		if f.C >= p.NList {
			k.Return(0) // callout_schedule(&proc_stop_ch, 1) :2040: see the callout
			return
		}
		k.Call(f, 5, nb.FnSigpost, p.Lwps[f.C]-1, f.A, 0)
	case 5:
		f.C++
		f.PC = 4
	}
}

// procStopCallout mirrors proc_stop_callout, kern_sig.c@1.256.2.2:2066:
// every tick while the process is stopping, stop its interruptible
// sleepers and finish the stop if nothing runs. One atomic clock event.
// It takes proclist_lock (:2078) before proclist_mutex (:2079): one lock
// after the merge, which the model takes once, at :2079.
func procStopCallout(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Enter(model.LockProcList, 2079, "proc_stop_callout: mutex_enter(&proclist_mutex)") ||
			!k.Enter(k.PLock(), 2081, "mutex_enter(&p->p_smutex)") {
			return
		}
		f.C, f.PC = 0, 1
	case 1, 2:
		stopSleepers(k, f, 3, 2090, 2093, 2096)
	case 3:
		if p.NRLWPs == 0 {
			p.SFlag &^= model.PS_STOPPING // :2105
			p.Stat = model.SSTOP          // :2106
		}
		k.Exit(k.PLock(), 2123)
		k.Exit(model.LockProcList, 2127)
		k.Return(0)
	}
}

// sigexit mirrors sigexit, kern_sig.c@1.256.2.2:1886, with p_lock held. A:
// the signal; C: loop index. Unlike netbsd-2025's there is no bail-out
// for a process already exiting, and p_lock is dropped and taken again on
// every path (:1950, :1976).
func sigexit(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	docore := nb.Sigprop(f.A)&nb.SaCore != 0
	switch f.PC {
	case 0:
		k.At(1886, "sigexit(l, signo)")
		k.Assert(k.Owned(k.PLock()), 1894, "mutex_owned(&p->p_smutex)")
		switch {
		case p.SFlag&model.PS_WCORE != 0:
			nb.LwpLockCall(k, f, 1, me) // :1903-1904
		case docore:
			p.SFlag |= model.PS_WCORE // :1920
			f.C, f.PC = 0, 3
		default:
			f.PC = 10
		}
	case 1:
		k.Self().Flag |= model.FlagWCORE | model.FlagWEXIT | model.FlagWSUSPEND // :1905
		nb.LwpUnlock(k, me, 1906)
		k.Exit(k.PLock(), 1907)
		k.Call(f, 97, nb.FnLwpUserret, 0, 0, 0) // :1908
	case 3: // for (;;) LIST_FOREACH(t, &p->p_lwps) :1921-1922
		if f.C >= p.NList {
			f.PC = 6
			return
		}
		nb.LwpLockCall(k, f, 4, int(p.Lwps[f.C])-1) // :1923
	case 4:
		t := int(p.Lwps[f.C]) - 1
		tl := k.L(t)
		if t == me {
			tl.Flag &^= model.FlagWSUSPEND // :1925
			nb.LwpUnlock(k, t, 1926)
			f.C++
			f.PC = 3
			return
		}
		tl.Flag |= model.FlagWCORE | model.FlagWEXIT  // :1929
		k.Call(f, 5, nb.FnLwpSuspend, uint8(t), 0, 0) // :1930
	case 5:
		f.C++
		f.PC = 3
	case 6:
		if p.NRLWPs == 1 {
			f.PC = 10 // :1933-1934
			return
		}
		p.NLWPWait++ // :1940
		k.Self().Ghost |= model.GhostWait
		k.Call(f, 7, nb.FnCvBroadcast, 0, 0, 0) // :1941
	case 7:
		k.Call(f, 8, nb.FnCvWait, nb.CvWaitPlain, 0, 0) // :1942
	case 8:
		p.NLWPWait-- // :1943
		k.Self().Ghost &^= model.GhostWait
		f.C, f.PC = 0, 3
	case 10:
		k.Exit(k.PLock(), 1950) // coredump() runs unlocked :1954-1955
		f.PC = 11
	case 11:
		if !k.Enter(k.PLock(), 1976, "mutex_enter(&p->p_smutex)") {
			return
		}
		p.SFlag &^= model.PS_WCORE           // :1979
		k.Call(f, 99, nb.FnExit1, f.A, 0, 0) // :1981
	case 97:
		k.Assert(false, 1910, "panic(\"sigexit\")")
	case 99:
		k.Assert(false, 1982, "NOTREACHED: exit1 returned")
	}
}
