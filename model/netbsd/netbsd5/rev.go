// Package netbsd5 is the netbsd-5 revision: sys_lwp.c 1.43.4.1 (the
// netbsd-5 branch, seed 001) on the kernel of mid-2008. The branch's own
// kern_lwp.c, kern_synch.c, kern_sleepq.c, kern_condvar.c, kern_exit.c and
// kern_sig.c are not stored; each is modelled from the newest stored
// revision before the branch (2008-05-18 for most, 2008-01 for
// kern_sig.c), whose interfaces are the ones sys_lwp.c 1.43.4.1 calls.
// The revision derives from netbsd-2025: it shares the routines whose C
// does the same, placed at their lines here, and overrides the others.
package netbsd5

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// files are the sources of netbsd-5, in the order of the nb.F* indexes.
var files = []model.File{
	nb.FKernLWP: {Name: "kern_lwp.c", Rev: "1.101.2.1"},
	nb.FSysLWP:  {Name: "sys_lwp.c", Rev: "1.43.4.1"},
	nb.FSynch:   {Name: "kern_synch.c", Rev: "1.227.2.1"},
	nb.FSleepq:  {Name: "kern_sleepq.c", Rev: "1.25.2.1"},
	nb.FCondvar: {Name: "kern_condvar.c", Rev: "1.16.2.1"},
	nb.FSig:     {Name: "kern_sig.c", Rev: "1.256.2.2"},
	nb.FExit:    {Name: "kern_exit.c", Rev: "1.202.4.1"},
	nb.FModel:   {Name: "model"},
	nb.FLwpH:    {Name: "lwp.h", Rev: "1.89.2.4"},
	nb.FSleepqH: {Name: "sleepq.h", Rev: "1.10.2.1"},
}

// LwUserret is LW_USERRET of lwp.h@1.89.2.4:256-257 (the scheduler
// activation flags aside: the kernel has no KERN_SA).
const LwUserret = model.FlagWEXIT | model.FlagPENDSIG | model.FlagWREBOOT | model.FlagWSUSPEND |
	model.FlagWCORE | model.FlagWUSERRET

// hooks are the helpers of 1.101.2.1 that shared routines call directly.
var hooks = &nb.Hooks{LwpFind: lwpFind, LwpNeedUserret: lwpNeedUserret, LwpMigrate: lwpMigrate, ParkLIFO: true}

// Hooks returns a copy of netbsd-5's hooks, for a revision that derives
// from it.
func Hooks() nb.Hooks { return *hooks }

// Table is netbsd-5's routine table, for a revision that derives from it.
var Table nb.Table

// Netbsd5 is the netbsd-5 revision.
var Netbsd5 = build()

func build() *model.Revision {
	rev := &model.Revision{
		Name:  "netbsd-5",
		About: "the netbsd-5 branch: sys_lwp.c 1.43.4.1 on the kernel of 2008 (kern_lwp.c 1.101.2.1, kern_sig.c 1.256.2.2)",
		Sources: []string{
			"sys_lwp.c 1.43.4.1 (2010-11-21, the netbsd-5 branch: trunk 1.43 with 1.50's locking fix for a stopping process)",
			"kern_lwp.c 1.101.2.1 (2008-05-18), the newest stored revision before the netbsd-5 branch (whose 1.126 is not stored) " +
				"and the first whose interface sys_lwp.c 1.43.4.1 calls (p->p_lock, proc_lock, lwp_unsleep(l, cleanup)); 1.85 (2007-12) still has p_smutex",
			"lwp.h 1.89.2.4 (2009-07-18): lwp_lock, LW_USERRET and the field markings",
			"kern_synch.c 1.227.2.1 (2008-05-18): mi_switch, setrunnable, preempt",
			"kern_sleepq.c 1.25.2.1 and sleepq.h 1.10.2.1 (2008-05-18): sleep queues, sleeptab_lookup, sleepq_enter",
			"kern_condvar.c 1.16.2.1 (2008-05-18): cv_wait, cv_wait_sig, cv_broadcast",
			"kern_exit.c 1.202.4.1 (2008-05-18): exit1, exit_lwps",
			"kern_sig.c 1.256.2.2 (2008-01-09), the newest stored before the branch, read with April 2008's lock merge " +
				"(p_smutex and p_mutex are p_lock, proclist_mutex and proclist_lock are proc_lock)",
		},
		Notes: []string{
			"The netbsd-5 branch's kernel sources are not stored: each file is modelled from the newest stored revision before the branch (see the sources). Where they and the branch differ, the model follows the stored code.",
			"The kernel is built without options KERN_SA: sys_lwp.c 1.43.4.1's #ifdef KERN_SA blocks (:90-97, :208-213) and the scheduler-activation flags are compiled out.",
			"Locks: as in netbsd-2025, proc_lock and p_lock are adaptive mutexes owned by LWPs; spc_lwplock, spc_mutex and the sleep-queue locks are spin mutexes owned by CPUs. mi_switch takes spc_mutex itself, and releases the old LWP's lock before cpu_switchto; l_ctxswtch marks an LWP whose switch is not finished, and a CPU that picks it spins until the new context on the old CPU clears it.",
			"Sleep queues: p_lwpcv's waiters sleep on sleeptab's queue (FIFO among equal priorities); parked LWPs on lwp_park_tab's (LIFO). All of the process's park wait channels (p ^ hint) share one queue and lock, as wait channels that hash alike do: an unpark finds its target on it whatever the hints, which is what the slow path under p_lock does for a target on another queue.",
			"A park timeout is told by callout_halt reporting that the callout fired: a timeout that fires after another wakeup still makes the park return ETIMEDOUT (kern_sleepq.c@1.25.2.1:271-272).",
			"LW_RUNNING is in l_flag (kern_lwp.c@1.101.2.1:83) and l_refcnt counts the LWP's own reference (1 from lwp_create, 0 once lwp_drainrefs has run); no modelled path takes another.",
			"Resource limits never bind and ucontexts are valid: only the new-lid copyout of _lwp_create can fault (create ... badptr).",
			"Signals: SIGUSR1 is caught by a handler without SA_RESTART; SIGKILL, SIGSTOP, SIGCONT and SIGQUIT take their default actions; nothing is masked or ignored; the process is not traced and no parent waits in vfork.",
			"Priorities are not modelled, the scheduler is SCHED_4BSD (sched_lwp_collect locks curlwp, as in netbsd-2025; sched_4bsd.c of 2008 is not stored), and sched_takecpu may choose any CPU. SCHED_4BSD's sched_wakeup is empty (sched_4bsd.c 1.30 and the older stored copies), so an LWP sleepq_remove wakes goes onto the run queue of the CPU it last ran on (kern_sleepq.c@1.25.2.1:150-152), from which an idle CPU may take it (work stealing in the idle loop, as in netbsd-2025 not modelled): the model lets the woken LWP go onto any CPU's run queue, which gives the placements stealing would give. Pinning it to its last CPU without stealing would hide schedules the kernel has (lwpcheck diff found one in tid-reap-all).",
			"Atomic events: the environment's events (kill(2) running kpsignal2, which in this revision can stop the process itself, a timeout firing, migration, proc_stop_callout) each run as one step; so does the idle loop's pick, once the LWP it picks has finished leaving its previous CPU.",
			"proc_stop_callout may run whenever the process has PS_STOPPING set. The C arms it in proc_stop, in sigswitch when other LWPs still run (kern_sig.c@1.256.2.2:1490-1494) and in itself while the stop is unfinished; the one stopping process it is not armed for is one whose last running LWP is in sigswitch (:1500-1520), where p_nrlwps is 1 and no LWP sleeps, so a run of it there finds nothing to stop and nothing to finish.",
			"exit1 after p_stat = SZOMB is reduced to its final lwp_exit_switchaway, which frees the CPU for the processes still running; the parent's side of exit and of stop notification is outside the model.",
			"Processes and sleep tables as netbsd-2025's notes say; here LWP ids are per process (p_nlwpid), as the model numbers them, and the park wait channels hash into lwp_park_tab's buckets the same way as p_lwpcv into sleeptab's.",
			nb.HangsNote + " exit_lwps waits untimed here, so its hangs are terminal states.",
		},
		Docs: docs,
	}
	Table = nb.Derive(rev, nb.Netbsd2025, nb.Table2025,
		// kern_lwp.c 1.101.2.1 and lwp.h 1.89.2.4
		nb.Override(nb.FnLwpCreate, nb.RT("lwp_create", nb.FKernLWP, 533, lwpCreate),
			"the new LWP is LSIDL on spc_mutex, not spc_lwplock, with lid ++p_nlwpid, and is not counted in p_nrlwps (1.101.2.1:569-651; 1.270:775-983 counts it at :951 and takes the lid from the PID table)"),
		nb.Removed(nb.FnLwpStart, "lwp_start",
			"1.101.2.1 has no lwp_start (1.270:998): sys__lwp_create sets the new LWP running, stopped or suspended itself (sys_lwp.c@1.43.4.1:136-156)"),
		nb.Override(nb.FnLwpExit, nb.RT("lwp_exit", nb.FKernLWP, 687, lwpExit),
			"the zombie releases its lock before it switches away (lwp_exit_switchaway, 1.101.2.1:787-848) and p_nrlwps is lowered whatever the LWP's state, also for an LSIDL LWP never counted; 1.270:1080-1241 keeps the lock into mi_switch and counts new LWPs"),
		nb.Override(nb.FnLwpFree, nb.RT("lwp_free", nb.FKernLWP, 857, lwpFree),
			"the LWP leaves p_lwps before lwp_free waits for it to leave its CPU, and stays LSZOMB (1.101.2.1:865-909); 1.270:1251-1326 waits first and resets it to LSIDL"),
		nb.Override(nb.FnLwpWait, nb.RT("lwp_wait1", nb.FKernLWP, 353, lwpWait),
			"lwp_wait1 walks every LWP for a specific lid, a detached target gives ESRCH, the exiting mode waits without a timeout, and EDEADLK is PS_WEXIT or p_nrlwps+p_nzlwps-p_ndlwps <= p_nlwpwait (1.101.2.1:399-500); lwp_wait (1.270:585-767) looks the lid up, gives EINVAL for a detached target, waits one tick when exiting, and EDEADLK is p_nlwpwait == p_nlwps"),
		nb.Override(nb.FnLwpUserret, nb.RT("lwp_userret", nb.FKernLWP, 1306, lwpUserret),
			"each test of l_flag is an unlocked read of its own and the LWP marks itself LSSUSPENDED, unlocks and locks itself again before mi_switch (1.101.2.1:1324-1376); 1.270:1682-1790 acts on one read of the flags"),
		nb.Override(nb.FnLwpDrainrefs, nb.RT("lwp_drainrefs", nb.FKernLWP, 1432, lwpDrainrefs),
			"it drops the LWP's own reference (1.101.2.1:1439); 1.270:1864-1880 marks the LWP LPR_DRAINING"),
		nb.Moved(nb.FnLwpLock, nb.FLwpH, 344,
			model.Move{From: 1608, To: 1608, Delta: 348 - 1608}, model.Move{From: 1614, To: 1614, Delta: 348 - 1614},
			model.Move{From: 1616, To: 1616, Delta: 355 - 1616}, model.Move{From: 1617, To: 1617, Delta: 355 - 1617}).
			Note("lwp_lock is inline in lwp.h@1.89.2.4:344-356 and retries in lwp_lock_retry (kern_lwp.c@1.101.2.1:1200), cited at its call (:355); the protocol is 1.270:1606-1620's"),
		nb.Moved(nb.FnLwpUnsleep, nb.FKernLWP, 1292, model.Move{From: 1599, To: 1599, Delta: 1297 - 1599}),
		nb.Moved(nb.FnLwpSuspend, nb.FKernLWP, 255,
			model.Move{From: 465, To: 472, Delta: -187}, model.Move{From: 480, To: 490, Delta: -188}, model.Move{From: 491, To: 498, Delta: -189}).
			Note("1.270 adds the LW_DBGSUSPEND test (:455-458; no debugger in the model) and lwp_need_userret for sleeping and stopped targets (:472, :491; only an assertion in the model, where the trap is always possible)"),
		nb.Moved(nb.FnLwpContinue, nb.FKernLWP, 323).
			Note("1.270:526 also leaves an LW_DBGSUSPEND LWP suspended; no debugger in the model"),
		nb.Moved(nb.FnSchedLwpCollect, nb.FKernLWP, 455),
		nb.Override(nb.FnLwpFind, nb.Helper("lwp_find", nb.FKernLWP, 1137),
			"it walks p_lwps (1.101.2.1:1143-1153); 1.270:1519-1533 looks the lid up in the PID table"),
		nb.Override(nb.FnLwpNeedUserret, nb.Helper("lwp_need_userret", nb.FKernLWP, 1383),
			"it asserts the LWP is locked (1.101.2.1:1385); 1.270:1795 also allows an LSIDL LWP"),
		nb.Override(nb.FnLwpMigrate, nb.Helper("lwp_migrate", nb.FKernLWP, 1063),
			"a running or stopped LWP gets l_target_cpu, an idle one moves to the target's spc_mutex (1.101.2.1:1063-1099); 1.270:1373-1428 moves stopped and suspended LWPs to the target's spc_lwplock"),
		nb.Moved(nb.FnEnvMigrate, nb.FKernLWP, 1063),
		nb.Override(nb.FnLwpStartup, nb.Helper("lwp_startup", nb.FKernLWP, 659),
			"the new LWP clears the previous one's l_ctxswtch (1.101.2.1:663-672); 1.270:1028-1052 clears its LP_RUNNING and unlocks it"),
		nb.Override(nb.FnLwpExitSwitchaway, nb.RT("lwp_exit_switchaway", nb.FKernLWP, 826, lwpExitSwitchaway),
			"a zombie clears LW_RUNNING without a lock and switches to the idle LWP itself (1.101.2.1:826-849); 1.270 has no lwp_exit_switchaway: lwp_exit calls mi_switch (:1238-1240)"),
		nb.Removed(nb.FnLwpThreadCleanup, "lwp_thread_cleanup",
			"1.101.2.1 has no lwp_thread_cleanup (1.270:2177): lwp_exit releases p_lock itself (:724)"),
		nb.Override(nb.FnLwpCtlAlloc, nb.Helper("lwp_ctl_alloc", nb.FKernLWP, 1533),
			"an LWP that has its lwpctl area gets EINVAL (1.101.2.1:1546-1549); 1.270:1942-1946 returns the same area with 0"),
		// kern_synch.c 1.227.2.1
		nb.Override(nb.FnMiSwitch, nb.RT("mi_switch", nb.FSynch, 512, miSwitch),
			"the caller holds only the LWP's lock: mi_switch takes spc_mutex, carries out an l_target_cpu, releases the old LWP's lock before cpu_switchto and spins on the next LWP's l_ctxswtch (1.227.2.1:512-806); 1.366:608-869 is called with spc_mutex held and the new context releases the old LWP"),
		nb.Override(nb.FnStartup, nb.RT("mi_switch (new context)", nb.FSynch, 765, startup),
			"the new context clears the previous LWP's l_ctxswtch (1.227.2.1:765-771); 1.366:833-841 clears its LP_RUNNING and releases its lock"),
		nb.Override(nb.FnIdle, nb.RT("idle_loop", nb.FSynch, 512, idle),
			"the idle LWP is switched away by mi_switch (1.227.2.1:617, 632-644), which spins on the picked LWP's l_ctxswtch"),
		nb.Override(nb.FnPreempt, nb.RT("preempt", nb.FSynch, 330, preempt),
			"it calls mi_switch with only the LWP locked (1.227.2.1:330-342); 1.366:314-330 takes spc_lock first"),
		nb.Override(nb.FnSetrunnable, nb.RT("setrunnable", nb.FSynch, 815, setrunnable),
			"the LWP's old lock is released as it moves to spc_mutex (lwp_unlock_to, 1.227.2.1:882-883), and no LW_DBGSUSPEND test; 1.366:948-958 keeps the old lock until the end"),
		nb.Removed(nb.FnNextlwp, "nextlwp",
			"1.227.2.1 has no nextlwp (1.366:549): mi_switch picks the next LWP inline (:631-644)"),
		// kern_sleepq.c 1.25.2.1, sleepq.h 1.10.2.1, kern_condvar.c 1.16.2.1
		nb.Override(nb.FnSleepqBlock, nb.RT("sleepq_block", nb.FSleepq, 234, sleepqBlock),
			"it marks the sleep interruptible itself, a timeout is callout_halt reporting that the callout fired, and after waking it checks LW_CANCELLED|LW_WEXIT|LW_WCORE and then issignal only if the sleep catches signals and no error is set (1.25.2.1:234-292); 1.87:344-440 uses LW_CATCHINTR and LW_STIMO"),
		nb.Override(nb.FnSleepqUnsleep, nb.RT("sleepq_unsleep", nb.FSleepq, 338, sleepqUnsleep),
			"it releases the queue's lock only if asked (cleanup, 1.25.2.1:348-352)"),
		nb.Override(nb.FnSleepqRemove, nb.RT("sleepq_remove", nb.FSleepq, 99, sleepqRemove),
			"TAILQ queues, no LW_CATCHINTR or LW_STIMO to clear (1.25.2.1:99-169); 1.87:120-183"),
		nb.Override(nb.FnSleepqEnqueue, nb.Helper("sleepq_enqueue", nb.FSleepq, 205),
			"it does not mark the sleep interruptible (1.25.2.1:205-224); 1.87:258-280 sets LW_SINTR"),
		nb.Override(nb.FnSleepqEnter, nb.Helper("sleepq_enter", nb.FSleepqH, 124),
			"inline in sleepq.h@1.10.2.1:124-134"),
		nb.Override(nb.FnSleepqWake, nb.Helper("sleepq_wake", nb.FSleepq, 300),
			"cv_broadcast wakes through sleepq_wake (1.25.2.1:300-328); kern_condvar.c@1.54's cv_wakeup_all calls sleepq_remove itself"),
		nb.Override(nb.FnCvWait, nb.RT("cv_wait", nb.FCondvar, 171, cvWait),
			"cv_enter takes the hashed sleep queue and counts cv_waiters (1.16.2.1:99-116), sleepq_block marks the sleep interruptible"),
		nb.Override(nb.FnCvBroadcast, nb.RT("cv_broadcast", nb.FCondvar, 304, cvBroadcast),
			"it tests cv_waiters and wakes through sleepq_wake (1.16.2.1:304-322)"),
		nb.Override(nb.FnEnvTimeout, nb.RT("sleepq_timeout", nb.FSleepq, 364, sleepqTimeout),
			"a callout that fires after the LWP was woken only marks itself fired (1.25.2.1:364-381); 1.87:505-527 sets LW_STIMO only when it wakes the LWP"),
		// kern_exit.c 1.202.4.1
		nb.Override(nb.FnExit1, nb.RT("exit1", nb.FExit, 189, exit1),
			"p_lock is dropped and taken again between exit_lwps and SDYING (1.202.4.1:232-255)"),
		nb.Override(nb.FnExitLwps, nb.RT("exit_lwps", nb.FExit, 592, exitLwps),
			"it collects with lwp_wait1's untimed exiting wait and scans again only on EDEADLK (1.202.4.1:607-645); 1.285:606-645 waits one tick and scans again on any error"),
		// kern_sig.c 1.256.2.2
		nb.Override(nb.FnKpsignal2, nb.RT("kpsignal2", nb.FSig, 1197, kpsignal2),
			"a default stop signal stops the process in the sender (proc_stop, 1.256.2.2:1353-1362), and any SA_CONT or SA_KILL signal resumes a stopped process (:1378-1400); 1.405 posts SIGSTOP and resumes only for SIGCONT and SIGKILL (:1450-1502)"),
		nb.Override(nb.FnSigpost, nb.RT("sigpost", nb.FSig, 1022, sigpost),
			"it skips an LWP whose references are drained, not a zombie, and continues a suspended LWP on any SA_KILL signal (1.256.2.2:1032, 1084-1089); 1.405:1127, 1190-1196 only for a core dump"),
		nb.Override(nb.FnIssignal, nb.RT("issignal", nb.FSig, 1600, issignal),
			"a stopping process makes it run the whole of sigswitch, and after waking it does not look at the stop again (1.256.2.2:1619-1630); 1.405:1879-1881 switches away and loops"),
		nb.Override(nb.FnSigswitch, nb.RT("sigswitch", nb.FSig, 1448, sigswitch),
			"one routine that stops the sleepers itself, posts the stop only if p_nrlwps > 1 and switches away with only the LWP locked (1.256.2.2:1448-1544); 1.405:1721-1801 calls proc_stop and sigswitch_unlock_and_switch_away"),
		nb.Removed(nb.FnSigswitchAway, "sigswitch_unlock_and_switch_away",
			"1.256.2.2 has none (1.405:1776): sigswitch switches away itself (:1527-1543)"),
		nb.Override(nb.FnProcStop, nb.RT("proc_stop", nb.FSig, 1989, procStop),
			"it runs in the sender, from kpsignal2, with proc_lock held (1.256.2.2:1989-2042); 1.405:2404-2437 runs in the stopping LWP's sigswitch"),
		nb.Override(nb.FnProcStopCO, nb.RT("proc_stop_callout", nb.FSig, 2066, procStopCallout),
			"the same work with proc_stop_lwps and proc_stop_done written out (1.256.2.2:2066-2137)"),
		nb.Removed(nb.FnProcStopDone, "proc_stop_done",
			"1.256.2.2 has none (1.405:1569): its work is written out in sigswitch, proc_stop and proc_stop_callout (:1508-1510, 2023-2025, 2105-2106)"),
		nb.Removed(nb.FnProcStopLwps, "proc_stop_lwps",
			"1.256.2.2 has none (1.405:1546): the loop is written out in sigswitch, proc_stop and proc_stop_callout (:1473-1481, 2004-2011, 2089-2097)"),
		nb.Removed(nb.FnSignotify, "signotify",
			"no modelled path of this revision calls signotify (1.256.2.2:1129): sigpost sets LW_PENDSIG itself (:1041) and lwp_exit on each LWP (kern_lwp.c@1.101.2.1:778-784)"),
		nb.Override(nb.FnSigexit, nb.RT("sigexit", nb.FSig, 1886, sigexit),
			"no bail-out for an exiting process, and p_lock is dropped and taken again on every path (1.256.2.2:1886-1982); 1.405:2273-2279, 2323-2345"),
		nb.Moved(nb.FnPostsig, nb.FSig, 1772, model.Move{From: 2092, To: 2092, Delta: -307},
			model.Move{From: 2127, To: 2127, Delta: -320}, model.Move{From: 2146, To: 2147, Delta: -326}),
		// sys_lwp.c 1.43.4.1
		nb.Moved(nb.FnStartLWP, nb.FModel, 0).Named("startlwp").
			Note("a new LWP starts in the emulation's e_startlwp (sys_lwp.c@1.43.4.1:116), machine-dependent code; it returns to user space through userret as mi_startlwp (sys_lwp.c@1.84:70) does"),
		nb.Override(nb.FnSysCreate, nb.RT("sys__lwp_create", nb.FSysLWP, 75, sysLwpCreate),
			"it copies the lid out, then sets the LWP LSRUN (counting it), LSSTOP, or LSSUSPENDED for a suspended create or a creator with LW_WREBOOT|LW_WSUSPEND|LW_WEXIT (1.43.4.1:123-158); 1.84:118-160 calls lwp_start, which suspends a new LWP through LW_WSUSPEND"),
		nb.Moved(nb.FnSysExit, nb.FSysLWP, 162),
		nb.Moved(nb.FnSysSelf, nb.FSysLWP, 170),
		nb.Moved(nb.FnSysWait, nb.FSysLWP, 341, model.Move{From: 349, To: 351, Delta: 2}),
		nb.Moved(nb.FnSysSuspend, nb.FSysLWP, 197, model.Move{From: 209, To: 209, Delta: -3}, model.Move{From: 210, To: 267, Delta: 5}),
		nb.Moved(nb.FnSysContinue, nb.FSysLWP, 278, model.Move{From: 285, To: 293, Delta: 4}),
		nb.Moved(nb.FnSysWakeup, nb.FSysLWP, 303, model.Move{From: 310, To: 332, Delta: 3}),
		nb.Moved(nb.FnSysDetach, nb.FSysLWP, 404, model.Move{From: 411, To: 420, Delta: 6}).
			Note("it looks the target up on p_lwps (1.43.4.1:426-428); 1.84:420 in the PID table: both find an LWP on p_lwps, zombies included, and reject an LSIDL one"),
		nb.Moved(nb.FnSysKill, nb.FSysLWP, 369, model.Move{From: 384, To: 391, Delta: 7}),
		nb.Override(nb.FnSysPark, nb.RT("sys__lwp_park", nb.FSysLWP, 599, sysLwpPark),
			"_lwp_park takes a deadline, an LWP to unpark and two hints (1.43.4.1:599-626)"),
		nb.Override(nb.FnLwpPark, nb.RT("lwp_park", nb.FSysLWP, 537, lwpPark),
			"the LWP sleeps on lwp_park_tab's queue: its lock, then the LWP's (1.43.4.1:559-578); 1.84:508-546 parks on no queue (SOBJ_SLEEPQ_NULL) under the LWP's own lock"),
		nb.Override(nb.FnLwpUnpark, nb.RT("lwp_unpark", nb.FSysLWP, 474, lwpUnpark),
			"one target: looked for on the park queue, else marked unparked under p_lock; a zombie target gives ESRCH through lwp_find (1.43.4.1:474-534); 1.84:460-505 handles a list through proc_find_lwp_unlocked"),
		nb.Override(nb.FnSysUnpark, nb.RT("sys__lwp_unpark", nb.FSysLWP, 629, sysLwpUnpark),
			"it unparks one target (1.43.4.1:629-637)"),
		nb.Override(nb.FnSysUnparkAll, nb.RT("sys__lwp_unpark_all", nb.FSysLWP, 640, sysLwpUnparkAll),
			"it holds the park queue's lock across the targets and skips unknown ones, returning 0 (1.43.4.1:691-750); 1.84:609-650 returns ESRCH after the others"),
		nb.Moved(nb.FnSysSetname, nb.FSysLWP, 754, model.Move{From: 686, To: 696, Delta: 98}),
		nb.Moved(nb.FnSysGetname, nb.FSysLWP, 803, model.Move{From: 723, To: 734, Delta: 96}),
		nb.Override(nb.FnSysCtl, nb.RT("sys__lwp_ctl", nb.FSysLWP, 836, sysLwpCtl),
			"a second call gives EINVAL (lwp_ctl_alloc, kern_lwp.c@1.101.2.1:1546-1549)"),
	)
	rev.Kernel = Table.Kernel("netbsd-5", files, nb.AllOps, LwUserret, hooks)
	rev.Kernel.Init = InitState
	rev.Differences = append(rev.Differences,
		model.Difference{From: nb.Netbsd2025.Name, Topic: "LW_USERRET",
			What: "lwp.h@1.89.2.4:256-257 has LW_WUSERRET (no emulation sets it in the model) and no LW_LWPCTL or LW_CACHECRED (lwp.h@1.231)"},
		model.Difference{From: nb.Netbsd2025.Name, Topic: "lock order",
			What: "kern_lwp.c@1.101.2.1:176-181 documents spc_lwplock -> sq_mutex -> spc_mutex; kern_lwp.c@1.270:195-197 documents sleepq -> spc_lwplock -> spc_mutex"},
		model.Difference{From: nb.Netbsd2025.Name, Topic: "state-to-lock table",
			What: "kern_lwp.c@1.101.2.1:154-162 covers LSIDL by spc_mutex and LSSUSPENDED like LSSTOP; kern_lwp.c@1.270:171-175 covers both by spc_lwplock"},
		model.Difference{From: nb.Netbsd2025.Name, Topic: "transition diagram",
			What: "kern_lwp.c@1.101.2.1:123-135 also has RUN -> STOPPED, SUSPENDED; SUSPENDED -> SLEEP; SLEEP -> SUSPENDED; kern_lwp.c@1.270:127-146 has IDL -> ONPROC for kernel threads"},
		model.Difference{From: nb.Netbsd2025.Name, Topic: "p_nrlwps",
			What: "a new LSIDL LWP is not counted (kern_lwp.c@1.101.2.1:533-651, sys_lwp.c@1.43.4.1:147); kern_lwp.c@1.270:951 counts it"},
	)
	return rev
}

// InitState marks the first LWP of each process running the way
// 1.101.2.1 does, in l_flag, and gives it its own reference.
func InitState(s *model.State) {
	for i := range s.LWPs {
		if l := &s.LWPs[i]; l.Name != 0 {
			l.PFlag &^= model.LP_RUNNING
			l.Flag |= model.FlagRUNNING
			l.RefCnt = 1
		}
	}
}
