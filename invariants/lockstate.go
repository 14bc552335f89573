package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

var lockStateInvariants = []*Invariant{
	{
		Name: "l_mutex-state", Family: specs.FamilyLockState,
		Doc: "an LWP's l_mutex is the lock the revision's table gives its state (checked where that lock is free: " +
			"under it, a state may be mid-transition)",
		Source: "the revision's state-to-lock table (its kern_lwp.c overview comment)",
		State:  mutexMatchesState, Keyed: true,
	},
	{
		Name: "l_stat-locked", Family: specs.FamilyLockState,
		Doc:    "every l_stat change is made with the LWP's lock held",
		Source: "the revision's kern_lwp.c overview comment: state transitions are made with the LWP's lock held",
		Step:   statLocked,
	},
	{
		Name: "l_stat-p_lock", Family: specs.FamilyLockState,
		Doc:    "an LWP enters or leaves the states the revision lists (LSIDL, LSZOMB, LSSTOP, LSSUSPENDED) only with the process lock held",
		Source: "the revision's kern_lwp.c overview comment on the process lock and the counters",
		Step:   statProcLocked,
	},
	{
		Name: "field-locked", Family: specs.FamilyLockState,
		Doc: "a step writes a field of the process, or of an LWP on p_lwps, only with the lock its marking names " +
			"(p: p_lock, l: the LWP's l_mutex) held",
		Source: "the revision's proc.h and lwp.h field markings; the fields: model.GuardedFields",
		Step:   fieldLocked, Keyed: true,
	},
}

// fieldLocked reports a field the step wrote without its lock (the
// machine's EvField events); the key is the field.
func fieldLocked(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvField {
			continue
		}
		at := e.Since // where the interval it was written in begins: the step's start if nothing does
		if at.Line == 0 {
			at = k.Src
		}
		return fail(k, fieldNames[e.From], at, func() string {
			whose := "the process's"
			if e.LWP >= 0 {
				whose = lwpName(&pre.LWPs[e.LWP], int(e.LWP)) + "'s"
			}
			return fmt.Sprintf("%s writes %s %s without %s held, %s", actor(k, pre), whose,
				model.GuardedFields[e.From], c.M.LockName(e.Lock), span(c.M.Kernel, e.Since, e.Src))
		})
	}
	return Fail{}, false
}

// span names the part of a step between two source points (zero: its
// start, its end).
func span(kn *model.Kernel, since, until model.SrcRef) string {
	switch {
	case since.Line == 0 && until.Line == 0:
		return "in a step with no lock operation"
	case since.Line == 0:
		return "before " + kn.Src(until)
	case until.Line == 0:
		return "after " + kn.Src(since)
	}
	return "between " + kn.Src(since) + " and " + kn.Src(until)
}

var fieldNames = func() []string {
	n := make([]string, len(model.GuardedFields))
	for i, f := range model.GuardedFields {
		n[i] = "field-locked/" + f
	}
	return n
}()

// mutexMatchesState checks each LWP whose lock is free against the
// state-to-lock table; the key is the state. While the lock is held, its
// holder may be midway through changing the state and l_mutex, which only
// have to agree again once it lets go.
func mutexMatchesState(c *Checker, s *model.State) (Fail, bool) {
	for i := range s.LWPs {
		l := &s.LWPs[i]
		if l.Stat == 0 || l.Stat >= maxStat || s.Locks[l.Mutex] != 0 {
			continue
		}
		sl := c.rules.stateLock[l.Stat]
		if sl == nil || sl.Rule.Holds(c.M, l) {
			continue
		}
		return Fail{Name: stateLockNames[l.Stat], Msg: fmt.Sprintf("%s is %s with l_mutex %s; the table wants %s (%s)",
			lwpName(l, i), model.StatName(l.Stat), c.M.LockName(l.Mutex), sl.Rule.Describe(c.M, l), sl.Source)}, true
	}
	return Fail{}, false
}

// stateLockNames names the l_mutex-state finding of each state.
var stateLockNames = func() (n [maxStat]string) {
	for st := range n {
		n[st] = "l_mutex-state/" + model.StatName(uint8(st))
	}
	return n
}()

// lwpName names the LWP in slot i for a message.
func lwpName(l *model.LWP, i int) string {
	if l.Name == 0 {
		return fmt.Sprintf("LWP slot %d", i)
	}
	return fmt.Sprintf("LWP %d", l.Name)
}

// statLocked finds an l_stat change made without the LWP's lock.
func statLocked(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvStat || e.From == e.To || e.LLock {
			continue
		}
		return fail(k, "l_stat-locked", e.Src, func() string {
			return fmt.Sprintf("%s sets %s %s->%s at %s without its lock (%s) held", actor(k, pre),
				lwpName(&pre.LWPs[e.LWP], int(e.LWP)), model.StatName(e.From), model.StatName(e.To),
				c.M.Kernel.Src(e.Src), c.M.LockName(e.Lock))
		})
	}
	return Fail{}, false
}

// statProcLocked finds a change into or out of a p_lock state without
// p_lock.
func statProcLocked(c *Checker, k *model.K, pre, post *model.State) (Fail, bool) {
	for i := range k.Events {
		e := &k.Events[i]
		if e.Kind != model.EvStat || e.From == e.To || e.PLock || e.From >= maxStat || e.To >= maxStat ||
			!(c.rules.procLocked[e.From] || c.rules.procLocked[e.To]) {
			continue
		}
		return fail(k, "l_stat-p_lock", e.Src, func() string {
			return fmt.Sprintf("%s sets %s %s->%s at %s without p_lock held", actor(k, pre),
				lwpName(&pre.LWPs[e.LWP], int(e.LWP)), model.StatName(e.From), model.StatName(e.To), c.M.Kernel.Src(e.Src))
		})
	}
	return Fail{}, false
}
