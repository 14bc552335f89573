package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
)

var errnoInvariants = []*Invariant{
	{
		Name: "manpage-errno", Family: Errors,
		Doc: "every result a syscall returns to user space is one its man page of the era documents, " +
			"under the page's condition where the model can tell",
		Source:    "revision table; netbsd-2025: the _lwp_*.2 ERRORS sections of the era",
		KeyedStep: documentedResult,
	},
}

// documentedResult checks each result delivered in a step against the
// call's man page; the key is the call and the result. ERESTART never
// reaches user space: the call restarts.
func documentedResult(c *Checker, k *model.K, pre, post *model.State) (string, string, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvReturn || model.Errno(e.To) == model.ERESTART {
			continue
		}
		l := &pre.LWPs[e.LWP]
		op := &c.M.Program(l.Name)[l.PC]
		if msg, bad := c.rules.checkResult(pre, int(e.LWP), op, model.Errno(e.To)); bad {
			return op.Kind.Syscall() + "/" + model.Errno(e.To).String(), fmt.Sprintf("LWP %d: %s %s", l.Name, op.Kind.Syscall(), msg), true
		}
	}
	return "", "", false
}

// checkResult says what is wrong with result r of op, if anything.
func (r *rules) checkResult(s *model.State, slot int, op *model.Op, res model.Errno) (string, bool) {
	var mp *ManPage
	if int(op.Kind) < len(r.pages) {
		mp = r.pages[op.Kind]
	}
	if mp == nil {
		return fmt.Sprintf("returned %s, and the revision's table has no man page for it", res), true
	}
	var docs model.ErrnoSet
	for i := range mp.Results {
		d := &mp.Results[i]
		docs = docs.With(d.Errno)
		if d.Errno != res {
			continue
		}
		if d.Holds == nil || d.Holds(s, slot, op) {
			return "", false
		}
		return fmt.Sprintf("returned %s, which %s documents only when %s (%s)", res, mp.Page, d.When, mp.Source), true
	}
	if docs == 0 {
		return fmt.Sprintf("returned %s; %s says it never returns (%s)", res, mp.Page, mp.Source), true
	}
	return fmt.Sprintf("returned %s; %s documents %s (%s)", res, mp.Page, docs, mp.Source), true
}
