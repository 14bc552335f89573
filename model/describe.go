package model

import (
	"fmt"

	"github.com/lwpcheck/lwpcheck/explore"
)

// Step describes one executed step for a reader: who ran, where, what.
type Step struct {
	Actor  string // "LWP 2", "cpu1" (the CPU's own context) or "env"
	CPU    int    // -1 for the environment
	Action string // routine and operation, e.g. "lwp_exit: mutex_enter(p->p_lock)"
	Source string // file@rev:line
	Note   string // what changed that matters (a syscall result, a state change)
	// Merged lists, under the model's reduction, the steps that joined
	// this transition and why, then why it ended.
	Merged []string
}

// Describe re-runs action a from s and describes it; it also returns the
// successor state and the step's context (its events).
func (m *Machine) Describe(s *State, a explore.Action) (Step, State, *K, error) {
	next, k, ok := m.Replay(s, a)
	if !ok {
		return Step{}, *s, nil, fmt.Errorf("action %s is not enabled", m.ActionName(a))
	}
	st := Step{CPU: k.CPU, Source: m.Kernel.Src(k.Src)}
	switch {
	case k.CPU == EnvCPU:
		st.Actor, st.CPU = "env", -1
	case k.Cur >= 0:
		st.Actor = fmt.Sprintf("LWP %d", s.LWPs[k.Cur].Name)
	default:
		st.Actor = fmt.Sprintf("cpu%d", k.CPU)
	}
	fn := m.Kernel.Routines[k.Fn].Name
	st.Action = fn
	if k.What != "" && k.What != fn {
		st.Action = fn + ": " + m.Kernel.spell(k.What)
	}
	st.Note = m.note(k, s)
	if m.POR {
		st.Merged = append(st.Merged, k.Merged...)
		if r := k.moverReason(); r != "" {
			st.Merged = append(st.Merged, "ends: "+r)
		}
	}
	return st, next, k, nil
}

// note summarises the events of a step that a reader follows: state
// changes, syscall results, failed assertions.
func (m *Machine) note(k *K, pre *State) string {
	out := ""
	add := func(s string) {
		if out != "" {
			out += "; "
		}
		out += s
	}
	for _, e := range k.Events {
		switch e.Kind {
		case EvStat:
			add(fmt.Sprintf("LWP %d %s->%s", pre.LWPs[e.LWP].Name, StatName(e.From), StatName(e.To)))
		case EvReturn:
			add(fmt.Sprintf("%s returns %s", OpKind(e.From).Syscall(), Errno(e.To)))
		case EvAssert:
			add("KASSERT(" + e.Text + ") fails")
		}
	}
	if k.Panic != "" && len(k.Events) > 0 && k.Events[len(k.Events)-1].Kind != EvAssert {
		add(k.Panic)
	}
	return out
}

// EnvEvent returns the environment event an action is (EnvStop...), and
// false if it is not one.
func EnvEvent(a explore.Action) (int, bool) {
	kind, _, _, _ := splitAction(a)
	if kind < actEnv || kind-actEnv >= NumEnv {
		return 0, false
	}
	return kind - actEnv, true
}

// ActionName names an action without running it.
func (m *Machine) ActionName(a explore.Action) string {
	kind, cpu, arg, choice := splitAction(a)
	var s string
	switch kind {
	case actStep:
		s = fmt.Sprintf("cpu%d step", cpu)
	case actSyscall:
		s = fmt.Sprintf("cpu%d syscall", cpu)
	case actTrap:
		s = fmt.Sprintf("cpu%d trap", cpu)
	case actYield:
		s = fmt.Sprintf("cpu%d tick", cpu)
	case actCallout:
		s = "callout"
	default:
		ev := kind - actEnv
		if ev < 0 || ev >= NumEnv {
			return fmt.Sprintf("action %#x", uint32(a))
		}
		s = "env " + EnvName(ev)
		switch ev {
		case EnvTimeout:
			s += fmt.Sprintf(" slot %d", arg)
		case EnvPreempt:
			s += fmt.Sprintf(" cpu%d", cpu)
		case EnvMigrate:
			s += fmt.Sprintf(" slot %d to cpu%d", arg, cpu)
		}
	}
	if choice > 0 {
		s += fmt.Sprintf(" (choice %d)", choice)
	}
	return s
}
