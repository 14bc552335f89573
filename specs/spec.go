// Package specs loads scenario specs: the YAML files that say which LWPs run
// which system calls, on how many CPUs, under which environment events, and
// what the checker should find. It also embeds the bundled specs.
//
// The format is described in docs/specs.md. A step is
// `OP [ARG...] [-> RESULT[|RESULT...]]`; Ops lists the ops and their
// arguments. A result is 0, an errno name such as ESRCH, or any.
//
// The loader is strict: an unknown key, a duplicate key, a value of the wrong
// type or a malformed step is an *Error that names the file, line and column.
package specs

import "fmt"

// AnyLWP is the Target of a `wait any` step.
const AnyLWP = -1

// The model's capacities (model/state.go), which a spec must fit in. The
// model imports specs, so these are copies; a test ties them to the model.
const (
	MaxLWP   = 7   // the largest LWP name: model.MaxNames-1
	MaxSlots = 5   // LWPs alive at once: model.MaxLWPs
	MaxSteps = 255 // steps of one LWP's program: model.MaxSteps
	MaxEnv   = 254 // how often an env event may happen: model.EnvUnlimited-1
	MaxCPUs  = 4   // model.MaxCPUs
	MaxProcs = 2   // model.MaxProcs
)

// A Spec is one parsed scenario.
type Spec struct {
	File        string   // file name used in error messages
	Bundled     bool     // one of lwpcheck's own specs: File is its name in specs/
	Text        []byte   // the original YAML
	Name        string   // lowercase words joined by '-'
	About       string   // what the scenario shows
	Revisions   []string // empty: every revision that supports all ops used
	RevisionPos []Pos    // position of each entry of Revisions
	CPUs        int      // 1..MaxCPUs, default 2

	// Programs has one program for each LWP the spec can have, sorted by
	// LWP name: LWP 1, which exists at start, and every LWP a create step
	// names. An LWP the spec gives no program runs an empty one.
	Programs []Program

	Env Env // environment events and how often each may happen
	// Procs lists the processes of a spec that has several (procs:),
	// process 1 first; nil for a spec of one process (lwps:), whose
	// process events are in Env.
	Procs []Process
	// SleepqShared (sleepq: shared) makes every process's wait channels
	// hash to one bucket of each sleep table, as objects whose addresses
	// collide do; by default (spread) each process's hash to a bucket of
	// its own.
	SleepqShared bool
	Check        FamilySet // the check line's invariant families, default AllFamilies
	// Expect is the verdict the spec expects on every revision it does
	// not name in Overrides; default pass. HasExpect is false when the
	// spec's expect mapping gives no default.
	Expect    Expect
	HasExpect bool
	// Overrides are the expectations of the revisions an expect mapping
	// names, in file order.
	Overrides []Override
}

// An Override is the expectation a spec states for one revision.
type Override struct {
	Revision string
	Pos      Pos // the revision's key
	Expect   Expect
}

// ExpectFor returns the expectation of sp on revision rev, and false if
// the spec states none for it (an expect mapping without default).
func (sp *Spec) ExpectFor(rev string) (Expect, bool) {
	for _, o := range sp.Overrides {
		if o.Revision == rev {
			return o.Expect, true
		}
	}
	return sp.Expect, sp.HasExpect
}

// A Pos is a position in a spec file. Line and Col count from 1; Col counts
// characters, as yaml.v3 does.
type Pos struct{ Line, Col int }

// String returns "line:col".
func (p Pos) String() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }

// A Program is the sequence of steps one LWP runs.
type Program struct {
	LWP   int
	Proc  int // index of its process: 0 for process 1
	Pos   Pos // the LWP's key under lwps; zero when the spec gives no program
	Steps []Step
}

// A Step is one operation of a program: `OP [ARG...] [-> RESULT[|RESULT...]]`.
// Which fields an op sets is given by its usage in Ops.
type Step struct {
	Op         string // an op name from Ops, e.g. "create"
	Target     int    // the LWP the op names; AnyLWP for `wait any`; 0 when none
	Targets    []int  // the LWPs of unpark_all
	Suspended  bool   // create ... suspended
	Detached   bool   // create ... detached
	BadPtr     bool   // create ... badptr: the copyout of the new lid faults
	Hint       int    // park, unpark and unpark_all: hint H (1..9); 0 when none
	Timeout    bool   // park timeout
	Unpark     int    // park ... unpark L; 0 when none
	UnparkHint int    // park ... unpark L hint H; 0 when none
	Signal     string // kill L [SIG]: "0" or a name such as "SIGKILL"; default "SIGUSR1"

	// Results is nil when the step asserts nothing; otherwise it lists the
	// results allowed: "0", an errno name such as "ESRCH", or "any".
	Results []string

	Pos  Pos    // the step's first character
	Text string // the step as written, without surrounding space
}

// A Process is one process of a spec with several.
type Process struct {
	Pos   Pos // its key under procs
	First int // the LWP it has at start: the least it lists
	// Env bounds the signals sent to it (Stop, Cont, Exit and Core).
	Env Env
}

// NumProcs returns how many processes the spec runs.
func (sp *Spec) NumProcs() int { return max(1, len(sp.Procs)) }

// ProcEnv returns the events sent to process i (Stop, Cont, Exit and
// Core count).
func (sp *Spec) ProcEnv(i int) Env {
	if len(sp.Procs) == 0 {
		return sp.Env
	}
	return sp.Procs[i].Env
}

// First returns the LWP process i has at start.
func (sp *Spec) First(i int) int {
	if len(sp.Procs) == 0 {
		return 1
	}
	return sp.Procs[i].First
}

// An Env bounds how often each environment event may happen (0..MaxEnv each).
type Env struct {
	Stop    int // SIGSTOP: proc_stop
	Cont    int // SIGCONT: proc_unstop
	Exit    int // a fatal signal: exit1 and exit_lwps
	Core    int // a core-dumping signal: sigexit
	Timeout int // a park timeout fires
	Preempt int // kernel preemption of a running LWP
	Migrate int // lwp_migrate to another CPU
	// Pos is the position of each event's key, by its order above; zero
	// for an event the spec does not name.
	Pos [7]Pos
}

// An ExpectKind is the kind of verdict a spec expects.
type ExpectKind int

// The verdicts a spec may expect.
const (
	Pass      ExpectKind = iota // every check holds
	Violation                   // the invariant Expect.Name is violated
	Deadlock                    // some LWP hangs
)

var expectKinds = [...]string{Pass: "pass", Violation: "violation", Deadlock: "deadlock"}

// String returns the kind as a spec writes it.
func (k ExpectKind) String() string {
	if k < 0 || int(k) >= len(expectKinds) {
		return fmt.Sprintf("ExpectKind(%d)", int(k))
	}
	return expectKinds[k]
}

// An Expect is the verdict a spec expects.
type Expect struct {
	Kind ExpectKind
	Name string // the invariant, for Violation
	Pos  Pos    // the invariant's name for Violation, else the value; zero when absent
	// Also lists the further findings a list of expectations names
	// (`[deadlock, violation expect]`): a regression spec that pins
	// several bugs of one revision expects each of them.
	Also []Expect
}

// All returns e and the findings it also expects.
func (e Expect) All() []Expect {
	return append([]Expect{{Kind: e.Kind, Name: e.Name, Pos: e.Pos}}, e.Also...)
}

// An Error is a problem in a spec, at a position in its file.
type Error struct {
	File      string
	Line, Col int
	Msg       string // one line
}

// Error returns "file:line:col: msg".
func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}
