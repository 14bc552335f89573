package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// docs holds what kern_lwp.c 1.101.2.1 and lwp.h 1.89.2.4 document, and the
// ERRORS sections of the man pages of 2008 (docs/evidence/manpages.md).
var docs = &model.Docs{
	LockOrder: model.Order{
		Chains: []model.LockChain{
			{Classes: []model.LockClass{model.ClassLwplock, model.ClassSleepq, model.ClassSpcMutex},
				Source: "kern_lwp.c@1.101.2.1:176-181 \"spc_lwplock -> sq_mutex -> tc_mutex -> spc_mutex\" (turnstiles are not modelled)"},
			{Classes: []model.LockClass{model.ClassLwplock, model.ClassParkSleepq, model.ClassSpcMutex},
				Source: "kern_lwp.c@1.101.2.1:176-181, for lwp_park_tab's sleep queues (sys_lwp.c@1.43.4.1:65)"},
			{Classes: []model.LockClass{model.ClassProcList, model.ClassProc},
				Source: "from the code: proc_lock before p_lock (sys_lwp.c@1.43.4.1:391-392, sys__lwp_kill)"},
			{Classes: []model.LockClass{model.ClassProc, model.ClassLwplock},
				Source: "from the code: p_lock before the LWP locks, lwp_find then lwp_lock (sys_lwp.c@1.43.4.1:206-227), " +
					"and p_lock is the interlock of p_lwpcv (kern_condvar.c@1.16.2.1:109-113)"},
		},
		ByAddress: []model.ClassRule{
			{Class: model.ClassSpcMutex, Source: "spc_dlock takes two CPUs' spc_mutex lower address first (lwp.h@1.89.2.4:418-431), for mi_switch's migration (kern_synch.c@1.227.2.1:594)"},
		},
		TrySites: []model.Site{
			{At: "kern_sig.c@1.256.2.2:1502", Source: "sigswitch: mutex_tryenter(&proc_lock) with p_lock held; on failure it drops p_lock first (:1503-1505)"},
		},
	},
	StateLocks: []model.StateLock{
		{Stat: model.LSONPROC, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.101.2.1:154-157"},
		{Stat: model.LSZOMB, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.101.2.1:154-157"},
		{Stat: model.LSIDL, Rule: model.SpcMutexOfCPU, Source: "kern_lwp.c@1.101.2.1:159-162"},
		{Stat: model.LSRUN, Rule: model.SpcMutexOfCPU, Source: "kern_lwp.c@1.101.2.1:159-162"},
		{Stat: model.LSSLEEP, Rule: model.SleepLock, Source: "kern_lwp.c@1.101.2.1:164-167"},
		{Stat: model.LSSTOP, Rule: model.SleepLockOrLwplock, Source: "kern_lwp.c@1.101.2.1:169-174"},
		{Stat: model.LSSUSPENDED, Rule: model.SleepLockOrLwplock, Source: "kern_lwp.c@1.101.2.1:169-174"},
	},
	ProcLocked: []uint8{model.LSIDL, model.LSZOMB, model.LSSTOP, model.LSSUSPENDED},
	Transitions: []model.Transition{
		{From: model.LSRUN, To: model.LSONPROC, Source: "kern_lwp.c@1.101.2.1:123"},
		{From: model.LSRUN, To: model.LSSTOP, Source: "kern_lwp.c@1.101.2.1:124"},
		{From: model.LSRUN, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.101.2.1:125"},
		{From: model.LSONPROC, To: model.LSRUN, Source: "kern_lwp.c@1.101.2.1:123"},
		{From: model.LSONPROC, To: model.LSSLEEP, Source: "kern_lwp.c@1.101.2.1:124"},
		{From: model.LSONPROC, To: model.LSSTOP, Source: "kern_lwp.c@1.101.2.1:125"},
		{From: model.LSONPROC, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.101.2.1:126"},
		{From: model.LSONPROC, To: model.LSZOMB, Source: "kern_lwp.c@1.101.2.1:127"},
		{From: model.LSONPROC, To: model.LSIDL, KernelOnly: true, Source: "kern_lwp.c@1.101.2.1:137-139 (kernel threads only)"},
		{From: model.LSSTOP, To: model.LSRUN, Source: "kern_lwp.c@1.101.2.1:129"},
		{From: model.LSSTOP, To: model.LSSLEEP, Source: "kern_lwp.c@1.101.2.1:130"},
		{From: model.LSSUSPENDED, To: model.LSRUN, Source: "kern_lwp.c@1.101.2.1:129"},
		{From: model.LSSUSPENDED, To: model.LSSLEEP, Source: "kern_lwp.c@1.101.2.1:130"},
		{From: model.LSSLEEP, To: model.LSONPROC, Source: "kern_lwp.c@1.101.2.1:132"},
		{From: model.LSSLEEP, To: model.LSRUN, Source: "kern_lwp.c@1.101.2.1:133"},
		{From: model.LSSLEEP, To: model.LSSTOP, Source: "kern_lwp.c@1.101.2.1:134"},
		{From: model.LSSLEEP, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.101.2.1:135"},
		{From: model.LSIDL, To: model.LSRUN, Source: "kern_lwp.c@1.101.2.1:132"},
		{From: model.LSIDL, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.101.2.1:133"},
		{From: model.LSIDL, To: model.LSSTOP, Source: "kern_lwp.c@1.101.2.1:134"},
	},
	ManPages: []model.ManPage{
		{Op: model.OpCreate, Page: "_lwp_create.2 1.4 (2008-04-30)", Source: "Stichting-MINIX-Research-Foundation/minix@2fe8fb192fe7", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EAGAIN, When: "the limit on LWPs would be exceeded; no LWP is created", Holds: nb.NoLWPCreated},
			{Errno: model.ENOMEM, When: "insufficient swap space; no LWP is created", Holds: nb.NoLWPCreated},
			{Errno: model.EFAULT, When: "context or new_lwp is outside the address space; no LWP is created", Holds: nb.NoLWPCreated},
		}},
		{Op: model.OpSelf, Page: "_lwp_self.2 1.3", Source: "NetBSD/src@54eeeaff835b", Results: []model.DocResult{
			{Errno: model.OK, When: "always successful"},
		}},
		{Op: model.OpWait, Page: "_lwp_wait.2 1.4.8.2 (2008-04-30)", Source: "NetBSD/src@81b249ad1db0", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no undetached LWP corresponds to wlwp (not when the caller is the only LWP: EDEADLK)", Holds: nb.NotOnlyLWP},
			{Errno: model.EDEADLK, When: "the caller is the only LWP, or wlwp is the caller", Holds: nb.OnlyLWPOrSelf},
			{Errno: model.EINTR, When: "interrupted by a caught signal"},
		}},
		{Op: model.OpSuspend, Page: "_lwp_suspend.2 1.4 (2008-04-30)", Source: "Stichting-MINIX-Research-Foundation/minix@2fe8fb192fe7", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
			{Errno: model.EDEADLK, When: "lwp is the only LWP in the process", Holds: nb.TargetOnlyLiveLWP},
		}},
		{Op: model.OpContinue, Page: "_lwp_suspend.2 1.4 (_lwp_continue)", Source: "Stichting-MINIX-Research-Foundation/minix@2fe8fb192fe7", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpWakeup, Page: "_lwp_wakeup.2 1.5 (2008-04-30)", Source: "Stichting-MINIX-Research-Foundation/minix@2fe8fb192fe7", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
			{Errno: model.ENODEV, When: "the LWP is not in LSSLEEP"},
			{Errno: model.EBUSY, When: "the LWP is in an uninterruptible sleep"},
		}},
		{Op: model.OpDetach, Page: "_lwp_detach.2 1.3.10.1 (2008-05-18)", Source: "NetBSD/src@8781104cd7f7", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EINVAL, When: "the LWP is already detached"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpKill, Page: "_lwp_kill.2 1.3.8.2 (2008-04-30)", Source: "NetBSD/src@01160edf4b31", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EINVAL, When: "sig is not a valid signal number"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpPark, Page: "_lwp_park.2 1.7 (2008-04-30)", Source: "Stichting-MINIX-Research-Foundation/minix@2fe8fb192fe7", Results: []model.DocResult{
			{Errno: model.OK, When: "\"may return a value of 0\" (RETURN VALUES)"},
			{Errno: model.EALREADY, When: "a wake request arrived before the LWP began to wait"},
			{Errno: model.EINTR, When: "awoken by a signal, _lwp_unpark, _lwp_unpark_all or _lwp_wakeup"},
			{Errno: model.EINVAL, When: "the time value in abstime is invalid"},
			{Errno: model.ESRCH, When: "no LWP corresponds to unpark"},
			{Errno: model.ETIMEDOUT, When: "the time in abstime has passed"},
		}},
		{Op: model.OpUnpark, Page: "_lwp_unpark.2 1.3 (2008-04-30)", Source: "NetBSD/src@30ea6102476b", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpUnparkAll, Page: "_lwp_unpark_all.2 (February 2007 text, stored as 1.6.22.1)", Source: "NetBSD/src@2ab21a5b539c", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EFAULT, When: "targets is invalid"},
			{Errno: model.EINVAL, When: "ntargets is out of range"},
			{Errno: model.ENOMEM, When: "insufficient resources"},
		}},
		{Op: model.OpSetname, Page: "_lwp_setname.2 1.1 (2007-12-14, no ERRORS section)", Source: "NetBSD/src@bab5f2db535c", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
		}},
		{Op: model.OpGetname, Page: "_lwp_getname.2 1.1.2.2 (2008-01-09, no ERRORS section)", Source: "NetBSD/src@5667e60d446f", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
		}},
		{Op: model.OpCtl, Page: "_lwp_ctl.2 1.2 (2008-05-05, ERRORS commented out)", Source: "NetBSD/src@23aacdc578a5", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
		}},
		{Op: model.OpExit, Page: "_lwp_exit.2 1.5.8.2 (never returns)", Source: "NetBSD/src@01160edf4b31"},
	},
	Counters: []model.CounterRule{
		{Counter: model.NLWPs, Doc: "the LWPs on p_lwps",
			Source: "kern_lwp.c@1.101.2.1:624-625, 880-881"},
		{Counter: model.NRLWPs, Stats: model.Stats(model.LSRUN, model.LSONPROC, model.LSSLEEP),
			Doc: "the LWPs in LSRUN, LSONPROC or LSSLEEP",
			Source: "kern_lwp.c@1.101.2.1:191-194; lwp_create does not count the new LSIDL LWP (:533-651): " +
				"sys__lwp_create counts it when it makes it LSRUN (sys_lwp.c@1.43.4.1:147)"},
		{Counter: model.NZLWPs, Ghost: model.GhostZomb,
			Doc:    "the LWPs lwp_exit has counted as zombies (from :723, before LSZOMB)",
			Source: "kern_lwp.c@1.101.2.1:711-723, 882"},
		{Counter: model.NDLWPs, Detached: true, Doc: "the detached LWPs",
			Source: "kern_lwp.c@1.101.2.1:610-612, 883-884; sys_lwp.c@1.43.4.1:442-443"},
		{Counter: model.NLWPWait, Ghost: model.GhostWait,
			Doc:    "the LWPs inside lwp_wait1 (or sigexit's wait for the others to stop)",
			Source: "kern_lwp.c@1.101.2.1:363, 452, 520; kern_sig.c@1.256.2.2:1940-1943"},
	},
	Fields: fields,
	Sources: map[string]string{
		"p_zomblwp":        "kern_lwp.c@1.101.2.1:762-771",
		"lock-order":       "kern_lwp.c@1.101.2.1:176-181, with proc_lock -> p_lock -> LWP locks from the code (sys_lwp.c@1.43.4.1:391-392, 206-227)",
		"l_mutex-state":    "kern_lwp.c@1.101.2.1:152-174",
		"l_stat-locked":    "kern_lwp.c@1.101.2.1:147-150",
		"l_stat-p_lock":    "kern_lwp.c@1.101.2.1:183-197",
		"field-locked":     "lwp.h@1.89.2.4:53-66 and proc.h field markings",
		"transition":       "kern_lwp.c@1.101.2.1:121-139",
		"manpage-errno":    "the _lwp_*.2 ERRORS sections of 2008 (docs/evidence/manpages.md)",
		"stale-lwp":        "sys_lwp.c@1.43.4.1:254-270 (sys__lwp_suspend re-reads t after cv_wait_sig)",
		"kassert":          "the KASSERTs of each modelled routine, cited where they fail",
		"lock-order-cycle": "the lock-class graph of every explored interleaving",
	},
	Known: []model.Known{
		{Name: "lock-order/sleepq->spc_lwplock",
			Why:    "cv_enter takes the sleep queue's lock, then sleepq_enter locks the sleeping LWP (its spc_lwplock): the code takes sq_mutex before spc_lwplock, the order kern_lwp.c@1.270:195-197 later documents",
			Source: "kern_condvar.c@1.16.2.1:109-111, sleepq.h@1.10.2.1:131-132; the comment kern_lwp.c@1.101.2.1:176-181 puts spc_lwplock first"},
		{Name: "lock-order/park_sleepq->spc_lwplock",
			Why:    "lwp_park locks lwp_park_tab's queue, then the parking LWP",
			Source: "sys_lwp.c@1.43.4.1:562, 568; the comment kern_lwp.c@1.101.2.1:176-181 puts spc_lwplock first"},
		{Name: "field-locked/l_flag",
			Why:    "lwp_exit_switchaway clears LW_RUNNING in l_flag holding no lock; a locked update of l_flag by another CPU at that moment (exit_lwps sets LW_WEXIT on zombies too) could be lost, and lwp_free would then spin on LW_RUNNING for good (the model takes each update as one step)",
			Source: "kern_lwp.c@1.101.2.1:832, kern_exit.c@1.202.4.1:615-616, kern_lwp.c@1.101.2.1:901-907; lwp.h@1.89.2.4:84 marks l_flag l: (*l_mutex)"},
		{Name: "field-locked/l_lwpctl",
			Why:    "lwp_ctl_alloc sets the caller's own l_lwpctl holding only the lwpctl pages' lp_lock (not modelled), after it has released p_lock",
			Source: "kern_lwp.c@1.101.2.1:1558-1561, 1653; lwp.h@1.89.2.4:109 marks l_lwpctl p: (p_lock)"},
		{Name: "transition/LSSUSPENDED->LSONPROC",
			Why:    "setrunnable marks an LWP still on its CPU (LW_RUNNING) LSONPROC; lwp_continue reaches it between lwp_userret's LSSUSPENDED and its mi_switch",
			Source: "kern_synch.c@1.227.2.1:869-873, kern_lwp.c@1.101.2.1:1349-1357; the diagram :129-130 has SUSPENDED -> RUN, SLEEP"},
		{Name: "transition/LSSTOP->LSONPROC",
			Why:    "setrunnable marks an LWP still on its CPU LSONPROC; SIGCONT, a signal that resumes the process, or exit_lwps reaches it between sigswitch's LSSTOP and its mi_switch",
			Source: "kern_synch.c@1.227.2.1:869-873, kern_sig.c@1.256.2.2:1531-1541; the diagram :129-130 has STOPPED -> RUN, SLEEP"},
		{Name: "transition/LSIDL->LSZOMB",
			Why:    "when the copyout of the new lid fails, sys__lwp_create calls lwp_exit on the unstarted LSIDL LWP",
			Source: "sys_lwp.c@1.43.4.1:124-126, kern_lwp.c@1.101.2.1:695, 788; the diagram :121-135 has no IDL -> ZOMB"},
		{Name: "l_mutex-state/LSZOMB",
			Why:    "lwp_exit of the unstarted LWP leaves the zombie on the spc_mutex lwp_create gave it",
			Source: "kern_lwp.c@1.101.2.1:588, 642, 787-791, sys_lwp.c@1.43.4.1:126; the table :154-157 covers LSZOMB by spc_lwplock"},
		{Name: "manpage-errno/_lwp_create/EFAULT",
			Why:    "the copyout of the new lid fails after the LWP exists; it is torn down with lwp_exit and left an undetached zombie",
			Source: "sys_lwp.c@1.43.4.1:123-128; _lwp_create.2 1.4: no LWP is created on error"},
		{Name: "manpage-errno/_lwp_wait/ESRCH",
			Why:    "with no other LWP to wait for, lwp_wait1 finds nfound == 0 and returns ESRCH",
			Source: "kern_lwp.c@1.101.2.1:465-467; _lwp_wait.2 1.4.8.2: EDEADLK when the caller is the only LWP"},
		{Name: "manpage-errno/_lwp_wait/EDEADLK",
			Why:    "lwp_wait1 returns EDEADLK whenever the LWPs that run, sleep or are zombies, detached ones aside, are no more than those waiting: also when the others are stopped or suspended, and whenever the process is exiting",
			Source: "kern_lwp.c@1.101.2.1:480-491; _lwp_wait.2 1.4.8.2: EDEADLK when the caller is the only LWP or waits for itself"},
		{Name: "manpage-errno/_lwp_setname/ESRCH",
			Why:    "an unknown target gives ESRCH",
			Source: "sys_lwp.c@1.43.4.1:785-788; _lwp_setname.2 1.1 has no ERRORS section"},
		{Name: "manpage-errno/_lwp_getname/ESRCH",
			Why:    "an unknown target gives ESRCH",
			Source: "sys_lwp.c@1.43.4.1:820-822; _lwp_getname.2 1.1.2.2 has no ERRORS section"},
		{Name: "manpage-errno/_lwp_ctl/EINVAL",
			Why:    "an LWP that has its lwpctl area gets EINVAL from a second _lwp_ctl",
			Source: "kern_lwp.c@1.101.2.1:1546-1549, sys_lwp.c@1.43.4.1:849-850; _lwp_ctl.2 1.2 has its ERRORS section commented out"},
	},
}

// fields are the markings of the checked fields (model.GuardedFields) in
// proc.h and lwp.h@1.89.2.4:53-66 ("p: l_proc->p_lock", "l: *l_mutex"):
// the same as netbsd-2025's.
var fields = [model.NumGuarded]model.Mark{
	model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, // p_stat ... p_nzlwps
	model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, // p_ndlwps, p_nlwpwait, p_zomblwp, p_lwps
	model.MarkLWP, model.MarkLWP, model.MarkLWP, model.MarkLWP, // l_flag :84, l_target_cpu :107, l_syncobj :116, l_wchan :118
	model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, // l_prflag :133, l_waiter :131, l_waitingfor :132, l_refcnt :134, l_sigpend :150
	model.MarkProc, // l_lwpctl :109
}
