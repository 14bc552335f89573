package revisions

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// preemptions records, for every step of a search, whether it preempted
// an LWP running in the kernel, and which CPUs' run queues were used.
type preemptions struct {
	*invariants.Checker
	mu       sync.Mutex
	inKernel int // preemptions of an LWP inside the kernel
	total    int // preemptions
	queues   map[int]bool
	locks    map[uint8]bool // the spc_mutex locks taken
}

func (p *preemptions) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	p.mu.Lock()
	if k.What == "kernel preemption requested" && k.Cur >= 0 {
		p.total++
		if pre.LWPs[k.Cur].InKernel() {
			p.inKernel++
		}
	}
	for c := range post.CPUs {
		if post.CPUs[c].NRun > 0 {
			p.queues[c] = true
		}
	}
	for _, e := range k.Events {
		if e.Kind == model.EvAcquire && model.ClassOf(e.Lock) == model.ClassSpcMutex {
			p.locks[e.Lock] = true
		}
	}
	p.mu.Unlock()
	return p.Checker.Step(k, pre, post, vs)
}

// TestKernelProperties: the kernel properties a revision states hold in
// every explored step. netbsd-2007 has one run queue under one scheduler
// lock and never preempts an LWP in the kernel; netbsd-2025 has a queue
// and a lock per CPU and preempts in the kernel (so the checks can fail).
func TestKernelProperties(t *testing.T) {
	sp, err := specs.Parse("t.yaml", []byte("name: t\ncpus: 2\nlwps:\n  1: [create 2 -> 0, create 3 -> 0, wait 2 -> 0]\n  2: [self -> 0, exit]\n  3: [self -> 0]\nenv: {preempt: 2}\n"))
	require.NoError(t, err)
	for _, tt := range []struct {
		rev        string
		oneQueue   bool
		kernelPrem bool
	}{{"netbsd-2007", true, false}, {"netbsd-2025", false, true}} {
		t.Run(tt.rev, func(t *testing.T) {
			rev, err := Lookup(tt.rev)
			require.NoError(t, err)
			m, c, err := invariants.Build(rev, sp, 0)
			require.NoError(t, err)
			p := &preemptions{Checker: c, queues: map[int]bool{}, locks: map[uint8]bool{}}
			m.Check = p
			_, err = explore.Run(context.Background(), m, explore.Options{Workers: 2})
			require.NoError(t, err)
			assert.Positive(t, p.total, "no preemption at all")
			assert.Equal(t, tt.kernelPrem, p.inKernel > 0, "preemptions in the kernel: %d", p.inKernel)
			assert.Equal(t, tt.oneQueue, !p.queues[1], "run queues used: %v", p.queues)
			assert.Equal(t, tt.oneQueue, len(p.locks) == 1, "spc_mutex locks taken: %v", p.locks)
		})
	}
}
