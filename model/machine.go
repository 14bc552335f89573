package model

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Checker is what the invariants add to a machine: checks of every step,
// of every state, and of terminal states.
type Checker interface {
	Step(k *K, pre, post *State, vs []explore.Violation) []explore.Violation
	State(s *State, vs []explore.Violation) []explore.Violation
	Terminal(s *State) (explore.Violation, bool)
}

// Machine runs one spec on one revision's kernel. It is an explore.Model.
type Machine struct {
	Rev    *Revision
	Kernel *Kernel // Rev.Kernel
	Spec   *specs.Spec
	NCPU   int
	// Check, if set, is consulted on every step and state.
	Check Checker
	// Guard turns on the lock coverage of fields (guard.go): steps record
	// an EvField event for each marked field they write without its lock.
	Guard bool
	// POR turns on the model's partial-order reduction, transactions
	// (Lipton's reduction): an actor's right-mover steps (lock acquires and
	// the accesses those locks cover) run in one transition with its next
	// step, and a context switch runs with its handover (a left mover).
	// Every interleaving of the unmerged steps is equivalent to one of the
	// merged system's, given the lock discipline the lock-state invariants
	// check: data a lock covers is accessed under it, and an unlocked
	// access begins a step of its own (Cut). Lipton's reduction keeps
	// the states a run reaches but not its blocked ones: an actor that
	// held one lock and waited for a second would never be seen waiting if
	// the two acquires ran as one. So a transition takes at most the
	// first lock it acquires; an acquire made holding a lock begins a
	// transition of its own, and one that is blocked ends the transition
	// before it (so the unreduced system's lock-wait deadlocks stay
	// reachable). The model marks no transition for the engine's ample
	// sets (reduction.go).
	POR bool
	// Ktrace makes the ktrace points of a syscall, its CALL and RET
	// records, steps of their own that record EvKtrCall and EvKtrRet
	// events: another LWP may run between a record and the kernel work
	// next to it, as it can in the kernel. Trace verification needs it.
	Ktrace bool
	// LockWaits makes Expand report, as a violation lock-deadlock of the
	// state, CPUs whose next steps spin for each other's locks in a cycle
	// (LockWaitCycle), which it learns from the steps it tries.
	LockWaits bool
	// WeakLWPs holds LWPs and CPUs to weak fairness in the cycle check,
	// like the environment, instead of the strong fairness the model
	// otherwise asks for them (StrongFair).
	WeakLWPs bool

	progs [MaxNames][]Op
	init  State
	// probes holds scratch states for trying a CPU's next step
	// (LockWaitCycle).
	probes sync.Pool
	// nprocs is how many processes the spec runs; buckets[p] is the
	// bucket of each sleep table that process p's wait channels hash to.
	nprocs  int
	buckets [MaxProcs]uint8
	pool    sync.Pool
}

// SpecError is a problem of a spec for a revision, with its position.
type SpecError struct {
	File      string
	Line, Col int
	Msg       string
}

func (e *SpecError) Error() string { return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg) }

// New builds the machine that runs spec on revision rev.
func New(rev *Revision, spec *specs.Spec) (*Machine, error) {
	kn := rev.Kernel
	m := &Machine{Rev: rev, Kernel: kn, Spec: spec, NCPU: spec.CPUs}
	m.pool.New = func() any { return new(K) }
	m.probes.New = func() any { return new(State) }
	if m.NCPU < 1 || m.NCPU > MaxCPUs {
		return nil, &SpecError{spec.File, 1, 1, fmt.Sprintf("cpus: the model has 1 to %d CPUs", MaxCPUs)}
	}
	for _, p := range spec.Programs {
		if p.LWP <= 0 || p.LWP >= MaxNames {
			return nil, &SpecError{spec.File, p.Pos.Line, p.Pos.Col, fmt.Sprintf("LWP %d: the model names LWPs 1 to %d", p.LWP, MaxNames-1)}
		}
		if len(p.Steps) > MaxSteps {
			return nil, &SpecError{spec.File, p.Pos.Line, p.Pos.Col, fmt.Sprintf("LWP %d: the model runs programs of at most %d steps", p.LWP, MaxSteps)}
		}
		for i := range p.Steps {
			st := &p.Steps[i]
			op, err := compileOp(st)
			if err != nil {
				return nil, &SpecError{spec.File, st.Pos.Line, st.Pos.Col, err.Error()}
			}
			if why := kn.CannotRun(&op); why != "" {
				return nil, &SpecError{spec.File, st.Pos.Line, st.Pos.Col, why}
			}
			for _, t := range append([]uint8{op.Target, op.Unpark}, op.Targets...) {
				if int(t) >= MaxNames {
					return nil, &SpecError{spec.File, st.Pos.Line, st.Pos.Col, fmt.Sprintf("LWP %d: the model names LWPs 1 to %d", t, MaxNames-1)}
				}
			}
			m.progs[p.LWP] = append(m.progs[p.LWP], op)
		}
	}
	if err := m.initEnv(spec); err != nil {
		return nil, err
	}
	m.nprocs = spec.NumProcs()
	if m.nprocs > MaxProcs || m.nprocs > m.NCPU {
		return nil, &SpecError{spec.File, 1, 1, fmt.Sprintf("procs: the model runs 1 to %d processes, each with a CPU of its own at start", MaxProcs)}
	}
	for i := range m.nprocs {
		m.buckets[i] = uint8(i)
		if spec.SleepqShared {
			m.buckets[i] = 0
		}
		// Process i's first LWP is in slot i, running on CPU i.
		first := spec.First(i)
		m.init.Procs[i] = Proc{Stat: SACTIVE, NLWPs: 1, NRLWPs: 1, NextLid: 2, NList: 1}
		m.init.Procs[i].Lwps[0] = uint8(i + 1)
		m.init.LWPs[i] = LWP{Gen: 1, Name: uint8(first), Lid: 1, Proc: uint8(i), PidSlot: 1, Stat: LSONPROC, PFlag: LP_RUNNING,
			CPU: uint8(i), Mutex: SpcLwplock(i)}
		m.init.CPUs[i].Cur = uint8(i + 1)
		m.init.NameLid[first] = 1
	}
	if kn.Init != nil {
		kn.Init(&m.init)
	}
	return m, nil
}

// initEnv sets the environment's budgets from the spec, rejecting events
// the revision does not model.
func (m *Machine) initEnv(spec *specs.Spec) error {
	kn, e := m.Kernel, &m.init.Env
	machine := spec.Env
	counts := func(env specs.Env) [NumEnv]int {
		return [NumEnv]int{env.Stop, env.Cont, env.Exit, env.Core, env.Timeout, env.Preempt, env.Migrate}
	}
	check := func(env specs.Env) error {
		for ev, n := range counts(env) {
			if n > 0 && kn.Env[ev] == 0 {
				at := env.Pos[ev]
				return &SpecError{spec.File, at.Line, at.Col, kn.LacksEnv(env)}
			}
		}
		return nil
	}
	if err := check(machine); err != nil {
		return err
	}
	for i := range min(spec.NumProcs(), MaxProcs) {
		pe := spec.ProcEnv(i)
		if err := check(pe); err != nil {
			return err
		}
		e.Stop[i], e.Cont[i], e.Exit[i], e.Core[i] = uint8(pe.Stop), uint8(pe.Cont), uint8(pe.Exit), uint8(pe.Core)
	}
	e.Timeout, e.Preempt, e.Migrate = uint8(machine.Timeout), uint8(machine.Preempt), uint8(machine.Migrate)
	return nil
}

// SleepqLock returns the id of the lock of the sleep queue that wait
// channel wchan of process p hashes to: a bucket of sleeptab, or of
// lwp_park_tab for the park channels of netbsd-5 and older. Processes
// hash to buckets of their own unless the spec shares them.
func (m *Machine) SleepqLock(p int, wchan uint8) uint8 {
	if wchan == WChanParkq {
		return ParkqBucket(int(m.buckets[p]))
	}
	return SleepqBucket(int(m.buckets[p]))
}

// Procs returns how many processes the machine runs.
func (m *Machine) Procs() int { return m.nprocs }

// LockName names lock id as the kernel's C code does, and, in a run of
// several processes, which process or bucket it is (Kernel.LockNames).
func (m *Machine) LockName(id uint8) string { return m.Kernel.LockNames(m.nprocs)(id) }

// Program returns the ops of the LWP named n.
func (m *Machine) Program(n uint8) []Op { return m.progs[n] }

// SetProgram makes ops the program of the LWP named n: the ops its PC
// counts from. A trace verifier slides a window over a long recorded
// program this way, moving the PCs of its states by as much.
func (m *Machine) SetProgram(n uint8, ops []Op) { m.progs[n] = ops }

// Init implements explore.Model.
func (m *Machine) Init() []State { return []State{m.init} }

// Encode implements explore.Model: the state is its own encoding.
func (m *Machine) Encode(s *State, buf []byte) []byte {
	return append(buf, unsafe.Slice((*byte)(unsafe.Pointer(s)), unsafe.Sizeof(*s))...)
}

// CheckState implements explore.StateChecker.
func (m *Machine) CheckState(s *State, vs []explore.Violation) []explore.Violation {
	if m.Check != nil {
		vs = m.Check.State(s, vs)
	}
	return vs
}

// Terminal implements explore.Terminator.
func (m *Machine) Terminal(s *State) (explore.Violation, bool) {
	if m.Check != nil {
		return m.Check.Terminal(s)
	}
	return HangViolation(m, s)
}

// Action kinds (see Describe).
const (
	actStep    = 1 // the CPU runs: a handover, the idle loop, or a kernel step
	actSyscall = 2 // the LWP on the CPU enters its next syscall
	actTrap    = 3 // an AST or tick in user space: userret
	actYield   = 4 // a tick preempts a user LWP with nothing to do
	actCallout = 5 // a clock callout runs
	actEnv     = 8 // + environment event kind
)

func mkAction(kind, cpu, arg, choice int) explore.Action {
	return explore.Action(kind | cpu<<4 | arg<<7 | choice<<11)
}

func splitAction(a explore.Action) (kind, cpu, arg, choice int) {
	return int(a & 0xf), int(a>>4) & 7, int(a>>7) & 0xf, int(a>>11) & 0xf
}

// Expand implements explore.Model.
func (m *Machine) Expand(s *State, out *explore.Successors[State]) {
	if s.Gone() {
		return
	}
	var waits [MaxCPUs]uint8 // the lock each CPU's next step spins for
	nwait := 0
	for c := 0; c < m.NCPU; c++ {
		cpu := &s.CPUs[c]
		switch {
		case cpu.Prev != 0:
			waits[c] = m.try(s, out, actStep, c, 0)
		case cpu.Cur == 0:
			if s.CPUs[m.Kernel.RunqCPU(c)].NRun > 0 {
				waits[c] = m.try(s, out, actStep, c, 0)
			}
		default:
			l := &s.LWPs[cpu.Cur-1]
			if l.InKernel() {
				waits[c] = m.try(s, out, actStep, c, 0)
				break
			}
			if int(l.PC) < len(m.progs[l.Name]) {
				m.try(s, out, actSyscall, c, 0)
			}
			if l.Flag&m.Kernel.Userret != 0 {
				m.try(s, out, actTrap, c, 0)
			} else if int(l.PC) == len(m.progs[l.Name]) && m.waiting(s, c) {
				m.try(s, out, actYield, c, 0)
			}
		}
	}
	m.expandEnv(s, out)
	for _, w := range waits {
		if w != LockNone {
			nwait++
		}
	}
	if m.LockWaits && nwait >= 2 {
		if cyc := m.lockWaitCycle(s, &waits); cyc != nil {
			out.ReportState(explore.Violation{Name: FindingLockDeadlock, Message: m.LockWaitString(s, cyc) + ": a deadlock"})
		}
	}
}

// quiescent reports whether the LWP in slot i has nothing left to do in
// user space: its program has ended and no flag sends it through userret.
func (m *Machine) quiescent(s *State, i int) bool {
	l := &s.LWPs[i]
	return !l.InKernel() && int(l.PC) == len(m.progs[l.Name]) && l.Flag&m.Kernel.Userret == 0
}

// waiting reports whether CPU c's run queue holds an LWP with work to do.
func (m *Machine) waiting(s *State, c int) bool {
	cpu := &s.CPUs[m.Kernel.RunqCPU(c)]
	for _, r := range cpu.Runq[:cpu.NRun] {
		if !m.quiescent(s, int(r)-1) {
			return true
		}
	}
	return false
}

func (m *Machine) expandEnv(s *State, out *explore.Successors[State]) {
	for p := range m.nprocs {
		if m.Kernel.Callout != 0 && m.Kernel.CalloutPending(s, p) {
			m.try(s, out, actCallout, EnvCPU, p)
		}
	}
	e := &s.Env
	for ev, n := range [...]*[MaxProcs]uint8{&e.Stop, &e.Cont, &e.Exit, &e.Core} {
		for p := range m.nprocs {
			if n[p] > 0 && s.Procs[p].Stat != SZOMB {
				m.try(s, out, actEnv+ev, EnvCPU, p)
			}
		}
	}
	for i := range s.LWPs {
		l := &s.LWPs[i]
		if l.Name == 0 || l.Timo != 1 { // armed, not fired
			continue
		}
		if e.Timeout > 0 || (m.Kernel.ClockTimeout != nil && m.Kernel.ClockTimeout(s, i)) {
			m.try(s, out, actEnv+EnvTimeout, EnvCPU, i)
		}
	}
	if e.Preempt > 0 {
		for c := 0; c < m.NCPU; c++ {
			if s.CPUs[c].Cur != 0 && s.CPUs[c].Prev == 0 && m.waiting(s, c) {
				m.try(s, out, actEnv+EnvPreempt, c, 0)
			}
		}
	}
	if e.Migrate > 0 {
		for i := range s.LWPs {
			if s.LWPs[i].Name == 0 {
				continue
			}
			for c := 0; c < m.NCPU; c++ {
				if int(s.LWPs[i].CPU) != c {
					m.try(s, out, actEnv+EnvMigrate, c, i)
				}
			}
		}
	}
}

// try runs one action, once per nondeterministic choice it makes, and
// returns the lock its first step spins for if another holds it (the
// action is then not enabled), else LockNone.
func (m *Machine) try(s *State, out *explore.Successors[State], kind, cpu, arg int) (waitOn uint8) {
	for choice, n := 0, 1; choice < n; choice++ {
		t := out.Add(mkAction(kind, cpu, arg, choice), s)
		k := m.run(s, &t.Next, kind, cpu, arg, choice, false)
		n = max(n, k.nchoice)
		if k.blocked {
			if k.onLock && choice == 0 {
				waitOn = k.waitOn
			}
			out.Drop()
			m.pool.Put(k)
			continue
		}
		k.out = out
		m.finish(k, s, t)
		m.pool.Put(k)
	}
	return waitOn
}

// run executes one action on next (a copy of s) and returns its context.
func (m *Machine) run(s, next *State, kind, cpu, arg, choice int, explain bool) *K {
	k := m.pool.Get().(*K)
	k.reset(m, next, cpu, choice)
	k.explain = explain
	kn := m.Kernel
	switch {
	case kind >= actEnv:
		ev := kind - actEnv
		if !m.spend(next, ev, arg) {
			k.blocked = true
			return k
		}
		if ev == EnvPreempt {
			m.preempt(k, cpu)
			return k
		}
		// The sender runs outside the model's CPUs; the action's CPU, if
		// any, is an argument (migrate's target).
		k.atomic, k.CPU, k.envActor = true, EnvCPU, envActor(ev, arg)
		k.proc = uint8(arg) // a signal's process
		if ev == EnvTimeout || ev == EnvMigrate {
			k.proc = next.LWPs[arg].Proc // an LWP's event
		}
		k.Call(&Frame{}, 0, kn.Env[ev], uint8(arg), uint8(cpu), uint8(ev))
	case kind == actCallout:
		k.atomic, k.envActor, k.proc = true, envActor(NumEnv, arg), uint8(arg)
		k.Call(&Frame{}, 0, kn.Callout, 0, 0, 0)
	default:
		c := &next.CPUs[cpu]
		switch {
		case c.Prev != 0:
			k.atomic = true
			k.setCur(int(c.Cur) - 1)
			k.Call(&Frame{}, 0, kn.Startup, 0, 0, 0)
		case c.Cur == 0:
			k.atomic = true
			k.Call(&Frame{}, 0, kn.Idle, 0, 0, 0)
		default:
			k.setCur(int(c.Cur) - 1)
			l := &next.LWPs[k.Cur]
			k.frames, k.depth = &l.Frames, &l.Depth
			switch kind {
			case actSyscall:
				k.Call(&Frame{}, 0, kn.Syscall, 0, 0, 0)
			case actTrap:
				k.Call(&Frame{}, 0, kn.Trap, 0, 0, 0)
			case actYield:
				k.Call(&Frame{}, 0, kn.Yield, 0, 0, 0)
			}
		}
	}
	m.exec(k)
	if m.POR && !k.atomic {
		m.merge(k)
	}
	if k.atomic && *k.depth != 0 && !k.blocked && k.Panic == "" {
		k.Bug(fmt.Sprintf("atomic action left %s unfinished", kn.Routines[k.frames[*k.depth-1].Fn].Name))
	}
	return k
}

// envActor is the actor of an environment event of kind ev (NumEnv for
// the callout) about LWP slot or CPU arg: each event source is an actor of
// its own, so that the cycle check's fairness lets each timeout fire and
// each pending signal arrive, whatever the others do.
func envActor(ev, arg int) int32 {
	return int32(MaxLWPs + EnvCPU + 1 + ev*max(MaxLWPs, MaxCPUs) + arg)
}

// preempt marks the LWP running on CPU c for kernel preemption: it takes
// the preemption (the revision's Preempt routine) at its next step. The
// LWP must hold no lock (spin mutexes disable preemption; adaptive-lock
// holders are not preempted in the model, see the revision notes) and not
// be switching already.
func (m *Machine) preempt(k *K, c int) {
	k.CPU = c
	if k.S.CPUs[c].Cur == 0 {
		k.blocked = true
		return
	}
	k.setCur(int(k.S.CPUs[c].Cur) - 1)
	if k.held() != 0 {
		k.blocked = true
		return
	}
	l := &k.S.LWPs[k.Cur]
	if m.Kernel.UserPreemptOnly && l.InKernel() {
		k.blocked = true
		return
	}
	for _, f := range l.Frames[:l.Depth] {
		if f.Fn == m.Kernel.Preempt {
			k.blocked = true
			return
		}
	}
	// Nor while its context is being switched away (netbsd-5's
	// l_ctxswtch): mi_switch runs with preemption off, and another CPU may
	// already have picked it.
	if l.Stat != LSONPROC || l.PFlag&LP_CTXSWTCH != 0 {
		k.blocked = true
		return
	}
	k.frames, k.depth = &l.Frames, &l.Depth
	k.Call(&Frame{}, 0, m.Kernel.Preempt, 0, 0, 0)
	k.Src = SrcRef{File: m.Kernel.Routines[m.Kernel.Preempt].File, Line: uint16(m.Kernel.Routines[m.Kernel.Preempt].Line)}
	k.What = "kernel preemption requested"
}

// spend takes one event of kind ev from the environment's budget. The
// clock's own timeouts (cv_timedwait) cost nothing.
func (m *Machine) spend(s *State, ev, slot int) bool {
	if ev == EnvTimeout && m.Kernel.ClockTimeout != nil && m.Kernel.ClockTimeout(s, slot) {
		return true
	}
	e := &s.Env
	var p *uint8
	switch ev {
	case EnvStop, EnvCont, EnvExit, EnvCore:
		p = &[...]*[MaxProcs]uint8{&e.Stop, &e.Cont, &e.Exit, &e.Core}[ev][slot]
	default:
		p = [NumEnv]*uint8{EnvTimeout: &e.Timeout, EnvPreempt: &e.Preempt, EnvMigrate: &e.Migrate}[ev]
	}
	switch *p {
	case 0:
		return false
	case EnvUnlimited:
		return true
	}
	*p--
	return true
}

// merge extends a transition of the unreduced system while Lipton's
// reduction allows (see POR): through the actor's next steps while they
// are right movers, then through the handover of a context switch.
func (m *Machine) merge(k *K) {
	for k.rightMover() && k.done {
		k.done, k.ncase, k.segStart = false, 0, len(k.Events)
		src, what := k.Src, k.What
		k.Src = SrcRef{}
		k.merging = true
		m.exec(k)
		k.merging = false
		if k.blocked {
			// The next step is a spin-wait or a lock acquisition that
			// cannot go on now: it changed nothing, so the transition is
			// the steps before it, and the actor waits where the unreduced
			// model leaves it. Disabling the whole transition instead would
			// lose the state in which two CPUs each hold the lock the other
			// waits for (a deadlock the unreduced model reaches).
			k.blocked, k.done, k.stalled = false, true, true
			k.Src, k.What = src, what
			return
		}
		if k.explain {
			k.Merged = append(k.Merged, m.Kernel.Src(k.Src)+" "+k.What+": joins, the steps before it only acquired locks")
		}
		k.Src, k.What = src, what
	}
	cpu := &k.S.CPUs[k.CPU]
	if !k.offCPU || k.blocked || k.Panic != "" || cpu.Prev == 0 {
		return
	}
	// The new context's first act releases the previous LWP: it touches
	// only what that LWP's lock, held since the switch, covers.
	if k.explain {
		k.Merged = append(k.Merged, "the handover of the switch joins (a left mover)")
	}
	cur, proc := k.Cur, k.proc
	k.setCur(int(cpu.Cur) - 1)
	k.atomic, k.done, k.ncase, k.segStart = true, false, 0, len(k.Events)
	k.frames, k.depth, k.scratchDepth = &k.scratch, &k.scratchDepth, 0
	k.Call(&Frame{}, 0, m.Kernel.Startup, 0, 0, 0)
	m.exec(k)
	k.Cur, k.proc = cur, proc
}

// exec runs cases until the step ends.
func (m *Machine) exec(k *K) {
	for n := 0; !k.done && *k.depth > 0; n++ {
		if n > 4096 {
			k.Bug("a step does not end")
			return
		}
		f := &k.frames[*k.depth-1]
		r := &m.Kernel.Routines[f.Fn]
		k.ctx = f.Fn
		if k.ncase == 0 && k.Fn == 0 {
			k.Fn = f.Fn
		}
		r.Run(k, f)
		k.ncase++
	}
	k.guard(SrcRef{})
	if k.Src.Line == 0 {
		r := &m.Kernel.Routines[k.Fn]
		k.Src = SrcRef{File: r.File, Line: uint16(r.Line)}
	}
}

// finish turns a step's context into the successor's actor and
// violations.
func (m *Machine) finish(k *K, pre *State, t *explore.Succ[State]) {
	actor := int32(k.Cur)
	switch {
	case k.envActor != 0:
		actor = k.envActor
	case k.Cur < 0:
		actor = int32(MaxLWPs + k.CPU)
	}
	t.Actor, t.Retry = actor, k.retry
	if k.Panic != "" {
		name := FindingKAssert
		if len(k.Panic) > 12 && k.Panic[:12] == "model error:" {
			name = FindingModelError
		}
		at := m.Kernel.Src(k.panicSrc())
		t.Violations = append(t.Violations, explore.Violation{Name: name, Fatal: true,
			Message: k.Panic + " at " + at, Where: at})
	}
	t.Violations = append(t.Violations, k.reports...)
	if m.Check != nil {
		t.Violations = m.Check.Step(k, pre, &t.Next, t.Violations)
	}
	for i := range t.Violations {
		// Message is "" when the search has the finding already.
		if v := &t.Violations[i]; v.Message != "" && v.Where != "" {
			if st := m.stackAt(pre, t.Action, v.Where); st != "" {
				v.Message += " [" + st + "]"
			}
		}
	}
}

// stackAt re-runs action a from pre, recording the running stack at each
// event, and returns the actor and its stack at the first event at where
// ("LWP 2: syscall > sys__lwp_continue > lwp_continue > setrunnable"), or
// "". It runs only for a violation the search reports, off the hot path.
func (m *Machine) stackAt(pre *State, a explore.Action, where string) string {
	_, k, ok := m.Replay(pre, a)
	defer m.pool.Put(k)
	if !ok {
		return ""
	}
	for i := range k.Events {
		if m.Kernel.Src(k.Events[i].Src) != where || i >= len(k.stacks) || k.stacks[i] == "" {
			continue
		}
		who := "env"
		switch {
		case k.Cur >= 0:
			who = fmt.Sprintf("LWP %d", pre.LWPs[k.Cur].Name)
		case k.CPU != EnvCPU:
			who = fmt.Sprintf("cpu%d", k.CPU)
		}
		return who + ": " + k.stacks[i]
	}
	return ""
}

func (k *K) panicSrc() SrcRef {
	for _, e := range k.Events {
		if e.Kind == EvAssert {
			return e.Src
		}
	}
	return k.Src
}

// Replay re-runs action a from s and returns the step's context, for
// listing a counterexample; ok is false if a is not enabled in s.
func (m *Machine) Replay(s *State, a explore.Action) (next State, k *K, ok bool) {
	kind, cpu, arg, choice := splitAction(a)
	next = *s
	k = m.run(s, &next, kind, cpu, arg, choice, true)
	if k.blocked {
		return *s, k, false
	}
	return next, k, true
}
