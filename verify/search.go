package verify

import (
	"fmt"
	"slices"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/specs"
)

// search is the frontier search of one reading of a trace.
type search struct {
	file string
	o    *Options
	p    *plan
	evs  []recorded.Event
	m    *model.Machine
	base [model.MaxNames]int // the op each LWP's program window starts at

	succ   explore.Successors[model.State]
	recs   []model.Record // the ktrace records of each successor of the state expanded
	recOff []int

	// The closure of the current step: states and, for a witness, their
	// ids in the run log.
	seen map[model.State]int32
	cur  []model.State
	ids  []int32
	// The states that show the next record, and where they come from.
	nextSeen map[model.State]struct{}
	next     []model.State
	nextFrom []int32
	nextAct  []explore.Action
	// The run log of a witness: each visited state's predecessor and the
	// action from it.
	parent []int32
	action []explore.Action

	// What the model could show instead of the record it fails at, and
	// the results it could give that record's call.
	alts   map[string]int
	altRes model.ErrnoSet
}

// machine builds the model's machine for plan p: its CPUs, the
// environment, the programs as windows and the ktrace points.
func machine(o *Options, file string, p *plan) (*model.Machine, *specs.Spec, error) {
	kn := o.Revision.Kernel
	sp := &specs.Spec{File: file, Name: "trace", CPUs: o.CPUs, Check: specs.AllFamilies}
	if sp.CPUs == 0 {
		sp.CPUs = min(max(p.nlwps, 1), model.MaxCPUs)
	}
	sp.Env = specs.Env{Stop: o.Env.Stop, Cont: o.Env.Cont, Exit: o.Env.Exit, Core: o.Env.Core}
	if kn.Env[model.EnvTimeout] != 0 {
		sp.Env.Timeout = model.EnvUnlimited
	}
	for e, dst := range map[int]*int{model.EnvPreempt: &sp.Env.Preempt, model.EnvMigrate: &sp.Env.Migrate} {
		if kn.Env[e] != 0 {
			*dst = o.budget()
		}
	}
	if why := kn.LacksEnv(sp.Env); why != "" {
		return nil, nil, &LimitError{File: file, Line: 1, Msg: why}
	}
	m, err := model.New(o.Revision, sp)
	if err != nil {
		return nil, nil, &LimitError{File: file, Line: 1, Msg: err.Error()}
	}
	// Without the model's reduction: it keeps the order of the records (a
	// ktrace point is a non-mover step of its own), but it loses runs in
	// which a kernel preemption falls inside a transaction, which a trace
	// can need (a 1-CPU run of three LWPs shows it).
	m.Ktrace = true
	for n := 1; n < model.MaxNames; n++ {
		m.SetProgram(uint8(n), p.ops[n])
	}
	return m, sp, nil
}

// newSearch sets up the search of plan p.
func newSearch(o *Options, file string, evs []recorded.Event, p *plan) (*search, error) {
	m, _, err := machine(o, file, p)
	if err != nil {
		return nil, err
	}
	s := &search{file: file, o: o, p: p, evs: evs, m: m, seen: map[model.State]int32{}, nextSeen: map[model.State]struct{}{},
		alts: map[string]int{}}
	m.Check = s
	return s, nil
}

// check runs the frontier search of plan p.
func check(o *Options, file string, evs []recorded.Event, p *plan, stats *Stats) (*Result, error) {
	s, err := newSearch(o, file, evs, p)
	if err != nil {
		return nil, err
	}
	m := s.m
	limit := o.MaxFrontier
	if limit <= 0 {
		limit = DefaultMaxFrontier
	}
	r := &Result{File: file, Revision: o.Revision.Name, Reading: p.reading}
	seeds := m.Init()
	from := make([]int32, len(seeds))
	for i := range from {
		from[i] = -1
	}
	acts := make([]explore.Action, len(seeds))
	for i := range evs {
		if why, ok := p.blocked[i]; ok {
			s.closure(seeds, from, acts, nil, limit)
			return s.reject(r, i, why), nil
		}
		e := p.expect[i]
		if e == nil {
			continue
		}
		if err := s.closure(seeds, from, acts, e, limit); err != nil {
			return nil, err
		}
		stats.States += len(s.cur)
		if len(s.cur) > stats.MaxFrontier {
			stats.MaxFrontier, stats.MaxAt = len(s.cur), evs[i].Line
		}
		if len(s.next) == 0 {
			return s.reject(r, i, ""), nil
		}
		r.Explained++
		s.rebase()
		// The states that showed the record seed the next closure; their
		// buffers and the old seeds' swap.
		seeds, s.next = s.next, seeds
		from, s.nextFrom = s.nextFrom, from
		acts, s.nextAct = s.nextAct, acts
	}
	r.Verdict = Accepted
	if o.Witness {
		s.witness(r, from[0], acts[0])
	}
	return r, nil
}

// closure computes the states reachable from seeds by hidden transitions
// (cur), and collects in next the successors of those whose transition
// shows record e.
func (s *search) closure(seeds []model.State, from []int32, acts []explore.Action, e *expectation, limit int) error {
	clear(s.seen)
	clear(s.nextSeen)
	clear(s.alts)
	s.altRes = 0
	s.cur, s.ids = s.cur[:0], s.ids[:0]
	s.next, s.nextFrom, s.nextAct = s.next[:0], s.nextFrom[:0], s.nextAct[:0]
	budget := uint8(s.o.budget())
	kn := s.m.Kernel
	for i := range seeds {
		// Each gap between two records may have its own preemptions and
		// migrations, up to the bound.
		if kn.Env[model.EnvPreempt] != 0 {
			seeds[i].Env.Preempt = budget
		}
		if kn.Env[model.EnvMigrate] != 0 {
			seeds[i].Env.Migrate = budget
		}
		s.add(&seeds[i], from[i], acts[i])
	}
	for idx := 0; idx < len(s.cur); idx++ {
		if idx%4096 == 0 && s.o.Context != nil && s.o.Context.Err() != nil {
			line := 1
			if e != nil && e.c != nil && e.c.first >= 0 {
				line = s.evs[e.c.first].Line
			}
			return &LimitError{File: s.file, Line: line, Msg: "interrupted while checking the record here"}
		}
		if len(s.cur) > limit {
			line := 1
			if e != nil && e.c != nil && e.c.first >= 0 {
				line = s.evs[e.c.first].Line
			}
			return &LimitError{File: s.file, Line: line, Msg: fmt.Sprintf("more than %d states are consistent with the trace here (--max-frontier)", limit)}
		}
		st := s.cur[idx]
		s.succ.Reset()
		s.recs, s.recOff = s.recs[:0], s.recOff[:0]
		s.m.Expand(&st, &s.succ)
		for i := 0; i < s.succ.Len(); i++ {
			t := s.succ.At(i)
			if fatal(t.Violations) {
				continue // the kernel panics: the trace shows it did not
			}
			end := len(s.recs)
			if i+1 < len(s.recOff) {
				end = s.recOff[i+1]
			}
			rec, visible := s.visible(s.recs[s.recOff[i]:end])
			switch {
			case !visible:
				s.add(&t.Next, s.id(idx), t.Action)
			case e != nil && s.matches(rec, e):
				if _, dup := s.nextSeen[t.Next]; !dup {
					s.nextSeen[t.Next] = struct{}{}
					s.next = append(s.next, t.Next)
					s.nextFrom = append(s.nextFrom, s.id(idx))
					s.nextAct = append(s.nextAct, t.Action)
				}
			default:
				s.alts[s.label(rec)]++
				if e != nil && int(rec.LWP) == e.name && s.base[rec.LWP]+int(rec.Op) == e.op && rec.Ret == e.ret {
					s.altRes = s.altRes.With(rec.Result)
				}
			}
		}
	}
	return nil
}

// add puts a state into the closure, if it is new.
func (s *search) add(st *model.State, from int32, a explore.Action) {
	if _, dup := s.seen[*st]; dup {
		return
	}
	s.seen[*st] = int32(len(s.cur))
	s.cur = append(s.cur, *st)
	if s.o.Witness {
		s.ids = append(s.ids, int32(len(s.parent)))
		s.parent = append(s.parent, from)
		s.action = append(s.action, a)
	}
}

// id is the run-log id of closure state idx.
func (s *search) id(idx int) int32 {
	if !s.o.Witness {
		return -1
	}
	return s.ids[idx]
}

func fatal(vs []explore.Violation) bool {
	return slices.ContainsFunc(vs, func(v explore.Violation) bool { return v.Fatal })
}

// visible returns the record of a transition the trace shows, if any.
func (s *search) visible(rs []model.Record) (model.Record, bool) {
	for _, r := range rs {
		op := s.base[r.LWP] + int(r.Op)
		if op >= len(s.p.vis[r.LWP]) {
			continue
		}
		v := s.p.vis[r.LWP][op]
		if (r.Ret && v.ret) || (!r.Ret && v.call) {
			return r, true
		}
	}
	return model.Record{}, false
}

// matches reports whether record r is what e expects.
func (s *search) matches(r model.Record, e *expectation) bool {
	return int(r.LWP) == e.name && s.base[r.LWP]+int(r.Op) == e.op && r.Ret == e.ret && (!e.ret || r.Result == e.result)
}

// label renders a record the model could show, with the trace's lids.
func (s *search) label(r model.Record) string {
	who := fmt.Sprintf("LWP %d", r.LWP)
	if lid := s.p.lid(int(r.LWP)); lid != 0 {
		who = fmt.Sprintf("LWP %d", lid)
	}
	if r.Ret {
		return fmt.Sprintf("%s: %s returns %s", who, r.Call.Syscall(), r.Result)
	}
	return fmt.Sprintf("%s: calls %s", who, r.Call.Syscall())
}

// rebase slides each LWP's program window to the lowest op the seeds'
// copies of it are at, so that PCs stay small however long the trace.
// An LWP is moved only when every seed has created it.
func (s *search) rebase() {
	for n := 1; n < model.MaxNames; n++ {
		low := -1
		for i := range s.next {
			st := &s.next[i]
			if st.NameLid[n] == 0 {
				low = -1
				break
			}
			for j := range st.LWPs {
				if l := &st.LWPs[j]; l.Name == uint8(n) && (low < 0 || int(l.PC) < low) {
					low = int(l.PC)
				}
			}
		}
		if low <= 0 {
			continue
		}
		for i := range s.next {
			st := &s.next[i]
			for j := range st.LWPs {
				if l := &st.LWPs[j]; l.Name == uint8(n) {
					l.PC -= uint8(low)
				}
			}
		}
		s.base[n] += low
		s.m.SetProgram(uint8(n), s.p.ops[n][s.base[n]:])
	}
}

// Check implements model.Checker: it collects each successor's ktrace
// records, in order.
func (s *search) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	s.recOff = append(s.recOff, len(s.recs))
	s.recs = model.Records(k.Events, post, s.recs)
	return vs
}

func (s *search) State(st *model.State, vs []explore.Violation) []explore.Violation { return vs }

func (s *search) Terminal(st *model.State) (explore.Violation, bool) {
	return explore.Violation{}, false
}
