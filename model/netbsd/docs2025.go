package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// docs2025 holds what kern_lwp.c 1.270 and lwp.h document, and the
// ERRORS sections of the newest stored man pages (docs/evidence/manpages.md).
var docs2025 = &model.Docs{
	LockOrder: model.Order{
		Chains: []model.LockChain{
			{Classes: []model.LockClass{model.ClassSleepq, model.ClassLwplock, model.ClassSpcMutex},
				Source: "kern_lwp.c@1.270:195-197 \"sleepq -> turnstile -> spc_lwplock -> spc_mutex\" (turnstiles are not modelled)"},
			{Classes: []model.LockClass{model.ClassProcList, model.ClassProc},
				Source: "from the code: proc_lock before p_lock (sys_lwp.c@1.84:384-385, sys__lwp_kill)"},
			{Classes: []model.LockClass{model.ClassProc, model.ClassSleepq},
				Source: "from the code: p_lock before the LWP locks, lwp_find then lwp_lock (sys_lwp.c@1.84:209-222), " +
					"and p_lock is the interlock of p_lwpcv (kern_condvar.c@1.54:130)"},
		},
		TrySites: []model.Site{
			{At: "kern_sig.c@1.405:1752", Source: "sigswitch: mutex_tryenter(&proc_lock) with p_lock held; on failure it drops p_lock first (:1753-1755)"},
		},
	},
	StateLocks: []model.StateLock{
		{Stat: model.LSIDL, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.270:171-175"},
		{Stat: model.LSONPROC, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.270:171-175"},
		{Stat: model.LSZOMB, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.270:171-175"},
		{Stat: model.LSSUSPENDED, Rule: model.LwplockOfCPU, Source: "kern_lwp.c@1.270:171-175"},
		{Stat: model.LSRUN, Rule: model.SpcMutexOfCPU, Source: "kern_lwp.c@1.270:177-180"},
		{Stat: model.LSSLEEP, Rule: model.SleepLock, Source: "kern_lwp.c@1.270:182-186"},
		{Stat: model.LSSTOP, Rule: model.SleepLockOrLwplock, Source: "kern_lwp.c@1.270:188-193"},
	},
	ProcLocked: []uint8{model.LSIDL, model.LSZOMB, model.LSSTOP, model.LSSUSPENDED},
	Transitions: []model.Transition{
		{From: model.LSRUN, To: model.LSONPROC, Source: "kern_lwp.c@1.270:129"},
		{From: model.LSONPROC, To: model.LSRUN, Source: "kern_lwp.c@1.270:129"},
		{From: model.LSONPROC, To: model.LSSLEEP, Source: "kern_lwp.c@1.270:130"},
		{From: model.LSONPROC, To: model.LSSTOP, Source: "kern_lwp.c@1.270:131"},
		{From: model.LSONPROC, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.270:132"},
		{From: model.LSONPROC, To: model.LSZOMB, Source: "kern_lwp.c@1.270:133"},
		{From: model.LSONPROC, To: model.LSIDL, KernelOnly: true, Source: "kern_lwp.c@1.270:134, 144-146 (special case)"},
		{From: model.LSSTOP, To: model.LSRUN, Source: "kern_lwp.c@1.270:136"},
		{From: model.LSSTOP, To: model.LSSLEEP, Source: "kern_lwp.c@1.270:137"},
		{From: model.LSSUSPENDED, To: model.LSRUN, Source: "kern_lwp.c@1.270:136"},
		{From: model.LSSLEEP, To: model.LSONPROC, Source: "kern_lwp.c@1.270:139"},
		{From: model.LSSLEEP, To: model.LSRUN, Source: "kern_lwp.c@1.270:140"},
		{From: model.LSSLEEP, To: model.LSSTOP, Source: "kern_lwp.c@1.270:141"},
		{From: model.LSIDL, To: model.LSRUN, Source: "kern_lwp.c@1.270:139"},
		{From: model.LSIDL, To: model.LSSUSPENDED, Source: "kern_lwp.c@1.270:140"},
		{From: model.LSIDL, To: model.LSSTOP, Source: "kern_lwp.c@1.270:141"},
		{From: model.LSIDL, To: model.LSONPROC, KernelOnly: true, Source: "kern_lwp.c@1.270:142, 144-146 (special case)"},
	},
	ManPages: []model.ManPage{
		{Op: model.OpCreate, Page: "_lwp_create.2 1.7", Source: "NetBSD/src@014a98250c33", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EAGAIN, When: "the limit on LWPs would be exceeded; no LWP is created", Holds: NoLWPCreated},
			{Errno: model.EFAULT, When: "context or new_lwp is outside the address space; no LWP is created", Holds: NoLWPCreated},
			{Errno: model.EINVAL, When: "the ucontext is invalid; no LWP is created", Holds: NoLWPCreated},
			{Errno: model.ENOMEM, When: "insufficient swap space; no LWP is created", Holds: NoLWPCreated},
		}},
		{Op: model.OpSelf, Page: "_lwp_self.2 1.3", Source: "NetBSD/src@54eeeaff835b", Results: []model.DocResult{
			{Errno: model.OK, When: "always successful"},
		}},
		{Op: model.OpWait, Page: "_lwp_wait.2 1.4.8.2, with 1.7 (2022-12-04: EINVAL for a detached wlwp)", Source: "NetBSD/src@81b249ad1db0", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EINVAL, When: "wlwp is a detached LWP (1.7)"},
			{Errno: model.ESRCH, When: "no undetached LWP corresponds to wlwp (not when the caller is the only LWP: EDEADLK)", Holds: NotOnlyLWP},
			{Errno: model.EDEADLK, When: "the caller is the only LWP, or wlwp is the caller", Holds: OnlyLWPOrSelf},
			{Errno: model.EINTR, When: "interrupted by a caught signal"},
		}},
		{Op: model.OpSuspend, Page: "_lwp_suspend.2 1.4.8.2", Source: "NetBSD/src@01160edf4b31", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
			{Errno: model.EDEADLK, When: "lwp is the only LWP in the process", Holds: TargetOnlyLiveLWP},
		}},
		{Op: model.OpContinue, Page: "_lwp_suspend.2 1.4.8.2 (_lwp_continue)", Source: "NetBSD/src@01160edf4b31", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpWakeup, Page: "_lwp_wakeup.2 1.3", Source: "NetBSD/src@d4700a47e634", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
			{Errno: model.ENODEV, When: "the LWP is not in LSSLEEP"},
			{Errno: model.EBUSY, When: "the LWP is in an uninterruptible sleep"},
		}},
		{Op: model.OpDetach, Page: "_lwp_detach.2 1.2", Source: "NetBSD/src@0a4737c5de89", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EINVAL, When: "the LWP is already detached"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpKill, Page: "_lwp_kill.2 1.3.8.2", Source: "NetBSD/src@01160edf4b31", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EINVAL, When: "sig is not a valid signal number"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpPark, Page: "_lwp_park.2 1.11", Source: "NetBSD/src@7446844c3ca0", Results: []model.DocResult{
			{Errno: model.OK, When: "\"may return a value of 0\" (RETURN VALUES)"},
			{Errno: model.EALREADY, When: "a wake request arrived before the LWP began to wait"},
			{Errno: model.EINTR, When: "awoken by a signal, _lwp_unpark, _lwp_unpark_all or _lwp_wakeup"},
			{Errno: model.EINVAL, When: "the time value in ts is invalid"},
			{Errno: model.ESRCH, When: "no LWP corresponds to unpark"},
			{Errno: model.ETIMEDOUT, When: "the time in ts has passed"},
		}},
		{Op: model.OpUnpark, Page: "_lwp_unpark.2 1.3", Source: "NetBSD/src@30ea6102476b", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.ESRCH, When: "no LWP corresponds to lwp"},
		}},
		{Op: model.OpUnparkAll, Page: "_lwp_unpark_all.2 1.2", Source: "NetBSD/src@05b3eec0671c", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
			{Errno: model.EFAULT, When: "targets is invalid"},
			{Errno: model.EINVAL, When: "ntargets is out of range"},
			{Errno: model.ENOMEM, When: "insufficient resources"},
		}},
		{Op: model.OpSetname, Page: "_lwp_setname.2 1.3 (no ERRORS section)", Source: "NetBSD/src@38c9c64e9d3f", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
		}},
		{Op: model.OpGetname, Page: "_lwp_getname.2 1.3 (no ERRORS section)", Source: "NetBSD/src@15c5c5f47235", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
		}},
		{Op: model.OpCtl, Page: "_lwp_ctl.2 1.2 (no ERRORS section)", Source: "NetBSD/src@23aacdc578a5", Results: []model.DocResult{
			{Errno: model.OK, When: "success"},
		}},
		{Op: model.OpExit, Page: "_lwp_exit.2 1.5.8.2 (never returns)", Source: "NetBSD/src@01160edf4b31"},
	},
	Counters: []model.CounterRule{
		{Counter: model.NLWPs, Doc: "the LWPs on p_lwps",
			Source: "kern_lwp.c@1.270:949-950, 1310-1311"},
		{Counter: model.NRLWPs, Stats: model.Stats(model.LSRUN, model.LSONPROC, model.LSSLEEP, model.LSIDL),
			Doc: "the LWPs in LSRUN, LSONPROC or LSSLEEP, and created LWPs not yet started (LSIDL)",
			Source: "kern_lwp.c@1.270:210-213 (LSRUN, LSONPROC, LSSLEEP); lwp_create counts a new LSIDL LWP " +
				"before lwp_start (:950-951, sys_lwp.c@1.84:147-154)"},
		{Counter: model.NZLWPs, Ghost: model.GhostZomb,
			Doc:    "the LWPs lwp_exit has counted as zombies (from :1115, before LSZOMB)",
			Source: "kern_lwp.c@1.270:1102-1115, 1312"},
		{Counter: model.NDLWPs, Detached: true, Doc: "the detached LWPs",
			Source: "kern_lwp.c@1.270:927-929, 1313-1314; sys_lwp.c@1.84:435-436"},
		{Counter: model.NLWPWait, Ghost: model.GhostWait,
			Doc:    "the LWPs inside lwp_wait (or sigexit's wait for the others to stop)",
			Source: "kern_lwp.c@1.270:594, 700, 762; kern_sig.c@1.405:2309-2312"},
	},
	Fields: fields2025,
	Sources: map[string]string{
		"p_zomblwp":        "kern_lwp.c@1.270:1170-1192",
		"lock-order":       "kern_lwp.c@1.270:195-197, with proc_lock -> p_lock -> LWP locks from the code (sys_lwp.c@1.84:384-385, 209-222)",
		"l_mutex-state":    "kern_lwp.c@1.270:169-193",
		"l_stat-locked":    "kern_lwp.c@1.270:162-163",
		"l_stat-p_lock":    "kern_lwp.c@1.270:199-205",
		"field-locked":     "lwp.h@1.231:68-75 and proc.h field markings",
		"transition":       "kern_lwp.c@1.270:127-146",
		"manpage-errno":    "the _lwp_*.2 ERRORS sections of the era (docs/evidence/manpages.md)",
		"stale-lwp":        "sys_lwp.c@1.84:249-264 (sys__lwp_suspend re-reads t after cv_wait_sig)",
		"kassert":          "the KASSERTs of each modelled routine, cited where they fail",
		"lock-order-cycle": "the lock-class graph of every explored interleaving",
	},
	Known: []model.Known{
		{Name: "transition/LSZOMB->LSIDL",
			Why:    "lwp_free resets a reaped zombie to LSIDL so that lookups through the PID table fail before its lid is freed",
			Source: "kern_lwp.c@1.270:1281-1293; the diagram :127-146 has no ZOMB -> IDL"},
		{Name: "transition/LSSUSPENDED->LSONPROC",
			Why:    "setrunnable marks an LWP still on its CPU (LP_RUNNING) LSONPROC; lwp_continue reaches it between lwp_userret's LSSUSPENDED and its mi_switch",
			Source: "kern_synch.c@1.366:933-941, kern_lwp.c@1.270:1752-1758; the diagram :136 has SUSPENDED -> RUN only"},
		{Name: "transition/LSSTOP->LSONPROC",
			Why:    "setrunnable marks an LWP still on its CPU LSONPROC; SIGCONT or exit_lwps reaches it between sigswitch's LSSTOP and its mi_switch",
			Source: "kern_synch.c@1.366:933-941, kern_sig.c@1.405:1794-1801; the diagram :136-137 has STOPPED -> RUN, SLEEP only"},
		{Name: "transition/LSIDL->LSZOMB",
			Why:    "when the copyout of the new lid fails, sys__lwp_create calls lwp_exit on the unstarted LWP, which lwp_exit allows for LSIDL LWPs",
			Source: "sys_lwp.c@1.84:152-157, kern_lwp.c@1.270:1077, 1088; the diagram :127-146 has no IDL -> ZOMB"},
		{Name: "manpage-errno/_lwp_create/EFAULT",
			Why:    "the copyout of the new lid fails after the LWP exists; it is torn down with lwp_exit and left an undetached zombie",
			Source: "sys_lwp.c@1.84:152-160; _lwp_create.2 1.7: no LWP is created on error"},
		{Name: "manpage-errno/_lwp_wait/ESRCH",
			Why:    "with no other LWP to wait for, lwp_wait finds nfound == 0 and returns ESRCH",
			Source: "kern_lwp.c@1.270:713-714; _lwp_wait.2: EDEADLK when the caller is the only LWP"},
		{Name: "manpage-errno/_lwp_suspend/EDEADLK",
			Why:    "sys__lwp_suspend returns EDEADLK for a self-suspend while p_nrlwps == 1, even when other LWPs exist (suspended or stopped), and when the caller is exiting or dumping core",
			Source: "sys_lwp.c@1.84:223-227, kern_lwp.c@1.270:450-453; _lwp_suspend.2: EDEADLK when lwp is the only LWP"},
		{Name: "manpage-errno/_lwp_setname/ESRCH",
			Why:    "an unknown target gives ESRCH",
			Source: "sys_lwp.c@1.84:687-690; _lwp_setname.2 1.3 has no ERRORS section"},
		{Name: "manpage-errno/_lwp_getname/ESRCH",
			Why:    "an unknown target gives ESRCH",
			Source: "sys_lwp.c@1.84:724-726; _lwp_getname.2 1.3 has no ERRORS section"},
		{Name: "field-locked/l_lwpctl",
			Why:    "lwp_ctl_alloc sets the caller's own l_lwpctl holding only the lwpctl pages' lp_lock (not modelled), after it has released p_lock",
			Source: "kern_lwp.c@1.270:1954-1957, 1971, 2047; lwp.h@1.231:131 marks l_lwpctl p: (p_lock)"},
		{Name: "manpage-errno/_lwp_unpark_all/ESRCH",
			Why:    "lwp_unpark returns ESRCH when a target is unknown or a zombie, after processing the others",
			Source: "sys_lwp.c@1.84:473-475, 486-488, 504; _lwp_unpark_all.2 1.2 lists EFAULT, EINVAL, ENOMEM"},
	},
}

// fields2025 are the markings of the checked fields (model.GuardedFields)
// in proc.h and lwp.h@1.231:68-75 ("p: l_proc->p_lock", "l: *l_mutex").
var fields2025 = [model.NumGuarded]model.Mark{
	model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, // p_stat ... p_nzlwps
	model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, // p_ndlwps, p_nlwpwait, p_zomblwp, p_lwps
	model.MarkLWP, model.MarkLWP, model.MarkLWP, model.MarkLWP, // l_flag, l_target_cpu, l_syncobj, l_wchan
	model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, model.MarkProc, // l_prflag ... l_sigpend
	model.MarkProc, // l_lwpctl
}

// NoLWPCreated: "no LWP will be created" (_lwp_create.2): no LWP carrying
// the name the create gives exists.
func NoLWPCreated(s *model.State, slot int, op *model.Op) bool { return s.LWPByName(op.Target) < 0 }

// NotOnlyLWP: the caller is not the only LWP on p_lwps.
func NotOnlyLWP(s *model.State, slot int, op *model.Op) bool { return s.ProcOf(slot).NLWPs > 1 }

// OnlyLWPOrSelf: the caller is the only LWP on p_lwps, or waits for itself.
func OnlyLWPOrSelf(s *model.State, slot int, op *model.Op) bool {
	return s.ProcOf(slot).NLWPs == 1 || op.Target == s.LWPs[slot].Name
}

// TargetOnlyLiveLWP: the target is the caller and no other LWP is alive
// (zombies, which lwp_exit does not count as live either, aside).
func TargetOnlyLiveLWP(s *model.State, slot int, op *model.Op) bool {
	return op.Target == s.LWPs[slot].Name && s.ProcOf(slot).NLWPs-s.ProcOf(slot).NZLWPs == 1
}
