package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/model/netbsd/netbsd5"
)

// docs holds what kern_lwp.c 1.73, lwp.h 1.56.2.10 and proc.h 1.250
// document, and the ERRORS sections of the man pages of 2007
// (docs/evidence/manpages.md).
var docs = &model.Docs{
	LockOrder: model.Order{
		Chains: []model.LockChain{
			{Classes: []model.LockClass{model.ClassLwplock, model.ClassSleepq, model.ClassSpcMutex},
				Source: "kern_lwp.c@1.73:183-188 \"spc_lwplock -> sq_mutex -> tc_mutex -> spc_mutex\" (turnstiles are not modelled)"},
			{Classes: []model.LockClass{model.ClassLwplock, model.ClassParkSleepq, model.ClassSpcMutex},
				Source: "kern_lwp.c@1.73:183-188, for lwp_park_tab's sleep queues (sys_lwp.c@1.16:69)"},
			{Classes: []model.LockClass{model.ClassProcList, model.ClassProc},
				Source: "from the code: proclist_mutex before p_smutex (sys_lwp.c@1.16:335-336, sys__lwp_kill)"},
			{Classes: []model.LockClass{model.ClassProc, model.ClassLwplock},
				Source: "from the code: p_smutex before the LWP locks, lwp_find then lwp_lock (sys_lwp.c@1.16:188-201), " +
					"and p_smutex is the interlock of p_lwpcv (kern_condvar.c@1.11:116-120)"},
		},
		TrySites: []model.Site{
			{At: "kern_sig.c@1.256.2.2:1502", Source: "sigswitch: mutex_tryenter(&proclist_mutex) with p_smutex held; on failure it drops p_smutex first (:1503-1505)"},
		},
	},
	StateLocks: []model.StateLock{
		{Stat: model.LSIDL, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.73:161-164"},
		{Stat: model.LSZOMB, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.73:161-164"},
		{Stat: model.LSONPROC, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.73:161-164"},
		{Stat: model.LSRUN, Rule: model.SpcMutexOfCPU, Source: "kern_lwp.c@1.73:166-169"},
		{Stat: model.LSSLEEP, Rule: model.SleepLock, Source: "kern_lwp.c@1.73:171-174"},
		{Stat: model.LSSTOP, Rule: model.SleepLockOrLwplock, Source: "kern_lwp.c@1.73:176-181"},
		{Stat: model.LSSUSPENDED, Rule: model.SleepLockOrLwplock, Source: "kern_lwp.c@1.73:176-181"},
	},
	ProcLocked: []uint8{model.LSIDL, model.LSZOMB, model.LSSTOP, model.LSSUSPENDED},
	Transitions: []model.Transition{
		{From: model.LSRUN, To: model.LSONPROC, Source: "kern_lwp.c@1.73:130"},
		{From: model.LSRUN, To: model.LSSTOP, Source: "kern_lwp.c@1.73:131"},
		{From: model.LSRUN, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.73:132"},
		{From: model.LSONPROC, To: model.LSRUN, Source: "kern_lwp.c@1.73:130"},
		{From: model.LSONPROC, To: model.LSSLEEP, Source: "kern_lwp.c@1.73:131"},
		{From: model.LSONPROC, To: model.LSSTOP, Source: "kern_lwp.c@1.73:132"},
		{From: model.LSONPROC, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.73:133"},
		{From: model.LSONPROC, To: model.LSZOMB, Source: "kern_lwp.c@1.73:134"},
		{From: model.LSONPROC, To: model.LSIDL, KernelOnly: true, Source: "kern_lwp.c@1.73:144-146 (kernel threads only)"},
		{From: model.LSSTOP, To: model.LSRUN, Source: "kern_lwp.c@1.73:136"},
		{From: model.LSSTOP, To: model.LSSLEEP, Source: "kern_lwp.c@1.73:137"},
		{From: model.LSSUSPENDED, To: model.LSRUN, Source: "kern_lwp.c@1.73:136"},
		{From: model.LSSUSPENDED, To: model.LSSLEEP, Source: "kern_lwp.c@1.73:137"},
		{From: model.LSSLEEP, To: model.LSONPROC, Source: "kern_lwp.c@1.73:139"},
		{From: model.LSSLEEP, To: model.LSRUN, Source: "kern_lwp.c@1.73:140"},
		{From: model.LSSLEEP, To: model.LSSTOP, Source: "kern_lwp.c@1.73:141"},
		{From: model.LSSLEEP, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.73:142"},
		{From: model.LSIDL, To: model.LSRUN, Source: "kern_lwp.c@1.73:139"},
		{From: model.LSIDL, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.73:140"},
		{From: model.LSIDL, To: model.LSSTOP, Source: "kern_lwp.c@1.73:141"},
	},
	ManPages: manPages(),
	Counters: []model.CounterRule{
		{Counter: model.NLWPs, Doc: "the LWPs on p_lwps",
			Source: "kern_lwp.c@1.73:635-636, 858-859"},
		{Counter: model.NRLWPs, Stats: model.Stats(model.LSRUN, model.LSONPROC, model.LSSLEEP),
			Doc: "the LWPs in LSRUN, LSONPROC or LSSLEEP",
			Source: "kern_lwp.c@1.73:198-201; newlwp does not count the new LSIDL LWP (:547-651): " +
				"sys__lwp_create counts it when it makes it LSRUN (sys_lwp.c@1.16:127)"},
		{Counter: model.NZLWPs, Ghost: model.GhostZomb,
			Doc:    "the LWPs lwp_exit has counted as zombies (from :717, before LSZOMB)",
			Source: "kern_lwp.c@1.73:709-717, 860"},
		{Counter: model.NDLWPs, Detached: true, Doc: "the detached LWPs",
			Source: "kern_lwp.c@1.73:621-623, 861-862; sys_lwp.c@1.16:386-387"},
		{Counter: model.NLWPWait, Ghost: model.GhostWait,
			Doc:    "the LWPs inside lwp_wait1 (or sigexit's wait for the others to stop)",
			Source: "kern_lwp.c@1.73:378, 467, 534; kern_sig.c@1.256.2.2:1940-1943"},
	},
	// The markings of lwp.h@1.56.2.10:58-69 ("l: *l_mutex", "p:
	// l_proc->p_smutex") and proc.h 1.250 ("s: p_smutex") are netbsd-5's,
	// with p_smutex for p_lock.
	Fields: netbsd5.Netbsd5.Docs.Fields,
	Sources: map[string]string{
		"p_zomblwp":        "kern_lwp.c@1.73:758-768",
		"lock-order":       "kern_lwp.c@1.73:183-188, with proclist_mutex -> p_smutex -> LWP locks from the code (sys_lwp.c@1.16:335-336, 188-201)",
		"l_mutex-state":    "kern_lwp.c@1.73:159-181",
		"l_stat-locked":    "kern_lwp.c@1.73:154-157",
		"l_stat-p_lock":    "kern_lwp.c@1.73:190-196 (it names p_mutex; the code and :190 use p_smutex)",
		"field-locked":     "lwp.h@1.56.2.10:58-69 and proc.h 1.250 field markings",
		"transition":       "kern_lwp.c@1.73:128-146",
		"manpage-errno":    "the _lwp_*.2 ERRORS sections of 2007 (docs/evidence/manpages.md)",
		"kassert":          "the KASSERTs of each modelled routine, cited where they fail",
		"lock-order-cycle": "the lock-class graph of every explored interleaving",
	},
	Known: []model.Known{
		{Name: "l_mutex-state/LSIDL",
			Why:    "newlwp leaves the new LSIDL LWP on its CPU's spc_mutex (the scheduler lock), where the comment puts it on spc_lwplock",
			Source: "kern_lwp.c@1.73:587-588, 599-600; the table :161-164 covers LSIDL by spc_lwplock"},
		{Name: "l_mutex-state/LSSTOP",
			Why:    "sys__lwp_create makes a new LWP of a stopping process LSSTOP on the scheduler lock newlwp gave it",
			Source: "sys_lwp.c@1.16:119-124, kern_lwp.c@1.73:600; the table :176-181 covers a stopped LWP not on a sleep queue by spc_lwplock"},
		{Name: "l_mutex-state/LSSUSPENDED",
			Why:    "sys__lwp_create makes a new LWP created suspended (or by a creator being suspended or exiting) LSSUSPENDED on the scheduler lock newlwp gave it",
			Source: "sys_lwp.c@1.16:119-132, kern_lwp.c@1.73:600; the table :176-181 covers a suspended LWP not on a sleep queue by spc_lwplock"},
		{Name: "lock-order/sleepq->spc_lwplock",
			Why:    "cv_enter takes the sleep queue's lock, then sleepq_enter locks the sleeping LWP (its spc_lwplock): the code takes sq_mutex before spc_lwplock, the order kern_lwp.c@1.270:195-197 later documents",
			Source: "kern_condvar.c@1.11:116-118, sleepq.h@1.6:155-156; the comment kern_lwp.c@1.73:183-188 puts spc_lwplock first"},
		{Name: "lock-order/park_sleepq->spc_lwplock",
			Why:    "sys__lwp_park locks lwp_park_tab's queue, then the parking LWP",
			Source: "sys_lwp.c@1.16:449, 455; the comment kern_lwp.c@1.73:183-188 puts spc_lwplock first"},
		{Name: "field-locked/l_flag",
			Why:    "lwp_exit_switchaway clears LW_RUNNING in l_flag holding no lock; a locked update of l_flag by another CPU at that moment (exit_lwps sets LW_WEXIT on zombies too) could be lost, and lwp_free would then spin on LW_RUNNING for good (the model takes each update as one step)",
			Source: "kern_lwp.c@1.73:829, kern_exit.c@1.171.2.1:636-637, kern_lwp.c@1.73:879-885; lwp.h@1.56.2.10:82 marks l_flag l: (*l_mutex)"},
		{Name: "transition/LSSTOP->LSONPROC",
			Why:    "setrunnable marks an LWP still on its CPU (LW_RUNNING) LSONPROC; SIGCONT, a signal that resumes the process, or exit_lwps reaches it between sigswitch's LSSTOP and its mi_switch",
			Source: "kern_synch.c@1.192:572-576, kern_sig.c@1.256.2.2:1531-1541; the diagram kern_lwp.c@1.73:136-137 has STOPPED -> RUN, SLEEP"},
		{Name: "manpage-errno/_lwp_create/EFAULT",
			Why:    "the copyout of the new lid comes after the LWP is set running, stopped or suspended; when it faults, _lwp_create returns EFAULT and the LWP lives on, its lid unknown to the caller",
			Source: "sys_lwp.c@1.16:118-138; _lwp_create.2 1.2: no LWP is created on error"},
		{Name: "manpage-errno/_lwp_wait/ESRCH",
			Why:    "with no other LWP to wait for, lwp_wait1 finds nfound == 0 and returns ESRCH",
			Source: "kern_lwp.c@1.73:479-482; _lwp_wait.2 1.1.2.3: EDEADLK when the caller is the only LWP"},
		{Name: "manpage-errno/_lwp_wait/EDEADLK",
			Why:    "lwp_wait1 returns EDEADLK whenever the LWPs that run, sleep or are zombies, detached ones aside, are no more than those waiting: also when the others are stopped or suspended, and whenever the process is exiting",
			Source: "kern_lwp.c@1.73:502-506; _lwp_wait.2 1.1.2.3: EDEADLK when the caller is the only LWP or waits for itself"},
	},
}

// manPages are the pages of 2007: netbsd-5's where the text of 2008 is the
// oldest stored (its ERRORS sections are those of 2007, but for
// _lwp_park's ESRCH), and the 2007 revision where one is stored.
func manPages() []model.ManPage {
	older := map[model.OpKind]model.ManPage{
		model.OpCreate: {Op: model.OpCreate, Page: "_lwp_create.2 1.2 (2003-01-18, current in 2007)", Source: "NetBSD/src@bca2582d4f28", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EAGAIN, When: "the limit on LWPs would be exceeded; no LWP is created", Holds: nb.NoLWPCreated},
			{Errno: model.ENOMEM, When: "insufficient swap space; no LWP is created", Holds: nb.NoLWPCreated},
			{Errno: model.EFAULT, When: "context or new_lwp is outside the address space; no LWP is created", Holds: nb.NoLWPCreated},
		}},
		model.OpWait: {Op: model.OpWait, Page: "_lwp_wait.2 1.1.2.3 (2003-01-15, current in 2007)", Source: "NetBSD/src@22ac68948846", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no undetached LWP corresponds to wlwp (not when the caller is the only LWP: EDEADLK)", Holds: nb.NotOnlyLWP},
			{Errno: model.EDEADLK, When: "the caller is the only LWP, or wlwp is the caller", Holds: nb.OnlyLWPOrSelf},
			{Errno: model.EINTR, When: "interrupted by a caught signal"},
		}},
		model.OpWakeup: {Op: model.OpWakeup, Page: "_lwp_wakeup.2 1.3 (2003-01-31, current in 2007)", Source: "NetBSD/src@d4700a47e634", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
			{Errno: model.ENODEV, When: "the LWP is not in LSSLEEP"},
			{Errno: model.EBUSY, When: "the LWP is in an uninterruptible sleep"},
		}},
		model.OpDetach: {Op: model.OpDetach, Page: "_lwp_detach.2 1.2 (2007-01-20)", Source: "NetBSD/src@0a4737c5de89", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EINVAL, When: "the LWP is already detached"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		model.OpPark: {Op: model.OpPark, Page: "_lwp_park.2 1.3 (2007-01-20)", Source: "NetBSD/src@05b3eec0671c", Results: []model.DocResult{
			{Errno: model.OK, When: "\"may return a value of 0\" (RETURN VALUES)"},
			{Errno: model.EALREADY, When: "a wake request arrived before the LWP began to wait"},
			{Errno: model.EINTR, When: "awoken by a signal, _lwp_unpark, _lwp_unpark_all or _lwp_wakeup"},
			{Errno: model.EINVAL, When: "the time value in abstime is invalid"},
			{Errno: model.ETIMEDOUT, When: "the time in abstime has passed"},
		}},
	}
	var out []model.ManPage
	for _, mp := range netbsd5.Netbsd5.Docs.ManPages {
		switch mp.Op {
		case model.OpSetname, model.OpGetname, model.OpCtl:
			continue // no such call in sys_lwp.c 1.16
		}
		if o, ok := older[mp.Op]; ok {
			mp = o
		}
		out = append(out, mp)
	}
	return out
}
