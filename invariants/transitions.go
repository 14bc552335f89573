package invariants

import (
	"fmt"
	"sync/atomic"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

var transitionInvariants = []*Invariant{
	{
		Name: "transition", Family: specs.FamilyTransitions,
		Doc: "every l_stat change is an edge of the revision's state-transition diagram " +
			"(its special cases only for kernel threads, which the model has none of)",
		Source: "the revision's state-transition diagram (its kern_lwp.c overview comment)",
		Step:   documentedTransition, Keyed: true,
	},
}

// documentedTransition finds an l_stat change the diagram lacks; the key
// is the edge.
func documentedTransition(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvStat || e.From == e.To {
			continue
		}
		kind := transNone
		if e.From < maxStat && e.To < maxStat {
			kind = int(c.rules.trans[e.From][e.To])
		}
		if kind == transDocumented {
			continue
		}
		return fail(k, transitionName(e.From, e.To), e.Src, func() string {
			why := "is not in the diagram"
			if kind == transKernelOnly {
				why = "is a special case for kernel threads only (" + c.rules.transSrc[e.From][e.To] + ")"
			}
			return fmt.Sprintf("%s sets %s %s->%s at %s, which %s", actor(k, pre), lwpName(&pre.LWPs[e.LWP], int(e.LWP)),
				model.StatName(e.From), model.StatName(e.To), c.M.Kernel.Src(e.Src), why)
		})
	}
	return Fail{}, false
}

// transitionName names the transition finding of an edge.
func transitionName(from, to uint8) string {
	if from < maxStat && to < maxStat {
		return transitionNames[from][to]
	}
	return "transition/" + model.StatName(from) + "->" + model.StatName(to)
}

var transitionNames = func() (n [maxStat][maxStat]string) {
	for from := range n {
		for to := range n[from] {
			n[from][to] = "transition/" + model.StatName(uint8(from)) + "->" + model.StatName(uint8(to))
		}
	}
	return n
}()

// coverage is the set of l_stat changes a search made.
type coverage struct {
	seen [maxStat][maxStat]atomic.Bool
}

func (cv *coverage) add(from, to uint8) {
	if from < maxStat && to < maxStat && !cv.seen[from][to].Load() {
		cv.seen[from][to].Store(true)
	}
}

// Coverage is how much of a revision's state-transition diagram a search
// exercised. Kernel-only special cases are not counted.
type Coverage struct {
	Exercised   int      `json:"exercised"`
	Documented  int      `json:"documented"`
	Unexercised []string `json:"unexercised,omitempty"` // e.g. "LSIDL->LSSUSPENDED", in the diagram's order
	// Undocumented lists the changes made that the diagram lacks (or has
	// only for kernel threads), by state value; the transition finding
	// gives a schedule for the first one met.
	Undocumented []string `json:"undocumented,omitempty"`
}

// Coverage returns the transition coverage of the search so far; nil if
// the transitions family is not checked.
func (c *Checker) Coverage() *Coverage {
	if c.cover == nil {
		return nil
	}
	cv := &Coverage{}
	for _, t := range c.Docs.Transitions {
		if t.KernelOnly {
			continue
		}
		cv.Documented++
		if c.cover.seen[t.From][t.To].Load() {
			cv.Exercised++
		} else {
			cv.Unexercised = append(cv.Unexercised, model.StatName(t.From)+"->"+model.StatName(t.To))
		}
	}
	for from := range c.cover.seen {
		for to := range c.cover.seen[from] {
			if c.cover.seen[from][to].Load() && c.rules.trans[from][to] != transDocumented {
				cv.Undocumented = append(cv.Undocumented, model.StatName(uint8(from))+"->"+model.StatName(uint8(to)))
			}
		}
	}
	return cv
}
