package invariants

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

// results records every (syscall, result) a search delivers to user space.
type results struct {
	*Checker
	mu   sync.Mutex
	seen map[string]bool
}

func (r *results) Step(k *model.K, pre, post *model.State, vs []explore.Violation) []explore.Violation {
	for _, e := range k.Events {
		if e.Kind == model.EvReturn {
			r.mu.Lock()
			r.seen[resultKey(model.OpKind(e.From), model.Errno(e.To))] = true
			r.mu.Unlock()
		}
	}
	return r.Checker.Step(k, pre, post, vs)
}

func resultKey(op model.OpKind, e model.Errno) string { return op.Syscall() + " " + e.String() }

// unreachable lists, per revision, the documented results that no spec
// can reach, and why (the revision notes say the same).
var unreachable = map[string]map[string]string{
	"netbsd-2025": {
		"_lwp_create EAGAIN":     "RLIMIT_NTHR and the LID allocator never run out in the model",
		"_lwp_create ENOMEM":     "uvm_uarea_alloc never fails in the model",
		"_lwp_create EINVAL":     "the model's ucontexts are valid (a spec cannot pass a bad one)",
		"_lwp_kill EINVAL":       "a spec names modelled signals only, all valid",
		"_lwp_park EINVAL":       "a spec's timeout is always a valid timespec",
		"_lwp_unpark_all EFAULT": "a spec's target array is always readable",
		"_lwp_unpark_all EINVAL": "a spec names 1 to a few targets, within 1..LWP_UNPARK_MAX",
		"_lwp_unpark_all ENOMEM": "kmem_alloc with KM_SLEEP does not fail; only a large array is allocated at all",
		"_lwp_wakeup EBUSY": "no LWP a program can name sleeps uninterruptibly in the model while another LWP " +
			"can still run user code (the uninterruptible sleeps are exit's and core dump's)",
	},
	"netbsd-2007": {
		"_lwp_create EAGAIN":     "the LWP limit is not checked by sys_lwp.c 1.16 (\"XXX check against resource limits\", :101)",
		"_lwp_create ENOMEM":     "uvm_uarea_alloc never fails in the model",
		"_lwp_kill EINVAL":       "a spec names modelled signals only, all valid",
		"_lwp_park EINVAL":       "a spec's timeout is always a valid timespec",
		"_lwp_unpark_all EFAULT": "a spec's target array is always readable",
		"_lwp_unpark_all EINVAL": "a spec names 1 to a few targets, within 1..LWP_UNPARK_MAX",
		"_lwp_unpark_all ENOMEM": "kmem_alloc with KM_SLEEP does not fail",
		"_lwp_wakeup EBUSY": "no LWP a program can name sleeps uninterruptibly in the model while another LWP " +
			"can still run user code (the uninterruptible sleeps are exit's and core dump's)",
	},
	"netbsd-5": {
		"_lwp_create EAGAIN":     "the LWP limit is not checked by sys_lwp.c 1.43.4.1 (\"XXX check against resource limits\", :107)",
		"_lwp_create ENOMEM":     "uvm_uarea_alloc never fails in the model",
		"_lwp_kill EINVAL":       "a spec names modelled signals only, all valid",
		"_lwp_park EINVAL":       "a spec's timeout is always a valid timespec",
		"_lwp_unpark_all EFAULT": "a spec's target array is always readable",
		"_lwp_unpark_all EINVAL": "a spec names 1 to a few targets, within 1..LWP_UNPARK_MAX",
		"_lwp_unpark_all ENOMEM": "kmem_alloc with KM_SLEEP does not fail",
		"_lwp_wakeup EBUSY": "no LWP a program can name sleeps uninterruptibly in the model while another LWP " +
			"can still run user code (the uninterruptible sleeps are exit's and core dump's)",
	},
}

// TestDocumentedErrorsReached runs every bundled spec on each revision and
// checks that each result the era's man pages document is returned by
// some spec, unless listed in unreachable with the reason.
func TestDocumentedErrorsReached(t *testing.T) {
	all, err := specs.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	for _, rev := range revisions.All() {
		t.Run(rev.Name, func(t *testing.T) {
			t.Parallel()
			rec := &results{seen: map[string]bool{}}
			for _, sp := range all {
				m, c, err := Build(rev, sp, 0)
				if err != nil {
					continue // an op the revision lacks
				}
				m.POR = true
				rec.Checker = c
				m.Check = rec
				if _, err := explore.Run(context.Background(), m, explore.Options{Workers: 2}); err != nil {
					t.Fatal(err)
				}
			}
			var missing []string
			for _, mp := range rev.Docs.ManPages {
				for _, d := range mp.Results {
					key := resultKey(mp.Op, d.Errno)
					_, excused := unreachable[rev.Name][key]
					switch {
					case rec.seen[key] && excused:
						t.Errorf("%s is reached by a bundled spec but listed as unreachable", key)
					case !rec.seen[key] && !excused:
						missing = append(missing, key)
					}
				}
			}
			slices.Sort(missing)
			for _, k := range missing {
				t.Errorf("no bundled spec returns %s, which its man page documents", k)
			}
		})
	}
}
