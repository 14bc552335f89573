// Package netbsd models the LWP kernel of NetBSD. Each kernel routine is a
// Go function named after its C counterpart (lwp_exit → lwpExit), cut into
// steps at the points where another CPU can interfere, and citing its
// source lines. A revision is a table of routines: the current kernel
// (netbsd-2025) defines them all; an older revision will copy it and
// replace only the routines whose code differs.
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
	numFn
)

// routine is one entry of a revision's table.
type routine struct {
	fn   uint8
	name string
	file uint8
	line int
	run  func(k *model.K, f *model.Frame)
}

// table is the set of routines of a revision.
type table map[uint8]routine

// kernel assembles a model.Kernel from a table.
func (t table) kernel(name string, files []model.File, ops []model.OpKind) *model.Kernel {
	kn := &model.Kernel{Name: name, Files: files, Routines: make([]model.Routine, numFn), Ops: ops,
		Syscall: fnSyscall, Trap: fnTrap, Yield: fnYield, Preempt: fnPreempt, Startup: fnStartup, Idle: fnIdle,
		ClockTimeout: clockTimeout}
	for fn, r := range t {
		kn.Routines[fn] = model.Routine{Name: r.name, File: r.file, Line: r.line, Run: r.run}
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
