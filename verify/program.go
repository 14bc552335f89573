package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/specs"
)

// A call is one system call an LWP of the trace makes: its records (a
// restarted call has several CALL and RET records) and its result.
type call struct {
	lid   int64
	sys   *recorded.Syscall
	args  *recorded.Event // the record that shows its arguments, nil if none does
	calls []int           // its CALL records, indexes into the process's events
	rets  []int           // its RET records (RESTARTs, then the last)
	ret   *recorded.Result
	first int // its first record, -1 for a call the trace cannot show
	// after is the index of the caller's record before this call, -1 if
	// none: the call began after it.
	after int
	// hidden marks a call the verifier adds that no trace shows: the
	// creation, before an attached capture began, of an LWP it shows.
	hidden bool
}

// line is the trace line of the call's first record.
func (c *call) line(evs []recorded.Event) int {
	if c.first < 0 {
		return 0
	}
	return evs[c.first].Line
}

// thread is an LWP of the trace.
type thread struct {
	lid   int64
	calls []*call
	// mention is the first record that shows the LWP: its own, or one that
	// names it as an argument.
	mention int
	actor   bool // it makes calls
}

// split reads the process's records into calls, per LWP.
func split(file string, evs []recorded.Event, attached bool) (map[int64]*thread, []int64, error) {
	threads := map[int64]*thread{}
	var order []int64
	get := func(lid int64, i int) *thread {
		th := threads[lid]
		if th == nil {
			th = &thread{lid: lid, mention: i}
			threads[lid] = th
			order = append(order, lid)
		}
		return th
	}
	hasCalls := slices.ContainsFunc(evs, func(e recorded.Event) bool { return e.Phase == recorded.Call })
	inflight := map[int64]*call{}
	restarted := map[int64]*call{}
	last := map[int64]int{}
	exited := map[int64]int{}
	bad := func(e *recorded.Event, format string, args ...any) error {
		return &InputError{File: file, Line: e.Line, Msg: fmt.Sprintf(format, args...)}
	}
	for i := range evs {
		e := &evs[i]
		if e.Sys.Ignored {
			continue
		}
		th := get(e.LID, i)
		th.actor = true
		if at, ok := exited[e.LID]; ok {
			return nil, nil, bad(e, "LWP %d makes a call after its _lwp_exit at line %d", e.LID, evs[at].Line)
		}
		prev, seen := last[e.LID]
		if !seen {
			prev = -1
		}
		last[e.LID] = i
		c := inflight[e.LID]
		switch e.Phase {
		case recorded.Call:
			if c != nil {
				return nil, nil, bad(e, "LWP %d calls %s while its %s of line %d has not returned", e.LID, e.Name, c.sys.Name, c.line(evs))
			}
			if r := restarted[e.LID]; r != nil {
				delete(restarted, e.LID)
				if r.sys.Canon != e.Sys.Canon {
					return nil, nil, &LimitError{File: file, Line: e.Line, Msg: fmt.Sprintf("LWP %d calls %s before its restarted %s of line %d runs again: calls from a signal handler are not modelled",
						e.LID, e.Name, r.sys.Name, r.line(evs))}
				}
				r.calls = append(r.calls, i)
				inflight[e.LID] = r
				break
			}
			c = &call{lid: e.LID, sys: e.Sys, args: e, calls: []int{i}, first: i, after: prev}
			th.calls = append(th.calls, c)
			inflight[e.LID] = c
			if e.Sys.Canon == "_lwp_exit" {
				exited[e.LID] = i
				delete(inflight, e.LID)
			}
		case recorded.Ret:
			if c == nil {
				c = restarted[e.LID]
				delete(restarted, e.LID)
			}
			if c == nil {
				switch {
				case !hasCalls:
					// The trace shows calls as they return (dtruss): each
					// RET record is a call, begun after the one before.
				case attached && len(th.calls) == 0 && len(e.Sys.Params) == 0:
					// In flight when the capture began; it takes no arguments.
				case attached && len(th.calls) == 0:
					return nil, nil, &LimitError{File: file, Line: e.Line, Msg: fmt.Sprintf("LWP %d was in %s when the capture began: its arguments are not in the trace", e.LID, e.Name)}
				default:
					return nil, nil, bad(e, "LWP %d: RET of %s without its CALL", e.LID, e.Name)
				}
				c = &call{lid: e.LID, sys: e.Sys, first: i, after: prev}
				if !hasCalls {
					c.args = e
				}
				th.calls = append(th.calls, c)
			}
			if c.sys.Canon != e.Sys.Canon {
				return nil, nil, bad(e, "LWP %d: RET of %s, but its call in flight is %s of line %d", e.LID, e.Name, c.sys.Name, c.line(evs))
			}
			c.rets = append(c.rets, i)
			delete(inflight, e.LID)
			if e.Ret.Err == recorded.ERESTART {
				restarted[e.LID] = c
			} else {
				c.ret = &e.Ret
			}
		}
	}
	// LWPs the calls name.
	for i := range evs {
		e := &evs[i]
		if e.Sys.Ignored {
			continue
		}
		for _, lid := range named(e) {
			get(lid, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int64) int { return threads[a].mention - threads[b].mention })
	return threads, order, nil
}

// named returns the lids an event's arguments name.
func named(e *recorded.Event) []int64 {
	var out []int64
	switch e.Sys.Canon {
	case "_lwp_wait":
		out = append(out, e.Arg("wait_for"))
	case "_lwp_suspend", "_lwp_continue", "_lwp_wakeup", "_lwp_detach", "_lwp_kill", "_lwp_unpark",
		"_lwp_setname", "_lwp_getname":
		out = append(out, e.Arg("target"))
	case "_lwp_park":
		out = append(out, e.Arg("unpark"))
	case "_lwp_unpark_all":
		out = append(out, e.Targets...)
	}
	if e.New > 0 {
		out = append(out, e.New)
	}
	return slices.DeleteFunc(out, func(l int64) bool { return l <= 0 })
}

// Signal numbers of NetBSD (sys/signal.h) the model's _lwp_kill sends.
var signals = map[int64]string{0: "0", 3: "SIGQUIT", 9: "SIGKILL", 17: "SIGSTOP", 19: "SIGCONT", 30: "SIGUSR1"}

// Flags of _lwp_create (sys/lwp.h, the same from 2007 on).
const (
	lwpDetached  = 0x40
	lwpSuspended = 0x80
)

// step writes call c as a spec step, naming LWPs by names; created is
// the name of the LWP a create makes. An error is a call the model
// cannot take: a *LimitError.
func step(file string, evs []recorded.Event, c *call, names func(int64) int, created int) (specs.Step, error) {
	st := specs.Step{Op: strings.TrimPrefix(c.sys.Canon, "_lwp_")}
	if c.first >= 0 {
		st.Pos = specs.Pos{Line: evs[c.first].Line, Col: 1}
	}
	limit := func(format string, args ...any) error {
		return &LimitError{File: file, Line: st.Pos.Line, Msg: fmt.Sprintf(format, args...)}
	}
	e := c.args
	arg := func(p string) (int64, error) {
		if e == nil {
			return 0, limit("LWP %d: the trace does not show the arguments of %s", c.lid, c.sys.Name)
		}
		if !e.Shown(p) {
			return 0, limit("LWP %d: the record of %s does not show its argument %s (dtruss prints three): record with ktrace",
				c.lid, e.Name, p)
		}
		return e.Arg(p), nil
	}
	var words []string
	lwp := func(p string) error {
		v, err := arg(p)
		if err != nil {
			return err
		}
		st.Target = names(v)
		words = append(words, fmt.Sprint(st.Target))
		return nil
	}
	var err error
	switch c.sys.Canon {
	case "_lwp_create":
		st.Target = created
		words = append(words, fmt.Sprint(created))
		flags := int64(0)
		if !c.hidden {
			if flags, err = arg("flags"); err != nil {
				return st, err
			}
		}
		if flags&lwpSuspended != 0 {
			st.Suspended = true
			words = append(words, "suspended")
		}
		if flags&lwpDetached != 0 {
			st.Detached = true
			words = append(words, "detached")
		}
		if c.ret != nil && c.ret.Err == efault {
			st.BadPtr = true
			words = append(words, "badptr")
		}
	case "_lwp_exit", "_lwp_self", "_lwp_ctl":
	case "_lwp_wait":
		v, err := arg("wait_for")
		if err != nil {
			return st, err
		}
		if v == 0 {
			st.Target = specs.AnyLWP
			words = append(words, "any")
		} else {
			st.Target = names(v)
			words = append(words, fmt.Sprint(st.Target))
		}
	case "_lwp_suspend", "_lwp_continue", "_lwp_wakeup", "_lwp_detach", "_lwp_unpark", "_lwp_setname", "_lwp_getname":
		err = lwp("target")
	case "_lwp_kill":
		if err = lwp("target"); err != nil {
			return st, err
		}
		n, err := arg("signo")
		if err != nil {
			return st, err
		}
		sig, ok := signals[n]
		if !ok {
			return st, limit("LWP %d: _lwp_kill of signal %d: the model sends 0, SIGQUIT, SIGKILL, SIGSTOP, SIGCONT and SIGUSR1", c.lid, n)
		}
		st.Signal = sig
		words = append(words, sig)
	case "_lwp_park":
		ts, err := arg("ts")
		if err != nil {
			return st, err
		}
		if ts != 0 {
			st.Timeout = true
			words = append(words, "timeout")
		}
		u, err := arg("unpark")
		if err != nil {
			return st, err
		}
		if u != 0 {
			st.Unpark = names(u)
			words = append(words, "unpark", fmt.Sprint(st.Unpark))
		}
	case "_lwp_unpark_all":
		if e == nil || e.Targets == nil {
			return st, limit("LWP %d: the trace does not show the lids _lwp_unpark_all passes (record JSON lines with \"targets\")", c.lid)
		}
		if len(e.Targets) == 0 {
			return st, limit("LWP %d: _lwp_unpark_all with no lids (a query of the limit) is not modelled", c.lid)
		}
		var ts []string
		for _, l := range e.Targets {
			n := names(l)
			st.Targets = append(st.Targets, n)
			ts = append(ts, fmt.Sprint(n))
		}
		words = append(words, strings.Join(ts, ","))
	default:
		return st, limit("LWP %d: %s is not modelled", c.lid, c.sys.Name)
	}
	if err != nil {
		return st, err
	}
	if r := c.ret; r != nil {
		if e, ok := modelErrno(r.Err); ok {
			st.Results = []string{e.String()}
			words = append(words, "->", e.String())
		}
	}
	st.Text = strings.Join(append([]string{st.Op}, words...), " ")
	return st, nil
}

const efault = recorded.Errno(14)

// modelErrno is the model's name for a recorded result, false if the
// model has none.
func modelErrno(e recorded.Errno) (model.Errno, bool) {
	if e == 0 {
		return model.OK, true
	}
	return model.ParseErrno(e.String())
}
