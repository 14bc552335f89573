package traces

import (
	"fmt"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
)

// View is a readable projection of a model.State: what a reader of the C
// code follows, by C names, with no raw bytes. What a reader does not see
// (routine locals, the invariants' ghost bits) is left out. The c tags
// name each field in listings.
type View struct {
	Proc  ProcView            `c:""`
	Procs map[string]ProcView `c:""`     // in a run of several processes, the others by name: "proc2"
	LWPs  map[string]LWPView  `c:""`     // live LWPs by name: "LWP 2"
	CPUs  map[string]CPUView  `c:""`     // by name: "cpu0"
	Locks map[string]string   `c:"lock"` // held locks: lock name -> holder ("LWP 1", "cpu0", "env")
	Env   map[string]int      `c:"env"`  // remaining budget of each event the spec enables
}

// ProcView is the process (struct proc).
type ProcView struct {
	Stat     string `c:"p_stat"`
	SFlag    string `c:"p_sflag"`
	NLWPs    int    `c:"p_nlwps"`
	NRLWPs   int    `c:"p_nrlwps"`
	NZLWPs   int    `c:"p_nzlwps"`
	NDLWPs   int    `c:"p_ndlwps"`
	NLWPWait int    `c:"p_nlwpwait"`
	ZombLWP  string `c:"p_zomblwp"`
	SigPend  string `c:"p_sigpend"`
	Lwps     string `c:"p_lwps"`  // the list, head first
	Sleepers string `c:"p_lwpcv"` // sleepers on p_lwpcv, in order
}

// LWPView is one LWP (struct lwp).
type LWPView struct {
	Lid        int    `c:"l_lid"`
	Stat       string `c:"l_stat"`
	Flag       string `c:"l_flag"`
	PFlag      string `c:"l_pflag"`
	PRFlag     string `c:"l_prflag"`
	Mutex      string `c:"l_mutex"`
	CPU        string `c:"l_cpu"`
	TargetCPU  string `c:"l_target_cpu"`
	WChan      string `c:"l_wchan"`
	SyncObj    string `c:"l_syncobj"`
	Waiter     int    `c:"l_waiter"`
	WaitingFor int    `c:"l_waitingfor"`
	RefCnt     int    `c:"l_refcnt"`
	SigPend    string `c:"l_sigpend"`
	Timeout    string `c:"timeout"` // a sleep timeout is armed
	Name       string `c:"l_name"`
	Ctl        string `c:"l_lwpctl"`
	Kernel     string `c:"kernel"`  // the kernel stack, outermost first
	Program    string `c:"program"` // the next step of its program
}

// CPUView is one CPU.
type CPUView struct {
	Cur  string `c:"curlwp"`
	Prev string `c:"switching from"` // a context switch whose handover is pending
	Runq string `c:"run queue"`
}

// none is how a view shows an empty pointer, list or set.
const none = "-"

// NewView projects state s of machine m.
func NewView(m *model.Machine, s *model.State) View {
	v := View{
		Proc:  procView(s, 0),
		LWPs:  map[string]LWPView{},
		CPUs:  map[string]CPUView{},
		Locks: map[string]string{},
		Env:   map[string]int{},
	}
	for p := 1; p < m.Procs(); p++ {
		if v.Procs == nil {
			v.Procs = map[string]ProcView{}
		}
		v.Procs[fmt.Sprintf("proc%d", p+1)] = procView(s, p)
	}
	for i := range s.LWPs {
		if s.LWPs[i].Name != 0 {
			v.LWPs[slotName(s, i+1)] = lwpView(m, s, i)
		}
	}
	for c := 0; c < m.NCPU; c++ {
		cpu := &s.CPUs[c]
		cv := CPUView{Cur: slotName(s, int(cpu.Cur)), Prev: slotName(s, int(cpu.Prev)),
			Runq: slotList(s, cpu.Runq[:cpu.NRun])}
		if cv.Cur == none {
			cv.Cur = "idle"
		}
		v.CPUs[fmt.Sprintf("cpu%d", c)] = cv
	}
	for id := uint8(1); id < model.NumLocks; id++ {
		if o := s.Locks[id]; o != 0 {
			v.Locks[m.LockName(id)] = ownerName(s, id, o)
		}
	}
	e, se := &s.Env, &m.Spec.Env
	for p := range m.Procs() {
		pe, prefix := m.Spec.ProcEnv(p), ""
		if m.Procs() > 1 {
			prefix = fmt.Sprintf("proc%d ", p+1)
		}
		for _, ev := range []struct {
			name      string
			on, value int
		}{
			{"stop", pe.Stop, int(e.Stop[p])}, {"cont", pe.Cont, int(e.Cont[p])},
			{"exit", pe.Exit, int(e.Exit[p])}, {"core", pe.Core, int(e.Core[p])},
		} {
			if ev.on > 0 {
				v.Env[prefix+ev.name] = ev.value
			}
		}
	}
	for _, ev := range []struct {
		name      string
		on, value int
	}{
		{"timeout", se.Timeout, int(e.Timeout)}, {"preempt", se.Preempt, int(e.Preempt)}, {"migrate", se.Migrate, int(e.Migrate)},
	} {
		if ev.on > 0 {
			v.Env[ev.name] = ev.value
		}
	}
	return v
}

func procView(s *model.State, i int) ProcView {
	p := &s.Procs[i]
	return ProcView{
		Stat: procStat(p.Stat), SFlag: model.SFlagNames(p.SFlag),
		NLWPs: int(p.NLWPs), NRLWPs: int(p.NRLWPs), NZLWPs: int(p.NZLWPs), NDLWPs: int(p.NDLWPs),
		NLWPWait: int(p.NLWPWait), ZombLWP: slotName(s, int(p.ZombLWP)), SigPend: model.SigNames(p.SigPend),
		Lwps: slotList(s, p.Lwps[:p.NList]), Sleepers: slotList(s, p.Cv[:p.NCv]),
	}
}

func lwpView(m *model.Machine, s *model.State, i int) LWPView {
	l := &s.LWPs[i]
	v := LWPView{
		Lid: int(l.Lid), Stat: model.StatName(l.Stat), Flag: model.FlagNames(l.Flag),
		PFlag: bits(l.PFlag, model.LP_RUNNING, "LP_RUNNING", "0"), PRFlag: prflag(l.PRFlag),
		Mutex: m.LockName(l.Mutex), CPU: fmt.Sprintf("cpu%d", l.CPU), TargetCPU: none,
		WChan:   [...]string{none, "&p->p_lwpcv", "park"}[min(int(l.WChan), 2)],
		SyncObj: [...]string{"sched_syncobj", "cv_syncobj", "lwp_park_syncobj"}[min(int(l.SyncObj), 2)],
		Waiter:  int(l.Waiter), WaitingFor: int(l.WaitingFor), RefCnt: int(l.RefCnt),
		SigPend: model.SigNames(l.SigPend), Timeout: bits(l.Timo, 1, "armed", none), Name: bits(l.Named, 1, "set", none),
		Ctl: bits(l.Ctl, 1, "allocated", none), Kernel: none, Program: "ended",
	}
	if l.TargetCPU != 0 {
		v.TargetCPU = fmt.Sprintf("cpu%d", l.TargetCPU-1)
	}
	if l.Depth > 0 {
		names := make([]string, l.Depth)
		for j, f := range l.Frames[:l.Depth] {
			names[j] = m.Kernel.Routines[f.Fn].Name
		}
		v.Kernel = strings.Join(names, " > ")
	}
	if prog := m.Program(l.Name); int(l.PC) < len(prog) {
		v.Program = fmt.Sprintf("%d/%d %s", l.PC+1, len(prog), prog[l.PC].Step.Text)
	}
	return v
}

// slotName names the LWP in slot x-1 ("LWP 2"); x is 0 for none.
func slotName(s *model.State, x int) string {
	if x <= 0 || x > model.MaxLWPs || s.LWPs[x-1].Name == 0 {
		return none
	}
	return fmt.Sprintf("LWP %d", s.LWPs[x-1].Name)
}

func slotList(s *model.State, xs []uint8) string {
	if len(xs) == 0 {
		return none
	}
	names := make([]string, len(xs))
	for i, x := range xs {
		names[i] = slotName(s, int(x))
	}
	return strings.Join(names, ", ")
}

// ownerName names the holder of lock id, whose owner field is o.
func ownerName(s *model.State, id, o uint8) string {
	switch {
	case o == model.OwnerEnv:
		return "env"
	case model.Adaptive(id):
		return slotName(s, int(o))
	}
	if c, ok := model.OwnerCPU(o); ok {
		return fmt.Sprintf("cpu%d", c)
	}
	return fmt.Sprintf("owner %#x", o)
}

func procStat(st uint8) string {
	switch st {
	case model.SACTIVE:
		return "SACTIVE"
	case model.SDYING:
		return "SDYING"
	case model.SSTOP:
		return "SSTOP"
	case model.SZOMB:
		return "SZOMB"
	}
	return fmt.Sprintf("p_stat %d", st)
}

func prflag(f uint8) string {
	var out []string
	if f&model.LPR_DETACHED != 0 {
		out = append(out, "LPR_DETACHED")
	}
	if f&model.LPR_DRAINING != 0 {
		out = append(out, "LPR_DRAINING")
	}
	if len(out) == 0 {
		return "0"
	}
	return strings.Join(out, "|")
}

// bits returns name when bit is set in v, zero otherwise.
func bits(v, bit uint8, name, zero string) string {
	if v&bit != 0 {
		return name
	}
	return zero
}
