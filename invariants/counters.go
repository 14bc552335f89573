package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
)

// The process counters, compared with what they count wherever the process
// lock, which covers them, is free. What each counts is the revision's
// (model.Docs.Counters): it follows the revision's code, not only its
// comment, since a counter may run ahead of the state it counts (the
// model's ghost bits record where the code says so).
var counterInvariants = []*Invariant{
	counterInvariant(model.NLWPs),
	counterInvariant(model.NRLWPs),
	counterInvariant(model.NZLWPs),
	counterInvariant(model.NDLWPs),
	counterInvariant(model.NLWPWait),
	{
		Name: "p_zomblwp", Family: Counters,
		Doc:    "p_zomblwp, when set, is a detached zombie on p_lwps",
		Source: "the revision's lwp_exit, which leaves a detached zombie there for the next lwp_create or lwp_wait to free",
		State:  zomblwp,
	},
}

// counterInvariant checks counter ctr against the LWPs on p_lwps its
// revision's rule counts.
func counterInvariant(ctr model.Counter) *Invariant {
	return &Invariant{
		Name: ctr.String(), Family: Counters,
		Doc:    ctr.String() + " equals the number of LWPs on p_lwps that the revision's definition of it counts",
		Source: "the revision's counter table (lwpcheck list revisions --long), from its kern_lwp.c comments and code",
		State: func(c *Checker, s *model.State) (Fail, bool) {
			p := &s.Proc
			rule := c.rules.counters[ctr]
			if rule == nil || s.Locks[model.LockProc] != 0 || p.Stat == model.SZOMB {
				return Fail{}, false
			}
			n := 0
			for _, x := range p.Lwps[:p.NList] {
				if rule.Counts(&s.LWPs[x-1]) {
					n++
				}
			}
			if int(ctr.Value(p)) == n {
				return Fail{}, false
			}
			return Fail{Msg: fmt.Sprintf("%s is %d, the LWPs it counts (%s) are %d", ctr, ctr.Value(p), rule.Doc, n)}, true
		},
	}
}

func zomblwp(c *Checker, s *model.State) (Fail, bool) {
	p := &s.Proc
	if s.Locks[model.LockProc] != 0 || p.ZombLWP == 0 {
		return Fail{}, false
	}
	l := &s.LWPs[p.ZombLWP-1]
	onList := false
	for _, x := range p.Lwps[:p.NList] {
		onList = onList || x == p.ZombLWP
	}
	if l.Stat == model.LSZOMB && l.PRFlag&model.LPR_DETACHED != 0 && onList {
		return Fail{}, false
	}
	return Fail{Msg: fmt.Sprintf("p_zomblwp is LWP %d, %s, detached=%v, on p_lwps=%v", l.Name, model.StatName(l.Stat),
		l.PRFlag&model.LPR_DETACHED != 0, onList)}, true
}
