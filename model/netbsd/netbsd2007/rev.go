// Package netbsd2007 is the netbsd-2007 revision: sys_lwp.c 1.16 (seed
// 000, 2007-03) on kern_lwp.c 1.73 (seed 002, 2007-10), the first LWP
// design of NetBSD (newlock2 and the per-CPU scheduler work of 2007). The
// kernel around them is modelled from the stored revisions of 2007 whose
// interfaces kern_lwp.c 1.73 calls. The revision derives from netbsd-5: it
// shares the routines whose C does the same, placed at their lines here,
// and overrides the others.
package netbsd2007

import (
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	nb "github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/model/netbsd/netbsd5"
)

// files are the sources of netbsd-2007, in the order of the nb.F* indexes.
var files = []model.File{
	nb.FKernLWP: {Name: "kern_lwp.c", Rev: "1.73"},
	nb.FSysLWP:  {Name: "sys_lwp.c", Rev: "1.16"},
	nb.FSynch:   {Name: "kern_synch.c", Rev: "1.192"},
	nb.FSleepq:  {Name: "kern_sleepq.c", Rev: "1.7.2.7"},
	nb.FCondvar: {Name: "kern_condvar.c", Rev: "1.11"},
	nb.FSig:     {Name: "kern_sig.c", Rev: "1.256.2.2"},
	nb.FExit:    {Name: "kern_exit.c", Rev: "1.171.2.1"},
	nb.FModel:   {Name: "model"},
	nb.FLwpH:    {Name: "lwp.h", Rev: "1.56.2.10"},
	nb.FSleepqH: {Name: "sleepq.h", Rev: "1.6"},
}

// ops are the system calls of sys_lwp.c 1.16: no _lwp_setname,
// _lwp_getname or _lwp_ctl (they came in December 2007).
var ops = []model.OpKind{model.OpCreate, model.OpExit, model.OpSelf, model.OpWait, model.OpSuspend,
	model.OpContinue, model.OpWakeup, model.OpDetach, model.OpKill, model.OpPark, model.OpUnpark, model.OpUnparkAll}

// restrict refuses what _lwp_park of sys_lwp.c 1.16 cannot be asked: it
// takes a deadline, a ucontext and a hint (:417-423), no LWP to unpark.
func restrict(op *model.Op) string {
	if op.Kind == model.OpPark && op.Unpark != 0 {
		return "_lwp_park of sys_lwp.c 1.16 takes no LWP to unpark (sys_lwp.c@1.16:417-423)"
	}
	return ""
}

// Netbsd2007 is the netbsd-2007 revision.
var Netbsd2007 = build()

func build() *model.Revision {
	rev := &model.Revision{
		Name:  "netbsd-2007",
		About: "the first LWP design: sys_lwp.c 1.16 on kern_lwp.c 1.73 (2007), with the 2007 kernel around them",
		Sources: []string{
			"sys_lwp.c 1.16 (2007-03-20, seed 000): the system calls",
			"kern_lwp.c 1.73 (2007-10-09, seed 002): LWP creation, exit, wait, suspend, userret",
			"kern_synch.c 1.192 (2007-08-02, NetBSD/src@00cdc8df70b9): mi_switch, setrunnable, preempt; the HEAD revision nearest before 1.73 with its interfaces " +
				"(running LWPs on spc_lwplock, one-argument mi_switch, the old LWP locked across cpu_switchto and released by the new context as 1.73's lwp_startup does, no l_ctxswtch)",
			"kern_sleepq.c 1.7.2.7 (2007-07-01) and sleepq.h 1.6 (2007-03-29): sleep queues with the interface kern_condvar.c 1.11 and kern_synch.c 1.192 call",
			"kern_condvar.c 1.11 (2007-08-01): cv_wait, cv_wait_sig, cv_broadcast",
			"kern_exit.c 1.171.2.1 (2007-07-11): exit1, exit_lwps",
			"kern_sig.c 1.256.2.2 (2008-01-09), the stored revision nearest after 1.73, read as it is: p_smutex, p_mutex, proclist_mutex and proclist_lock are distinct",
			"lwp.h 1.56.2.10 (2007-07-01) and proc.h 1.250 (2007-05-17): flags and field markings",
			"sched_4bsd.c 1.1.6.10 (2007-10-10): SCHED_4BSD, one run queue under one sched_mutex",
		},
		Notes: []string{
			"The two seeds are not a matched pair: sys_lwp.c 1.16 (March 2007) predates kern_lwp.c 1.73's per-CPU scheduler (October 2007). Its global sched_mutex (:126) is the one lock every CPU's spc_mutex points to under SCHED_4BSD of 2007 (sched_4bsd.c 1.1.6.10:501-511), and its setrunqueue (:129) is sched_enqueue.",
			"sys_lwp.c 1.16 parks through the 7-argument sleepq_block and sleepq_unblock of kern_sleepq.c 1.7.2.1 (April 2007), which go with a two-argument mi_switch and the global sched_mutex; the model runs its park on the 2007 sleep queues of 1.7.2.7 (sleepq_enqueue, then sleepq_block(timo, true)), as sys_lwp.c 1.23 (2007-08) does (:501-531). 1.7.2.7's early abort on LW_CANCELLED|LW_WEXIT|LW_WCORE also runs issignal, and its timeout verdict is one callout_stop where 1.7.2.1 reads callout_expired then stops the callout; the returned errors are the same, but a stop signal taken in that early abort stops the LWP inside _lwp_park (kern_sleepq.c@1.7.2.7:293-297) where 1.7.2.1 stops it later, in lwp_userret. A deadline already passed (ETIMEDOUT) and itimerfix's EINVAL, which 1.16 returns before its LW_UNPARKED test (sys_lwp.c@1.16:432-445), are not modelled: a park's timeout is a callout that fires while it sleeps. The park queue is FIFO (SOBJ_SLEEPQ_FIFO, sys_lwp.c@1.16:62).",
			"Scheduler: SCHED_4BSD, one run queue under one sched_mutex that every CPU runs from; sched_takecpu keeps an LWP's CPU and sched_wakeup does nothing (sched_4bsd.c 1.1.6.10:720-730). There is no migration: no lwp_migrate and no affinity.",
			"There is no kernel preemption in 2007: an LWP is preempted only on its way back to user space (kern_synch.c 1.192 has no kpreempt).",
			"Locks: p_smutex (the model's process lock) and proclist_mutex (its list lock) are spin mutexes at IPL_SCHED (kern_fork.c 1.131.2.8); the model lets the LWP that holds one own it, which is the same while no LWP switches away holding it, which no modelled path does. The adaptive proclist_lock and p_mutex cover nothing the model tracks and are left out: each is taken with no modelled lock held (newlwp :640, lwp_exit :742, exit1 :348, proc_stop_callout :2078, lwp_update_creds :1078), so leaving them out hides no order between the modelled locks. proclist_lock also serialises: exit1 holds it from kern_exit.c@1.171.2.1:348 to :578 and proc_stop_callout blocks on it (kern_sig.c@1.256.2.2:2078), which the model lets run in that window (the process is SDYING then, and the callout finds nothing to do).",
			"LW_RUNNING is in l_flag (lwp.h@1.56.2.10:191) and l_refcnt counts the LWP's own reference, as in netbsd-5.",
			"kern_lwp.c 1.73's lwp_suspend tests curl->l_stat & (LW_WEXIT | LW_WCORE) (:276), which is 0 for every l_stat (lwp.h@1.56.2.10:184-185, 221-229), where 1.101.2.1:268 tests l_flag: the model runs the test as written, so it never bails out. sys__lwp_suspend makes the same test on l_flag itself (sys_lwp.c@1.16:202-203); sigexit's core dump calls lwp_suspend directly (kern_sig.c@1.256.2.2:1929-1930), and its caller can have LW_WEXIT from another LWP's exit_lwps by then (kern_lwp.c@1.73:1219-1222, kern_exit.c@1.171.2.1:637): there 1.73 suspends the target where 1.101.2.1 returns EDEADLK.",
			"Priorities are not modelled: one FIFO run queue, where SCHED_4BSD keeps one queue per priority and picks the highest (sched_4bsd.c@1.1.6.10:448-467, 688-717), so a woken sleeper with its kernel priority (kern_condvar.c@1.11:119, sys_lwp.c@1.16:472) overtakes an LWP preempted in user space in the C and not in the model, which fixes the order in which queued LWPs run.",
			"The big kernel lock is not modelled: lwp_userret, lwp_free, exit_lwps, sigswitch and sigexit take or juggle KERNEL_LOCK around modelled code (kern_lwp.c@1.73:1221-1226, 908-922; kern_exit.c@1.171.2.1:623, 668-674; kern_sig.c@1.256.2.2:1530, 1542, 1952). It is released at every sleep and switch, so leaving it out hides no hang of the modelled code, but it lets those sections interleave where the C serialises them: the model may show runs the C cannot.",
			"Resource limits never bind and ucontexts are valid: only the new-lid copyout of _lwp_create can fault (create ... badptr).",
			"Signals: SIGUSR1 is caught by a handler without SA_RESTART; SIGKILL, SIGSTOP, SIGCONT and SIGQUIT take their default actions; nothing is masked or ignored; the process is not traced and no parent waits in vfork.",
			"Atomic events: the environment's events (kill(2) running kpsignal2, a timeout firing, proc_stop_callout) each run as one step; so does the idle loop's pick.",
			"exit1 after p_stat = SZOMB is reduced to its final lwp_exit_switchaway, which frees the CPU for the processes still running; the parent's side of exit and of stop notification is outside the model.",
			"Processes and sleep tables as netbsd-2025's notes say; here LWP ids are per process (p_nlwpid), as the model numbers them, and the park wait channels hash into lwp_park_tab's buckets the same way as p_lwpcv into sleeptab's.",
			nb.HangsNote + " exit_lwps waits untimed here, so its hangs are terminal states.",
		},
		Docs: docs,
	}
	h := netbsd5.Hooks()
	h.ParkLIFO = false // SOBJ_SLEEPQ_FIFO, sys_lwp.c@1.16:62
	h.SuspendReadsStat = true
	h.SuspendStaysLocked = true
	h.LwpMigrate = nil
	t := nb.Derive(rev, netbsd5.Netbsd5, netbsd5.Table, changes...)
	rev.Kernel = t.Kernel("netbsd-2007", files, ops, netbsd5.LwUserret, &h)
	rev.Kernel.Init = netbsd5.InitState
	rev.Kernel.OneRunqueue = true
	rev.Kernel.UserPreemptOnly = true
	rev.Kernel.Restrict = restrict
	// The shared routines quote the C of 2008, where both process locks
	// are p_lock and both list locks proc_lock.
	rev.Kernel.Spell = strings.NewReplacer("p->p_lock", "&p->p_smutex", "p2->p_lock", "&p2->p_smutex",
		"&proc_lock", "&proclist_mutex", "(proc_lock)", "(&proclist_mutex)")
	rev.Kernel.ClassNames[model.ClassProcList] = "proclist_mutex"
	rev.Kernel.ClassNames[model.ClassProc] = "p_smutex"
	rev.Differences = append(rev.Differences,
		model.Difference{From: netbsd5.Netbsd5.Name, Topic: "system calls",
			What: "sys_lwp.c 1.16 has no _lwp_setname, _lwp_getname or _lwp_ctl, and its _lwp_park takes no LWP to unpark (:417-423); sys_lwp.c@1.43.4.1:599-626, 754-850"},
		model.Difference{From: netbsd5.Netbsd5.Name, Topic: "scheduler",
			What: "one run queue under one sched_mutex for every CPU (sched_4bsd.c 1.1.6.10:501-511, 663-716); netbsd-5's kern_runq.c has one per CPU"},
		model.Difference{From: netbsd5.Netbsd5.Name, Topic: "preemption",
			What: "none in the kernel (kern_synch.c 1.192); kern_synch.c@1.227.2.1:344-452 has kpreempt"},
		model.Difference{From: netbsd5.Netbsd5.Name, Topic: "state-to-lock table",
			What: "kern_lwp.c@1.73:161-164 covers LSIDL by spc_lwplock; kern_lwp.c@1.101.2.1:159-162 by spc_mutex"},
		model.Difference{From: netbsd5.Netbsd5.Name, Topic: "park queue",
			What: "FIFO (SOBJ_SLEEPQ_FIFO, sys_lwp.c@1.16:62); LIFO in sys_lwp.c@1.43.4.1:58"},
	)
	return rev
}
