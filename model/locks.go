package model

import "fmt"

// Lock ids. Each lock of the model has a fixed id; State.Locks[id] is its
// owner. Process p's p_lock is ProcLock(p); the sleep queues' locks are
// buckets of the revision's sleep tables (SleepqBucket, ParkqBucket), which
// the wait channels hash to (Machine.SleepqLock).
const (
	LockNone     = 0
	LockProcList = 1 // proc_lock (adaptive)
	lockProc0    = 2 // p->p_lock of process 0; process p is lockProc0+p (adaptive)
	lockSleepq0  = lockProc0 + MaxProcs
	lockParkq0   = lockSleepq0 + MaxProcs
	lockLwplock0 = lockParkq0 + MaxProcs // spc_lwplock of CPU 0; CPU c is lockLwplock0+c (spin)
	lockMutex0   = lockLwplock0 + MaxCPUs
	// NumLocks is the number of lock ids, LockNone included.
	NumLocks = lockMutex0 + MaxCPUs
)

// A lock set is a bit per lock id (Event.Held); NumLocks must fit.
var _ [16 - NumLocks]struct{}

// ProcLock is the id of process p's p_lock.
func ProcLock(p int) uint8 { return uint8(lockProc0 + p) }

// SleepqBucket is the id of the lock of bucket b of sleeptab, the sleep
// table p_lwpcv hashes to (spin).
func SleepqBucket(b int) uint8 { return uint8(lockSleepq0 + b) }

// ParkqBucket is the id of the lock of bucket b of lwp_park_tab, the
// sleep table the park wait channels hash to (netbsd-5 and older; spin).
func ParkqBucket(b int) uint8 { return uint8(lockParkq0 + b) }

// SpcLwplock is the id of CPU c's spc_lwplock.
func SpcLwplock(c int) uint8 { return uint8(lockLwplock0 + c) }

// SpcMutex is the id of CPU c's spc_mutex.
func SpcMutex(c int) uint8 { return uint8(lockMutex0 + c) }

// LockClass groups locks for the lock-order graph.
type LockClass uint8

// Lock classes.
const (
	ClassNone LockClass = iota
	ClassProcList
	ClassProc
	ClassSleepq
	ClassParkSleepq // lwp_park_tab's sleep queues (netbsd-5 and older), a sleep table of their own
	ClassLwplock
	ClassSpcMutex
	NumClasses
)

var classNames = [...]string{"none", "proc_lock", "p_lock", "sleepq", "park_sleepq", "spc_lwplock", "spc_mutex"}

func (c LockClass) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return "?"
}

// ClassOf returns the class of lock id.
func ClassOf(id uint8) LockClass {
	switch {
	case id == LockProcList:
		return ClassProcList
	case id >= lockProc0 && id < lockSleepq0:
		return ClassProc
	case id >= lockSleepq0 && id < lockParkq0:
		return ClassSleepq
	case id >= lockParkq0 && id < lockLwplock0:
		return ClassParkSleepq
	case id >= lockLwplock0 && id < lockMutex0:
		return ClassLwplock
	case id >= lockMutex0 && id < NumLocks:
		return ClassSpcMutex
	}
	return ClassNone
}

// ClassName names lock class c as kernel kn's C code does: the class's
// own name unless the kernel names it otherwise (ClassNames).
func (kn *Kernel) ClassName(c LockClass) string {
	if int(c) < len(kn.ClassNames) && kn.ClassNames[c] != "" {
		return kn.ClassNames[c]
	}
	return c.String()
}

// LockName names lock id as kernel kn's C code does, for a run of one
// process: p_lock, sleepq(p_lwpcv). LockNames names them in a run of
// several.
func (kn *Kernel) LockName(id uint8) string {
	switch c := ClassOf(id); c {
	case ClassSleepq:
		return "sleepq(p_lwpcv)"
	case ClassParkSleepq:
		return "sleepq(lwp_park_tab)"
	case ClassLwplock:
		return fmt.Sprintf("cpu%d.spc_lwplock", id-lockLwplock0)
	case ClassSpcMutex:
		if kn.OneRunqueue {
			return "sched_mutex"
		}
		return fmt.Sprintf("cpu%d.spc_mutex", id-lockMutex0)
	default:
		return kn.ClassName(c)
	}
}

// LockNames names lock ids in a run of nprocs processes: with several,
// a p_lock names its process (proc2.p_lock) and a sleep queue lock its
// bucket (sleeptab[1]); with one, as LockName.
func (kn *Kernel) LockNames(nprocs int) func(id uint8) string {
	if nprocs <= 1 {
		return kn.LockName
	}
	return func(id uint8) string {
		switch c := ClassOf(id); c {
		case ClassProc:
			return fmt.Sprintf("proc%d.%s", id-lockProc0+1, kn.ClassName(c))
		case ClassSleepq:
			return fmt.Sprintf("sleeptab[%d]", id-lockSleepq0)
		case ClassParkSleepq:
			return fmt.Sprintf("lwp_park_tab[%d]", id-lockParkq0)
		}
		return kn.LockName(id)
	}
}

// Adaptive reports whether lock id is an adaptive mutex, owned by an LWP;
// spin mutexes are owned by a CPU (their ownership passes across a
// context switch).
func Adaptive(id uint8) bool { return id == LockProcList || ClassOf(id) == ClassProc }

// Lock owners, as stored in State.Locks: 0 is free; an adaptive lock holds
// slot+1 of the owning LWP; a spin lock holds ownerCPU+c for CPU c; the
// environment (a sender outside the model) is OwnerEnv.
const (
	ownerCPU = 0x40
	OwnerEnv = 0x7f
)

// OwnerCPU decodes the owner of a spin lock: the CPU that holds it.
func OwnerCPU(o uint8) (cpu int, ok bool) {
	if o >= ownerCPU && o < ownerCPU+MaxCPUs {
		return int(o - ownerCPU), true
	}
	return 0, false
}
