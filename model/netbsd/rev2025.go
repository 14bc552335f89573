package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// files2025 are the sources of netbsd-2025, in the order of the f* indexes.
var files2025 = []model.File{
	FKernLWP: {Name: "kern_lwp.c", Rev: "1.270"},
	FSysLWP:  {Name: "sys_lwp.c", Rev: "1.84"},
	FSynch:   {Name: "kern_synch.c", Rev: "1.366"},
	FSleepq:  {Name: "kern_sleepq.c", Rev: "1.87"},
	FCondvar: {Name: "kern_condvar.c", Rev: "1.54"},
	FSig:     {Name: "kern_sig.c", Rev: "1.405"},
	FExit:    {Name: "kern_exit.c", Rev: "1.285"},
	FModel:   {Name: "model"},
}

// Table2025 holds every routine of the current kernel.
var Table2025 = Table{
	FnSyscall:         RT("syscall", FModel, 0, syscallEntry),
	FnTrap:            RT("trap", FModel, 0, trap),
	FnYield:           RT("clock tick", FModel, 0, yieldTick),
	FnUserret:         RT("mi_userret", FModel, 0, userret),
	FnStartLWP:        RT("mi_startlwp", FSysLWP, 70, startLWP),
	FnLwpUserret:      RT("lwp_userret", FKernLWP, 1682, lwpUserret),
	FnLwpLock:         RT("lwp_lock", FKernLWP, 1606, lwpLock),
	FnMiSwitch:        RT("mi_switch", FSynch, 608, miSwitch),
	FnStartup:         RT("mi_switch (new context)", FSynch, 833, startup),
	FnIdle:            RT("idle_loop", FSynch, 685, idle),
	FnPreempt:         RT("preempt", FSynch, 314, preempt),
	FnSetrunnable:     RT("setrunnable", FSynch, 885, setrunnable),
	FnLwpUnsleep:      RT("lwp_unsleep", FKernLWP, 1595, lwpUnsleep),
	FnSleepqUnsleep:   RT("sleepq_unsleep", FSleepq, 484, sleepqUnsleep),
	FnSleepqRemove:    RT("sleepq_remove", FSleepq, 120, sleepqRemove),
	FnSleepqBlock:     RT("sleepq_block", FSleepq, 344, sleepqBlock),
	FnCvWait:          RT("cv_wait", FCondvar, 167, cvWait),
	FnCvBroadcast:     RT("cv_broadcast", FCondvar, 508, cvBroadcast),
	FnLwpCreate:       RT("lwp_create", FKernLWP, 775, lwpCreate),
	FnLwpStart:        RT("lwp_start", FKernLWP, 998, lwpStart),
	FnLwpExit:         RT("lwp_exit", FKernLWP, 1080, lwpExit),
	FnLwpFree:         RT("lwp_free", FKernLWP, 1251, lwpFree),
	FnLwpWait:         RT("lwp_wait", FKernLWP, 585, lwpWait),
	FnLwpSuspend:      RT("lwp_suspend", FKernLWP, 437, lwpSuspend),
	FnLwpContinue:     RT("lwp_continue", FKernLWP, 512, lwpContinue),
	FnLwpDrainrefs:    RT("lwp_drainrefs", FKernLWP, 1864, lwpDrainrefs),
	FnExit1:           RT("exit1", FExit, 198, exit1),
	FnExitLwps:        RT("exit_lwps", FExit, 606, exitLwps),
	FnIssignal:        RT("issignal", FSig, 1853, issignal),
	FnPostsig:         RT("postsig", FSig, 2080, postsig),
	FnSigexit:         RT("sigexit", FSig, 2248, sigexit),
	FnSigswitch:       RT("sigswitch", FSig, 1721, sigswitch),
	FnSigswitchAway:   RT("sigswitch_unlock_and_switch_away", FSig, 1776, sigswitchAway),
	FnProcStop:        RT("proc_stop", FSig, 2404, procStop),
	FnKpsignal2:       RT("kpsignal2", FSig, 1304, kpsignal2),
	FnSigpost:         RT("sigpost", FSig, 1116, sigpost),
	FnSysCreate:       RT("sys__lwp_create", FSysLWP, 118, sysLwpCreate),
	FnSysExit:         RT("sys__lwp_exit", FSysLWP, 164, sysLwpExit),
	FnSysSelf:         RT("sys__lwp_self", FSysLWP, 172, sysLwpSelf),
	FnSysWait:         RT("sys__lwp_wait", FSysLWP, 338, sysLwpWait),
	FnSysSuspend:      RT("sys__lwp_suspend", FSysLWP, 199, sysLwpSuspend),
	FnSysContinue:     RT("sys__lwp_continue", FSysLWP, 273, sysLwpContinue),
	FnSysWakeup:       RT("sys__lwp_wakeup", FSysLWP, 299, sysLwpWakeup),
	FnSysDetach:       RT("sys__lwp_detach", FSysLWP, 397, sysLwpDetach),
	FnSysKill:         RT("sys__lwp_kill", FSysLWP, 361, sysLwpKill),
	FnSysPark:         RT("sys____lwp_park60", FSysLWP, 561, sysLwpPark),
	FnLwpPark:         RT("lwp_park", FSysLWP, 508, lwpPark),
	FnLwpUnpark:       RT("lwp_unpark", FSysLWP, 460, lwpUnpark),
	FnSysUnpark:       RT("sys__lwp_unpark", FSysLWP, 597, sysLwpUnpark),
	FnSysUnparkAll:    RT("sys__lwp_unpark_all", FSysLWP, 609, sysLwpUnpark),
	FnSysSetname:      RT("sys__lwp_setname", FSysLWP, 657, sysLwpSetname),
	FnSysGetname:      RT("sys__lwp_getname", FSysLWP, 705, sysLwpGetname),
	FnSysCtl:          RT("sys__lwp_ctl", FSysLWP, 742, sysLwpCtl),
	FnEnvSignal:       RT("kill(2) from another process", FModel, 0, envSignal),
	FnEnvTimeout:      RT("sleepq_timeout", FSleepq, 505, envTimeout),
	FnEnvMigrate:      RT("sched_setaffinity: lwp_migrate", FKernLWP, 1373, envMigrate),
	FnProcStopCO:      RT("proc_stop_callout", FSig, 2462, procStopCallout),
	FnSchedLwpCollect: RT("sched_lwp_collect", FKernLWP, 703, schedLwpCollect),

	FnLwpNeedUserret:   Helper("lwp_need_userret", FKernLWP, 1791),
	FnLwpFind:          Helper("lwp_find", FKernLWP, 1519),
	FnLwpMigrate:       Helper("lwp_migrate", FKernLWP, 1373),
	FnLwpStartup:       Helper("lwp_startup", FKernLWP, 1028),
	FnLwpThreadCleanup: Helper("lwp_thread_cleanup", FKernLWP, 2177),
	FnLwpCtlAlloc:      Helper("lwp_ctl_alloc", FKernLWP, 1925),
	FnNextlwp:          Helper("nextlwp", FSynch, 549),
	FnSleepqEnter:      Helper("sleepq_enter", FSleepq, 230),
	FnSleepqEnqueue:    Helper("sleepq_enqueue", FSleepq, 258),
	FnSignotify:        Helper("signotify", FSig, 1236),
	FnProcStopDone:     Helper("proc_stop_done", FSig, 1569),
	FnProcStopLwps:     Helper("proc_stop_lwps", FSig, 1546),
}

// hooks2025 are the helpers of 1.270 that shared routines call directly.
var hooks2025 = &Hooks{LwpFind: lwpFind, LwpNeedUserret: lwpNeedUserret, LwpMigrate: lwpMigrate}

// lwUserret2025 is LW_USERRET of lwp.h 1.231 (the flags lwp_userret
// handles; LW_CACHECRED is handled first, :1712-1718).
const lwUserret2025 = model.FlagWEXIT | model.FlagPENDSIG | model.FlagWREBOOT | model.FlagWSUSPEND |
	model.FlagWCORE | model.FlagLWPCTL | model.FlagCACHECRED

// AllOps are the ops of the NetBSD LWP syscalls.
var AllOps = []model.OpKind{model.OpCreate, model.OpExit, model.OpSelf, model.OpWait, model.OpSuspend,
	model.OpContinue, model.OpWakeup, model.OpDetach, model.OpKill, model.OpPark, model.OpUnpark,
	model.OpUnparkAll, model.OpSetname, model.OpGetname, model.OpCtl}

// Netbsd2025 is current NetBSD: kern_lwp.c 1.270 with sys_lwp.c 1.84.
var Netbsd2025 = &model.Revision{
	Name:  "netbsd-2025",
	About: "current NetBSD: kern_lwp.c 1.270 with sys_lwp.c 1.84",
	Sources: []string{
		"kern_lwp.c 1.270 (2025-04-11)",
		"sys_lwp.c 1.84 (2023-07-17), the newest stored revision; its interface matches 1.270",
		"kern_synch.c 1.366 (2023-11-22): mi_switch, setrunnable, preempt",
		"kern_sleepq.c 1.87 (2023-11-02): sleep queues; no stored revision matches 1.84's park calls exactly, the park path is the same",
		"kern_condvar.c 1.54 (2022-06-29): cv_wait, cv_wait_sig, cv_timedwait, cv_broadcast",
		"kern_sig.c 1.405 (2023-04-09): kpsignal2, sigpost, issignal, sigswitch, proc_stop, sigexit",
		"kern_exit.c 1.285 (2020-03-08), the newest stored: exit1, exit_lwps",
		"kern_proc.c (2020+): proc_find_lwp, proc_alloc_lwpid (the LID allocator)",
	},
	Notes: []string{
		"Locks: adaptive mutexes (proc_lock, p_lock) are owned by LWPs, spin mutexes (spc_lwplock, spc_mutex, the sleep-queue lock) by CPUs, so a spin lock held across mi_switch is released by the next context, as in cpu_switchto.",
		"Kernel preemption (env preempt) takes an LWP only when it holds no lock. Turnstiles are not modelled: a contended adaptive mutex spins, which is what NetBSD does while the owner runs, and owners are never preempted in the model.",
		"sched_takecpu may pick any CPU: every setrunnable and wakeup branches over the CPUs. The idle loop runs its own run queue; work stealing (sched_catchlwp) is not modelled. A migration deferred to the scheduler (l_target_cpu for LSRUN or LSONPROC LWPs) is recorded but not carried out.",
		"A user-space LWP whose program has ended and that has nothing pending yields its CPU at a clock tick when its run queue holds an LWP with work; other user-space preemption comes from the env preempt budget.",
		"LIDs: the first LWP's lid is the PID (lid 1 here); it is handed out again once that LWP is freed (proc_free_lwpid returns the slot to the process). Other lids come from the PID table's free list, which reuses a number only after PID_MAX wraps: never within a scenario.",
		"Signals: SIGUSR1 is caught by a handler without SA_RESTART; SIGKILL, SIGSTOP, SIGCONT and SIGQUIT take their default actions. No signal is masked or ignored. The process is not traced (ptrace paths, eventswitch and lwp_unstop, whose callers are ptrace resume paths, are not modelled).",
		"Resource limits never bind: RLIMIT_NTHR, proc_alloc_lwpid, uvm_uarea_alloc and the lwpctl pages do not fail, so _lwp_create's EAGAIN and ENOMEM and _lwp_ctl's ENOMEM are not reachable; ucontexts are valid (no EINVAL from _lwp_create) and only the new-lid copyout can fault (create ... badptr).",
		"lwp_ctl_alloc's lwpctl pages and their lp_lock are not modelled (only the caller touches them): the step that sets l_lwpctl follows the release of p_lock, so field-locked reports it against lwp.h's marking (a known disagreement).",
		"l_refcnt: no modelled path takes an LWP reference(procfs, ptrace, sysctl), so lwp_addref/lwp_delref are absent and lwp_drainrefs never sleeps.",
		"exit1 after p_stat = SZOMB is reduced to its final mi_switch, which frees the CPU for the processes still running (a spec of one process ends there); the parent's side (child_psignal, the reaping wait) is not modelled.",
		"Processes: a spec runs one process or several (procs:), each created at start with its first LWP on a CPU of its own; fork, the parent and wait(2) are not modelled. LWP ids are numbered per process where proc_alloc_lwpid draws them from the one PID table: the numbers differ, but lookups that check l_proc (proc_find_lwp) find the same LWPs.",
		"Sleep queue locks: sleeptab has a bucket for each process the spec runs; each process's p_lwpcv hashes to a bucket of its own (sleepq: spread, as distinct addresses would spread them) or all to one (sleepq: shared, a collision).",
		"kern_exit.c 1.285 predates kern_lwp.c 1.270's lwp_thread_cleanup, which releases p_lock: exit1 releases p_lock once, where 1.285 does (:271).",
		"Sleep queues: kern_condvar.c 1.54's cv_wakeup_all is run with kern_sleepq.c 1.87's sleepq_remove(sq, l, true), which also clears LW_CATCHINTR and LW_STIMO: a broadcast wakeup of cv_wait_sig returns 0 even with a signal pending (1.54 with its own sleepq would give EINTR). The 2025 condvar is not stored; 1.87 is the sleep queue of the era.",
		"Priorities are not modelled: all LWPs have one priority, so run queues and the sorted cv sleep queue are FIFO and wakeup boosts change nothing.",
		"Atomic events: the environment's events (kill(2) running kpsignal2, a timeout firing, migration, proc_stop_callout) each run as one step, taking their locks together and disabled while any is busy; the idle loop's pick and the new LWP's handover of the idle LWP are one step too. Their locks are all taken by the sender or the idle CPU, so other CPUs see the same orders; what is lost is only the window inside them.",
		"The scheduler is SCHED_4BSD, NetBSD's default: lwp_wait calls its sched_lwp_collect, which locks curlwp (kern_lwp.c@1.270:703).",
		HangsNote + " exit_lwps retrying on its one-tick timed wait is the kernel's loop in these specs: it ends when the LWPs it waits for can exit (stop-while-exiting) and runs for ever when one is a zombie whose l_waiter names an LWP that left lwp_wait through its PS_WCORE bail-out (core-while-waiting).",
		"Partial-order reduction (check --por on, the default): an LWP's steps that only acquire locks and touch what those locks cover run in one transition with its next step, and a context switch runs with its handover (Lipton's reduction: acquires are right movers, the handover a left mover); unlocked reads end a transition. Verdicts and findings are the same with --por off (a test runs every bundled spec both ways).",
	},
	Kernel: Table2025.Kernel("netbsd-2025", files2025, AllOps, lwUserret2025, hooks2025),
	Docs:   docs2025,
}
