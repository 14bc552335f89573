package verdict

import (
	"context"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/specs"
)

// planError is the form of every error of a spec that parses: a position
// in the file, counted from 1, and one line.
var planError = regexp.MustCompile(`^fuzz\.yaml:[1-9]\d*:[1-9]\d*: [^\n]+$`)

// FuzzPlan runs what check does with a spec before searching: plan its
// jobs, validate its expectations and build each job's model. A spec that
// parses either plans or fails with one line at a position in its file.
func FuzzPlan(f *testing.F) {
	all, err := specs.Bundled()
	require.NoError(f, err)
	for _, sp := range all {
		f.Add(sp.Text)
	}
	for _, s := range []string{
		"name: a\nlwps: {1: [self]}\nexpect:\n  netbsd-5: pass\n",
		"name: a\nexpect:\n  default: pass\n  netbsd-7: deadlock\n",
		"name: a\nrevisions: [netbsd-9]\n",
		"name: a\ncheck: [counters]\nexpect: {default: pass, netbsd-5: [deadlock, violation expect]}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sp, err := specs.Parse("fuzz.yaml", data)
		if err != nil {
			return // the parser's own fuzz test covers its errors
		}
		jobs, err := Plan([]*specs.Spec{sp}, nil)
		if err == nil {
			err = Validate(sp, 0)
		}
		for i := 0; err == nil && i < len(jobs); i++ {
			_, _, err = invariants.Build(jobs[i].Rev, sp, 0)
		}
		if err != nil {
			require.Regexp(t, planError, err.Error())
		}
	})
}

// FuzzSearch explores, within a bound, the model of every job of a spec
// that plans, with the cycle check: nothing panics, a search ends with a
// verdict, and the model never reports an error of its own (model-error:
// a state its author ruled out) nor a step that does not end.
func FuzzSearch(f *testing.F) {
	for _, s := range []string{
		"name: a\nlwps: {1: [create 2, wait 2], 2: [exit]}\n",
		"name: a\nlwps: {1: [create 2 suspended, continue 2, kill 2 SIGKILL], 2: [park timeout]}\nenv: {stop: 1, cont: 1}\n",
		"name: a\ncpus: 1\nlwps: {1: [create 2, suspend 2, unpark 2], 2: [park]}\nenv: {core: 1}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sp, err := specs.Parse("fuzz.yaml", data)
		if err != nil {
			return
		}
		jobs, err := Plan([]*specs.Spec{sp}, nil)
		if err != nil {
			return
		}
		for _, j := range jobs {
			m, c, err := invariants.Build(j.Rev, sp, 0)
			if err != nil {
				return
			}
			m.POR = true
			r, err := explore.Run(context.Background(), m, explore.Options{Workers: 1, MaxStates: 3000, Cycles: c.Liveness(explore.Weak)})
			require.NoError(t, err)
			for _, fd := range r.Findings {
				if fd.Name == "model-error" {
					t.Fatalf("%s on %s: %s", sp.Name, j.Rev.Name, fd.Message)
				}
			}
		}
	})
}
