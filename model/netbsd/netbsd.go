// Package netbsd models the LWP kernel of NetBSD. Each kernel routine is a
// Go function named after its C counterpart (lwp_exit → lwpExit), cut into
// steps at the points where another CPU can interfere, and citing its
// source lines. A revision is a table of routines: the current kernel
// (netbsd-2025) defines them all; an older revision, in a package of its
// own, derives its table from it (Derive), overriding only the routines
// whose C differs and placing the others at their lines in its sources.
package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// Source files, as indexes into the revision's Files.
const (
	FKernLWP uint8 = iota
	FSysLWP
	FSynch
	FSleepq
	FCondvar
	FSig
	FExit
	FModel   // the model's own glue: syscall entry, traps, the environment
	FLwpH    // sys/lwp.h, where older revisions have lwp_lock inline
	FSleepqH // sys/sleepq.h, where older revisions have sleepq_enter inline
)

// Routine numbers (model.Frame.Fn). The table of a revision maps each to
// its implementation.
const (
	_ uint8 = iota
	FnSyscall
	FnTrap
	FnYield
	FnUserret
	FnStartLWP
	FnLwpUserret
	FnLwpLock
	FnMiSwitch
	FnStartup
	FnIdle
	FnPreempt
	FnSetrunnable
	FnLwpUnsleep
	FnSleepqUnsleep
	FnSleepqRemove
	FnSleepqBlock
	FnCvWait
	FnCvBroadcast
	FnLwpCreate
	FnLwpStart
	FnLwpExit
	FnLwpFree
	FnLwpWait
	FnLwpSuspend
	FnLwpContinue
	FnLwpDrainrefs
	FnExit1
	FnExitLwps
	FnIssignal
	FnPostsig
	FnSigexit
	FnSigswitch
	FnSigswitchAway
	FnProcStop
	FnKpsignal2
	FnSigpost
	FnSysCreate
	FnSysExit
	FnSysSelf
	FnSysWait
	FnSysSuspend
	FnSysContinue
	FnSysWakeup
	FnSysDetach
	FnSysKill
	FnSysPark
	FnLwpPark
	FnLwpUnpark
	FnSysUnpark
	FnSysUnparkAll
	FnSysSetname
	FnSysGetname
	FnSysCtl
	FnEnvSignal
	FnEnvTimeout
	FnEnvMigrate
	FnProcStopCO
	FnSchedLwpCollect

	// Helpers: C functions run inside their callers' steps.
	FnLwpNeedUserret
	FnLwpFind
	FnLwpMigrate
	FnLwpStartup
	FnLwpThreadCleanup
	FnLwpCtlAlloc
	FnNextlwp
	FnSleepqEnter
	FnSleepqEnqueue
	FnSignotify
	FnProcStopDone
	FnProcStopLwps
	FnSleepqWake
	FnLwpExitSwitchaway
	NumFn
)

// Table is the set of routines of a revision, by routine number, each
// placed at its lines in that revision.
type Table map[uint8]model.Routine

// RT is a routine of the revision its Go code was written from: the lines
// it cites are that revision's.
func RT(name string, file uint8, line int, run func(k *model.K, f *model.Frame)) model.Routine {
	return model.Routine{Name: name, File: file, Line: line, Run: run}
}

// Helper is a C function the model runs inside its callers' steps (no
// frame of its own): its entry places the lines it cites (model.K.In).
func Helper(name string, file uint8, line int) model.Routine {
	return model.Routine{Name: name, File: file, Line: line}
}

// A Change is one way a revision's routine table differs from the table
// it derives from (Derive).
type Change struct {
	fn      uint8
	r       model.Routine // the routine, placed in the new revision
	moves   []model.Move  // Moved: the lines that moved inside the routine
	why     string        // Override, Removed: how the C differs, citing both sides
	removed bool
	note    string // Moved: a difference that does not change what the model does
}

// Moved places the base revision's routine fn, whose C code does the same,
// at its definition line in the new revision; moves place the lines inside
// it that moved relative to the definition.
func Moved(fn, file uint8, line int, moves ...model.Move) Change {
	return Change{fn: fn, r: model.Routine{File: file, Line: line}, moves: moves}
}

// Named gives a Moved routine the name of the C function that does its
// work in the new revision.
func (c Change) Named(name string) Change {
	c.r.Name = name
	return c
}

// Note records, for a Moved routine, a difference in its C that the model
// does not see (dead code in the model, a renamed argument), citing both
// sides.
func (c Change) Note(why string) Change {
	c.note = why
	return c
}

// Override replaces routine fn with r, whose Go code follows the new
// revision's C; why says how it differs from the base's, citing both.
func Override(fn uint8, r model.Routine, why string) Change {
	return Change{fn: fn, r: r, why: why}
}

// Removed drops routine fn, which the new revision does not have; why says
// where its work is done instead.
func Removed(fn uint8, name, why string) Change {
	return Change{fn: fn, r: model.Routine{Name: name}, why: why, removed: true}
}

// Derive builds rev's table from base's table t: every routine is shared
// unless a change moves, overrides or removes it. It records in rev its
// base, the counts of shared, moved and overridden routines and, for each
// change that alters the C, the difference.
func Derive(rev, base *model.Revision, t Table, changes ...Change) Table {
	out := make(Table, len(t))
	for fn, r := range t {
		out[fn] = r
	}
	rev.Base = base.Name
	diff := func(topic, what string) {
		rev.Differences = append(rev.Differences, model.Difference{From: base.Name, Topic: topic, What: what})
	}
	for _, c := range changes {
		b := t[c.fn] // a routine missing from the base stays unnamed: Validate reports it
		switch {
		case c.removed:
			delete(out, c.fn)
			diff(c.r.Name, c.why)
		case c.why != "":
			out[c.fn] = c.r
			rev.Overridden++
			diff(c.r.Name, c.why)
		default:
			home := b.Line - b.Place.Shift // the definition line its Go code cites
			name := b.Name
			if c.r.Name != "" {
				name = c.r.Name
			}
			out[c.fn] = model.Routine{Name: name, File: c.r.File, Line: c.r.Line, Run: b.Run,
				Place: model.Placement{Shift: c.r.Line - home, Moves: c.moves}}
			rev.Moved++
			if c.note != "" {
				diff(name, c.note)
			}
		}
	}
	rev.Shared = len(out) - rev.Moved - rev.Overridden
	return out
}

// Hooks are the C functions that routines call directly, not through a
// frame, whose code differs between revisions: shared routines reach the
// revision's own through the kernel (hooks).
type Hooks struct {
	// LwpFind looks up a live LWP of the process by lid, with the process
	// lock held: its slot, or -1.
	LwpFind func(k *model.K, lid uint8) int
	// LwpNeedUserret sends an LWP through lwp_userret.
	LwpNeedUserret func(k *model.K, slot int)
	// LwpMigrate moves a locked LWP to CPU tci and unlocks it.
	LwpMigrate func(k *model.K, slot, tci int)
	// ParkLIFO: lwp_park's sync object inserts at the head of the park
	// sleep queue (SOBJ_SLEEPQ_LIFO), not at the tail.
	ParkLIFO bool
	// SuspendReadsStat: lwp_suspend tests the caller's l_stat, not its
	// l_flag, for LW_WEXIT|LW_WCORE, a test no l_stat value passes
	// (kern_lwp.c@1.73:276).
	SuspendReadsStat bool
	// SuspendStaysLocked: an LWP that suspends itself in lwp_userret
	// stays locked from LSSUSPENDED into mi_switch (kern_lwp.c@1.73:1243-1246),
	// where later code unlocks and locks itself again in between.
	SuspendStaysLocked bool
}

// hooks returns the running revision's hooks.
func hooks(k *model.K) *Hooks { return k.M.Kernel.Impl.(*Hooks) }

// HooksOf returns the hooks of the revision k runs.
func HooksOf(k *model.K) *Hooks { return hooks(k) }

// Kernel assembles a model.Kernel from a table: the revision's name,
// files, ops, LW_USERRET flags and hooks.
func (t Table) Kernel(name string, files []model.File, ops []model.OpKind, userret uint16, h *Hooks) *model.Kernel {
	kn := &model.Kernel{Name: name, Files: files, Routines: make([]model.Routine, NumFn), Ops: ops,
		Syscall: FnSyscall, Trap: FnTrap, Yield: FnYield, Preempt: FnPreempt, Startup: FnStartup, Idle: FnIdle,
		ClockTimeout: clockTimeout, Userret: userret, Impl: h}
	for fn, r := range t {
		kn.Routines[fn] = r
	}
	for _, e := range []int{model.EnvStop, model.EnvCont, model.EnvExit, model.EnvCore} {
		kn.Env[e] = FnEnvSignal
	}
	kn.Env[model.EnvTimeout] = FnEnvTimeout
	kn.Env[model.EnvPreempt] = FnPreempt
	if _, ok := t[FnEnvMigrate]; ok {
		kn.Env[model.EnvMigrate] = FnEnvMigrate
	}
	if _, ok := t[FnProcStopCO]; ok {
		kn.Callout, kn.CalloutPending = FnProcStopCO, stopping
	}
	return kn
}

// HangsNote is the revisions' note on how hangs are found; each adds what
// its exit_lwps does.
const HangsNote = "Hangs: a terminal state in which an LWP still owes a return from the kernel is a deadlock finding; a reachable fair cycle on which one never returns is a hang finding (the cycle check: weak fairness for the environment's events, each timeout and signal its own, strong fairness for LWPs and CPUs, since a mutex its holder releases and retakes reaches a waiter in the kernel; an lwp_lock retry is not progress). proc_stop_callout changes no state when it finds nothing to stop, so a process that never finishes stopping is a terminal state whose only move is the callout, reported as a deadlock (stop-while-dumping)."

// clockTimeout tells the clock's own timeouts (cv_timedwait in the kernel)
// from park timeouts, which the spec budgets.
func clockTimeout(s *model.State, slot int) bool {
	return s.LWPs[slot].WChan == model.WChanLwpcv
}
