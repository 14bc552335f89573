package verify

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/recorded"
)

// lid returns the trace's lid of the LWP named n, 0 if it has none.
func (p *plan) lid(n int) int64 {
	for l, m := range p.names {
		if m == n && n != p.unknown {
			return l
		}
	}
	return 0
}

// reject fills r for the record evs[i], which no state of the closure
// explains: why (if not given), and where the LWPs are.
func (s *search) reject(r *Result, i int, why string) *Result {
	r.Verdict = Rejected
	r.At = s.evs[i]
	if why == "" {
		why = s.reason(s.p.expect[i], &s.evs[i])
	}
	r.Reason = why
	r.Frontier = s.summary()
	r.Alternatives = nil
	for _, a := range slices.Sorted(maps.Keys(s.alts)) {
		r.Alternatives = append(r.Alternatives, fmt.Sprintf("%s (%d of %d states)", a, s.alts[a], len(s.cur)))
	}
	return r
}

// reason says in a kernel developer's words why no run shows record e.
func (s *search) reason(x *expectation, e *recorded.Event) string {
	who := fmt.Sprintf("LWP %d", e.LID)
	name := x.c.sys.Canon
	if !x.ret {
		return fmt.Sprintf("%s cannot enter %s here: %s", who, name, s.whereAll(x.name))
	}
	got := e.Ret.Err.String()
	if x.result == model.NumErrno {
		return fmt.Sprintf("%s returned %s, a result %s's model never gives", name, got, s.o.Revision.Name)
	}
	instead := fmt.Sprintf("the kernel returns %s here", s.altRes)
	if s.altRes == 0 {
		instead = fmt.Sprintf("it cannot return here: %s", s.whereAll(x.name))
	}
	if x.result == model.OK {
		switch name {
		case "_lwp_park":
			return fmt.Sprintf("_lwp_park returned 0 but no _lwp_unpark of %s is pending (%s)", who, instead)
		case "_lwp_wait":
			return fmt.Sprintf("_lwp_wait returned 0 but no LWP it waits for has exited (%s)", instead)
		}
	}
	if s.altRes == 0 {
		return fmt.Sprintf("%s of %s returned %s, but %s", name, who, got, instead)
	}
	return fmt.Sprintf("%s returned %s, but %s", name, got, instead)
}

// whereAll says where the LWP named n is in the closure's states.
func (s *search) whereAll(n int) string {
	places := s.places(n)
	if len(places) == 1 {
		return fmt.Sprintf("in every state consistent with the trace before it, it is %s", places[0].what)
	}
	var parts []string
	for _, pl := range places {
		parts = append(parts, fmt.Sprintf("%s (%d states)", pl.what, pl.n))
	}
	return "in the states consistent with the trace before it, it is " + strings.Join(parts, "; or ")
}

type place struct {
	what string
	n    int
}

// places counts where the LWP named n is over the closure's states, most
// common first.
func (s *search) places(n int) []place {
	count := map[string]int{}
	for i := range s.cur {
		count[s.where(&s.cur[i], n)]++
	}
	var out []place
	for w, c := range count {
		out = append(out, place{w, c})
	}
	slices.SortFunc(out, func(a, b place) int { return cmp.Or(b.n-a.n, strings.Compare(a.what, b.what)) })
	return out
}

// where says where the LWP named n is in state st, and what it runs.
func (s *search) where(st *model.State, n int) string {
	if st.NameLid[n] == 0 {
		return "not created yet"
	}
	slot := -1
	for j := range st.LWPs {
		if int(st.LWPs[j].Name) == n {
			slot = j
		}
	}
	if slot < 0 {
		return "gone (exited and freed)"
	}
	l := &st.LWPs[slot]
	op := s.base[n] + int(l.PC)
	call := func() string {
		if op < len(s.p.steps[n]) {
			st := &s.p.steps[n][op]
			if st.Pos.Line > 0 {
				return fmt.Sprintf("%q (line %d)", st.Text, st.Pos.Line)
			}
			return fmt.Sprintf("%q (before the capture)", st.Text)
		}
		return ""
	}
	switch {
	case l.Stat == model.LSZOMB:
		return "exited, a zombie"
	case l.InKernel():
		place := model.Stuck{Slot: slot, Name: uint8(n), Where: s.m.Where(st, slot), Stat: l.Stat, WChan: l.WChan}.Place()
		if c := call(); c != "" && l.Frames[0].Fn == s.m.Kernel.Syscall {
			return place + " for " + c
		}
		return place
	case op < len(s.p.steps[n]):
		return "in user space, to call " + call() + " next"
	}
	return "in user space, its calls done"
}

// summary lists where each LWP is over the closure's states.
func (s *search) summary() []string {
	var out []string
	for n := 1; n <= s.p.nlwps; n++ {
		var parts []string
		for _, pl := range s.places(n) {
			parts = append(parts, fmt.Sprintf("%s (%d of %d)", pl.what, pl.n, len(s.cur)))
		}
		out = append(out, fmt.Sprintf("%s (the model's LWP %d): %s", s.p.who[n], n, strings.Join(parts, "; ")))
	}
	return out
}
