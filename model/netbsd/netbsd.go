// Package netbsd models the LWP kernel of NetBSD. Each kernel routine is a
// Go function named after its C counterpart (lwp_exit → lwpExit), cut into
// steps at the points where another CPU can interfere, and citing its
// source lines. A revision is a table of routines: the current kernel
// (netbsd-2025) defines them all; an older revision derives its table from
// it, overriding only the routines whose C differs and placing the others
// at their lines in its own sources (derive).
package netbsd

import "github.com/lwpcheck/lwpcheck/model"

// Source files, as indexes into the revision's Files.
const (
	fKernLWP uint8 = iota
	fSysLWP
	fSynch
	fSleepq
	fCondvar
	fSig
	fExit
	fModel // the model's own glue: syscall entry, traps, the environment
)

// Routine numbers (model.Frame.Fn). The table of a revision maps each to
// its implementation.
const (
	_ uint8 = iota
	fnSyscall
	fnTrap
	fnYield
	fnUserret
	fnStartLWP
	fnLwpUserret
	fnLwpLock
	fnMiSwitch
	fnStartup
	fnIdle
	fnPreempt
	fnSetrunnable
	fnLwpUnsleep
	fnSleepqUnsleep
	fnSleepqRemove
	fnSleepqBlock
	fnCvWait
	fnCvBroadcast
	fnLwpCreate
	fnLwpStart
	fnLwpExit
	fnLwpFree
	fnLwpWait
	fnLwpSuspend
	fnLwpContinue
	fnLwpDrainrefs
	fnExit1
	fnExitLwps
	fnIssignal
	fnPostsig
	fnSigexit
	fnSigswitch
	fnSigswitchAway
	fnProcStop
	fnKpsignal2
	fnSigpost
	fnSysCreate
	fnSysExit
	fnSysSelf
	fnSysWait
	fnSysSuspend
	fnSysContinue
	fnSysWakeup
	fnSysDetach
	fnSysKill
	fnSysPark
	fnLwpPark
	fnLwpUnpark
	fnSysUnpark
	fnSysUnparkAll
	fnSysSetname
	fnSysGetname
	fnSysCtl
	fnEnvSignal
	fnEnvTimeout
	fnEnvMigrate
	fnProcStopCO
	fnSchedLwpCollect

	// Helpers: C functions run inside their callers' steps.
	fnLwpNeedUserret
	fnLwpFind
	fnLwpMigrate
	fnLwpStartup
	fnLwpThreadCleanup
	fnLwpCtlAlloc
	fnNextlwp
	fnSleepqEnter
	fnSleepqEnqueue
	fnSignotify
	fnProcStopDone
	fnProcStopLwps
	numFn
)

// table is the set of routines of a revision, by routine number, each
// placed at its lines in that revision.
type table map[uint8]model.Routine

// rt is a routine of the revision its Go code was written from: the lines
// it cites are that revision's.
func rt(name string, file uint8, line int, run func(k *model.K, f *model.Frame)) model.Routine {
	return model.Routine{Name: name, File: file, Line: line, Run: run}
}

// helper is a C function the model runs inside its callers' steps (no
// frame of its own): its entry places the lines it cites (model.K.In).
func helper(name string, file uint8, line int) model.Routine {
	return model.Routine{Name: name, File: file, Line: line}
}

// A change is one way a revision's routine table differs from the table
// it derives from (derive).
type change struct {
	fn    uint8
	r     model.Routine // the routine, placed in the new revision
	moves []model.Move  // moved: the lines that moved inside the routine
	why   string        // override: how the C differs, citing both sides
}

// moved places the base revision's routine fn, whose C code is the same,
// at its definition line in the new revision; moves place lines inside it
// that moved relative to the definition.
func moved(fn, file uint8, line int, moves ...model.Move) change {
	return change{fn: fn, r: model.Routine{File: file, Line: line}, moves: moves}
}

// override replaces routine fn with r, whose Go code follows the new
// revision's C; why says how it differs from the base's, citing both.
func override(fn uint8, r model.Routine, why string) change {
	return change{fn: fn, r: r, why: why}
}

// derive builds rev's table from base's: every routine is shared unless
// a change moves or overrides it. It records in rev the counts of shared,
// moved and overridden routines and, for each override, the difference.
func derive(rev, base *model.Revision, t table, changes ...change) table {
	out := make(table, len(t))
	for fn, r := range t {
		out[fn] = r
	}
	rev.Base = base.Name
	for _, c := range changes {
		b := t[c.fn] // a routine missing from the base stays unnamed: Validate reports it
		if c.why != "" {
			out[c.fn] = c.r
			rev.Overridden++
			rev.Differences = append(rev.Differences, model.Difference{From: base.Name, Topic: c.r.Name, What: c.why})
			continue
		}
		home := b.Line - b.Place.Shift // the definition line its Go code cites
		out[c.fn] = model.Routine{Name: b.Name, File: c.r.File, Line: c.r.Line, Run: b.Run,
			Place: model.Placement{Shift: c.r.Line - home, Moves: c.moves}}
		rev.Moved++
	}
	rev.Shared = len(out) - rev.Moved - rev.Overridden
	return out
}

// kernel assembles a model.Kernel from a table.
func (t table) kernel(name string, files []model.File, ops []model.OpKind, userret uint16) *model.Kernel {
	kn := &model.Kernel{Name: name, Files: files, Routines: make([]model.Routine, numFn), Ops: ops,
		Syscall: fnSyscall, Trap: fnTrap, Yield: fnYield, Preempt: fnPreempt, Startup: fnStartup, Idle: fnIdle,
		ClockTimeout: clockTimeout, Userret: userret}
	for fn, r := range t {
		kn.Routines[fn] = r
	}
	for _, e := range []int{model.EnvStop, model.EnvCont, model.EnvExit, model.EnvCore} {
		kn.Env[e] = fnEnvSignal
	}
	kn.Env[model.EnvTimeout] = fnEnvTimeout
	kn.Env[model.EnvPreempt] = fnPreempt
	kn.Env[model.EnvMigrate] = fnEnvMigrate
	if _, ok := t[fnProcStopCO]; ok {
		kn.Callout, kn.CalloutPending = fnProcStopCO, stopping
	}
	return kn
}

// clockTimeout tells the clock's own timeouts (cv_timedwait in the kernel)
// from park timeouts, which the spec budgets.
func clockTimeout(s *model.State, slot int) bool {
	return s.LWPs[slot].WChan == model.WChanLwpcv
}
