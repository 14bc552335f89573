package invariants

import "github.com/lwpcheck/lwpcheck/model"

// netbsd2025 holds what kern_lwp.c 1.270 documents, and the
// ERRORS sections of the newest stored man pages
// (/work/ref/netbsd-2025/manpage-errors.md).
var netbsd2025 = &Tables{
	LockOrder: Order{
		Chains: []LockChain{
			{[]model.LockClass{model.ClassSleepq, model.ClassLwplock, model.ClassSpcMutex},
				"kern_lwp.c@1.270:195-197 \"sleepq -> turnstile -> spc_lwplock -> spc_mutex\" (turnstiles are not modelled)"},
			{[]model.LockClass{model.ClassProcList, model.ClassProc},
				"from the code: proc_lock before p_lock (sys_lwp.c@1.84:384-385, sys__lwp_kill)"},
			{[]model.LockClass{model.ClassProc, model.ClassSleepq},
				"from the code: p_lock before the LWP locks, lwp_find then lwp_lock (sys_lwp.c@1.84:209-222), " +
					"and p_lock is the interlock of p_lwpcv (kern_condvar.c@1.54:130)"},
		},
		TrySites: []Site{
			{"kern_sig.c@1.405:1752", "sigswitch: mutex_tryenter(&proc_lock) with p_lock held; on failure it drops p_lock first (:1753-1755)"},
		},
	},
	StateLocks: []StateLock{
		{model.LSIDL, LwplockOfCPU, "kern_lwp.c@1.270:171-175"},
		{model.LSONPROC, LwplockOfCPU, "kern_lwp.c@1.270:171-175"},
		{model.LSZOMB, LwplockOfCPU, "kern_lwp.c@1.270:171-175"},
		{model.LSSUSPENDED, LwplockOfCPU, "kern_lwp.c@1.270:171-175"},
		{model.LSRUN, SpcMutexOfCPU, "kern_lwp.c@1.270:177-180"},
		{model.LSSLEEP, SleepLock, "kern_lwp.c@1.270:182-186"},
		{model.LSSTOP, SleepLockOrLwplock, "kern_lwp.c@1.270:188-193"},
	},
	Transitions: []Transition{
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
	ManPages: []ManPage{
		{model.OpCreate, "_lwp_create.2 1.7", "NetBSD/src@014a98250c33", []DocResult{
			{model.OK, "success", nil},
			{model.EAGAIN, "the limit on LWPs would be exceeded; no LWP is created", noLWPCreated},
			{model.EFAULT, "context or new_lwp is outside the address space; no LWP is created", noLWPCreated},
			{model.EINVAL, "the ucontext is invalid; no LWP is created", noLWPCreated},
			{model.ENOMEM, "insufficient swap space; no LWP is created", noLWPCreated},
		}},
		{model.OpSelf, "_lwp_self.2 1.3", "NetBSD/src@54eeeaff835b", []DocResult{
			{model.OK, "always successful", nil},
		}},
		{model.OpWait, "_lwp_wait.2 1.4.8.2, with 1.7 (2022-12-04: EINVAL for a detached wlwp)", "NetBSD/src@81b249ad1db0", []DocResult{
			{model.OK, "success", nil},
			{model.EINVAL, "wlwp is a detached LWP (1.7)", nil},
			{model.ESRCH, "no undetached LWP corresponds to wlwp (not when the caller is the only LWP: EDEADLK)", notOnlyLWP},
			{model.EDEADLK, "the caller is the only LWP, or wlwp is the caller", onlyLWPOrSelf},
			{model.EINTR, "interrupted by a caught signal", nil},
		}},
		{model.OpSuspend, "_lwp_suspend.2 1.4.8.2", "NetBSD/src@01160edf4b31", []DocResult{
			{model.OK, "success", nil},
			{model.ESRCH, "no LWP corresponds to lwp", nil},
			{model.EDEADLK, "lwp is the only LWP in the process", targetOnlyLiveLWP},
		}},
		{model.OpContinue, "_lwp_suspend.2 1.4.8.2 (_lwp_continue)", "NetBSD/src@01160edf4b31", []DocResult{
			{model.OK, "success", nil},
			{model.ESRCH, "no LWP corresponds to lwp", nil},
		}},
		{model.OpWakeup, "_lwp_wakeup.2 1.3", "NetBSD/src@d4700a47e634", []DocResult{
			{model.OK, "success", nil},
			{model.ESRCH, "no LWP corresponds to lwp", nil},
			{model.ENODEV, "the LWP is not in LSSLEEP", nil},
			{model.EBUSY, "the LWP is in an uninterruptible sleep", nil},
		}},
		{model.OpDetach, "_lwp_detach.2 1.2", "NetBSD/src@0a4737c5de89", []DocResult{
			{model.OK, "success", nil},
			{model.EINVAL, "the LWP is already detached", nil},
			{model.ESRCH, "no LWP corresponds to lwp", nil},
		}},
		{model.OpKill, "_lwp_kill.2 1.3.8.2", "NetBSD/src@01160edf4b31", []DocResult{
			{model.OK, "success", nil},
			{model.EINVAL, "sig is not a valid signal number", nil},
			{model.ESRCH, "no LWP corresponds to lwp", nil},
		}},
		{model.OpPark, "_lwp_park.2 1.11", "NetBSD/src@7446844c3ca0", []DocResult{
			{model.OK, "\"may return a value of 0\" (RETURN VALUES)", nil},
			{model.EALREADY, "a wake request arrived before the LWP began to wait", nil},
			{model.EINTR, "awoken by a signal, _lwp_unpark, _lwp_unpark_all or _lwp_wakeup", nil},
			{model.EINVAL, "the time value in ts is invalid", nil},
			{model.ESRCH, "no LWP corresponds to unpark", nil},
			{model.ETIMEDOUT, "the time in ts has passed", nil},
		}},
		{model.OpUnpark, "_lwp_unpark.2 1.3", "NetBSD/src@30ea6102476b", []DocResult{
			{model.OK, "success", nil},
			{model.ESRCH, "no LWP corresponds to lwp", nil},
		}},
		{model.OpUnparkAll, "_lwp_unpark_all.2 1.2", "NetBSD/src@05b3eec0671c", []DocResult{
			{model.OK, "success", nil},
			{model.EFAULT, "targets is invalid", nil},
			{model.EINVAL, "ntargets is out of range", nil},
			{model.ENOMEM, "insufficient resources", nil},
		}},
		{model.OpSetname, "_lwp_setname.2 1.3 (no ERRORS section)", "NetBSD/src@38c9c64e9d3f", []DocResult{
			{model.OK, "success", nil},
		}},
		{model.OpGetname, "_lwp_getname.2 1.3 (no ERRORS section)", "NetBSD/src@15c5c5f47235", []DocResult{
			{model.OK, "success", nil},
		}},
		{model.OpCtl, "_lwp_ctl.2 1.2 (no ERRORS section)", "NetBSD/src@23aacdc578a5", []DocResult{
			{model.OK, "success", nil},
		}},
		{model.OpExit, "_lwp_exit.2 1.5.8.2 (never returns)", "NetBSD/src@01160edf4b31", nil},
	},
	Known: []Known{
		{"transition/LSZOMB->LSIDL",
			"lwp_free resets a reaped zombie to LSIDL so that lookups through the PID table fail before its lid is freed",
			"kern_lwp.c@1.270:1281-1293; the diagram :127-146 has no ZOMB -> IDL"},
		{"transition/LSSUSPENDED->LSONPROC",
			"setrunnable marks an LWP still on its CPU (LP_RUNNING) LSONPROC; lwp_continue reaches it between lwp_userret's LSSUSPENDED and its mi_switch",
			"kern_synch.c@1.366:933-941, kern_lwp.c@1.270:1752-1758; the diagram :136 has SUSPENDED -> RUN only"},
		{"transition/LSSTOP->LSONPROC",
			"setrunnable marks an LWP still on its CPU LSONPROC; SIGCONT or exit_lwps reaches it between sigswitch's LSSTOP and its mi_switch",
			"kern_synch.c@1.366:933-941, kern_sig.c@1.405:1794-1801; the diagram :136-137 has STOPPED -> RUN, SLEEP only"},
		{"transition/LSIDL->LSZOMB",
			"when the copyout of the new lid fails, sys__lwp_create calls lwp_exit on the unstarted LWP, which lwp_exit allows for LSIDL LWPs",
			"sys_lwp.c@1.84:152-157, kern_lwp.c@1.270:1077, 1088; the diagram :127-146 has no IDL -> ZOMB"},
		{"manpage-errno/_lwp_create/EFAULT",
			"the copyout of the new lid fails after the LWP exists; it is torn down with lwp_exit and left an undetached zombie",
			"sys_lwp.c@1.84:152-160; _lwp_create.2 1.7: no LWP is created on error"},
		{"manpage-errno/_lwp_wait/ESRCH",
			"with no other LWP to wait for, lwp_wait finds nfound == 0 and returns ESRCH",
			"kern_lwp.c@1.270:713-714; _lwp_wait.2: EDEADLK when the caller is the only LWP"},
		{"manpage-errno/_lwp_suspend/EDEADLK",
			"sys__lwp_suspend returns EDEADLK for a self-suspend while p_nrlwps == 1, even when other LWPs exist (suspended or stopped), and when the caller is exiting or dumping core",
			"sys_lwp.c@1.84:223-227, kern_lwp.c@1.270:450-453; _lwp_suspend.2: EDEADLK when lwp is the only LWP"},
		{"manpage-errno/_lwp_setname/ESRCH",
			"an unknown target gives ESRCH",
			"sys_lwp.c@1.84:687-690; _lwp_setname.2 1.3 has no ERRORS section"},
		{"manpage-errno/_lwp_getname/ESRCH",
			"an unknown target gives ESRCH",
			"sys_lwp.c@1.84:724-726; _lwp_getname.2 1.3 has no ERRORS section"},
		{"field-locked/l_lwpctl",
			"lwp_ctl_alloc sets the caller's own l_lwpctl holding only the lwpctl pages' lp_lock (not modelled), after it has released p_lock",
			"kern_lwp.c@1.270:1954-1957, 1971, 2047; lwp.h@1.231:131 marks l_lwpctl p: (p_lock)"},
		{"manpage-errno/_lwp_unpark_all/ESRCH",
			"lwp_unpark returns ESRCH when a target is unknown or a zombie, after processing the others",
			"sys_lwp.c@1.84:473-475, 486-488, 504; _lwp_unpark_all.2 1.2 lists EFAULT, EINVAL, ENOMEM"},
	},
}

// noLWPCreated: "no LWP will be created" (_lwp_create.2): no LWP carrying
// the name the create gives exists.
func noLWPCreated(s *model.State, slot int, op *model.Op) bool { return s.LWPByName(op.Target) < 0 }

// notOnlyLWP: the caller is not the only LWP on p_lwps.
func notOnlyLWP(s *model.State, slot int, op *model.Op) bool { return s.Proc.NLWPs > 1 }

// onlyLWPOrSelf: the caller is the only LWP on p_lwps, or waits for itself.
func onlyLWPOrSelf(s *model.State, slot int, op *model.Op) bool {
	return s.Proc.NLWPs == 1 || op.Target == s.LWPs[slot].Name
}

// targetOnlyLiveLWP: the target is the caller and no other LWP is alive
// (zombies, which lwp_exit does not count as live either, aside).
func targetOnlyLiveLWP(s *model.State, slot int, op *model.Op) bool {
	return op.Target == s.LWPs[slot].Name && s.Proc.NLWPs-s.Proc.NZLWPs == 1
}
