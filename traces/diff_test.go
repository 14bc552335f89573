package traces

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDiff(t *testing.T) {
	base := func() View {
		return View{
			Proc:  ProcView{Stat: "SACTIVE", NLWPs: 1, Lwps: "LWP 1"},
			LWPs:  map[string]LWPView{"LWP 1": {Lid: 1, Stat: "LSONPROC", Flag: "0"}},
			CPUs:  map[string]CPUView{"cpu0": {Cur: "LWP 1"}},
			Locks: map[string]string{},
			Env:   map[string]int{"stop": 1},
		}
	}
	for _, tc := range []struct {
		name string
		edit func(*View)
		want []Change
	}{
		{"same", func(v *View) {}, nil},
		{"counter", func(v *View) { v.Proc.NLWPs = 2 }, []Change{{"p_nlwps", "1", "2"}}},
		{"lwp field", func(v *View) {
			l := v.LWPs["LWP 1"]
			l.Stat, l.Flag = "LSSLEEP", "LW_SINTR"
			v.LWPs["LWP 1"] = l
		}, []Change{{"LWP 1 l_stat", "LSONPROC", "LSSLEEP"}, {"LWP 1 l_flag", "0", "LW_SINTR"}}},
		{"lwp created", func(v *View) { v.LWPs["LWP 2"] = LWPView{Stat: "LSIDL", Flag: "0", Kernel: "-"} },
			[]Change{{"LWP 2", "-", "l_stat=LSIDL"}}},
		{"lwp freed", func(v *View) { delete(v.LWPs, "LWP 1") },
			[]Change{{"LWP 1", "l_lid=1 l_stat=LSONPROC", "-"}}},
		{"lock taken", func(v *View) { v.Locks["p_lock"] = "LWP 1" }, []Change{{"lock p_lock", "-", "LWP 1"}}},
		{"env spent", func(v *View) { v.Env["stop"] = 0 }, []Change{{"env stop", "1", "0"}}},
		{"cpu", func(v *View) { v.CPUs["cpu0"] = CPUView{Cur: "idle", Prev: "LWP 1"} },
			[]Change{{"cpu0 curlwp", "LWP 1", "idle"}, {"cpu0 switching from", "", "LWP 1"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := base()
			tc.edit(&v)
			if diff := cmp.Diff(tc.want, Diff(base(), v)); diff != "" {
				t.Errorf("Diff (-want +got):\n%s", diff)
			}
		})
	}
}

// TestViewOfInitialState checks the projection of a real state.
func TestViewOfInitialState(t *testing.T) {
	c := suspendRunning(t)
	m := machine(t, c)
	v := NewView(m, &m.Init()[0])
	want := View{
		Proc: ProcView{Stat: "SACTIVE", SFlag: "0", NLWPs: 1, NRLWPs: 1, ZombLWP: "-", SigPend: "0", Lwps: "LWP 1", Sleepers: "-"},
		LWPs: map[string]LWPView{"LWP 1": {Lid: 1, Stat: "LSONPROC", Flag: "0", PFlag: "LP_RUNNING", PRFlag: "0",
			Mutex: "cpu0.spc_lwplock", CPU: "cpu0", TargetCPU: "-", WChan: "-", SyncObj: "sched_syncobj", SigPend: "0",
			Timeout: "-", Name: "-", Ctl: "-", Kernel: "-", Program: "1/4 create 2"}},
		CPUs:  map[string]CPUView{"cpu0": {Cur: "LWP 1", Prev: "-", Runq: "-"}, "cpu1": {Cur: "idle", Prev: "-", Runq: "-"}},
		Locks: map[string]string{},
		Env:   map[string]int{"stop": 1, "cont": 1},
	}
	if diff := cmp.Diff(want, v); diff != "" {
		t.Errorf("view (-want +got):\n%s", diff)
	}
}
