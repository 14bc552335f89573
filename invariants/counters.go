package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
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
		Name: "p_zomblwp", Family: specs.FamilyCounters,
		Doc:    "p_zomblwp, when set, is a detached zombie on p_lwps",
		Source: "the revision's lwp_exit, which leaves a detached zombie there for the next lwp_create or lwp_wait to free",
		State:  zomblwp,
	},
}

// counterInvariant checks counter ctr against the LWPs on p_lwps its
// revision's rule counts.
func counterInvariant(ctr model.Counter) *Invariant {
	return &Invariant{
		Name: ctr.String(), Family: specs.FamilyCounters,
		Doc:    ctr.String() + " equals the number of LWPs on p_lwps that the revision's definition of it counts",
		Source: "the revision's counter table (lwpcheck list revisions --long), from its kern_lwp.c comments and code",
		State: func(c *Checker, s *model.State) (Fail, bool) {
			rule := c.rules.counters[ctr]
			if rule == nil {
				return Fail{}, false
			}
			for pi := range c.M.Procs() {
				p := &s.Procs[pi]
				if s.Locks[model.ProcLock(pi)] != 0 || p.Stat == model.SZOMB {
					continue
				}
				n := 0
				for _, x := range p.Lwps[:p.NList] {
					if rule.Counts(&s.LWPs[x-1]) {
						n++
					}
				}
				if int(ctr.Value(p)) != n {
					return Fail{Msg: fmt.Sprintf("%s%s is %d, the LWPs it counts (%s) are %d", procPrefix(c, pi), ctr, ctr.Value(p), rule.Doc, n)}, true
				}
			}
			return Fail{}, false
		},
	}
}

// procPrefix names process pi in a message, in a run of several.
func procPrefix(c *Checker, pi int) string {
	if c.M.Procs() == 1 {
		return ""
	}
	return fmt.Sprintf("process %d: ", pi+1)
}

func zomblwp(c *Checker, s *model.State) (Fail, bool) {
	for pi := range c.M.Procs() {
		if f, bad := procZomblwp(c, s, pi); bad {
			return f, bad
		}
	}
	return Fail{}, false
}

func procZomblwp(c *Checker, s *model.State, pi int) (Fail, bool) {
	p := &s.Procs[pi]
	if s.Locks[model.ProcLock(pi)] != 0 || p.ZombLWP == 0 {
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
	return Fail{Msg: fmt.Sprintf(procPrefix(c, pi)+"p_zomblwp is LWP %d, %s, detached=%v, on p_lwps=%v", l.Name, model.StatName(l.Stat),
		l.PRFlag&model.LPR_DETACHED != 0, onList)}, true
}
