package verify

import (
	"fmt"
	"math/rand/v2"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/specs"
)

// RandomOptions shape a random run (Random).
type RandomOptions struct {
	Seed    uint64
	Records int // stop after this many ktrace records
	CPUs    int // 0: 2
	// Steady keeps the LWPs alive: no exit, wait, detach or kill, and
	// parks with a timeout, so that a run can go on for long (a
	// benchmark's trace). Otherwise every op the revision has may come.
	Steady bool
	PID    int64 // the process's pid in the records; 0: 100
	LWPs   int   // LWPs in the run, LWP 1 and those it creates; 0: 3
}

// Random runs revision rev at random, its LWPs' programs drawn as they
// go, and returns what ktrace records of the run: the process's _lwp_*
// CALL and RET records, lids as the kernel gives them, and, on the RET of
// _lwp_create, the new lid (JSON lines show it). It stops after
// o.Records records, or when no LWP can go on.
func Random(rev *model.Revision, o RandomOptions) ([]recorded.Event, error) {
	if o.CPUs == 0 {
		o.CPUs = 2
	}
	if o.PID == 0 {
		o.PID = 100
	}
	if o.LWPs == 0 {
		o.LWPs = 3
	}
	sp := &specs.Spec{File: "random", Name: "random", CPUs: o.CPUs}
	kn := rev.Kernel
	if kn.Env[model.EnvTimeout] != 0 {
		sp.Env.Timeout = model.EnvUnlimited
	}
	if kn.Env[model.EnvPreempt] != 0 {
		sp.Env.Preempt = DefaultPreemptions
	}
	m, err := model.New(rev, sp)
	if err != nil {
		return nil, err
	}
	m.Ktrace = true
	g := &gen{rev: rev, m: m, rng: rand.New(rand.NewPCG(o.Seed, 1)), o: o}
	m.Check = g
	s := m.Init()[0]
	var succ explore.Successors[model.State]
	var out []recorded.Event
	for len(out) < o.Records {
		g.extend(&s)
		succ.Reset()
		g.recs, g.recOff = g.recs[:0], g.recOff[:0]
		m.Expand(&s, &succ)
		var ok []int
		for i := 0; i < succ.Len(); i++ {
			if !fatal(succ.At(i).Violations) {
				ok = append(ok, i)
			}
		}
		if len(ok) == 0 {
			break // no LWP can go on
		}
		i := ok[g.rng.IntN(len(ok))]
		t := succ.At(i)
		end := len(g.recs)
		if i+1 < len(g.recOff) {
			end = g.recOff[i+1]
		}
		s = t.Next
		for _, r := range g.recs[g.recOff[i]:end] {
			out = append(out, g.event(&t.Next, r))
			// Each gap between two records has its own preemptions, as
			// the verifier's default bound allows.
			if kn.Env[model.EnvPreempt] != 0 {
				s.Env.Preempt = DefaultPreemptions
			}
		}
		g.rebase(&s)
	}
	return out, nil
}

// gen draws programs as a random run goes.
type gen struct {
	rev    *model.Revision
	m      *model.Machine
	rng    *rand.Rand
	o      RandomOptions
	ops    [model.MaxNames][]model.Op
	base   [model.MaxNames]int
	names  int // LWP names given so far
	ended  [model.MaxNames]bool
	recs   []model.Record
	recOff []int
}

func (g *gen) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	g.recOff = append(g.recOff, len(g.recs))
	g.recs = model.Records(k.Events, post, g.recs)
	return vs
}
func (g *gen) State(s *model.State, vs []explore.Violation) []explore.Violation { return vs }
func (g *gen) Terminal(s *model.State) (explore.Violation, bool)                { return explore.Violation{}, false }

// extend gives each LWP in user space with its program done one more op.
func (g *gen) extend(s *model.State) {
	if g.names == 0 {
		g.names = 1
	}
	for i := range s.LWPs {
		l := &s.LWPs[i]
		n := int(l.Name)
		if n == 0 || l.InKernel() || g.ended[n] || g.base[n]+int(l.PC) < len(g.ops[n]) {
			continue
		}
		op, ok := g.draw(s, n)
		if !ok {
			g.ended[n] = true
			continue
		}
		g.ops[n] = append(g.ops[n], op)
		g.m.SetProgram(uint8(n), g.ops[n][g.base[n]:])
	}
}

// draw picks the next op of the LWP named n.
func (g *gen) draw(s *model.State, n int) (model.Op, bool) {
	kn := g.rev.Kernel
	for range 20 {
		st := specs.Step{}
		// A program passes a lid it knows: an LWP already made, or now
		// and then one no LWP has (the name no create uses).
		var made []int
		for m := 1; m <= g.names; m++ {
			if s.NameLid[m] != 0 {
				made = append(made, m)
			}
		}
		other := model.MaxNames - 1
		if len(made) > 0 && g.rng.IntN(8) != 0 {
			other = made[g.rng.IntN(len(made))]
		}
		if n == 1 && g.names < g.o.LWPs && len(g.ops[1]) < 4 {
			g.names++
			st = specs.Step{Op: "create", Target: g.names, Suspended: !g.o.Steady && g.rng.IntN(4) == 0,
				Detached: !g.o.Steady && g.rng.IntN(4) == 0}
		} else {
			switch k := g.rng.IntN(12); {
			case k < 3:
				st = specs.Step{Op: "park", Timeout: g.o.Steady || g.rng.IntN(2) == 0}
				if g.rng.IntN(4) == 0 {
					st.Unpark = other
				}
			case k < 6:
				st = specs.Step{Op: "unpark", Target: other}
			case k < 7:
				st = specs.Step{Op: "self"}
			case k < 8:
				st = specs.Step{Op: "wakeup", Target: other}
			case k < 9:
				if g.o.Steady {
					st = specs.Step{Op: "continue", Target: other}
				} else {
					st = specs.Step{Op: "suspend", Target: other}
				}
			case k < 10:
				st = specs.Step{Op: "continue", Target: other}
			case g.o.Steady:
				st = specs.Step{Op: "setname", Target: other}
			case k < 11:
				st = specs.Step{Op: "wait", Target: other}
				if g.rng.IntN(2) == 0 {
					st.Target = specs.AnyLWP
				}
			default:
				st = specs.Step{Op: []string{"exit", "detach", "kill"}[g.rng.IntN(3)], Target: other, Signal: "0"}
				if st.Op == "exit" {
					st.Target = 0
				}
			}
		}
		op, err := kn.Compile(&st)
		if err != nil {
			if st.Op == "create" {
				g.names--
			}
			continue
		}
		op.Step = &st
		return op, true
	}
	return model.Op{}, false
}

// rebase keeps PCs small, as the verifier does.
func (g *gen) rebase(s *model.State) {
	for i := range s.LWPs {
		l := &s.LWPs[i]
		if n := int(l.Name); n != 0 && l.PC > 64 {
			g.base[n] += int(l.PC)
			l.PC = 0
			g.m.SetProgram(uint8(n), g.ops[n][g.base[n]:])
		}
	}
}

// event turns a record of the run into what ktrace writes of it.
func (g *gen) event(post *model.State, r model.Record) recorded.Event {
	n := int(r.LWP)
	op := &g.ops[n][g.base[n]+int(r.Op)]
	lid := func(name uint8) int64 {
		if name == 0 {
			return 0
		}
		if l := post.NameLid[name]; l != 0 {
			return int64(l)
		}
		return 254 // a lid no LWP has (model/netbsd.UnknownLid)
	}
	e := recorded.Event{PID: g.o.PID, LID: lid(r.LWP)}
	name := op.Kind.Syscall()
	params := map[string]int64{}
	switch op.Kind {
	case model.OpCreate:
		params["ucp"], params["new_lwp"] = 0x7f7fffffe000, 0x7f7fffffdff0
		if op.Suspended {
			params["flags"] |= lwpSuspended
		}
		if op.Detached {
			params["flags"] |= lwpDetached
		}
	case model.OpWait:
		params["wait_for"], params["departed"] = lid(op.Target), 0x7f7fffffdfe0
	case model.OpKill:
		params["target"] = lid(op.Target)
		for num, s := range signals {
			if s == op.Step.Signal {
				params["signo"] = num
			}
		}
	case model.OpPark:
		// Any of the names it has had: the verifier reads them all.
		name = []string{"_lwp_park", "___lwp_park50", "___lwp_park60", "compat_60__lwp_park"}[g.rng.IntN(4)]
		params["unpark"], params["hint"] = lid(op.Unpark), 0x7f7ff7a00000
		if op.Timeout {
			params["ts"] = 0x7f7fffffdfd0
		}
	case model.OpSetname, model.OpGetname:
		params["target"], params["name"] = lid(op.Target), 0x7f7ff7b00000
	default:
		params["target"] = lid(op.Target)
	}
	sys, ok := recorded.Lookup(name)
	if !ok {
		panic(fmt.Sprintf("verify: no record name for %s", name))
	}
	e.Name, e.Sys = name, sys
	if !r.Ret {
		e.Phase = recorded.Call
		for _, p := range recorded.CanonParams(sys.Canon) {
			if sys.Params != nil && !contains(sys.Params, p) {
				e.Args = append(e.Args, 0)
				continue
			}
			e.Args = append(e.Args, params[p])
		}
		return e
	}
	e.Phase = recorded.Ret
	if r.Result != model.OK {
		en, _ := recorded.ErrnoByName(r.Result.String())
		e.Ret.Err = en
		return e
	}
	if slot := slotOf(post, r.LWP); slot >= 0 && (op.Kind == model.OpSelf || op.Kind == model.OpCreate) {
		v := int64(post.LWPs[slot].Value)
		if op.Kind == model.OpSelf {
			e.Ret.Value = v
		} else {
			e.New = v
		}
	}
	return e
}

func contains(s []string, x string) bool {
	for _, v := range s {
		if v == x {
			return true
		}
	}
	return false
}

func slotOf(s *model.State, name uint8) int {
	for i := range s.LWPs {
		if s.LWPs[i].Name == name {
			return i
		}
	}
	return -1
}
