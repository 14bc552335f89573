package model

import (
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
)

// K is the context of one atomic step: the state being changed, who runs,
// and what the step did (its events). Routines are written as a switch on
// f.PC; each case is a basic block. A step runs cases one after another
// until a case ends it. The rules:
//
//   - A lock acquire (Enter, the acquire in lwp_lock), a spin-wait (Await)
//     and an unlocked access of shared data (Cut) each begin a step: called
//     in the middle of a step, they end it there, and the case runs again
//     as the first case of the next step. Such a call must therefore come
//     before any change the case makes.
//   - A step whose first case finds its lock taken, or its condition false,
//     is not enabled: the CPU spins.
//   - Giving up the CPU (OffCPU, from mi_switch) ends the step.
//   - Calls and returns do not end a step.
type K struct {
	M   *Machine
	S   *State
	CPU int // the executing CPU; EnvCPU for the environment
	Cur int // slot of the executing LWP; -1 in a CPU's own context or the environment's

	frames       *[MaxFrames]Frame // the stack the step runs on: the LWP's, or scratch
	depth        *uint8
	scratch      [MaxFrames]Frame
	scratchDepth uint8

	ncase   int
	done    bool
	offCPU  bool  // the step ended in a context switch
	stalled bool  // a merged transition stopped before a blocked spin-wait
	merging bool  // the step runs as a later segment of a merged transition
	nested  bool  // a merged transition stopped before a lock acquire made holding a lock
	onLock  bool  // the step is blocked on a lock (not a spin-wait)
	waitOn  uint8 // with onLock: the lock
	// The current segment (one step of the unreduced system; several make
	// one transition when steps are merged, see Machine.POR): where its
	// events start, and whether it began with an unlocked access or a
	// spin-wait (a non-mover).
	segStart int
	segN     bool
	// Merged explains, with Machine.POR, each segment after the first of
	// a merged transition: where it starts and why it could join.
	Merged  []string
	explain bool
	stacks  []string // with explain: the running stack at each event
	reports []explore.Violation
	out     *explore.Successors[State] // the search's, for Found; nil on replay
	snaps   [2]guarded                 // the guarded fields at the last lock operation, and scratch
	snapI   uint8                      // which of snaps is the last
	blocked bool
	retry   bool // the transition only set its actor up to try again (Retry)
	// envActor is the actor of an environment event (envActor), 0 for
	// the others.
	envActor int32
	proc     uint8 // the process the step acts on: its LWP's, or the one an environment event or callout is about
	atomic   bool  // an environment event: one step, all or nothing
	choice   int
	nchoice  int
	ctx      uint8 // the routine whose lines the step cites now (In)

	// What the step did, for the invariants and for replay.
	Src    SrcRef // where the step starts
	Fn     uint8  // the routine of the step's first case
	What   string // the operation that starts the step, e.g. "mutex_enter(p->p_lock)"
	Events []Event
	evBuf  [48]Event
	Panic  string // a failed KASSERT or a model error: the step has no successor
}

// reset prepares k for a new step without clearing its buffers.
func (k *K) reset(m *Machine, s *State, cpu, choice int) {
	k.M, k.S, k.CPU, k.Cur = m, s, cpu, -1
	k.frames, k.depth, k.scratchDepth = &k.scratch, &k.scratchDepth, 0
	k.ncase, k.done, k.offCPU, k.stalled, k.onLock, k.segStart, k.segN = 0, false, false, false, false, 0, false
	k.merging, k.nested = false, false
	k.blocked, k.retry, k.atomic, k.choice, k.nchoice, k.ctx, k.envActor, k.proc = false, false, false, choice, 0, 0, 0, 0
	k.Src, k.Fn, k.What, k.Panic = SrcRef{}, 0, "", ""
	k.Events = k.evBuf[:0]
	k.Merged = k.Merged[:0]
	k.stacks = k.stacks[:0]
	k.reports = k.reports[:0]
	k.out = nil
	if m.Guard {
		k.snaps[k.snapI].take(s, m.nprocs, SrcRef{})
	}
}

// Found reports whether the search has a finding named name already, with
// a shorter trace (explore.Successors.Found): a check need not describe it
// again.
func (k *K) Found(name string) bool { return k.out != nil && k.out.Found(name) }

// EnvCPU is the CPU number of environment events: a sender outside the model.
const EnvCPU = MaxCPUs

// EventKind tells what an Event records.
type EventKind uint8

// Event kinds.
const (
	EvAcquire EventKind = iota + 1 // Lock acquired while holding Held
	EvRelease                      // Lock released
	EvStat                         // LWP's l_stat From -> To
	EvSetLock                      // LWP's l_mutex From -> To
	EvReturn                       // LWP's syscall returned To (an Errno) to user space
	EvAssert                       // a KASSERT failed (Text)
	EvField                        // field GuardedFields[From] of LWP (-1: the process) written between Since and Src without its Lock
	EvKtrCall                      // ktrace's CALL record of LWP's syscall From (an OpKind); Machine.Ktrace only
	EvKtrRet                       // ktrace's RET record of LWP's syscall From, result To; Machine.Ktrace only
)

// Event is one thing a step did.
type Event struct {
	Kind EventKind
	LWP  int8 // slot, -1 if none
	Lock uint8
	From uint8
	To   uint8
	Held uint16 // locks held by the actor at an acquire (bit per lock id)
	// At a state change: whether the actor held p_lock and the LWP's lock.
	PLock bool
	LLock bool
	Src   SrcRef
	Since SrcRef // EvField: the start of the interval the field was written in
	Text  string
}

// Self returns the executing LWP.
func (k *K) Self() *LWP { return &k.S.LWPs[k.Cur] }

// L returns the LWP in slot i.
func (k *K) L(i int) *LWP {
	return &k.S.LWPs[i]
}

// P returns the process the step acts on: the executing LWP's, or the
// one an environment event or callout is about.
func (k *K) P() *Proc { return &k.S.Procs[k.Pid()] }

// Pid returns the index of the process the step acts on (see P).
func (k *K) Pid() int { return int(k.proc) }

// setCur makes the LWP in slot i the step's actor, and its process the
// one the step acts on; -1: the CPU's own context, acting on no LWP's.
func (k *K) setCur(i int) {
	k.Cur = i
	if i >= 0 {
		k.proc = k.S.LWPs[i].Proc
	}
}

// PLock returns the id of p_lock of the process the step acts on.
func (k *K) PLock() uint8 { return ProcLock(k.Pid()) }

// SleepqLock returns the id of the sleep queue lock that p_lwpcv of the
// process the step acts on hashes to.
func (k *K) SleepqLock() uint8 { return k.M.SleepqLock(k.Pid(), WChanLwpcv) }

// ParkqLock returns the id of the lwp_park_tab lock that the park wait
// channels of the process the step acts on hash to.
func (k *K) ParkqLock() uint8 { return k.M.SleepqLock(k.Pid(), WChanParkq) }

// WChanLock returns the id of the sleep queue lock of the wait channel
// the LWP in slot i sleeps on.
func (k *K) WChanLock(i int) uint8 {
	l := &k.S.LWPs[i]
	return k.M.SleepqLock(int(l.Proc), l.WChan)
}

// Op returns the op of the executing LWP's program that is in progress.
func (k *K) Op() *Op {
	l := &k.S.LWPs[k.Cur]
	return &k.M.progs[l.Name][l.PC]
}

// Choose returns a nondeterministic choice in [0, n): the machine runs the
// step once for each value.
func (k *K) Choose(n int) int {
	if n > k.nchoice {
		k.nchoice = n
	}
	if k.choice >= n {
		return n - 1
	}
	return k.choice
}

// fresh reports whether the current case begins the step; if it does not,
// it ends the step before the case.
func (k *K) fresh(line int, what string, nonMover bool) bool {
	if k.ncase > 0 && !k.atomic {
		k.done = true
		return false
	}
	if k.ncase == 0 {
		k.segN = nonMover
		if k.Src.Line == 0 {
			k.Src = k.src(line)
			k.What = what
		}
	}
	return true
}

// Unlocked marks a read of shared data without its covering lock that
// the model keeps within the current step, because no other interleaving
// of it can change the outcome (the value only chooses what to lock or
// re-check next). For the reduction it is a non-mover: the transition
// ends with this step.
func (k *K) Unlocked() { k.segN = true }

// Retry marks a step that found what it locked stale and dropped it to
// look again (lwp_lock when l_mutex moved): the cycle check's fairness
// asks the LWP to get past it, not just to retry (explore.Succ.Retry). Only a
// transition that is the retry alone is marked: one that a reduction
// merged after other work made progress before it.
func (k *K) Retry() { k.retry = k.segStart == 0 }

// Report records a finding of the model that is not a kernel panic (for
// instance a stale LWP pointer): the step goes on, as the C code does.
func (k *K) Report(name, msg string) {
	at := k.M.Kernel.Src(k.Src)
	k.reports = append(k.reports, explore.Violation{Name: name, Message: msg + " at " + at, Where: at})
}

// Cut marks an access of shared data made without the covering lock: it
// begins a step. It returns false if the case must stop (see K).
func (k *K) Cut(line int, what string) bool { return k.fresh(line, what, true) }

// Await is a spin-wait: the step is enabled only while cond holds.
func (k *K) Await(cond bool, line int, what string) bool {
	if !k.fresh(line, what, true) {
		return false
	}
	if !cond {
		k.blocked, k.done = true, true
		return false
	}
	return true
}

func (k *K) owner(id uint8) uint8 {
	switch {
	case k.CPU == EnvCPU:
		return OwnerEnv
	case Adaptive(id):
		return uint8(k.Cur + 1)
	}
	return uint8(ownerCPU + k.CPU)
}

// Owned reports whether the executing context holds lock id (mutex_owned).
func (k *K) Owned(id uint8) bool { return id != LockNone && k.S.Locks[id] == k.owner(id) }

// held is the set of locks the executing context holds.
func (k *K) held() uint16 {
	var h uint16
	for id := uint8(1); id < NumLocks; id++ {
		if k.S.Locks[id] != 0 && k.S.Locks[id] == k.owner(id) {
			h |= 1 << id
		}
	}
	return h
}

// Enter acquires lock id (mutex_enter, mutex_spin_enter): it begins a step,
// enabled only while the lock is free.
func (k *K) Enter(id uint8, line int, what string) bool {
	if !k.fresh(line, what, false) {
		return false
	}
	if k.Owned(id) {
		// mutex_enter of a lock this context holds: the CPU spins on
		// itself for good (LOCKDEBUG panics). A finding, not a step that
		// waits for another holder.
		k.Assert(false, line, "locking against myself: "+k.M.LockName(id))
		return false
	}
	if k.S.Locks[id] != 0 {
		k.blocked, k.done, k.onLock, k.waitOn = true, true, true, id
		return false
	}
	if k.merging && k.held() != 0 {
		// A second lock is not merged with the acquires before it: the
		// state in which the actor holds one lock and is about to wait
		// for another is where a lock-wait deadlock begins, and another
		// CPU may take that lock first (see Machine.POR).
		k.blocked, k.done, k.nested = true, true, true
		return false
	}
	k.guardAcquire(line)
	k.event(Event{Kind: EvAcquire, LWP: int8(k.Cur), Lock: id, Held: k.held(), Src: k.src(line)})
	k.S.Locks[id] = k.owner(id)
	return true
}

// TryEnter tries to acquire lock id without spinning (mutex_tryenter):
// it begins a step and reports whether the lock was taken. It returns false
// also when the case must stop (see K); check k.Done to tell.
func (k *K) TryEnter(id uint8, line int, what string) bool {
	if !k.fresh(line, what, true) {
		return false
	}
	if k.S.Locks[id] != 0 {
		return false
	}
	k.guardAcquire(line)
	k.event(Event{Kind: EvAcquire, LWP: int8(k.Cur), Lock: id, Held: k.held(), Src: k.src(line)})
	k.S.Locks[id] = k.owner(id)
	return true
}

// Done reports whether the step has ended.
func (k *K) Done() bool { return k.done }

// KtrCall is ktrace's CALL record of the executing LWP's syscall, made
// on entry, before the call runs; recorded only if the machine records
// ktrace points.
func (k *K) KtrCall(line int) {
	if k.M.Ktrace {
		k.segN = true // a record other LWPs' records must not pass: a non-mover
		k.event(Event{Kind: EvKtrCall, LWP: int8(k.Cur), From: uint8(k.Op().Kind), Src: k.src(line)})
	}
}

// KtrRet is ktrace's RET record of the executing LWP's syscall: its
// result, before userret (a restarted call's too).
func (k *K) KtrRet(line int) {
	if k.M.Ktrace {
		k.segN = true
		l := k.Self()
		k.event(Event{Kind: EvKtrRet, LWP: int8(k.Cur), From: uint8(k.Op().Kind), To: l.Result, Src: k.src(line)})
	}
}

// Deliver returns the executing LWP's syscall result to user space: the
// program sees it, and moves to its next step unless the call restarts.
func (k *K) Deliver(line int) {
	l := k.Self()
	op := k.Op()
	k.event(Event{Kind: EvReturn, LWP: int8(k.Cur), From: uint8(op.Kind), To: l.Result, Src: k.src(line)})
	if Errno(l.Result) != ERESTART {
		l.PC++
	}
}

// Exit releases lock id (mutex_exit); the executing context must hold it.
func (k *K) Exit(id uint8, line int) {
	if !k.Owned(id) {
		k.Assert(false, line, "mutex_exit of a lock not held: "+k.M.LockName(id))
		return
	}
	k.guard(k.src(line))
	k.S.Locks[id] = 0
	k.event(Event{Kind: EvRelease, LWP: int8(k.Cur), Lock: id, Src: k.src(line)})
}

// Assert is a KASSERT: if cond is false the kernel panics.
func (k *K) Assert(cond bool, line int, text string) {
	if cond || k.Panic != "" {
		return
	}
	k.Panic = "KASSERT(" + text + ")"
	k.event(Event{Kind: EvAssert, LWP: int8(k.Cur), Src: k.src(line), Text: text})
	k.done = true
}

// Bug reports a state the model's author believed impossible.
func (k *K) Bug(text string) {
	if k.Panic == "" {
		k.Panic = "model error: " + text
		k.done = true
	}
}

// SetStat changes an LWP's l_stat, recording who held which locks.
func (k *K) SetStat(slot int, st uint8, line int) {
	l := k.L(slot)
	k.event(Event{Kind: EvStat, LWP: int8(slot), From: l.Stat, To: st, Lock: l.Mutex,
		PLock: k.Owned(ProcLock(int(l.Proc))), LLock: k.Owned(l.Mutex), Src: k.src(line)})
	l.Stat = st
}

// SetLock changes an LWP's l_mutex (lwp_setlock, lwp_unlock_to); the old
// lock must be held.
func (k *K) SetLock(slot int, id uint8, line int) {
	l := k.L(slot)
	k.Assert(k.Owned(l.Mutex) || k.atomic, line, "mutex_owned(oldmtx)")
	k.guard(k.src(line))
	k.event(Event{Kind: EvSetLock, LWP: int8(slot), From: l.Mutex, To: id, Src: k.src(line)})
	l.Mutex = id
}

// src returns the source reference of line, as the routine the step is
// in (see In) cites it.
func (k *K) src(line int) SrcRef { return k.M.Kernel.Routines[k.ctx].Cite(line) }

func (k *K) event(e Event) {
	if len(k.Events) == cap(k.Events) {
		k.Bug("too many events in one step")
		return
	}
	k.Events = append(k.Events, e)
	if k.explain {
		k.stacks = append(k.stacks, k.stack())
	}
}

// stack names the routines on the running stack, outermost first:
// "syscall > sys__lwp_continue > lwp_continue > setrunnable".
func (k *K) stack() string {
	names := make([]string, 0, *k.depth)
	for _, f := range k.frames[:*k.depth] {
		names = append(names, k.M.Kernel.Routines[f.Fn].Name)
	}
	return strings.Join(names, " > ")
}

// Call pushes a frame for routine fn with locals a, b, c; the caller
// continues at next when fn returns.
func (k *K) Call(f *Frame, next uint8, fn uint8, a, b, c uint8) {
	f.PC = next
	if int(*k.depth) == MaxFrames {
		k.Bug("kernel continuation too deep")
		return
	}
	if k.M.Kernel.Routines[fn].Run == nil {
		k.Bug("call of " + k.M.Kernel.Routines[fn].Name + ", which the revision does not run")
		return
	}
	k.frames[*k.depth] = Frame{Fn: fn, A: a, B: b, C: c}
	*k.depth++
}

// Return pops the executing routine's frame, handing v to the caller.
func (k *K) Return(v uint8) {
	*k.depth--
	d := *k.depth
	// A kernel preemption is taken on top of whatever the LWP was doing,
	// between two of its steps: preempt() returns nothing, and the frame
	// below may still be about to read its last callee's value.
	async := k.frames[d].Fn == k.M.Kernel.Preempt
	k.frames[d] = Frame{}
	if d > 0 && !async {
		k.frames[d-1].Ret = v
	}
}

// In makes what follows in the current case cite the lines of routine fn
// (a helper's own C function, run inside its caller's step) and returns
// the routine cited before, so that a helper can restore it:
//
//	defer k.In(k.In(fnLwpFind))
func (k *K) In(fn uint8) uint8 {
	prev := k.ctx
	k.ctx = fn
	return prev
}

// SpcMutex is the lock CPU c's spc_mutex points to in the running
// revision.
func (k *K) SpcMutex(c int) uint8 { return k.M.Kernel.SpcMutex(c) }

// RunqAppend puts the LWP in slot i at the tail of CPU c's run queue
// (sched_enqueue).
func (k *K) RunqAppend(c, i int) {
	cpu := &k.S.CPUs[k.M.Kernel.RunqCPU(c)]
	cpu.Runq[cpu.NRun] = uint8(i + 1)
	cpu.NRun++
}

// RunqRemove takes the LWP in slot i off CPU c's run queue (sched_dequeue)
// and reports whether it was there.
func (k *K) RunqRemove(c, i int) bool {
	cpu := &k.S.CPUs[k.M.Kernel.RunqCPU(c)]
	return remove(cpu.Runq[:], &cpu.NRun, i)
}

// RunqHead returns the slot of the LWP at the head of CPU c's run queue,
// or -1 if it is empty.
func (k *K) RunqHead(c int) int {
	cpu := &k.S.CPUs[k.M.Kernel.RunqCPU(c)]
	if cpu.NRun == 0 {
		return -1
	}
	return int(cpu.Runq[0]) - 1
}

// CvAppend puts the LWP in slot i at the tail of p_lwpcv's sleep queue.
func (k *K) CvAppend(i int) {
	p := k.S.ProcOf(i)
	p.Cv[p.NCv] = uint8(i + 1)
	p.NCv++
}

// PqInsertHead puts the LWP in slot i at the head of the park sleep queue
// (SOBJ_SLEEPQ_LIFO).
func (k *K) PqInsertHead(i int) {
	p := k.S.ProcOf(i)
	copy(p.Pq[1:], p.Pq[:p.NPq])
	p.Pq[0] = uint8(i + 1)
	p.NPq++
}

// PqAppend puts the LWP in slot i at the tail of the park sleep queue
// (a FIFO sync object).
func (k *K) PqAppend(i int) {
	p := k.S.ProcOf(i)
	p.Pq[p.NPq] = uint8(i + 1)
	p.NPq++
}

// PqRemove takes the LWP in slot i off the park sleep queue and reports
// whether it was there.
func (k *K) PqRemove(i int) bool {
	p := k.S.ProcOf(i)
	return remove(p.Pq[:], &p.NPq, i)
}

// CvRemove takes the LWP in slot i off p_lwpcv's sleep queue.
func (k *K) CvRemove(i int) bool {
	p := k.S.ProcOf(i)
	return remove(p.Cv[:], &p.NCv, i)
}

func remove(q []uint8, n *uint8, i int) bool {
	for j := 0; j < int(*n); j++ {
		if int(q[j]) == i+1 {
			copy(q[j:], q[j+1:*n])
			*n--
			q[*n] = 0
			return true
		}
	}
	return false
}

// At names the source line and operation of the case being run; the first
// one named in a step is the step's source.
func (k *K) At(line int, what string) {
	if k.Src.Line == 0 {
		k.Src = k.src(line)
		k.What = what
	}
}

// OffCPU ends the step: the executing LWP has switched away.
func (k *K) OffCPU() { k.done, k.offCPU = true, true }

// rightMover reports whether the segment just run only acquired locks and
// touched data they cover: no release, no unlocked access or spin-wait, no
// context switch, no return to user space. Such a segment commutes with
// any later step of another actor (Lipton's right mover), so the actor's
// next segment may follow it in the same transition.
func (k *K) rightMover() bool {
	why, _ := k.notMover()
	return why == ""
}

// moverReason says why the segment just run is not a right mover ("" if
// it is), for the reader of a replay.
func (k *K) moverReason() string {
	why, e := k.notMover()
	if e != nil && e.Kind == EvRelease {
		return why + " " + k.M.LockName(e.Lock)
	}
	return why
}

// ends says why the transition just run had to end where it did, whatever
// locks it took: a spin-wait ahead, an unlocked access, a switch, a block,
// a panic or the return to user space; "" if none of these.
func (k *K) ends() string {
	switch {
	case k.nested:
		return "the next step takes a lock while holding one"
	case k.stalled:
		return "the next step spins"
	case k.segN:
		return "it began with an unlocked access, a try-lock or a spin-wait"
	case k.offCPU:
		return "it switched away"
	case k.blocked:
		return "it is blocked"
	case k.Panic != "":
		return "it panicked"
	case *k.depth == 0 && k.frames != &k.scratch: // an LWP's own stack emptied
		return "it returned to user space"
	}
	return ""
}

// notMover is why the segment just run is not a right mover, "" if it
// is, and the event that makes it so, if one does.
func (k *K) notMover() (string, *Event) {
	if why := k.ends(); why != "" {
		return why, nil
	}
	for i := range k.Events[k.segStart:] {
		e := &k.Events[k.segStart+i]
		switch e.Kind {
		case EvRelease:
			return "it released", e
		case EvReturn:
			return "it returned to user space", e
		}
	}
	return "", nil
}

// Blocked ends the step as not enabled.
func (k *K) Blocked() { k.blocked, k.done = true, true }
