// Package model holds the kernel state and the primitives shared by every
// modelled revision: the state value, locks, CPUs and run queues, sleep
// queues, kernel continuations, and the machine that executes one atomic
// step of a CPU and records what the step did.
//
// The state is a value made of bytes only: copying is cloning, and its
// memory is its canonical encoding.
package model

// Capacities of the model. A spec that needs more is rejected.
const (
	MaxLWPs   = 5   // LWP structures alive at once (slots)
	MaxNames  = 8   // LWP names a spec may use (1..MaxNames-1)
	MaxCPUs   = 4   // CPUs
	MaxProcs  = 2   // processes
	MaxFrames = 16  // depth of a kernel continuation
	MaxSteps  = 255 // steps of one LWP's program (PC is a byte)
)

// LWP states (l_stat), with the C values of sys/lwp.h.
const (
	LSIDL       = 1
	LSRUN       = 2
	LSSLEEP     = 3
	LSSTOP      = 4
	LSZOMB      = 5
	LSONPROC    = 7
	LSSUSPENDED = 8
)

// StatName returns the C name of an l_stat value.
func StatName(s uint8) string {
	switch s {
	case 0:
		return "free"
	case LSIDL:
		return "LSIDL"
	case LSRUN:
		return "LSRUN"
	case LSSLEEP:
		return "LSSLEEP"
	case LSSTOP:
		return "LSSTOP"
	case LSZOMB:
		return "LSZOMB"
	case LSONPROC:
		return "LSONPROC"
	case LSSUSPENDED:
		return "LSSUSPENDED"
	}
	return "?"
}

// Process states (p_stat).
const (
	SACTIVE = 2
	SDYING  = 3 // exit1 is tearing the process down
	SSTOP   = 4
	SZOMB   = 5 // exit1 has run: the process is gone
)

// Frame is one activation of a kernel routine: which routine, where in it,
// and the few locals its later steps need.
type Frame struct {
	Fn  uint8 // routine number, in the revision's routine table
	PC  uint8 // which step of the routine comes next
	A   uint8 // locals, meaning per routine
	B   uint8
	C   uint8
	Ret uint8 // the last callee's return value
}

// LWP is one LWP structure (struct lwp). Slot identity is its index in
// State.LWPs; Gen changes whenever the slot is reused, so a stale reference
// to a freed LWP is detectable.
type LWP struct {
	Gen  uint8 // generation of the slot
	Name uint8 // the spec's name for this LWP; 0: the slot is free
	Lid  uint8 // l_lid
	Proc uint8 // l_proc: index of its process in State.Procs

	Stat       uint8  // l_stat
	Flag       uint16 // l_flag (model bits, see Flag*)
	PFlag      uint8  // l_pflag (LP_RUNNING)
	PRFlag     uint8  // l_prflag (LPR_DETACHED, LPR_DRAINING)
	Mutex      uint8  // l_mutex: the lock that covers the LWP now
	CPU        uint8  // l_cpu
	TargetCPU  uint8  // l_target_cpu + 1; 0 is NULL
	WChan      uint8  // l_wchan: the wait channel (WChan*)
	SyncObj    uint8  // l_syncobj (SObj*)
	Waiter     uint8  // l_waiter: lid of the first waiter
	WaitingFor uint8  // l_waitingfor: lid waited for
	RefCnt     uint8  // l_refcnt
	SigPend    uint8  // l_sigpend: LWP-directed pending signals (Sig* bits)
	Timo       uint8  // a sleep timeout: 1 armed (callout pending), 2 fired (callout_halt reports it expired)
	Named      uint8  // l_name is set
	Ctl        uint8  // l_lwpctl is allocated
	PidSlot    uint8  // l_lid is allocated in the PID table
	// Ghost is bookkeeping for the invariants, not a kernel field: what
	// this LWP has added to the process counters (Ghost* bits).
	Ghost uint8

	// User side.
	PC     uint8 // next step of the LWP's program
	Result uint8 // result of the syscall in progress (Errno), delivered at userret
	Value  uint8 // value it returns (a lid)

	// Kernel continuation: Frames[:Depth] is the call stack, innermost last.
	Depth  uint8
	Frames [MaxFrames]Frame
}

// Ghost bits: the LWP's contribution to a process counter that the C code
// changes before (or after) the state it counts.
const (
	GhostZomb uint8 = 1 << iota // counted in p_nzlwps
	GhostWait                   // counted in p_nlwpwait
)

// InKernel reports whether the LWP is executing (or blocked) in the kernel.
func (l *LWP) InKernel() bool { return l.Depth > 0 }

// Model bits of l_flag. The C names and values are printed by FlagNames.
const (
	FlagWSUSPEND   uint16 = 1 << iota // LW_WSUSPEND
	FlagWEXIT                         // LW_WEXIT
	FlagWCORE                         // LW_WCORE
	FlagPENDSIG                       // LW_PENDSIG
	FlagCANCELLED                     // LW_CANCELLED
	FlagUNPARKED                      // LW_UNPARKED
	FlagSINTR                         // LW_SINTR
	FlagSTIMO                         // LW_STIMO
	FlagCATCHINTR                     // LW_CATCHINTR
	FlagDBGSUSPEND                    // LW_DBGSUSPEND
	FlagWREBOOT                       // LW_WREBOOT
	FlagLWPCTL                        // LW_LWPCTL
	FlagCACHECRED                     // LW_CACHECRED
	FlagWUSERRET                      // LW_WUSERRET (2007)
	FlagRUNNING                       // LW_RUNNING (2007-2008: in l_flag, later LP_RUNNING in l_pflag)
)

var flagNames = []string{"LW_WSUSPEND", "LW_WEXIT", "LW_WCORE", "LW_PENDSIG", "LW_CANCELLED", "LW_UNPARKED",
	"LW_SINTR", "LW_STIMO", "LW_CATCHINTR", "LW_DBGSUSPEND", "LW_WREBOOT", "LW_LWPCTL", "LW_CACHECRED", "LW_WUSERRET", "LW_RUNNING"}

// FlagNames renders model l_flag bits with their C names.
func FlagNames(f uint16) string { return bitNames(uint64(f), flagNames) }

// l_pflag and l_prflag bits. LP_CTXSWTCH is l_ctxswtch, which netbsd-5's
// mi_switch sets while an LWP's context is being switched away.
const (
	LP_RUNNING   = 1
	LP_CTXSWTCH  = 2
	LPR_DETACHED = 1
	LPR_DRAINING = 2
)

// Wait channels (l_wchan) and sync objects (l_syncobj).
const (
	WChanNone  = 0
	WChanLwpcv = 1 // &p->p_lwpcv
	WChanPark  = 2 // the LWP itself, parked on no sleep queue (lwp_park with SOBJ_SLEEPQ_NULL)
	WChanParkq = 3 // p ^ hint, parked on lwp_park_tab's sleep queue (netbsd-5 and older)

	SObjSched = 0 // sched_syncobj: not sleeping
	SObjCV    = 1 // cv_syncobj
	SObjPark  = 2 // lwp_park_syncobj (SOBJ_SLEEPQ_NULL)
)

// Signals the model distinguishes, as bits of a pending set.
const (
	SigUSR1 uint8 = 1 << iota // caught by a handler that returns (no SA_RESTART)
	SigKILL                   // default action: exit
	SigSTOP                   // default action: stop
	SigCONT                   // continue
	SigQUIT                   // default action: core dump and exit
)

var sigNames = []string{"SIGUSR1", "SIGKILL", "SIGSTOP", "SIGCONT", "SIGQUIT"}

// SigNames renders a pending-signal set.
func SigNames(s uint8) string { return bitNames(uint64(s), sigNames) }

// Process flags (p_sflag).
const (
	PS_STOPPING uint8 = 1 << iota
	PS_WEXIT
	PS_WCORE
)

var psNames = []string{"PS_STOPPING", "PS_WEXIT", "PS_WCORE"}

// SFlagNames renders p_sflag bits.
func SFlagNames(f uint8) string { return bitNames(uint64(f), psNames) }

// Proc is one process (struct proc). Stat 0 marks a process slot the
// spec does not use.
type Proc struct {
	Stat     uint8 // p_stat
	SFlag    uint8 // p_sflag
	NLWPs    uint8 // p_nlwps
	NRLWPs   uint8 // p_nrlwps
	NZLWPs   uint8 // p_nzlwps
	NDLWPs   uint8 // p_ndlwps
	NLWPWait uint8 // p_nlwpwait
	ZombLWP  uint8 // p_zomblwp: slot+1, 0 is NULL
	NextLid  uint8 // the lid the allocator hands out next
	SigPend  uint8 // p_sigpend: process-directed pending signals
	XSig     uint8 // p_xsig: the signal that stopped the process
	ExitSig  uint8 // the signal the process died of (after exit1)
	LwpCtl   uint8 // p_lwpctl is allocated
	NList    uint8 // length of Lwps
	// Lwps is p_lwps: slot+1 of each LWP on the list, head first
	// (LIST_INSERT_HEAD puts new LWPs first).
	Lwps [MaxLWPs]uint8
	// Cv is the sleep queue of p_lwpcv: slot+1 of each sleeper, in order.
	NCv uint8
	Cv  [MaxLWPs]uint8
	// Pq is the sleep queue of lwp_park_tab that the process's park wait
	// channels hash to (netbsd-5 and older): slot+1 of each parked LWP.
	NPq uint8
	Pq  [MaxLWPs]uint8
}

// CPU is one processor: what it runs and its run queue.
type CPU struct {
	Cur  uint8 // curlwp: slot+1, 0 when idle
	Prev uint8 // slot+1 of the LWP switched away from, whose handover is pending
	NRun uint8
	Runq [MaxLWPs]uint8 // slot+1 of each LWP on the run queue, in order
}

// Env holds the environment's remaining budget of each event kind: the
// signals sent to a process, per process, and the machine's events.
type Env struct {
	Stop, Cont, Exit, Core    [MaxProcs]uint8
	Timeout, Preempt, Migrate uint8
}

// EnvUnlimited is a budget that never runs out: the event may happen any
// number of times (trace verification, where the environment is hidden).
const EnvUnlimited = 0xff

// State is the whole kernel state of one run.
type State struct {
	Procs [MaxProcs]Proc
	LWPs  [MaxLWPs]LWP
	CPUs  [MaxCPUs]CPU
	Locks [NumLocks]uint8 // owner of each lock (see LockOwner)
	Env   Env
	// NameLid maps a spec LWP name to the lid the kernel gave it (0: not
	// created yet).
	NameLid [MaxNames]uint8
}

// Slot returns the LWP in slot i.
func (s *State) Slot(i int) *LWP { return &s.LWPs[i] }

// ProcOf returns the process of the LWP in slot i.
func (s *State) ProcOf(i int) *Proc { return &s.Procs[s.LWPs[i].Proc] }

// Gone reports whether every process of the run has exited (or was never
// used): nothing is left to run.
func (s *State) Gone() bool {
	for i := range s.Procs {
		if st := s.Procs[i].Stat; st != 0 && st != SZOMB {
			return false
		}
	}
	return true
}

// LWPByName returns the slot of the live LWP structure carrying name n, or -1.
func (s *State) LWPByName(n uint8) int {
	for i := range s.LWPs {
		if s.LWPs[i].Name == n {
			return i
		}
	}
	return -1
}

func bitNames(v uint64, names []string) string {
	if v == 0 {
		return "0"
	}
	out := ""
	for i, n := range names {
		if v&(1<<uint(i)) != 0 {
			if out != "" {
				out += "|"
			}
			out += n
		}
	}
	return out
}
