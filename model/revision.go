package model

import (
	"errors"
	"fmt"
)

// Revision is one modelled source revision, one value that owns everything
// specific to it: its kernel (the routine table, each routine placed at its
// lines in the revision's sources, and its flag sets), its documented
// tables, what it models and abstracts, and how it differs from the
// revision it derives from.
type Revision struct {
	Name    string
	About   string
	Sources []string // the source files modelled, with revisions
	Notes   []string // what is abstracted, and why
	Kernel  *Kernel
	Docs    *Docs
	// Base is the revision this one derives from ("" for the first), and
	// Shared, Moved and Overridden count its routines taken unchanged,
	// taken with their lines placed anew, and written for this revision.
	Base                      string
	Shared, Moved, Overridden int
	// Differences lists how the revision differs from Base, each in one
	// place with both sides' lines.
	Differences []Difference
}

// Difference is one way a revision differs from the one it derives from:
// a routine whose C differs, or a table, flag set or counter rule.
type Difference struct {
	From  string // the revision compared with
	Topic string // a C function, or a table
	What  string // how they differ, citing the lines on both sides
}

// Validate checks that the revision is put together consistently: its
// kernel is its own, every routine is named and placed in one of its
// files, the entry points run, and its documents exist. It returns every
// problem found. Checks that need the invariant catalog are
// invariants.ValidateRevision's.
func (r *Revision) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("revision %s: "+format, append([]any{r.Name}, args...)...))
	}
	if r.Name == "" || r.About == "" || len(r.Sources) == 0 {
		bad("a name, an about line and its sources are required")
	}
	if r.Kernel == nil || r.Docs == nil {
		bad("no kernel or no documents")
		return errors.Join(errs...)
	}
	kn := r.Kernel
	if kn.Name != r.Name {
		bad("its kernel is named %q", kn.Name)
	}
	for fn := 1; fn < len(kn.Routines); fn++ {
		rt := &kn.Routines[fn]
		switch {
		case rt.Name == "" && rt.Run == nil: // not in this revision
		case rt.Name == "":
			bad("routine %d runs but has no name", fn)
		case int(rt.File) >= len(kn.Files) || kn.Files[rt.File].Name == "":
			bad("routine %s cites file %d, which the revision does not name", rt.Name, rt.File)
		}
	}
	for _, e := range []struct {
		what string
		fn   uint8
	}{{"syscall", kn.Syscall}, {"trap", kn.Trap}, {"yield", kn.Yield}, {"preempt", kn.Preempt},
		{"startup", kn.Startup}, {"idle", kn.Idle}} {
		if int(e.fn) >= len(kn.Routines) || e.fn == 0 || kn.Routines[e.fn].Run == nil {
			bad("the %s entry point does not run", e.what)
		}
	}
	for ev, fn := range kn.Env {
		if fn != 0 && (int(fn) >= len(kn.Routines) || kn.Routines[fn].Run == nil) {
			bad("environment event %s does not run", EnvName(ev))
		}
	}
	if len(kn.Ops) == 0 || kn.Userret == 0 {
		bad("no ops, or no LW_USERRET flags")
	}
	for _, d := range r.Differences {
		if d.From != r.Base || d.Topic == "" || d.What == "" {
			bad("difference %q must name the base revision %q, a topic and what differs", d.Topic, r.Base)
		}
	}
	if r.Base == "" && (r.Moved+r.Overridden > 0 || len(r.Differences) > 0) {
		bad("it has differences but no base revision")
	}
	return errors.Join(errs...)
}
