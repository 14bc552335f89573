package invariants

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/model/netbsd"
)

// broken returns a copy of netbsd-2025 with its kernel and documents
// copied too, changed by breakIt.
func broken(breakIt func(r *model.Revision)) *model.Revision {
	r := *netbsd.Netbsd2025
	kn := *r.Kernel
	kn.Routines = slices.Clone(kn.Routines)
	kn.Ops = slices.Clone(kn.Ops)
	docs := *r.Docs
	docs.ManPages = slices.Clone(docs.ManPages)
	docs.Counters = slices.Clone(docs.Counters)
	docs.Known = slices.Clone(docs.Known)
	docs.LockOrder.TrySites = slices.Clone(docs.LockOrder.TrySites)
	r.Kernel, r.Docs = &kn, &docs
	breakIt(&r)
	return &r
}

// TestValidateRevisionRejects registers revisions inconsistently, one way
// at a time, and checks that ValidateRevision names the problem.
func TestValidateRevisionRejects(t *testing.T) {
	tests := []struct {
		name    string
		breakIt func(r *model.Revision)
		want    string
	}{
		{"kernel of another revision", func(r *model.Revision) { r.Kernel.Name = "netbsd-5" },
			`its kernel is named "netbsd-5"`},
		{"no documents", func(r *model.Revision) { r.Docs = nil }, "no kernel or no documents"},
		{"an entry point that does not run", func(r *model.Revision) { r.Kernel.Routines[r.Kernel.Syscall].Run = nil },
			"the syscall entry point does not run"},
		{"a routine in a file the revision does not name", func(r *model.Revision) { r.Kernel.Routines[1].File = 99 },
			"cites file 99"},
		{"a difference from another base", func(r *model.Revision) {
			r.Base = "netbsd-5"
			r.Differences = []model.Difference{{From: "netbsd-2007", Topic: "x", What: "y"}}
		}, `must name the base revision "netbsd-5"`},
		{"an op without a man page", func(r *model.Revision) {
			r.Docs.ManPages = slices.DeleteFunc(r.Docs.ManPages, func(mp model.ManPage) bool { return mp.Op == model.OpWait })
		}, "no man page for _lwp_wait"},
		{"a counter without a rule", func(r *model.Revision) { r.Docs.Counters = r.Docs.Counters[1:] },
			"counter p_nlwps"},
		{"a known finding of no invariant", func(r *model.Revision) {
			r.Docs.Known = append(r.Docs.Known, model.Known{Name: "nosuch/x", Why: "w", Source: "s"})
		}, `known finding "nosuch/x"`},
		{"a try site in a file the kernel lacks", func(r *model.Revision) {
			r.Docs.LockOrder.TrySites = append(r.Docs.LockOrder.TrySites, model.Site{At: "kern_foo.c@1.1:3", Source: "s"})
		}, "the kernel models no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.ErrorContains(t, ValidateRevision(broken(tt.breakIt)), tt.want)
		})
	}
	assert.NoError(t, ValidateRevision(broken(func(*model.Revision) {})), "the copy itself is consistent")
}
