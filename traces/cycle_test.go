package traces

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// weakLasso is the hang that kill-process shows on netbsd-2025 when LWPs
// are held to weak fairness only: exit_lwps's one-tick retry takes p_lock
// back each time before the LWP in _lwp_create that waits for it gets it.
// The model's own fairness (strong for LWPs) rules it out; it is the
// smallest lasso the intact model has.
func weakLasso(t *testing.T) *Cex {
	t.Helper()
	sp, err := specs.Lookup("kill-process")
	require.NoError(t, err)
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	m, c, err := invariants.Build(rev, sp, sp.Check)
	require.NoError(t, err)
	m.POR, m.WeakLWPs = true, true
	r, err := explore.Run(context.Background(), m, explore.Options{Workers: 2, Cycles: c.Liveness(explore.Weak)})
	require.NoError(t, err)
	for _, f := range r.Findings {
		if f.Name == "hang" {
			require.True(t, f.Lasso)
			cx, err := New(rev, sp, m, f)
			require.NoError(t, err)
			return cx
		}
	}
	t.Fatalf("no hang under weak fairness; findings %v", r.Findings)
	return nil
}

func TestCycleCounterexample(t *testing.T) {
	cx := weakLasso(t)
	assert.Equal(t, KindCycle, cx.Violation.Kind)
	assert.Greater(t, cx.Loop, 1)
	assert.LessOrEqual(t, cx.Loop, len(cx.Steps))

	data, err := cx.Marshal()
	require.NoError(t, err)
	golden(t, "cycle/kill-process-netbsd-2025-weak.cex.json", data)
	back, err := Parse("x.cex.json", data)
	require.NoError(t, err)
	m := machine(t, back)
	m.POR = back.POR
	r, err := Replay(m, back)
	require.NoError(t, err)
	assert.True(t, r.Closed, "the loop returns to its first state")
	assert.True(t, r.Recurs, r.Verdict())
	assert.Contains(t, r.Verdict(), "the violation recurs: hang: ")
	assert.Contains(t, r.Verdict(), "return to the state before step")

	rep := r.Report(Options{Name: "x.cex.json"})
	var text, mmd, html, dot bytes.Buffer
	require.NoError(t, rep.WriteDOT(&dot))
	assert.Contains(t, dot.String(), fmt.Sprintf("s%d -> s%d [label=\"the same state", len(back.Steps), back.Loop-1))
	require.NoError(t, rep.WriteText(&text))
	require.NoError(t, rep.WriteMermaid(&mmd))
	require.NoError(t, rep.WriteHTML(&html))
	golden(t, "cycle/kill-process-netbsd-2025-weak.txt", text.Bytes())
	assert.Contains(t, mmd.String(), "  loop steps ")
	assert.Equal(t, 1, strings.Count(html.String(), `class="loop-head"`))

	// A loop cut short no longer returns to its first state.
	cut := *back
	cut.Steps = cut.Steps[:len(cut.Steps)-1]
	r, err = Replay(m, &cut)
	require.NoError(t, err)
	assert.False(t, r.Recurs)
	assert.Contains(t, r.Verdict(), "no longer return to the state before step")
}
