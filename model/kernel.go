package model

import (
	"fmt"
	"strconv"
	"strings"
)

// File is one C source file of a revision, cited as Name@Rev:line.
type File struct {
	Name string // e.g. "kern_lwp.c"
	Rev  string // e.g. "1.270"
}

// Routine is one kernel routine of a revision, cut into steps: Run executes
// the case at f.PC (see K for the rules of a case). A routine without Run
// is a helper that runs inside its callers' steps: its entry only places
// the lines it cites (K.In).
type Routine struct {
	Name string // the C function it mirrors, e.g. "lwp_exit"
	File uint8  // index in Kernel.Files
	Line int    // line of the function's definition in this revision
	Run  func(k *K, f *Frame)
	// Place turns the lines the routine's Go code cites, which are those
	// of the revision it was written from, into this revision's.
	Place Placement
}

// Placement maps the lines a routine's Go code cites to the lines of the
// same code in a revision where it moved: a cited line is Shift lines
// further, unless a Move covers it. The zero Placement is the identity:
// the routine runs in the revision it was written from.
type Placement struct {
	Shift int
	Moves []Move
}

// Move places cited lines From..To (inclusive) Delta lines further,
// instead of the routine's Shift: code inside the routine that moved
// relative to its definition.
type Move struct {
	From, To, Delta int
}

// line returns where cited line l is in the routine's revision; 0 (no
// line) stays 0, and so does a line placed before the file's first.
func (pl *Placement) line(l int) int {
	if l == 0 {
		return 0
	}
	for _, m := range pl.Moves {
		if l >= m.From && l <= m.To {
			return max(l+m.Delta, 0)
		}
	}
	return max(l+pl.Shift, 0)
}

// Cite returns the source reference of line l as routine r's Go code
// cites it.
func (r *Routine) Cite(l int) SrcRef {
	return SrcRef{File: r.File, Line: uint16(r.Place.line(l))}
}

// Env event kinds.
const (
	EnvStop = iota
	EnvCont
	EnvExit
	EnvCore
	EnvTimeout
	EnvPreempt
	EnvMigrate
	NumEnv
)

var envNames = [NumEnv]string{"stop", "cont", "exit", "core", "timeout", "preempt", "migrate"}

// EnvName returns the spec name of an environment event.
func EnvName(e int) string { return envNames[e] }

// Kernel is a revision's kernel as the machine runs it: its source files,
// its routines, and which routine each kind of action enters.
type Kernel struct {
	Name  string
	Files []File
	// Routines is indexed by Frame.Fn. Entry 0 is unused.
	Routines []Routine

	// Entry points (indexes in Routines).
	Syscall uint8 // frame 0 of every syscall: dispatches on the op, then userret
	Trap    uint8 // an AST or clock tick taken in user space: userret
	Yield   uint8 // a clock tick that hands the CPU to a waiting LWP
	Preempt uint8 // kernel preemption of the running LWP
	Startup uint8 // what a CPU runs right after a switch (the handover)
	Idle    uint8 // the idle loop picking a runnable LWP
	// Env[e] is the routine of environment event e (0: the revision
	// does not model it). Env routines run atomically.
	Env [NumEnv]uint8
	// Callout is the routine of a clock callout that runs on its own, at
	// no cost to the environment's budget, whenever CalloutPending says so
	// about a process
	// (e.g. proc_stop_callout while a process is stopping). 0: none.
	Callout        uint8
	CalloutPending func(s *State, p int) bool
	// Ops lists the ops the revision supports.
	Ops []OpKind
	// Userret is the revision's LW_USERRET: the l_flag bits (model Flag*
	// bits) that send an LWP through lwp_userret on its way to user
	// space, so that a trap is possible while one is set.
	Userret uint16
	// Sleepers report whether an LWP sleeping on a channel has a timeout
	// that the clock fires on its own (cv_timedwait), as opposed to a
	// park timeout, which is an environment event.
	ClockTimeout func(s *State, slot int) bool
	// Init, if set, adjusts the initial state to the revision's
	// representation (e.g. where it marks an LWP running).
	Init func(s *State)
	// OneRunqueue: the revision's scheduler has one run queue that every
	// CPU runs from, under one lock that every CPU's spc_mutex points to
	// (SCHED_4BSD of 2007: sched_mutex). Otherwise each CPU has its own.
	OneRunqueue bool
	// UserPreemptOnly: the kernel preempts an LWP only on its way back
	// to user space, never while it runs in the kernel.
	UserPreemptOnly bool
	// Restrict, if set, says why the revision's system call cannot do
	// what op asks ("" if it can): an argument it does not take.
	Restrict func(op *Op) string
	// Spell rewrites the C a shared routine quotes into this revision's
	// spelling of the same expressions (&p->p_smutex for p->p_lock), for
	// the steps a reader sees; nil keeps it as written.
	Spell *strings.Replacer
	// ClassNames names lock classes as the revision's C code does where
	// it names them otherwise than LockClass.String (p_smutex for p_lock).
	ClassNames [NumClasses]string
	// Impl is the revision package's own data (the helpers its shared
	// routines call), opaque to the machine.
	Impl any
}

// SpcMutex is the lock CPU c's spc_mutex points to.
func (kn *Kernel) SpcMutex(c int) uint8 {
	if kn.OneRunqueue {
		return SpcMutex(0)
	}
	return SpcMutex(c)
}

// RunqCPU is the CPU whose run queue (State.CPUs[].Runq) CPU c runs
// from.
func (kn *Kernel) RunqCPU(c int) int {
	if kn.OneRunqueue {
		return 0
	}
	return c
}

// CannotRun says why the revision cannot run op ("" if it can): it lacks
// the system call, or the call takes no argument the op gives it.
func (kn *Kernel) CannotRun(op *Op) string {
	if !kn.Supports(op.Kind) {
		return fmt.Sprintf("op %s is not supported by revision %s", op.Kind, kn.Name)
	}
	if kn.Restrict != nil {
		if why := kn.Restrict(op); why != "" {
			return fmt.Sprintf("op %s is not supported by revision %s: %s", op.Kind, kn.Name, why)
		}
	}
	return ""
}

// spell writes C quoted by a routine as the revision spells it.
func (kn *Kernel) spell(s string) string {
	if kn.Spell == nil {
		return s
	}
	return kn.Spell.Replace(s)
}

// Has reports whether the revision has routine fn.
func (kn *Kernel) Has(fn uint8) bool { return int(fn) < len(kn.Routines) && kn.Routines[fn].Run != nil }

// Supports reports whether the kernel implements op.
func (kn *Kernel) Supports(op OpKind) bool {
	for _, o := range kn.Ops {
		if o == op {
			return true
		}
	}
	return false
}

// Src cites a routine's source line, e.g. "kern_lwp.c@1.270:1108".
func (kn *Kernel) Src(s SrcRef) string {
	if int(s.File) >= len(kn.Files) {
		return ""
	}
	f := kn.Files[s.File]
	if s.Line == 0 || f.Rev == "" {
		return f.Name
	}
	return f.Name + "@" + f.Rev + ":" + strconv.Itoa(int(s.Line))
}

// SrcRef is a source line: a file of the revision and a line number.
type SrcRef struct {
	File uint8
	Line uint16
}
