package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// Routines of kern_lwp.c 1.73 (seed 002) whose C differs from
// kern_lwp.c 1.101.2.1's; the others are netbsd-5's, placed at their lines
// here (rev.go). The process lock is p_smutex, the model's LockProc; the
// list lock the model takes is proclist_mutex (LockProcList).
// proclist_lock, an adaptive mutex that newlwp and lwp_exit take before
// proclist_mutex around the global LWP list (:640, :742) with nothing else
// held, covers nothing the model tracks and is left out.

// newlwp mirrors newlwp, kern_lwp.c@1.73:547: reuse a detached zombie's
// structure or take a free one, make it LSIDL on the scheduler lock of
// the CPU sched_takecpu picks (the creator's, under SCHED_4BSD), give it
// the lid ++p_nlwpid and put it on p_lwps. p_nrlwps is left to the
// caller. A: 1 if detached; B: the new LWP's name; C: its slot+1.
func newlwp(k *model.K, f *model.Frame) {
	p := k.P()
	switch f.PC {
	case 0:
		if !k.Cut(559, "p2->p_zomblwp != NULL (unlocked)") {
			return
		}
		f.C, f.PC = 0, 3
		if p.ZombLWP != 0 {
			f.PC = 1
		}
	case 1:
		if !k.Enter(k.PLock(), 560, "mutex_enter(&p2->p_smutex)") {
			return
		}
		if z := p.ZombLWP; z != 0 {
			// Reap the detached zombie and reuse its structure. :561-563
			p.ZombLWP = 0
			f.C = z
			k.Call(f, 3, nb.FnLwpFree, z-1, 1, 0) // releases p_smutex
			return
		}
		k.Exit(k.PLock(), 565)
		f.PC = 3
	case 3:
		i := int(f.C) - 1
		if i < 0 {
			if i = nb.FreeSlot(k.S); i < 0 {
				k.Bug("more LWP structures than the model holds")
				return
			}
		}
		l := k.L(i)
		// memset(l2, 0) :569, :577; LSIDL :581, l_refcnt = 1 :583; then
		// sched_takecpu (:599), which under SCHED_4BSD keeps the
		// creator's CPU, and its spc_mutex (:600). The structure is the
		// creator's alone until it is on p_lwps. lwp_update_creds (:605)
		// takes p_mutex, which covers nothing the model tracks.
		cpu := k.Self().CPU
		*l = model.LWP{Gen: l.Gen + 1, Name: f.B, Proc: uint8(k.Pid()), Stat: model.LSIDL, RefCnt: 1, CPU: cpu,
			Mutex: k.SpcMutex(int(cpu))}
		l.Depth, l.Frames[0] = 1, model.Frame{Fn: nb.FnStartLWP} // uvm_lwp_fork :616: starts in lwp_startup
		f.C, f.PC = uint8(i+1), 4
	case 4:
		if !k.Enter(k.PLock(), 619, "mutex_enter(&p2->p_smutex)") {
			return
		}
		i := int(f.C) - 1
		l := k.L(i)
		if f.A != 0 {
			l.PRFlag = model.LPR_DETACHED // :622
			p.NDLWPs++                    // :623
		}
		l.Lid = p.NextLid // ++p2->p_nlwpid :631-634 (NextLid is p_nlwpid+1)
		p.NextLid++
		copy(p.Lwps[1:], p.Lwps[:p.NList]) // LIST_INSERT_HEAD :635
		p.Lwps[0] = uint8(i + 1)
		p.NList++
		l.PidSlot = 1 // lwp_find finds it on p_lwps from now on
		p.NLWPs++     // :636
		k.Exit(k.PLock(), 638)
		f.PC = 5
	case 5:
		if !k.Enter(model.LockProcList, 641, "mutex_enter(&proclist_mutex)") {
			return
		}
		k.Exit(model.LockProcList, 643) // LIST_INSERT_HEAD(&alllwp) :642
		k.Return(uint8(f.C - 1))        // :651
	}
}

// lwpExitSwitchaway mirrors lwp_exit_switchaway, kern_lwp.c@1.73:820: the
// zombie clears LW_RUNNING and switches to the idle LWP without a lock
// (idlelwp->l_stat = LSONPROC :832; cpu_switchto(NULL, idlelwp) :833: the
// idle LWP resumes with nothing to unlock). A: the exiting LWP.
func lwpExitSwitchaway(k *model.K, f *model.Frame) {
	l := k.L(int(f.A))
	switch f.PC {
	case 0:
		if !k.Cut(829, "l->l_flag &= ~LW_RUNNING") {
			return
		}
		l.Flag &^= model.FlagRUNNING
		f.PC = 1
	case 1:
		if !k.Cut(833, "cpu_switchto(NULL, idlelwp)") {
			return
		}
		k.S.CPUs[k.CPU].Cur = 0
		f.PC = 2
		k.OffCPU()
	case 2:
		k.Assert(false, 833, "a zombie ran again after cpu_switchto")
	}
}
