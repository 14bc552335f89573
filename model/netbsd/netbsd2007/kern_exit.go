package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// exit1 mirrors exit1, kern_exit.c@1.171.2.1:197, with p_smutex held:
// make the other LWPs exit, tear the process down and become its zombie.
// Unlike 1.202.4.1's, the teardown holds the adaptive proclist_lock
// (:348-578), which covers nothing the model tracks, and takes
// proclist_mutex only around process-list work the model leaves out
// (:374-377, :416-418, :492-511, :538-540); neither is modelled. A: the
// signal (0 for a normal exit). PS_STOPEXIT (:227) is never set in the
// model.
func exit1(k *model.K, f *model.Frame) {
	me := k.Cur
	p := k.P()
	switch f.PC {
	case 0:
		k.At(197, "exit1(l, rv)")
		k.Assert(k.Owned(k.PLock()), 207, "mutex_owned(&p->p_smutex)")
		p.SFlag |= model.PS_WEXIT // :213
		f.PC = 1
		if p.NLWPs > 1 {
			k.Call(f, 1, nb.FnExitLwps, 0, 0, 0) // :219-220
		}
	case 1:
		k.Exit(k.PLock(), 240)
		f.PC = 2
	case 2:
		if !k.Enter(k.PLock(), 257, "mutex_enter(&p->p_smutex)") {
			return
		}
		// Bin remaining signals, mark the process dying. :258-260
		p.SigPend = 0
		for i := range k.S.LWPs {
			if int(k.S.LWPs[i].Proc) == k.Pid() {
				k.S.LWPs[i].SigPend = 0
			}
		}
		p.Stat = model.SDYING // :260
		p.ExitSig = f.A
		k.Exit(k.PLock(), 261)
		f.PC = 4
	case 4:
		if !k.Enter(k.PLock(), 350, "mutex_enter(&p->p_smutex)") {
			return
		}
		k.Exit(k.PLock(), 355) // PS_PPWAIT :351-354: no parent waits in vfork
		f.PC = 5
	case 5:
		if !k.Enter(k.PLock(), 559, "mutex_enter(&p->p_smutex)") {
			return
		}
		k.Call(f, 6, nb.FnLwpDrainrefs, uint8(me), 0, 0) // :560
	case 6:
		nb.LwpLockCall(k, f, 7, me) // :561
	case 7:
		k.Self().PRFlag &^= model.LPR_DETACHED // :562
		k.SetStat(me, model.LSZOMB, 563)
		nb.LwpUnlock(k, me, 564)
		k.Assert(p.NRLWPs == 1, 566, "p->p_nrlwps == 1")
		k.Assert(p.NLWPs == 1, 567, "p->p_nlwps == 1")
		p.Stat = model.SZOMB // :568
		p.NRLWPs--           // :569
		p.NZLWPs++           // :570
		k.Self().Ghost |= model.GhostZomb
		p.NDLWPs = 0 // :571
		k.Exit(k.PLock(), 572)
		// The process is gone. Its zombie switches away for good, which
		// matters only to the processes still running.
		k.Call(f, 8, nb.FnLwpExitSwitchaway, uint8(me), 0, 0) // :609
	case 8:
		k.Assert(false, 610, "exit1 returned")
	}
}
