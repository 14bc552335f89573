package invariants

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/model"
)

// The process counters, compared with what they count wherever p_lock,
// which covers them, is free. What each counts follows the code of the
// revision (kern_lwp.c@1.270:199-213 and the seed lines cited), not only
// its comment: a counter may run ahead of the state it counts, and the
// model's ghost bits record where the code says so.
var counterInvariants = []*Invariant{
	{
		Name: "p_nlwps", Family: Counters,
		Doc:    "p_nlwps equals the number of LWPs on p_lwps",
		Source: "kern_lwp.c@1.270:949-950, 1310-1311",
		State: counter(func(p *model.Proc) uint8 { return p.NLWPs },
			func(s *model.State, l *model.LWP) bool { return true }),
	},
	{
		Name: "p_nrlwps", Family: Counters,
		Doc: "p_nrlwps equals the LWPs in LSRUN, LSONPROC or LSSLEEP, plus created LWPs not yet started (LSIDL)",
		Source: "kern_lwp.c@1.270:210-213 (LSRUN, LSONPROC, LSSLEEP); :951 counts a new LSIDL LWP " +
			"before lwp_start (:950-951, sys_lwp.c@1.84:147-154)",
		State: counter(func(p *model.Proc) uint8 { return p.NRLWPs },
			func(s *model.State, l *model.LWP) bool {
				switch l.Stat {
				case model.LSRUN, model.LSONPROC, model.LSSLEEP, model.LSIDL:
					return true
				}
				return false
			}),
	},
	{
		Name: "p_nzlwps", Family: Counters,
		Doc:    "p_nzlwps equals the LWPs that lwp_exit has counted as zombies (from :1115, before LSZOMB)",
		Source: "kern_lwp.c@1.270:1102-1115, 1312",
		State: counter(func(p *model.Proc) uint8 { return p.NZLWPs },
			func(s *model.State, l *model.LWP) bool { return l.Ghost&model.GhostZomb != 0 }),
	},
	{
		Name: "p_ndlwps", Family: Counters,
		Doc:    "p_ndlwps equals the detached LWPs on p_lwps",
		Source: "kern_lwp.c@1.270:927-929, 1313-1314; sys_lwp.c@1.84:435-436",
		State: counter(func(p *model.Proc) uint8 { return p.NDLWPs },
			func(s *model.State, l *model.LWP) bool { return l.PRFlag&model.LPR_DETACHED != 0 }),
	},
	{
		Name: "p_nlwpwait", Family: Counters,
		Doc:    "p_nlwpwait equals the LWPs inside lwp_wait (or sigexit's wait for the others to stop)",
		Source: "kern_lwp.c@1.270:594, 700, 762; kern_sig.c@1.405:2309-2312",
		State: counter(func(p *model.Proc) uint8 { return p.NLWPWait },
			func(s *model.State, l *model.LWP) bool { return l.Ghost&model.GhostWait != 0 }),
	},
	{
		Name: "p_zomblwp", Family: Counters,
		Doc:    "p_zomblwp, when set, is a detached zombie on p_lwps",
		Source: "kern_lwp.c@1.270:1170-1192",
		State:  zomblwp,
	},
}

// counter builds a state check: get(p) must equal the number of LWPs on
// p_lwps for which counts holds.
func counter(get func(*model.Proc) uint8, counts func(*model.State, *model.LWP) bool) func(*Checker, *model.State) (string, bool) {
	return func(c *Checker, s *model.State) (string, bool) {
		p := &s.Proc
		if s.Locks[model.LockProc] != 0 || p.Stat == model.SZOMB {
			return "", false
		}
		n := 0
		for _, x := range p.Lwps[:p.NList] {
			if counts(s, &s.LWPs[x-1]) {
				n++
			}
		}
		if int(get(p)) == n {
			return "", false
		}
		return fmt.Sprintf("counter is %d, the LWPs it counts are %d", get(p), n), true
	}
}

func zomblwp(c *Checker, s *model.State) (string, bool) {
	p := &s.Proc
	if s.Locks[model.LockProc] != 0 || p.ZombLWP == 0 {
		return "", false
	}
	l := &s.LWPs[p.ZombLWP-1]
	onList := false
	for _, x := range p.Lwps[:p.NList] {
		onList = onList || x == p.ZombLWP
	}
	if l.Stat == model.LSZOMB && l.PRFlag&model.LPR_DETACHED != 0 && onList {
		return "", false
	}
	return fmt.Sprintf("p_zomblwp is LWP %d, %s, detached=%v, on p_lwps=%v", l.Name, model.StatName(l.Stat),
		l.PRFlag&model.LPR_DETACHED != 0, onList), true
}
