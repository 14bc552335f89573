package verify

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
)

// witness makes the run that ends with action last from closure state
// from into r.Witness: a counterexample file whose spec is the trace's
// programs, on a machine that records its ktrace points.
func (s *search) witness(r *Result, from int32, last explore.Action) {
	run := []explore.Action{last}
	for id := from; id >= 0 && s.parent[id] >= 0; id = s.parent[id] {
		run = append(run, s.action[id])
	}
	slices.Reverse(run)
	for n := 1; n < model.MaxNames; n++ {
		if len(s.p.steps[n]) > specs.MaxSteps {
			r.NoWitness = fmt.Sprintf("LWP %d makes %d calls; the spec of a counterexample file holds %d", n, len(s.p.steps[n]), specs.MaxSteps)
			return
		}
	}
	var used [model.NumEnv]int
	for _, a := range run {
		if ev, ok := model.EnvEvent(a); ok {
			used[ev]++
		}
	}
	text, err := s.specText(used)
	if err != nil {
		r.NoWitness = err.Error()
		return
	}
	name := specName(s.file)
	sp, err := specs.Parse(name+".yaml", text)
	if err != nil {
		r.NoWitness = fmt.Sprintf("the trace's programs do not make a spec: %v", err)
		return
	}
	m, err := model.New(s.o.Revision, sp)
	if err != nil {
		r.NoWitness = fmt.Sprintf("the trace's programs do not make a machine: %v", err)
		return
	}
	m.Ktrace, m.POR = true, s.m.POR
	c, err := traces.NewRecorded(s.o.Revision, sp, m, run,
		fmt.Sprintf("%s explains %s (process %d): %s", s.o.Revision.Name, filepath.Base(s.file), s.o.PID, s.p.reading))
	if err != nil {
		r.NoWitness = fmt.Sprintf("the matching run does not replay: %v", err)
		return
	}
	r.Witness = c
}

// specText writes the spec of the trace's programs, with the environment
// events the run used.
func (s *search) specText(used [model.NumEnv]int) ([]byte, error) {
	var b strings.Builder
	fmt.Fprintf(&b, "name: %s\n", specName(s.file))
	fmt.Fprintf(&b, "about: %s\n", strconv.Quote(fmt.Sprintf("The programs recorded in %s: %s.", filepath.Base(s.file), s.p.reading)))
	fmt.Fprintf(&b, "cpus: %d\n", s.m.NCPU)
	b.WriteString("lwps:\n")
	for n := 1; n < model.MaxNames; n++ {
		if len(s.p.steps[n]) == 0 {
			continue
		}
		fmt.Fprintf(&b, "  %d:\n", n)
		for _, st := range s.p.steps[n] {
			fmt.Fprintf(&b, "    - %s\n", strconv.Quote(st.Text))
		}
	}
	budget := []int{s.o.Env.Stop, s.o.Env.Cont, s.o.Env.Exit, s.o.Env.Core, used[model.EnvTimeout], used[model.EnvPreempt], used[model.EnvMigrate]}
	var env []string
	for e, n := range budget {
		if n > specs.MaxEnv {
			return nil, fmt.Errorf("the run has %d %s events; the spec of a counterexample file allows %d", n, model.EnvName(e), specs.MaxEnv)
		}
		if n > 0 {
			env = append(env, fmt.Sprintf("%s: %d", model.EnvName(e), n))
		}
	}
	if len(env) > 0 {
		fmt.Fprintf(&b, "env: {%s}\n", strings.Join(env, ", "))
	}
	return []byte(b.String()), nil
}

// specName makes a spec name of a trace file's name: "trace-" and its
// base name in lowercase words.
func specName(file string) string {
	base := strings.ToLower(strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	var words []string
	for w := range strings.FieldsFuncSeq(base, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		words = append(words, w)
	}
	return strings.Join(append([]string{"trace"}, words...), "-")
}
