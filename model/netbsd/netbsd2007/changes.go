package netbsd2007

import (
	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
)

// changes are how netbsd-2007's routines differ from netbsd-5's: placed at
// their lines in the 2007 sources (Moved), rewritten from the 2007 C
// (Override) or absent (Removed). The line maps were checked statement by
// statement against the 2007 files.
var changes = []nb.Change{
	// kern_lwp.c 1.73 and lwp.h 1.56.2.10
	nb.Override(nb.FnLwpCreate, nb.RT("newlwp", nb.FKernLWP, 547, newlwp),
		"newlwp puts the LWP on the scheduler lock of sched_takecpu's CPU before it is on any list, and takes proclist_lock then proclist_mutex around the global list (1.73:587-600, 640-644); 1.101.2.1:587-642 publishes it on the creator's spc_mutex and moves it under lwp_lock"),
	nb.Moved(nb.FnLwpExit, nb.FKernLWP, 678,
		model.Move{From: 695, To: 721, Delta: -7}, model.Move{From: 724, To: 724, Delta: -6},
		model.Move{From: 748, To: 750, Delta: -5}, model.Move{From: 759, To: 788, Delta: -2},
		model.Move{From: 791, To: 791, Delta: -4}, model.Move{From: 796, To: 821, Delta: -6}).
		Note("the list removal takes proclist_lock, which the model leaves out (see the Notes), then proclist_mutex (1.73:742-746) where 1.101.2.1:748-750 takes proc_lock; sys__lwp_create of 1.16 never calls it for an LWP that has not run"),
	nb.Moved(nb.FnLwpFree, nb.FKernLWP, 842, model.Move{From: 863, To: 863, Delta: 842 - 863},
		model.Move{From: 880, To: 909, Delta: -22}, model.Move{From: 947, To: 947, Delta: -26}).
		Note("1.73 has no KASSERT(l != curlwp) (1.101.2.1:863): the model's check of it is cited at the definition (1.73:842)"),
	nb.Moved(nb.FnLwpWait, nb.FKernLWP, 365, model.Move{From: 361, To: 454, Delta: 15}, model.Move{From: 458, To: 524, Delta: 14}).
		Note("1.73 frees the collected LWP without sched_lwp_collect (1.73:465-473; 1.101.2.1:455)"),
	nb.Removed(nb.FnSchedLwpCollect, "sched_lwp_collect",
		"1.73's lwp_wait1 does not call it (1.73:465-473; 1.101.2.1:455)"),
	nb.Moved(nb.FnLwpUserret, nb.FKernLWP, 1201,
		model.Move{From: 1324, To: 1324, Delta: -111}, model.Move{From: 1332, To: 1335, Delta: -110},
		model.Move{From: 1348, To: 1353, Delta: -109}, model.Move{From: 1355, To: 1355, Delta: -110},
		model.Move{From: 1361, To: 1361, Delta: -111}, model.Move{From: 1362, To: 1363, Delta: -110}).
		Note("the LWP that suspends itself stays locked from LSSUSPENDED into mi_switch (1.73:1243-1246, Hooks.SuspendStaysLocked); 1.101.2.1:1352-1357 unlocks and locks itself again in between"),
	nb.Moved(nb.FnLwpDrainrefs, nb.FKernLWP, 1322).
		Note("it waits on p_refcv (1.73:1330-1331); 1.101.2.1:1440-1441 on p_lwpcv; no modelled path takes a reference, so it never waits"),
	nb.Moved(nb.FnLwpLock, nb.FLwpH, 284,
		model.Move{From: 1608, To: 1608, Delta: 289 - 1608}, model.Move{From: 1614, To: 1614, Delta: 289 - 1614},
		model.Move{From: 1616, To: 1616, Delta: 296 - 1616}, model.Move{From: 1617, To: 1617, Delta: 296 - 1617}).
		Note("lwp_lock is inline in lwp.h@1.56.2.10:284-300 and retries in lwp_lock_retry (kern_lwp.c@1.73:1105), cited at its call (:296)"),
	nb.Moved(nb.FnLwpUnsleep, nb.FLwpH, 336, model.Move{From: 1598, To: 1598, Delta: 338 - 1598}).
		Note("lwp_unsleep is inline in lwp.h@1.56.2.10:335-341 with one argument, and sleepq_unsleep always releases the queue's lock; every modelled caller asks for that"),
	nb.Moved(nb.FnLwpSuspend, nb.FKernLWP, 263,
		model.Move{From: 465, To: 472, Delta: -179}, model.Move{From: 480, To: 490, Delta: -180}, model.Move{From: 491, To: 498, Delta: -181}).
		Note("1.73:276 tests curl->l_stat & (LW_WEXIT | LW_WCORE), which no l_stat value has (lwp.h@1.56.2.10:184-185, 221-229), where 1.101.2.1:268 tests l_flag: the test never passes (Hooks.SuspendReadsStat, see the Notes); 1.73 has no lwp_need_userret calls for sleeping and stopped targets (:291-312), which the shared code makes as assertions"),
	nb.Moved(nb.FnLwpContinue, nb.FKernLWP, 331, model.Move{From: 520, To: 532, Delta: -177}),
	nb.Moved(nb.FnLwpFind, nb.FKernLWP, 1040),
	nb.Moved(nb.FnLwpNeedUserret, nb.FKernLWP, 1273),
	nb.Removed(nb.FnLwpMigrate, "lwp_migrate",
		"1.73 has no lwp_migrate and lwp.h 1.56.2.10 no l_target_cpu (1.101.2.1:1063)"),
	nb.Removed(nb.FnEnvMigrate, "sched_setaffinity: lwp_migrate",
		"there is no processor affinity in 2007: nothing moves an LWP to another CPU"),
	nb.Override(nb.FnLwpStartup, nb.Helper("lwp_startup", nb.FKernLWP, 660),
		"the new LWP releases the previous LWP's lock (1.73:663-665); 1.101.2.1:663-672 clears its l_ctxswtch"),
	nb.Override(nb.FnLwpExitSwitchaway, nb.RT("lwp_exit_switchaway", nb.FKernLWP, 820, lwpExitSwitchaway),
		"it clears LW_RUNNING and switches to the idle LWP without any lock (1.73:826-833); 1.101.2.1:845-847 takes spc_lock to set cpu_onproc"),
	nb.Removed(nb.FnLwpCtlAlloc, "lwp_ctl_alloc", "1.73 has no lwpctl (1.101.2.1:1533)"),
	nb.Moved(nb.FnStartLWP, nb.FModel, 0).Named("startlwp").
		Note("a new LWP starts in the emulation's e_startlwp (sys_lwp.c@1.16:111), as in netbsd-5"),

	// sys_lwp.c 1.16
	nb.Override(nb.FnSysCreate, nb.RT("sys__lwp_create", nb.FSysLWP, 79, sysLwpCreate),
		"it sets the LWP running, stopped or suspended before it copies the lid out, leaves a stopped or suspended one on its scheduler lock, and on a fault returns EFAULT with the LWP going (1.16:118-138); 1.43.4.1:123-158 copies out first, tears the LWP down on a fault, and moves the others to spc_lwplock"),
	nb.Moved(nb.FnSysExit, nb.FSysLWP, 144),
	nb.Moved(nb.FnSysSelf, nb.FSysLWP, 152),
	nb.Moved(nb.FnSysWait, nb.FSysLWP, 285, model.Move{From: 349, To: 351, Delta: -54}),
	nb.Override(nb.FnSysSuspend, nb.RT("sys__lwp_suspend", nb.FSysLWP, 179, sysLwpSuspend),
		"it returns once the target is set suspending, without waiting for it (1.16:215-218); 1.43.4.1:242-272 waits on p_lwpcv"),
	nb.Moved(nb.FnSysContinue, nb.FSysLWP, 222, model.Move{From: 285, To: 293, Delta: -52}),
	nb.Moved(nb.FnSysWakeup, nb.FSysLWP, 247, model.Move{From: 310, To: 332, Delta: -53}),
	nb.Override(nb.FnSysDetach, nb.RT("sys__lwp_detach", nb.FSysLWP, 348, sysLwpDetach),
		"it broadcasts p_lwpcv before freeing a zombie and after every other outcome, failures included (1.16:389, 399); 1.43.4.1:455 only after a successful detach of a live LWP"),
	nb.Moved(nb.FnSysKill, nb.FSysLWP, 313, model.Move{From: 384, To: 391, Delta: -49}).
		Note("the list lock it takes is proclist_mutex (1.16:335), proc_lock in sys_lwp.c@1.84:384"),
	nb.Override(nb.FnSysPark, nb.RT("sys__lwp_park", nb.FSysLWP, 417, sysLwpPark),
		"_lwp_park takes a deadline, a ucontext and a hint, and parks itself (1.16:417-486); 1.43.4.1:599-626 unparks another LWP first and calls lwp_park"),
	nb.Moved(nb.FnLwpPark, nb.FSysLWP, 417,
		model.Move{From: 562, To: 573, Delta: -113}, model.Move{From: 575, To: 575, Delta: -112},
		model.Move{From: 577, To: 577, Delta: -105}, model.Move{From: 578, To: 578, Delta: -104},
		model.Move{From: 580, To: 585, Delta: -105}).Named("sys__lwp_park").
		Note("1.16 has no lwp_park: sys__lwp_park does its work (1.16:448-486), through sleepq_block(7 args) and sleepq_unblock, which the model runs as the 2007 sleep queues' sleepq_enqueue and sleepq_block (see the Notes)"),
	nb.Moved(nb.FnLwpUnpark, nb.FSysLWP, 490,
		model.Move{From: 489, To: 507, Delta: 22}, model.Move{From: 509, To: 512, Delta: 21}, model.Move{From: 522, To: 533, Delta: 21}).
		Named("sys__lwp_unpark").Note("1.16 has no lwp_unpark: sys__lwp_unpark does its work (1.16:503-554)"),
	nb.Moved(nb.FnSysUnpark, nb.FSysLWP, 490, model.Move{From: 636, To: 636, Delta: 490 - 636}),
	nb.Moved(nb.FnSysUnparkAll, nb.FSysLWP, 558, model.Move{From: 692, To: 744, Delta: -79}, model.Move{From: 750, To: 750, Delta: -76}),
	nb.Removed(nb.FnSysSetname, "sys__lwp_setname", "sys_lwp.c 1.16 has no _lwp_setname (1.43.4.1:754)"),
	nb.Removed(nb.FnSysGetname, "sys__lwp_getname", "sys_lwp.c 1.16 has no _lwp_getname (1.43.4.1:803)"),
	nb.Removed(nb.FnSysCtl, "sys__lwp_ctl", "sys_lwp.c 1.16 has no _lwp_ctl (1.43.4.1:836)"),

	// kern_synch.c 1.192
	nb.Override(nb.FnMiSwitch, nb.RT("mi_switch", nb.FSynch, 353, miSwitch),
		"the old LWP stays locked across cpu_switchto and the new context releases it (1.192:449-474), on one scheduler lock and run queue; 1.227.2.1:690-771 releases it before the switch and marks it l_ctxswtch, and migrates"),
	nb.Override(nb.FnStartup, nb.RT("mi_switch (new context)", nb.FSynch, 471, startup),
		"the new context releases the previous LWP's lock (1.192:471-474); 1.227.2.1:765-771 clears its l_ctxswtch"),
	nb.Override(nb.FnIdle, nb.RT("idle_loop", nb.FSynch, 353, idle),
		"the new context releases the idle LWP's spc_lwplock (1.192:474); 1.227.2.1 releases it before the switch and spins on l_ctxswtch"),
	nb.Override(nb.FnSetrunnable, nb.RT("setrunnable", nb.FSynch, 520, setrunnable),
		"an LWP already on the scheduler lock is made runnable without changing locks, and its CPU stays (1.192:583-595); 1.227.2.1:824, 880-883 asserts it is not and picks a CPU"),
	nb.Moved(nb.FnPreempt, nb.FSynch, 299),

	// kern_sleepq.c 1.7.2.7, sleepq.h 1.6, kern_condvar.c 1.11
	nb.Moved(nb.FnSleepqEnqueue, nb.FSleepq, 208, model.Move{From: 182, To: 190, Delta: 6}, model.Move{From: 193, To: 194, Delta: 3},
		model.Move{From: 209, To: 214, Delta: 4}, model.Move{From: 218, To: 218, Delta: 5}).
		Note("it asserts mutex_owned(sq->sq_mutex) (1.7.2.7:213) where 1.25.2.1:209 asserts lwp_locked(l, sq->sq_mutex), which holds here too (sleepq_enter, sleepq.h@1.6:155-156); it takes a priority (:208, :222), which the model does not track; sleepq_insert has no LIFO case (1.7.2.7:182-198; 1.25.2.1:191-192): lwp_park_sobj is FIFO (sys_lwp.c@1.16:61-62)"),
	nb.Moved(nb.FnSleepqUnsleep, nb.FSleepq, 353, model.Move{From: 346, To: 346, Delta: 16}, model.Move{From: 349, To: 349, Delta: 14}).
		Note("one argument: it always releases the queue's lock (1.7.2.7:363); 1.25.2.1:348-352 only if asked, as every modelled caller does"),
	nb.Moved(nb.FnSleepqRemove, nb.FSleepq, 110, model.Move{From: 157, To: 163, Delta: 4}, model.Move{From: 164, To: 164, Delta: 6}).
		Note("no sched_wakeup (1.25.2.1:150-152): the LWP goes onto the one run queue (1.7.2.7:161-167); the cpu_need_resched of a higher priority (:168-169) is not modelled"),
	nb.Moved(nb.FnEnvTimeout, nb.FSleepq, 376),
	nb.Moved(nb.FnSleepqWake, nb.FSleepq, 316, model.Move{From: 309, To: 318, Delta: 15}).
		Note("1.7.2.7:315-343 has no KASSERT(l->l_mutex == sq->sq_mutex) (1.25.2.1:309): the model's check, which holds here too, is cited at the assertion beside it (:324)"),
	nb.Moved(nb.FnSleepqEnter, nb.FSleepqH, 144, model.Move{From: 131, To: 132, Delta: 24}).
		Note("sleepq.h@1.6:146-158 swaps the locks only #if MULTIPROCESSOR || LOCKDEBUG; the model is a multiprocessor"),
	nb.Moved(nb.FnCvWait, nb.FCondvar, 200, model.Move{From: 109, To: 132, Delta: 7}),
	nb.Moved(nb.FnCvBroadcast, nb.FCondvar, 329, model.Move{From: 311, To: 319, Delta: 23}),

	// kern_exit.c 1.171.2.1
	nb.Moved(nb.FnExitLwps, nb.FExit, 613),
	nb.Override(nb.FnSleepqBlock, nb.RT("sleepq_block", nb.FSleepq, 238, sleepqBlock),
		"a pending signal is looked for before the exit and cancel flags, an early wakeup goes through the late checks and issignal, and a timeout is told by callout_stop (1.7.2.7:253-299); 1.25.2.1:247-291 checks the flags first and never runs issignal early"),
	nb.Override(nb.FnExit1, nb.RT("exit1", nb.FExit, 197, exit1),
		"the teardown holds proclist_lock and takes p_smutex three times (1.171.2.1:240-572); 1.202.4.1:232-556 holds proc_lock"),
}
