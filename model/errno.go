package model

import "fmt"

// Errno is a syscall result: 0 or an error number. The model's own numbers
// are indexes; Name gives the C name.
type Errno uint8

// Results the model can produce.
const (
	OK Errno = iota
	ESRCH
	EDEADLK
	EINVAL
	EALREADY
	EINTR
	ETIMEDOUT
	EFAULT
	EAGAIN
	ENODEV
	EBUSY
	ENOMEM
	ERESTART    // the syscall is restarted; user code never sees it
	EWOULDBLOCK // a sleep timed out (kernel-internal)
	NumErrno    // the number of results
)

var errnoNames = [...]string{"0", "ESRCH", "EDEADLK", "EINVAL", "EALREADY", "EINTR", "ETIMEDOUT",
	"EFAULT", "EAGAIN", "ENODEV", "EBUSY", "ENOMEM", "ERESTART", "EWOULDBLOCK"}

func (e Errno) String() string {
	if int(e) < len(errnoNames) {
		return errnoNames[e]
	}
	return fmt.Sprintf("errno(%d)", uint8(e))
}

// ParseErrno returns the Errno named s ("0" for success).
func ParseErrno(s string) (Errno, bool) {
	for i, n := range errnoNames {
		if n == s {
			return Errno(i), true
		}
	}
	return 0, false
}

// ErrnoSet is a set of results.
type ErrnoSet uint32

// Has reports whether e is in the set.
func (s ErrnoSet) Has(e Errno) bool { return s&(1<<e) != 0 }

// With returns s ∪ {e}.
func (s ErrnoSet) With(e ...Errno) ErrnoSet {
	for _, x := range e {
		s |= 1 << x
	}
	return s
}

func (s ErrnoSet) String() string {
	out := ""
	for e := Errno(0); e < NumErrno; e++ {
		if s.Has(e) {
			if out != "" {
				out += "|"
			}
			out += e.String()
		}
	}
	return out
}
