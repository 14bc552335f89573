package traces

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
)

// ReportFormat is the version tag of the JSON export of a replay.
const ReportFormat = "lwpcheck-replay/1"

// Report is a Run prepared for reading: what every rendering shows, as
// plain data. It is also the JSON export of a replay.
type Report struct {
	Format      string    `json:"format"`
	File        string    `json:"file,omitempty"`
	Spec        string    `json:"spec"`
	Revision    string    `json:"revision"`
	CPUs        int       `json:"cpus"`
	Violation   Violation `json:"violation"`
	Switches    int       `json:"switches"`
	SourceNotes []string  `json:"source_notes,omitempty"` // C files whose lines are not shown, and why
	Initial     Snapshot  `json:"initial"`
	// Final is the state the run ends in (every LWP's state, wait
	// channel and kernel stack, the locks held, the counters): where a
	// hang leaves everything.
	Final Snapshot     `json:"final"`
	Steps []ReportStep `json:"steps"`
	Loop  int          `json:"loop,omitempty"` // a cycle's first step (Cex.Loop)
	// Integrity says what replay cannot vouch for in the file
	// (Cex.Integrity): another lwpcheck wrote it, or it was edited.
	Integrity []string `json:"integrity,omitempty"`
	Recurs    bool     `json:"recurs"`
	Verdict   string   `json:"verdict"`
}

// Snapshot is the readable summary of a state.
type Snapshot struct {
	Things   []string `json:"things"` // "LWP 1: l_lid=1 l_stat=LSONPROC ...", "cpu0: curlwp=LWP 1"
	Locks    []string `json:"locks"`  // held locks with their holders: "p_lock (LWP 1)"
	Counters Counters `json:"counters"`
}

// Counters are the process counters.
type Counters struct {
	NLWPs    int `json:"p_nlwps"`
	NRLWPs   int `json:"p_nrlwps"`
	NZLWPs   int `json:"p_nzlwps"`
	NDLWPs   int `json:"p_ndlwps"`
	NLWPWait int `json:"p_nlwpwait"`
}

func (c Counters) String() string {
	return fmt.Sprintf("p_nlwps=%d p_nrlwps=%d p_nzlwps=%d p_ndlwps=%d p_nlwpwait=%d",
		c.NLWPs, c.NRLWPs, c.NZLWPs, c.NDLWPs, c.NLWPWait)
}

// ReportStep is one step for reading.
type ReportStep struct {
	Step
	Who          string   `json:"who"`                     // "LWP 1 on cpu0", "cpu1", "env"
	Line         string   `json:"c_line,omitempty"`        // the C line, from a source tree
	Link         string   `json:"link,omitempty"`          // a web page showing it (Link)
	RecordedNote string   `json:"recorded_note,omitempty"` // the file's note, when the model's differs
	Locking      []string `json:"locking,omitempty"`       // "+p_lock" acquired, "-p_lock" released, in order
	Reduction    []string `json:"reduction,omitempty"`     // with Options.ExplainPOR: each action enabled before the step and what it depends on
	Changes      []Change `json:"changes"`
	Violations   []string `json:"violations,omitempty"` // "name: message"
	// ViolatedAt is where in the step a violation happened, when that is
	// not where the step (a merged transaction) began.
	ViolatedAt string `json:"violated_at,omitempty"`
	// ViolatedOp is the operation at ViolatedAt, the segment of the
	// transaction that violated (Merged tells it), "" if not known.
	ViolatedOp string `json:"violated_op,omitempty"`
	// Things is the whole state after the step, as Snapshot.Things, for
	// the walk's state command.
	Things   []string `json:"-"`
	Locks    []string `json:"locks"`    // held after the step
	Counters Counters `json:"counters"` // after the step
}

// Report prepares r for reading.
func (r *Run) Report(o Options) *Report {
	m := r.Machine
	rep := &Report{Format: ReportFormat, File: o.Name, Spec: r.Cex.Spec.Name, Revision: r.Cex.Revision,
		CPUs: m.NCPU, Violation: r.Cex.Violation, Switches: Switches(r.Cex.Steps), Initial: snapshot(m, &r.Init),
		Recurs: r.Recurs, Verdict: r.Verdict(), Loop: r.Cex.Loop, Integrity: r.Cex.Integrity()}
	prev := NewView(m, &r.Init)
	pre := &r.Init
	for i := range r.Steps {
		st := &r.Steps[i]
		v := NewView(m, &st.Post)
		rs := ReportStep{Step: st.Step, Who: who(st.Step), Changes: Diff(prev, v), Locks: locksHeld(m, &st.Post),
			Counters: counters(&st.Post), Things: snapshot(m, &st.Post).Things}
		if o.Source != nil {
			rs.Line, _ = o.Source.Line(st.Source)
		}
		rs.Link = Link(st.Source)
		if o.ExplainPOR {
			rs.Reduction = m.Reduction(pre)
		}
		pre = &st.Post
		if st.Recorded.Note != st.Note {
			rs.RecordedNote = st.Recorded.Note
		}
		for _, e := range st.Events {
			switch e.Kind {
			case model.EvAcquire:
				rs.Locking = append(rs.Locking, "+"+m.LockName(e.Lock))
			case model.EvRelease:
				rs.Locking = append(rs.Locking, "-"+m.LockName(e.Lock))
			}
		}
		for _, vi := range st.Violations {
			rs.Violations = append(rs.Violations, vi.Name+": "+vi.Message)
			if rs.ViolatedAt == "" && vi.Where != "" && vi.Where != st.Source {
				rs.ViolatedAt, rs.ViolatedOp = vi.Where, violatedOp(st.Merged, vi)
			}
		}
		rep.Steps = append(rep.Steps, rs)
		prev = v
	}
	rep.Final = snapshot(m, pre)
	if o.Source != nil {
		rep.SourceNotes = o.Source.Notes()
	}
	return rep
}

// violatedOp names what violated inside a merged transaction: the routine
// the actor was in (the innermost of the kernel stack the violation's
// message ends with, "[LWP 1: syscall > ... > setrunnable]") and, when a
// segment of the transaction begins at the violation's line, that
// segment's operation (from the explanation "SRC OP: joins, ...").
func violatedOp(merged []string, v explore.Violation) string {
	var routine, op string
	if i := strings.LastIndexByte(v.Message, '['); i >= 0 && strings.HasSuffix(v.Message, "]") {
		stack := v.Message[i+1 : len(v.Message)-1]
		if j := strings.LastIndex(stack, " > "); j >= 0 {
			routine = stack[j+len(" > "):]
		}
	}
	for _, m := range merged {
		if rest, ok := strings.CutPrefix(m, v.Where+" "); ok {
			if i := strings.LastIndex(rest, ": joins"); i > 0 {
				op = rest[:i]
				break
			}
		}
	}
	switch {
	case routine != "" && op != "":
		return routine + ": " + op
	case routine != "":
		return routine
	}
	return op
}

// who names the actor of a step and where it runs.
func who(st Step) string {
	if strings.HasPrefix(st.Actor, "LWP ") {
		return fmt.Sprintf("%s on cpu%d", st.Actor, st.CPU)
	}
	return st.Actor
}

func snapshot(m *model.Machine, s *model.State) Snapshot {
	v := NewView(m, s)
	var things []string
	if len(v.Procs) > 0 {
		// Several processes: Counters are process 1's; each process's
		// fields are a line of their own.
		things = append(things, "proc1: "+fields(reflect.ValueOf(v.Proc)))
		for _, name := range sortedKeys(v.Procs) {
			things = append(things, name+": "+fields(reflect.ValueOf(v.Procs[name])))
		}
	}
	for _, name := range sortedKeys(v.LWPs) {
		things = append(things, name+": "+fields(reflect.ValueOf(v.LWPs[name])))
	}
	for _, name := range sortedKeys(v.CPUs) {
		things = append(things, name+": "+fields(reflect.ValueOf(v.CPUs[name])))
	}
	if len(v.Env) > 0 {
		var env []string
		for _, name := range sortedKeys(v.Env) {
			env = append(env, fmt.Sprintf("%s=%d", name, v.Env[name]))
		}
		things = append(things, "env: "+strings.Join(env, " "))
	}
	return Snapshot{Things: things, Locks: locksHeld(m, s), Counters: counters(s)}
}

// locksHeld lists the locks held in s with their holders, by lock id.
func locksHeld(m *model.Machine, s *model.State) []string {
	out := []string{}
	for id := uint8(1); id < model.NumLocks; id++ {
		if o := s.Locks[id]; o != 0 {
			out = append(out, fmt.Sprintf("%s (%s)", m.LockName(id), ownerName(s, id, o)))
		}
	}
	return out
}

// counters are process 1's counters.
func counters(s *model.State) Counters {
	p := &s.Procs[0]
	return Counters{int(p.NLWPs), int(p.NRLWPs), int(p.NZLWPs), int(p.NDLWPs), int(p.NLWPWait)}
}
