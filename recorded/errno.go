package recorded

import (
	"fmt"
	"strconv"
	"strings"
)

// Errno is a NetBSD error number (sys/errno.h), or one of the kernel's
// internal pseudo-errors a trace shows: ERESTART (-3) and EJUSTRETURN (-2).
type Errno int

// Pseudo-errors kdump prints as RESTART and JUSTRETURN.
const (
	ERESTART    Errno = -3
	EJUSTRETURN Errno = -2
)

// errnos are the names of NetBSD's error numbers (sys/errno.h, unchanged
// in number since 4.4BSD for the ones here) that the _lwp_* calls can
// return, and the few more a trace may show.
var errnos = map[Errno]string{
	1: "EPERM", 2: "ENOENT", 3: "ESRCH", 4: "EINTR", 5: "EIO", 7: "E2BIG", 9: "EBADF",
	11: "EDEADLK", 12: "ENOMEM", 13: "EACCES", 14: "EFAULT", 16: "EBUSY", 17: "EEXIST",
	19: "ENODEV", 22: "EINVAL", 34: "ERANGE", 35: "EAGAIN", 37: "EALREADY", 60: "ETIMEDOUT",
	63: "ENAMETOOLONG", 78: "ENOSYS",
	ERESTART: "ERESTART", EJUSTRETURN: "EJUSTRETURN",
}

// errnoTexts are the messages kdump prints after the number (strerror,
// lib/libc/gen/errlist.c 1.18).
var errnoTexts = map[Errno]string{
	1: "Operation not permitted", 2: "No such file or directory", 3: "No such process",
	4: "Interrupted system call", 11: "Resource deadlock avoided", 12: "Cannot allocate memory",
	14: "Bad address", 16: "Device busy", 19: "Operation not supported by device",
	22: "Invalid argument", 34: "Result too large or too small", 35: "Resource temporarily unavailable",
	37: "Operation already in progress", 60: "Operation timed out", 63: "File name too long",
	78: "Function not implemented",
}

// Text returns the message strerror gives e, or "Unknown error: N".
func (e Errno) Text() string {
	if t, ok := errnoTexts[e]; ok {
		return t
	}
	return "Unknown error: " + strconv.Itoa(int(e))
}

// String returns the errno's C name, "0" for success, or "errno N".
func (e Errno) String() string {
	if e == 0 {
		return "0"
	}
	if n, ok := errnos[e]; ok {
		return n
	}
	return "errno " + strconv.Itoa(int(e))
}

// ErrnoByName returns the error a name gives: a C name such as "EDEADLK",
// "RESTART" or "JUSTRETURN" as kdump prints them, or a number ("11",
// "errno 11").
func ErrnoByName(s string) (Errno, bool) {
	switch s {
	case "RESTART":
		return ERESTART, true
	case "JUSTRETURN":
		return EJUSTRETURN, true
	}
	for e, n := range errnos {
		if n == s {
			return e, true
		}
	}
	if n, err := strconv.Atoi(strings.TrimPrefix(s, "errno ")); err == nil && n > 0 && n < 1000 {
		return Errno(n), true
	}
	return 0, false
}

// errnoNumber parses a positive error number.
func errnoNumber(s string) (Errno, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n >= 1000 {
		return 0, fmt.Errorf("want an error number, got %q", s)
	}
	return Errno(n), nil
}
