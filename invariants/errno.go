package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

var errnoInvariants = []*Invariant{
	{
		Name: "manpage-errno", Family: specs.FamilyErrors,
		Doc: "every result a syscall returns to user space is one its man page of the era documents, " +
			"under the page's condition where the model can tell",
		Source: "the revision's man pages: the ERRORS sections of the _lwp_*.2 pages of its era",
		Step:   documentedResult, Keyed: true,
	},
}

// documentedResult checks each result delivered in a step against the
// call's man page; the key is the call and the result. ERESTART never
// reaches user space: the call restarts.
func documentedResult(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvReturn || model.Errno(e.To) == model.ERESTART {
			continue
		}
		l := &pre.LWPs[e.LWP]
		op := &c.M.Program(l.Name)[l.PC]
		res := model.Errno(e.To)
		if !c.rules.documented(pre, int(e.LWP), op, res) {
			return fail(k, resultNames[op.Kind][res], e.Src, func() string {
				return fmt.Sprintf("LWP %d: %s %s", l.Name, op.Kind.Syscall(), c.rules.checkResult(op, res))
			})
		}
	}
	return Fail{}, false
}

// resultNames names the manpage-errno finding of each call and result.
var resultNames = func() (n [model.NumOps][model.NumErrno]string) {
	for op := range n {
		for res := range n[op] {
			n[op][res] = "manpage-errno/" + model.OpKind(op).Syscall() + "/" + model.Errno(res).String()
		}
	}
	return n
}()

// documented reports whether result res of op, returned to the LWP in slot
// of state s, is one the call's man page documents, under its condition.
func (r *rules) documented(s *model.State, slot int, op *model.Op, res model.Errno) bool {
	if int(op.Kind) >= len(r.pages) || r.pages[op.Kind] == nil {
		return false
	}
	for _, d := range r.pages[op.Kind].Results {
		if d.Errno == res {
			return d.Holds == nil || d.Holds(s, slot, op)
		}
	}
	return false
}

// checkResult says what is wrong with result res of op, which documented
// rejects.
func (r *rules) checkResult(op *model.Op, res model.Errno) string {
	var mp *model.ManPage
	if int(op.Kind) < len(r.pages) {
		mp = r.pages[op.Kind]
	}
	if mp == nil {
		return fmt.Sprintf("returned %s, and the revision's table has no man page for it", res)
	}
	var docs model.ErrnoSet
	for i := range mp.Results {
		d := &mp.Results[i]
		docs = docs.With(d.Errno)
		if d.Errno == res {
			return fmt.Sprintf("returned %s, which %s documents only when %s (%s)", res, mp.Page, d.When, mp.Source)
		}
	}
	if docs == 0 {
		return fmt.Sprintf("returned %s; %s says it never returns (%s)", res, mp.Page, mp.Source)
	}
	return fmt.Sprintf("returned %s; %s documents %s (%s)", res, mp.Page, docs, mp.Source)
}
