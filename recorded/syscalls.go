package recorded

import (
	"slices"
	"strings"
)

// Syscall is an _lwp_* system call as a trace names it: a current name, a
// versioned one or a compat one, and the canonical call it is.
type Syscall struct {
	Name  string // as the trace prints it, e.g. "___lwp_park60"
	Canon string // the call it is, e.g. "_lwp_park"
	// Params names its arguments in order; each is one of the canonical
	// call's parameters (CanonParams).
	Params []string
	// Ignored is a call that changes nothing the model holds
	// (_lwp_getprivate, _lwp_setprivate): a verifier passes over it.
	Ignored bool
}

// canon lists the parameters of each canonical call, after sys_lwp.c's
// syscallargs: _lwp_park's are those of ___lwp_park60, the widest.
var canon = map[string][]string{
	"_lwp_create":     {"ucp", "flags", "new_lwp"},
	"_lwp_exit":       nil,
	"_lwp_self":       nil,
	"_lwp_wait":       {"wait_for", "departed"},
	"_lwp_suspend":    {"target"},
	"_lwp_continue":   {"target"},
	"_lwp_wakeup":     {"target"},
	"_lwp_detach":     {"target"},
	"_lwp_kill":       {"target", "signo"},
	"_lwp_park":       {"clock_id", "flags", "ts", "unpark", "hint", "unparkhint"},
	"_lwp_unpark":     {"target", "hint"},
	"_lwp_unpark_all": {"targets", "ntargets", "hint"},
	"_lwp_setname":    {"target", "name"},
	"_lwp_getname":    {"target", "name", "len"},
	"_lwp_ctl":        {"features", "address"},
	"_lwp_getprivate": nil,
	"_lwp_setprivate": {"ptr"},
}

// CanonParams returns the parameters of canonical call c.
func CanonParams(c string) []string { return canon[c] }

var oldPark = []string{"ts", "unpark", "hint", "unparkhint"}

// syscalls are the names of syscalls.master of each era: the 2007 and 5
// _lwp_park (a struct timespec of 32-bit time_t), its 64-bit time_t
// successor ___lwp_park50 (NetBSD 6), ___lwp_park60 with a clock and flags
// (NetBSD 7 on), and the compat names kdump prints for the old entries of
// a newer kernel.
var syscalls = func() map[string]*Syscall {
	m := map[string]*Syscall{}
	for c, ps := range canon {
		m[c] = &Syscall{Name: c, Canon: c, Params: ps, Ignored: c == "_lwp_getprivate" || c == "_lwp_setprivate"}
	}
	for _, n := range []string{"___lwp_park50", "compat_50__lwp_park", "compat_60__lwp_park", "compat_60___lwp_park50"} {
		m[n] = &Syscall{Name: n, Canon: "_lwp_park", Params: oldPark}
	}
	m["_lwp_park"].Params = oldPark
	m["___lwp_park60"] = &Syscall{Name: "___lwp_park60", Canon: "_lwp_park", Params: canon["_lwp_park"]}
	return m
}()

// Lookup returns the _lwp_* call a trace names name, and false for every
// other system call.
// A netbsd32 entry (a 32-bit program on a 64-bit kernel) is its native
// call.
func Lookup(name string) (*Syscall, bool) {
	s, ok := syscalls[strings.TrimPrefix(name, "netbsd32_")]
	return s, ok
}

// Names returns every name Lookup knows, sorted.
func Names() []string {
	var out []string
	for n := range syscalls {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// position returns where canonical parameter p sits in s's arguments, -1
// if s has no such parameter.
func (s *Syscall) position(p string) int { return slices.Index(s.Params, p) }

// canonArgs puts the arguments of a record of s, in s's order, into the
// order of its canonical call.
func (s *Syscall) canonArgs(args []int64) []int64 {
	ps := canon[s.Canon]
	out := make([]int64, len(ps))
	for i, p := range ps {
		if j := s.position(p); j >= 0 && j < len(args) {
			out[i] = args[j]
		}
	}
	return out
}
