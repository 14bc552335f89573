package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
)

// Tables are what a revision documents and its code is held to: the lock
// order, the lock that covers each LWP state, the state-transition diagram
// and the man pages' ERRORS sections of the era. Every entry cites its
// source. Revisions differ in these, so each has its own Tables, registered
// in tables under the revision's name: a new revision adds one entry.
type Tables struct {
	LockOrder   Order
	StateLocks  []StateLock
	Transitions []Transition
	ManPages    []ManPage
	// Known lists the findings of this revision that are known
	// disagreements between its code and its documentation (a comment, a
	// man page), each with the evidence: check reports them as known
	// instead of failing.
	Known []Known
}

// Known is one known disagreement: the full name of the finding
// (invariant/key), why the code does it, and where both sides are written.
type Known struct {
	Name   string
	Why    string
	Source string
}

// tables maps a revision name to its tables.
var tables = map[string]*Tables{
	"netbsd-2025": netbsd2025,
}

// TablesOf returns the tables of the revision called name.
func TablesOf(name string) (*Tables, error) {
	t, ok := tables[name]
	if !ok {
		return nil, fmt.Errorf("invariants: no tables for revision %q", name)
	}
	return t, nil
}

// Order is a revision's documented lock order, by lock class.
type Order struct {
	// Chains lists documented orders: in each, a class is taken before the
	// classes after it. The order is their transitive closure; classes no
	// chain relates are unordered.
	Chains []LockChain
	// TrySites are the acquisitions made with mutex_tryenter, as
	// "file@rev:line". A try-acquire never waits, so it cannot take part
	// in a deadlock: it is exempt from the order and adds no graph edge.
	TrySites []Site
}

// LockChain is one documented order, first-taken first.
type LockChain struct {
	Classes []model.LockClass
	Source  string
}

// Site is a source line of a revision, "file@rev:line", with its source.
type Site struct {
	At     string
	Source string
}

// before returns, for each pair of classes, whether the order puts the
// first before the second.
func (o *Order) before() [model.NumClasses][model.NumClasses]bool {
	var b [model.NumClasses][model.NumClasses]bool
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

// source returns the source of the chain that orders x before y directly,
// or the sources of all chains if the order is only transitive.
func (o *Order) source(x, y model.LockClass) string {
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
	// SleepLock: the lock of the sleep object the LWP is on: the sleep
	// queue's lock, or any spc_lwplock for SOBJ_SLEEPQ_NULL (park).
	SleepLock
	// SleepLockOrLwplock: SleepLock if l_wchan is set, else LwplockOfCPU.
	SleepLockOrLwplock
)

// holds reports whether l's l_mutex is the lock rule r wants.
func (r LockRule) holds(l *model.LWP) bool {
	switch r {
	case LwplockOfCPU:
		return l.Mutex == model.SpcLwplock(int(l.CPU))
	case SpcMutexOfCPU:
		return l.Mutex == model.SpcMutex(int(l.CPU))
	case SleepLock:
		if l.SyncObj == model.SObjPark {
			return model.ClassOf(l.Mutex) == model.ClassLwplock
		}
		return l.Mutex == model.LockSleepq
	case SleepLockOrLwplock:
		if l.WChan != model.WChanNone {
			return SleepLock.holds(l)
		}
		return LwplockOfCPU.holds(l)
	}
	return false
}

// describe names the lock rule r wants for l.
func (r LockRule) describe(l *model.LWP) string {
	switch r {
	case LwplockOfCPU:
		return "spc_lwplock of l_cpu (" + model.LockName(model.SpcLwplock(int(l.CPU))) + ")"
	case SpcMutexOfCPU:
		return "spc_mutex of l_cpu (" + model.LockName(model.SpcMutex(int(l.CPU))) + ")"
	case SleepLock:
		if l.SyncObj == model.SObjPark {
			return "an spc_lwplock (parked: SOBJ_SLEEPQ_NULL)"
		}
		return "the sleep queue's lock (" + model.LockName(model.LockSleepq) + ")"
	case SleepLockOrLwplock:
		if l.WChan != model.WChanNone {
			return "l_wchan is set: " + SleepLock.describe(l)
		}
		return "l_wchan is NULL: " + LwplockOfCPU.describe(l)
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
	Op     model.OpKind
	Page   string // e.g. "_lwp_wait.2 1.4.8.2"
	Source string // where the page is stored
	// Results lists what the page documents, 0 (success) included.
	Results []DocResult
}

// DocResult is one result a page documents.
type DocResult struct {
	Errno model.Errno
	When  string // the page's condition, paraphrased
	// Holds, if set, tells whether the page's condition holds for the
	// LWP in slot, running op, in s when the result reaches user space;
	// nil means the result is documented whenever it occurs.
	Holds func(s *model.State, slot int, op *model.Op) bool
}
