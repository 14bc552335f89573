package netbsd

import (
	"math/bits"

	"github.com/lwpcheck/lwpcheck/model"
)

// Signal properties (sigprop, sys/signalvar.h) of the modelled signals.
const (
	SaKill = 1 << iota
	SaCore
	SaStop
	SaCont
	SaIgnore
	SaToall
)

func Sigprop(sig uint8) int {
	switch sig {
	case model.SigKILL:
		return SaKill | SaToall
	case model.SigSTOP:
		return SaStop | SaToall
	case model.SigCONT:
		return SaIgnore | SaCont | SaToall
	case model.SigQUIT:
		return SaKill | SaCore
	}
	return SaKill // SIGUSR1
}

// caught reports whether the program has a handler for sig (SIG_CATCH);
// every other modelled signal takes its default action.
func Caught(sig uint8) bool { return sig == model.SigUSR1 }

// firstsig returns the lowest-numbered signal in set (SIGQUIT 3, SIGKILL 9,
// SIGSTOP 17, SIGCONT 19, SIGUSR1 30), or 0.
func Firstsig(set uint8) uint8 {
	for _, s := range [...]uint8{model.SigQUIT, model.SigKILL, model.SigSTOP, model.SigCONT, model.SigUSR1} {
		if set&s != 0 {
			return s
		}
	}
	return 0
}

// Sigispending mirrors Sigispending(l, 0): the first signal pending for
// the LWP or its process (no signal is masked or ignored in the model).
func Sigispending(k *model.K, slot int) uint8 {
	return Firstsig(k.S.LWPs[slot].SigPend | k.S.ProcOf(slot).SigPend)
}

// signotify mirrors signotify, kern_sig.c@1.405:1236: the LWP is locked.
func signotify(k *model.K, slot int) {
	defer k.In(k.In(FnSignotify))
	k.Assert(k.Owned(k.S.LWPs[slot].Mutex), 1238, "lwp_locked(l, NULL)")
	k.L(slot).Flag |= model.FlagPENDSIG // :1240
	hooks(k).LwpNeedUserret(k, slot)
}

// kpsignal2 mirrors kpsignal2, kern_sig.c@1.405:1304, with proc_lock and
// p_lock held. A: the signal; B: the target lid (0: process-directed);
// C: the index of the next LWP to post to.
func kpsignal2(k *model.K, f *model.Frame) {
	p := k.P()
	sig := f.A
	prop := Sigprop(sig)
	switch f.PC {
	case 0:
		k.At(1304, Kpsignal2What(sig))
		k.Assert(k.Owned(model.LockProcList), 1316, "mutex_owned(&proc_lock)")
		k.Assert(k.Owned(k.PLock()), 1317, "mutex_owned(p->p_lock)")
		if p.Stat != model.SACTIVE && p.Stat != model.SSTOP {
			k.Return(0) // :1326-1327
			return
		}
		lid := f.B
		if prop&SaToall != 0 {
			lid = 0 // :1340
		}
		if prop&SaCont != 0 {
			p.SigPend &^= model.SigSTOP // sigclear(stopsigmask) :1398
		}
		if prop&SaStop != 0 {
			p.SigPend &^= model.SigCONT // :1400
		}
		if lid != 0 {
			// LWP-private: post it to that LWP. :1425-1434
			if t := hooks(k).LwpFind(k, lid); t >= 0 {
				k.L(t).SigPend |= sig // sigput :1428
				k.Call(f, 9, FnSigpost, uint8(t), sig, 0)
				return
			}
			k.Return(0)
			return
		}
		deliver := false
		if p.Stat == model.SACTIVE && p.SFlag&model.PS_STOPPING == 0 {
			if prop&SaCont != 0 && !Caught(sig) {
				k.Return(0) // :1450-1451
				return
			}
		} else {
			switch {
			case prop&SaCont != 0 || sig == model.SigKILL:
				p.Stat = model.SACTIVE        // :1468
				p.SFlag &^= model.PS_STOPPING // :1469
				if prop&SaCont != 0 {
					p.XSig = model.SigCONT // :1482
					deliver = !Caught(sig) // :1485-1487
				}
			case prop&SaStop != 0:
				k.Return(0) // already stopped :1490-1495
				return
			}
		}
		if !deliver {
			p.SigPend |= sig // sigput(&p->p_sigpend) :1502
		}
		f.C, f.PC = 0, 1 // deliver: try each LWP :1515
	case 1:
		if f.C >= p.NList {
			k.Return(0)
			return
		}
		k.Call(f, 2, FnSigpost, p.Lwps[f.C]-1, sig, 0)
	case 2:
		if f.Ret != 0 && prop&SaToall == 0 {
			k.Return(0) // :1516-1517
			return
		}
		f.C++
		f.PC = 1
	case 9:
		k.Return(0)
	}
}

// sigpost mirrors sigpost, kern_sig.c@1.405:1116, with p_lock held. A: the
// LWP; B: the signal (its default or caught action follows from it).
// Returns 1 if the LWP may take the signal.
func sigpost(k *model.K, f *model.Frame) {
	i := int(f.A)
	l := k.L(i)
	prop := Sigprop(f.B)
	switch f.PC {
	case 0:
		k.Assert(k.Owned(k.PLock()), 1121, "mutex_owned(p->p_lock)")
		if l.Stat == model.LSZOMB {
			k.At(1127, "sigpost: zombie")
			k.Return(0) // :1127-1128
			return
		}
		LwpLockCall(k, f, 1, i) // :1132
	case 1:
		p := k.P()
		signotify(k, i) // :1146
		rv := uint8(0)
		switch l.Stat {
		case model.LSRUN, model.LSONPROC:
			rv = 1 // :1180
		case model.LSSLEEP:
			if l.Flag&model.FlagSINTR != 0 {
				k.Call(f, 2, FnSetrunnable, uint8(i), 0, 0) // :1186
				return
			}
		case model.LSSUSPENDED:
			if prop&SaKill != 0 && l.Flag&model.FlagWCORE != 0 {
				k.Call(f, 2, FnLwpContinue, uint8(i), 0, 0) // :1194
				return
			}
		case model.LSSTOP:
			switch {
			case prop&SaStop != 0: // :1200-1201
			case prop&SaCont != 0:
				if l.WChan != model.WChanNone {
					k.SetStat(i, model.LSSLEEP, 1209)
					p.NRLWPs++ // :1210
					rv = 1
					break
				}
				k.Call(f, 2, FnSetrunnable, uint8(i), 0, 0) // :1215
				return
			case l.WChan == model.WChanNone || l.Flag&model.FlagSINTR != 0:
				k.Call(f, 2, FnSetrunnable, uint8(i), 0, 0) // :1219
				return
			}
		}
		LwpUnlock(k, i, 1228)
		k.Return(rv)
	case 2:
		k.Return(1)
	}
}

// issignal mirrors issignal, kern_sig.c@1.405:1853, with p_lock held:
// stops the LWP if the process is stopping, takes default stop signals
// itself, and returns the next signal for postsig (0: none). A: a signal
// to discard at the top of the loop; B: 1 if it is the LWP's own, 2 the
// process's.
func issignal(k *model.K, f *model.Frame) {
	me := k.Cur
	l := k.L(me)
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1853, "issignal(l)")
		k.Assert(k.Owned(k.PLock()), 1866, "mutex_owned(p->p_lock)")
		f.A, f.PC = 0, 1
	case 1: // for (;;) :1868
		if f.A != 0 {
			Sigget(k, me, f.A, f.B) // :1870-1871
			f.A = 0
		}
		if p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0 {
			k.Call(f, 2, FnSigswitchAway, 0, 0, 0) // :1879-1880
			return
		}
		sig, from := Firstsig(l.SigPend), uint8(1) // :1897-1904
		if sig == 0 {
			sig, from = Firstsig(p.SigPend), 2 // :1905-1912
		}
		if sig == 0 {
			LwpLockCall(k, f, 3, me) // no signal: clear the indicator :1917
			return
		}
		switch {
		case Caught(sig):
			k.Return(sig) // postsig will run the handler :2045
		case Sigprop(sig)&SaStop != 0:
			Sigget(k, me, sig, from)             // :2032
			p.XSig = sig                         // :2033
			k.Call(f, 4, FnSigswitch, sig, 0, 0) // :2035-2036
		case Sigprop(sig)&SaIgnore != 0:
			f.A, f.B = sig, from // discard and look again :2038-2043
		default:
			k.Return(sig) // default action kills: postsig calls sigexit
		}
	case 2:
		if !k.Enter(k.PLock(), 1881, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 1
	case 3:
		l.Flag &^= model.FlagPENDSIG // :1918
		LwpUnlock(k, me, 1919)
		k.Return(0)
	case 4:
		// Back from the stop: signo was set to 0 (:2035) and the loop is
		// left (:2045, :2048), so issignal returns 0.
		if !k.Enter(k.PLock(), 2037, "mutex_enter(p->p_lock)") {
			return
		}
		k.Return(0)
	}
}

// sigget removes sig from the LWP's (from 1) or the process's (2) pending set.
func Sigget(k *model.K, slot int, sig, from uint8) {
	if from == 1 {
		k.L(slot).SigPend &^= sig
	} else {
		k.P().SigPend &^= sig
	}
}

// postsig mirrors postsig, kern_sig.c@1.405:2079,with p_lock held. A: the
// signal. A caught signal runs its handler in user space (nothing the
// model tracks); a default action is sigexit.
func postsig(k *model.K, f *model.Frame) {
	me := k.Cur
	switch f.PC {
	case 0:
		k.At(2092, "postsig(signo)")
		k.Assert(k.Owned(k.PLock()), 2092, "mutex_owned(p->p_lock)")
		if k.S.LWPs[me].SigPend&f.A != 0 {
			Sigget(k, me, f.A, 1) // :2127
		} else {
			Sigget(k, me, f.A, 2)
		}
		if !Caught(f.A) {
			k.Call(f, 1, FnSigexit, f.A, 0, 0) // :2146
			return
		}
		k.Return(0) // kpsendsig
	case 1:
		k.Assert(false, 2147, "NOTREACHED: sigexit returned")
	}
}

// sigswitch mirrors sigswitch, kern_sig.c@1.405:1721, entered with p_lock
// held (not proc_lock): stop the process if needed, let the last LWP to
// stop finish the stop, and switch away stopped. A: the signal.
func sigswitch(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1721, "sigswitch(ppmask, signo, false)")
		k.Assert(k.Owned(k.PLock()), 1726, "mutex_owned(p->p_lock)")
		k.Assert(k.Self().Stat == model.LSONPROC, 1727, "l->l_stat == LSONPROC")
		k.Assert(p.NRLWPs > 0, 1728, "p->p_nrlwps > 0")
		k.Assert(!k.Owned(model.LockProcList), 1733, "!mutex_owned(&proc_lock)")
		f.PC = 1
		if p.Stat == model.SACTIVE && p.SFlag&model.PS_STOPPING == 0 {
			k.Assert(f.A != 0, 1742, "signo != 0")
			k.Call(f, 1, FnProcStop, f.A, 0, 0) // :1743
		}
	case 1:
		k.Assert(p.NRLWPs > 0, 1744, "p->p_nrlwps > 0")
		if p.SFlag&model.PS_STOPPING == 0 {
			k.Call(f, 5, FnSigswitchAway, 0, 0, 0) // :1769
			return
		}
		if k.TryEnter(model.LockProcList, 1752, "mutex_tryenter(&proc_lock)") {
			f.PC = 3
			return
		}
		if k.Done() {
			return
		}
		k.Exit(k.PLock(), 1753)
		f.PC = 2
	case 2:
		if !k.Enter(model.LockProcList, 1754, "mutex_enter(&proc_lock)") {
			return
		}
		f.PC = 21
	case 21:
		if !k.Enter(k.PLock(), 1755, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 3
	case 3:
		if p.NRLWPs == 1 && p.SFlag&model.PS_STOPPING != 0 {
			procStopDone(k, 1763) // :1758-1763
		}
		k.Exit(model.LockProcList, 1766)
		k.Call(f, 5, FnSigswitchAway, 0, 0, 0) // :1769
	case 5:
		k.Return(0)
	}
}

// procStopDone mirrors proc_stop_done, kern_sig.c@1.405:1569, with
// proc_lock and p_lock held. child_psignal's brief release of p_lock to
// signal the parent is not modelled (the parent is outside the model).
func procStopDone(k *model.K, line int) {
	p := k.P()
	k.At(line, "proc_stop_done(p, ppmask)")
	defer k.In(k.In(FnProcStopDone))
	k.Assert(k.Owned(model.LockProcList), 1572, "mutex_owned(&proc_lock)")
	k.Assert(k.Owned(k.PLock()), 1573, "mutex_owned(p->p_lock)")
	k.Assert(p.SFlag&model.PS_STOPPING != 0, 1574, "(p->p_sflag & PS_STOPPING) != 0")
	k.Assert(p.NRLWPs == 0 || p.NRLWPs == 1, 1575, "p->p_nrlwps == 0 || p->p_nrlwps == 1")
	k.Assert(p.NRLWPs == 0 || k.Cur >= 0, 1576, "p->p_nrlwps == 0 || p == curproc")
	p.SFlag &^= model.PS_STOPPING // :1578
	p.Stat = model.SSTOP          // :1579
}

// sigswitchAway mirrors sigswitch_unlock_and_switch_away,
// kern_sig.c@1.405:1776: with p_lock held, stop if the process is stopping
// and switch away.
func sigswitchAway(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0:
		k.At(1776, "sigswitch_unlock_and_switch_away(l)")
		k.Assert(k.Owned(k.PLock()), 1783, "mutex_owned(p->p_lock)")
		k.Assert(!k.Owned(model.LockProcList), 1784, "!mutex_owned(&proc_lock)")
		k.Assert(k.Self().Stat == model.LSONPROC, 1786, "l->l_stat == LSONPROC")
		k.Assert(p.NRLWPs > 0, 1787, "p->p_nrlwps > 0")
		if p.Stat == model.SSTOP || p.SFlag&model.PS_STOPPING != 0 {
			p.NRLWPs--               // :1791
			LwpLockCall(k, f, 1, me) // :1792
			return
		}
		f.PC = 2
	case 1:
		st := k.Self().Stat
		k.Assert(st == model.LSONPROC || st == model.LSSLEEP, 1793, "l->l_stat == LSONPROC || l->l_stat == LSSLEEP")
		k.SetStat(me, model.LSSTOP, 1794)
		LwpUnlock(k, me, 1795)
		f.PC = 2
	case 2:
		k.Exit(k.PLock(), 1798)
		LwpLockCall(k, f, 3, me) // :1799
	case 3:
		if !k.Enter(k.SpcMutex(int(k.Self().CPU)), 1800, "spc_lock(l->l_cpu)") {
			return
		}
		k.Call(f, 4, FnMiSwitch, 0, 0, 0) // :1801
	case 4:
		k.Return(0)
	}
}

// procStop mirrors proc_stop, kern_sig.c@1.405:2404, with p_lock held: set
// the process stopping, stop the interruptible sleepers, and have the
// others take the stop signal. A: the signal; C: loop index.
func procStop(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		k.At(2404, "proc_stop(p, signo)")
		k.Assert(k.Owned(k.PLock()), 2408, "mutex_owned(p->p_lock)")
		p.SFlag |= model.PS_STOPPING // :2415
		f.C, f.PC = 0, 1
	case 1, 2: // proc_stop_lwps :2418 (kern_sig.c:1546-1561)
		stopLwpsCase(k, f, 3)
	case 3:
		if p.NRLWPs == 0 {
			procStopDone(k, 2427) // :2426-2427
			k.Return(0)
			return
		}
		f.C, f.PC = 0, 4
	case 4: // sigpost each LWP :2433-2434
		if f.C >= p.NList {
			k.Return(0) // callout_schedule(&proc_stop_ch, 1) :2436: see the callout
			return
		}
		k.Call(f, 5, FnSigpost, p.Lwps[f.C]-1, f.A, 0)
	case 5:
		f.C++
		f.PC = 4
	}
}

// stopLwpsCase runs proc_stop_lwps, kern_sig.c@1.405:1546, as cases 1 and 2
// of the calling routine (index in C), going to done when finished: each
// interruptible sleeper becomes LSSTOP.
func stopLwpsCase(k *model.K, f *model.Frame, done uint8) {
	p := k.P()
	switch f.PC {
	case 1:
		k.In(FnProcStopLwps)
		if f.C == 0 {
			k.Assert(k.Owned(k.PLock()), 1550, "mutex_owned(p->p_lock)")
			k.Assert(p.SFlag&model.PS_STOPPING != 0, 1551, "(p->p_sflag & PS_STOPPING) != 0")
		}
		if f.C >= p.NList {
			f.PC = done
			return
		}
		LwpLockCall(k, f, 2, int(p.Lwps[f.C])-1) // :1554
	case 2:
		i := int(p.Lwps[f.C]) - 1
		l := k.L(i)
		k.In(FnProcStopLwps)
		if l.Stat == model.LSSLEEP && l.Flag&model.FlagSINTR != 0 {
			k.SetStat(i, model.LSSTOP, 1556)
			p.NRLWPs-- // :1557
		}
		LwpUnlock(k, i, 1559)
		f.C++
		f.PC = 1
	}
}

// procStopCallout mirrors proc_stop_callout, kern_sig.c@1.405:2462: every
// tick while the process is stopping, stop its interruptible sleepers and
// finish the stop if nothing runs. One atomic clock event.
func procStopCallout(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Enter(model.LockProcList, 2473, "proc_stop_callout: mutex_enter(&proc_lock)") ||
			!k.Enter(k.PLock(), 2475, "mutex_enter(p->p_lock)") {
			return
		}
		f.C, f.PC = 0, 1
	case 1, 2:
		stopLwpsCase(k, f, 3) // :2483
	case 3:
		if p.NRLWPs == 0 {
			procStopDone(k, 2496)
		}
		k.Exit(k.PLock(), 2500)
		k.Exit(model.LockProcList, 2504)
		k.Return(0)
	}
}

// stopping reports whether proc_stop_callout has work: process p is
// stopping.
func stopping(s *model.State, p int) bool { return s.Procs[p].SFlag&model.PS_STOPPING != 0 }

// sigexit mirrors sigexit, kern_sig.c@1.405:2248, with p_lock held. A: the
// signal; C: loop index.
func sigexit(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	docore := Sigprop(f.A)&SaCore != 0
	switch f.PC {
	case 0:
		k.At(2248, "sigexit(l, signo)")
		k.Assert(k.Owned(k.PLock()), 2256, "mutex_owned(p->p_lock)")
		switch {
		case p.SFlag&model.PS_WCORE != 0:
			LwpLockCall(k, f, 1, me) // :2265-2266
		case p.SFlag&model.PS_WEXIT != 0:
			k.Exit(k.PLock(), 2277)
			k.Call(f, 98, FnLwpExit, uint8(me), 0, 0) // :2278
		case docore:
			p.SFlag |= model.PS_WCORE // :2288
			f.C, f.PC = 0, 3
		default:
			f.PC = 10
		}
	case 1:
		k.Self().Flag |= model.FlagWCORE | model.FlagWEXIT | model.FlagWSUSPEND // :2267
		LwpUnlock(k, me, 2268)
		k.Exit(k.PLock(), 2269)
		k.Call(f, 97, FnLwpUserret, 0, 0, 0) // :2270
	case 3: // LIST_FOREACH(t, &p->p_lwps) :2290
		if f.C >= p.NList {
			f.PC = 6
			return
		}
		LwpLockCall(k, f, 4, int(p.Lwps[f.C])-1) // :2291
	case 4:
		t := int(p.Lwps[f.C]) - 1
		tl := k.L(t)
		if t == me {
			tl.Flag &^= model.FlagWSUSPEND | model.FlagDBGSUSPEND // :2293
			LwpUnlock(k, t, 2295)
			f.C++
			f.PC = 3
			return
		}
		tl.Flag |= model.FlagWCORE | model.FlagWEXIT // :2298
		k.Call(f, 5, FnLwpSuspend, uint8(t), 0, 0)   // :2299
	case 5:
		f.C++
		f.PC = 3
	case 6:
		if p.NRLWPs == 1 {
			f.PC = 10 // :2302-2303
			return
		}
		p.NLWPWait++ // :2309
		k.Self().Ghost |= model.GhostWait
		k.Call(f, 7, FnCvBroadcast, 0, 0, 0) // :2310
	case 7:
		k.Call(f, 8, FnCvWait, CvWaitPlain, 0, 0) // :2311
	case 8:
		p.NLWPWait-- // :2312
		k.Self().Ghost &^= model.GhostWait
		f.C, f.PC = 0, 3
	case 10:
		if docore {
			k.Exit(k.PLock(), 2323) // coredump() runs unlocked :2324
			f.PC = 11
			return
		}
		f.PC = 12
	case 11:
		if !k.Enter(k.PLock(), 2345, "mutex_enter(p->p_lock)") {
			return
		}
		f.PC = 12
	case 12:
		p.SFlag &^= model.PS_WCORE        // :2351
		k.Call(f, 99, FnExit1, f.A, 0, 0) // :2353
	case 97:
		k.Assert(false, 2271, "panic(\"sigexit 1\")")
	case 98:
		k.Assert(false, 2279, "panic(\"sigexit 2\")")
	case 99:
		k.Assert(false, 2354, "NOTREACHED: exit1 returned")
	}
}

// envSignal is the environment's kill(2) of the whole process: the sender
// takes proc_lock and p_lock and calls kpsignal2 (C: the event kind).
// kpsignal2Whats name kpsignal2's step with the signal it posts, one
// per signal bit (made once: a step must not allocate).
var kpsignal2Whats = func() (w [8]string) {
	for i := range w {
		w[i] = "kpsignal2(p, ksi): " + model.SigNames(1<<i)
	}
	return w
}()

// Kpsignal2What is what kpsignal2's first step does, the signal named:
// "kpsignal2(p, ksi): SIGSTOP", so that a listing tells a stop from a
// continue.
func Kpsignal2What(sig uint8) string { return kpsignal2Whats[bits.TrailingZeros8(sig)&7] }

func envSignal(k *model.K, f *model.Frame) {
	switch f.PC {
	case 0:
		if !k.Enter(model.LockProcList, 0, "kill(2): mutex_enter(&proc_lock)") || !k.Enter(k.PLock(), 0, "mutex_enter(p->p_lock)") {
			return
		}
		sig := [...]uint8{model.EnvStop: model.SigSTOP, model.EnvCont: model.SigCONT,
			model.EnvExit: model.SigKILL, model.EnvCore: model.SigQUIT}[f.C]
		k.Call(f, 1, FnKpsignal2, sig, 0, 0)
	case 1:
		k.Exit(k.PLock(), 0)
		k.Exit(model.LockProcList, 0)
		k.Return(0)
	}
}

// envTimeout is a park timeout (or the clock tick of a cv_timedwait)
// firing: sleepq_timeout, kern_sleepq.c@1.87:505. A: the sleeper. A
// timeout that finds the LWP already awake does nothing and is not
// offered.
func envTimeout(k *model.K, f *model.Frame) {
	i := int(f.A)
	switch f.PC {
	case 0:
		k.At(505, "sleepq_timeout(l)")
		LwpLockCall(k, f, 1, i) // :513
	case 1:
		l := k.L(i)
		if l.WChan == model.WChanNone {
			k.Blocked() // somebody beat us to it :515-522
			return
		}
		l.Flag |= model.FlagSTIMO                  // :525
		k.Call(f, 2, FnLwpUnsleep, uint8(i), 1, 0) // :526
	case 2:
		k.Return(0)
	}
}

// envMigrate is another process moving an LWP (sched_setaffinity): with
// p_lock held, lwp_lock and lwp_migrate. A: the LWP; B: the target CPU.
func envMigrate(k *model.K, f *model.Frame) {
	i := int(f.A)
	switch f.PC {
	case 0:
		if !k.Enter(k.PLock(), 0, "sched_setaffinity: mutex_enter(p->p_lock)") {
			return
		}
		LwpLockCall(k, f, 1, i)
	case 1:
		hooks(k).LwpMigrate(k, i, int(f.B))
		k.Exit(k.PLock(), 0)
		k.Return(0)
	}
}
