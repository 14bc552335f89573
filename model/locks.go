package model

import "fmt"

// Lock ids. Each lock of the model has a fixed id; State.Locks[id] is its
// owner.
const (
	LockNone     = 0
	LockProcList = 1 // proc_lock (adaptive)
	LockProc     = 2 // p->p_lock (adaptive)
	LockSleepq   = 3 // the sleep queue lock that p_lwpcv hashes to (spin)
	LockParkq    = 4 // the lock of lwp_park_tab's queue the park wait channels hash to (spin; netbsd-5 and older)
	lockLwplock0 = 5 // spc_lwplock of CPU 0; CPU c is lockLwplock0+c (spin)
	lockMutex0   = lockLwplock0 + MaxCPUs
	// NumLocks is the number of lock ids, LockNone included.
	NumLocks = lockMutex0 + MaxCPUs
)

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
	case id == LockProc:
		return ClassProc
	case id == LockSleepq:
		return ClassSleepq
	case id == LockParkq:
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

// LockName names lock id as kernel kn's C code does.
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

// SleepqLock is the lock of the sleep queue wait channel wchan hashes to.
func SleepqLock(wchan uint8) uint8 {
	if wchan == WChanParkq {
		return LockParkq
	}
	return LockSleepq
}

// Adaptive reports whether lock id is an adaptive mutex, owned by an LWP;
// spin mutexes are owned by a CPU (their ownership passes across a
// context switch).
func Adaptive(id uint8) bool { return id == LockProcList || id == LockProc }

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
