package model

// Docs is what a revision documents and its code is held to: the lock
// order, the lock that covers each LWP state, the states entered only under
// the process lock, the state-transition diagram, the man pages' ERRORS
// sections, what each process counter counts, the lock each marked field
// needs, and the known disagreements between its code and its
// documentation. Every entry cites the revision's own sources; the
// invariant catalog holds the checks, which cite none.
type Docs struct {
	LockOrder  Order
	StateLocks []StateLock
	// ProcLocked lists the states an LWP enters or leaves only with the
	// process lock held.
	ProcLocked []uint8
	// Transitions is the state-transition diagram.
	Transitions []Transition
	ManPages    []ManPage
	// Counters says what each process counter counts, in the revision's
	// code (which may run ahead of its comment).
	Counters []CounterRule
	// Fields gives the lock each checked field is marked with
	// (GuardedFields order), from the headers of the era.
	Fields [NumGuarded]Mark
	// Sources cites, by invariant name, where the revision states or
	// implies the rule the invariant checks.
	Sources map[string]string
	// Known lists the findings that are known disagreements between the
	// revision's code and its documentation (a comment, a man page), each
	// with the evidence: check reports them as known instead of failing.
	Known []Known
}

// Known is one known disagreement: the full name of the finding
// (invariant/key), why the code does it, and where both sides are written.
type Known struct {
	Name   string
	Why    string
	Source string
}

// Order is a revision's documented lock order, by lock class.
type Order struct {
	// Chains lists documented orders: in each, a class is taken before the
	// classes after it. The order is their transitive closure; classes no
	// chain relates are unordered.
	Chains []LockChain
	// ByAddress lists the classes whose locks are taken together only in
	// address order (the model's lock ids are in that order), so that
	// holding two of them cannot deadlock; another order is a finding.
	ByAddress []ClassRule
	// TrySites are the acquisitions made with mutex_tryenter, as
	// "file@rev:line". A try-acquire never waits, so it cannot take part
	// in a deadlock: it is exempt from the order and adds no graph edge.
	TrySites []Site
}

// ClassRule is a rule about one lock class, with its source.
type ClassRule struct {
	Class  LockClass
	Source string
}

// LockChain is one documented order, first-taken first.
type LockChain struct {
	Classes []LockClass
	Source  string
}

// Site is a source line of a revision, "file@rev:line", with its source.
type Site struct {
	At     string
	Source string
}

// Before returns, for each pair of classes, whether the order puts the
// first before the second.
func (o *Order) Before() [NumClasses][NumClasses]bool {
	var b [NumClasses][NumClasses]bool
	for _, ch := range o.Chains {
		for i, x := range ch.Classes {
			for _, y := range ch.Classes[i+1:] {
				b[x][y] = true
			}
		}
	}
	for k := range b { // Warshall
		for i := range b {
			for j := range b {
				b[i][j] = b[i][j] || (b[i][k] && b[k][j])
			}
		}
	}
	return b
}

// Source returns the source of the chain that orders x before y directly,
// or the sources of all chains if the order is only transitive.
func (o *Order) Source(x, y LockClass) string {
	all := ""
	for _, ch := range o.Chains {
		ix, iy := -1, -1
		for i, c := range ch.Classes {
			switch c {
			case x:
				ix = i
			case y:
				iy = i
			}
		}
		if ix >= 0 && iy > ix {
			return ch.Source
		}
		if all != "" {
			all += "; "
		}
		all += ch.Source
	}
	return all
}

// StateLock says which lock covers an LWP in a state.
type StateLock struct {
	Stat   uint8
	Rule   LockRule
	Source string
}

// LockRule is the lock an LWP's l_mutex must name in a state.
type LockRule int

// Lock rules.
const (
	// LwplockOfCPU: spc_lwplock of l_cpu.
	LwplockOfCPU LockRule = iota + 1
	// SpcMutexOfCPU: spc_mutex of l_cpu.
	SpcMutexOfCPU
	// SleepLock: the lock of the sleep queue the LWP is on: the lock of
	// its wait channel's queue, or any spc_lwplock for SOBJ_SLEEPQ_NULL
	// (a park that sleeps on no queue).
	SleepLock
	// SleepLockOrLwplock: SleepLock if l_wchan is set, else LwplockOfCPU.
	SleepLockOrLwplock
)

// Holds reports whether l's l_mutex is the lock rule r wants on machine m.
func (r LockRule) Holds(m *Machine, l *LWP) bool {
	kn := m.Kernel
	switch r {
	case LwplockOfCPU:
		return l.Mutex == SpcLwplock(int(l.CPU))
	case SpcMutexOfCPU:
		return l.Mutex == kn.SpcMutex(int(l.CPU))
	case SleepLock:
		if l.SyncObj == SObjPark && l.WChan == WChanPark {
			return ClassOf(l.Mutex) == ClassLwplock
		}
		return l.Mutex == m.SleepqLock(int(l.Proc), l.WChan)
	case SleepLockOrLwplock:
		if l.WChan != WChanNone {
			return SleepLock.Holds(m, l)
		}
		return LwplockOfCPU.Holds(m, l)
	}
	return false
}

// Describe names the lock rule r wants for l on machine m.
func (r LockRule) Describe(m *Machine, l *LWP) string {
	kn := m.Kernel
	switch r {
	case LwplockOfCPU:
		return "spc_lwplock of l_cpu (" + m.LockName(SpcLwplock(int(l.CPU))) + ")"
	case SpcMutexOfCPU:
		return "spc_mutex of l_cpu (" + m.LockName(kn.SpcMutex(int(l.CPU))) + ")"
	case SleepLock:
		if l.SyncObj == SObjPark && l.WChan == WChanPark {
			return "an spc_lwplock (parked: SOBJ_SLEEPQ_NULL)"
		}
		return "the sleep queue's lock (" + m.LockName(m.SleepqLock(int(l.Proc), l.WChan)) + ")"
	case SleepLockOrLwplock:
		if l.WChan != WChanNone {
			return "l_wchan is set: " + SleepLock.Describe(m, l)
		}
		return "l_wchan is NULL: " + LwplockOfCPU.Describe(m, l)
	}
	return "?"
}

// Transition is one edge of a revision's state-transition diagram.
type Transition struct {
	From, To uint8
	// KernelOnly marks the diagram's "special cases", possible only for
	// kernel threads: a user LWP taking one is a finding, and coverage
	// does not count them.
	KernelOnly bool
	Source     string
}

// ManPage is the ERRORS section of one system call's man page.
type ManPage struct {
	Op     OpKind
	Page   string // e.g. "_lwp_wait.2 1.4.8.2"
	Source string // where the page is stored
	// Results lists what the page documents, 0 (success) included.
	Results []DocResult
}

// DocResult is one result a page documents.
type DocResult struct {
	Errno Errno
	When  string // the page's condition, paraphrased
	// Holds, if set, tells whether the page's condition holds for the
	// LWP in slot, running op, in s when the result reaches user space;
	// nil means the result is documented whenever it occurs.
	Holds func(s *State, slot int, op *Op) bool
}

// Counter is a process counter the model keeps.
type Counter uint8

// The process counters.
const (
	NLWPs    Counter = iota // p_nlwps
	NRLWPs                  // p_nrlwps
	NZLWPs                  // p_nzlwps
	NDLWPs                  // p_ndlwps
	NLWPWait                // p_nlwpwait
	NumCounters
)

var counterNames = [NumCounters]string{"p_nlwps", "p_nrlwps", "p_nzlwps", "p_ndlwps", "p_nlwpwait"}

func (c Counter) String() string {
	if c < NumCounters {
		return counterNames[c]
	}
	return "?"
}

// Value returns the counter's value in p.
func (c Counter) Value(p *Proc) uint8 {
	switch c {
	case NLWPs:
		return p.NLWPs
	case NRLWPs:
		return p.NRLWPs
	case NZLWPs:
		return p.NZLWPs
	case NDLWPs:
		return p.NDLWPs
	case NLWPWait:
		return p.NLWPWait
	}
	return 0
}

// CounterRule says which LWPs on p_lwps a counter counts: those in one of
// Stats (a bit per l_stat; 0: any state), with one of the Ghost bits set
// (0: any), and detached if Detached.
type CounterRule struct {
	Counter  Counter
	Stats    uint16
	Ghost    uint8
	Detached bool
	Doc      string // what it counts, in words
	Source   string
}

// Stats returns the Stats bits of the states given.
func Stats(st ...uint8) uint16 {
	var b uint16
	for _, s := range st {
		b |= 1 << s
	}
	return b
}

// Counts reports whether rule r counts l.
func (r *CounterRule) Counts(l *LWP) bool {
	return (r.Stats == 0 || r.Stats&(1<<l.Stat) != 0) && (r.Ghost == 0 || l.Ghost&r.Ghost != 0) &&
		(!r.Detached || l.PRFlag&LPR_DETACHED != 0)
}

// Mark is the lock a field's marking in proc.h or lwp.h names.
type Mark uint8

// Field markings.
const (
	MarkNone Mark = iota // not marked with a lock the model has, or not checked
	MarkProc             // the process lock (p: p_lock; p_smutex in 2007)
	MarkLWP              // the LWP's lock (l: *l_mutex)
)
