package model

import (
	"errors"
	"fmt"

	"github.com/lwpcheck/lwpcheck/specs"
)

// OpKind is a syscall an LWP's program makes.
type OpKind uint8

// The NetBSD LWP syscalls, by their spec names.
const (
	OpCreate OpKind = iota + 1
	OpExit
	OpSelf
	OpWait
	OpSuspend
	OpContinue
	OpWakeup
	OpDetach
	OpKill
	OpPark
	OpUnpark
	OpUnparkAll
	OpSetname
	OpGetname
	OpCtl
	NumOps // the number of op kinds
)

var opNames = [...]string{"", "create", "exit", "self", "wait", "suspend", "continue", "wakeup",
	"detach", "kill", "park", "unpark", "unpark_all", "setname", "getname", "ctl"}

// Syscall names the C entry point of each op.
var opSyscalls = [...]string{"", "_lwp_create", "_lwp_exit", "_lwp_self", "_lwp_wait", "_lwp_suspend",
	"_lwp_continue", "_lwp_wakeup", "_lwp_detach", "_lwp_kill", "_lwp_park", "_lwp_unpark",
	"_lwp_unpark_all", "_lwp_setname", "_lwp_getname", "_lwp_ctl"}

func (o OpKind) String() string {
	if int(o) < len(opNames) {
		return opNames[o]
	}
	return "?"
}

// Syscall returns the name of the op's system call.
func (o OpKind) Syscall() string {
	if int(o) < len(opSyscalls) {
		return opSyscalls[o]
	}
	return "?"
}

// OpByName returns the op a spec names.
func OpByName(name string) (OpKind, bool) {
	for i, n := range opNames {
		if i > 0 && n == name {
			return OpKind(i), true
		}
	}
	return 0, false
}

// Op is one step of an LWP's program, resolved from the spec.
type Op struct {
	Kind      OpKind
	Target    uint8 // an LWP name; 0 for `wait any`
	Targets   []uint8
	Suspended bool
	Detached  bool
	BadPtr    bool
	Timeout   bool
	Unpark    uint8 // park's `unpark L`
	Signal    uint8 // kill's signal (Sig* bit, 0 for signal 0)
	// Expect is the set of results the spec allows; Any if unconstrained.
	Expect ErrnoSet
	Any    bool
	Step   *specs.Step // where the op is written
}

// AllResults is the ErrnoSet of every result.
const AllResults = ErrnoSet(1<<NumErrno - 1)

func signalBit(name string) (uint8, error) {
	switch name {
	case "", "SIGUSR1":
		return SigUSR1, nil
	case "0":
		return 0, nil
	case "SIGKILL":
		return SigKILL, nil
	case "SIGSTOP":
		return SigSTOP, nil
	case "SIGCONT":
		return SigCONT, nil
	case "SIGQUIT":
		return SigQUIT, nil
	}
	return 0, fmt.Errorf("signal %s is not modelled (use 0, SIGUSR1, SIGKILL, SIGSTOP, SIGCONT or SIGQUIT)", name)
}

// LacksEnv says which event env asks for kernel kn does not model, ""
// if none.
func (kn *Kernel) LacksEnv(env specs.Env) string {
	for e, n := range [NumEnv]int{env.Stop, env.Cont, env.Exit, env.Core, env.Timeout, env.Preempt, env.Migrate} {
		if n > 0 && kn.Env[e] == 0 {
			return fmt.Sprintf("env: event %s is not modelled for revision %s", EnvName(e), kn.Name)
		}
	}
	return ""
}

// Lacks says why kernel kn cannot run spec step st (CannotRun), "" if it
// can. A step that does not compile is the spec's error, reported where
// the machine is built.
func (kn *Kernel) Lacks(st *specs.Step) string {
	op, err := compileOp(st)
	if err != nil {
		return ""
	}
	return kn.CannotRun(&op)
}

// compileOp resolves one spec step.
func compileOp(st *specs.Step) (Op, error) {
	kind, ok := OpByName(st.Op)
	if !ok {
		return Op{}, fmt.Errorf("unknown op %q", st.Op)
	}
	op := Op{Kind: kind, Suspended: st.Suspended, Detached: st.Detached, BadPtr: st.BadPtr,
		Timeout: st.Timeout, Step: st}
	if st.Target > 0 {
		op.Target = uint8(st.Target)
	}
	for _, t := range st.Targets {
		op.Targets = append(op.Targets, uint8(t))
	}
	if st.Unpark > 0 {
		op.Unpark = uint8(st.Unpark)
	}
	if kind == OpKill {
		sig, err := signalBit(st.Signal)
		if err != nil {
			return Op{}, err
		}
		op.Signal = sig
	}
	if st.Results == nil {
		op.Any = true
		op.Expect = AllResults
	}
	for _, r := range st.Results {
		if r == "any" {
			op.Any = true
			op.Expect = AllResults
			continue
		}
		e, ok := ParseErrno(r)
		if !ok {
			return Op{}, fmt.Errorf("unknown result %q", r)
		}
		op.Expect = op.Expect.With(e)
	}
	return op, nil
}

// Compile resolves step st into an op kernel kn can run; the error says
// why it cannot: the step is malformed, or the kernel lacks what it asks
// for (CannotRun).
func (kn *Kernel) Compile(st *specs.Step) (Op, error) {
	op, err := compileOp(st)
	if err != nil {
		return Op{}, err
	}
	if why := kn.CannotRun(&op); why != "" {
		return Op{}, errors.New(why)
	}
	return op, nil
}
