package invariants

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Validate checks a catalog in the manner of go/analysis's Validate: every
// invariant has a well-formed, unique name, a doc, a source and a known
// family, and at most one check. It returns every problem found.
func Validate(invs []*Invariant) error {
	var errs []error
	seen := map[string]bool{}
	for i, inv := range invs {
		if inv == nil {
			errs = append(errs, fmt.Errorf("invariant %d is nil", i))
			continue
		}
		if !validName(inv.Name) {
			errs = append(errs, fmt.Errorf("invariant %d: bad name %q (want lowercase words and C identifiers joined by '-')", i, inv.Name))
		}
		if seen[inv.Name] {
			errs = append(errs, fmt.Errorf("invariant %q: duplicate name", inv.Name))
		}
		seen[inv.Name] = true
		if strings.TrimSpace(inv.Doc) == "" || strings.Contains(inv.Doc, "\n") {
			errs = append(errs, fmt.Errorf("invariant %q: doc must be one non-empty line", inv.Name))
		}
		if strings.TrimSpace(inv.Source) == "" {
			errs = append(errs, fmt.Errorf("invariant %q: no source", inv.Name))
		}
		if !slices.Contains(specs.Families(), inv.Family) {
			errs = append(errs, fmt.Errorf("invariant %q: unknown family %d", inv.Name, inv.Family))
		}
		checks := 0
		for _, set := range []bool{inv.State != nil, inv.Step != nil, inv.Terminal != nil, inv.Run != nil} {
			if set {
				checks++
			}
		}
		if checks > 1 {
			errs = append(errs, fmt.Errorf("invariant %q: %d checks, want at most one", inv.Name, checks))
		}
	}
	return errors.Join(errs...)
}

// validName reports whether s is lowercase words and C identifiers
// (a-z, 0-9, '_') joined by '-'.
func validName(s string) bool {
	if s == "" {
		return false
	}
	for _, w := range strings.Split(s, "-") {
		if w == "" {
			return false
		}
		for _, r := range w {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '_' {
				return false
			}
		}
	}
	return true
}

// ValidateRevision checks a revision as the checker will use it: it is put
// together consistently (model.Revision.Validate), its documents compile
// against its kernel (try sites name its files), they give a lock for
// every state, a man page for every op, a rule for every counter and a
// source for every entry, and every invariant name they use (sources,
// known findings) is in the catalog. It returns every problem found.
func ValidateRevision(rev *model.Revision) error {
	if err := rev.Validate(); err != nil {
		return err
	}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("revision %s: "+format, append([]any{rev.Name}, args...)...))
	}
	d := rev.Docs
	r, err := compile(d, rev.Kernel)
	if err != nil {
		bad("%v", err)
	}
	for _, st := range []uint8{model.LSIDL, model.LSRUN, model.LSSLEEP, model.LSSTOP, model.LSZOMB, model.LSONPROC, model.LSSUSPENDED} {
		if r.stateLock[st] == nil {
			bad("no lock for %s in the state-to-lock table", model.StatName(st))
		}
	}
	for _, op := range rev.Kernel.Ops {
		if int(op) >= len(r.pages) || r.pages[op] == nil {
			bad("no man page for %s", op.Syscall())
		}
	}
	for ctr := range model.NumCounters {
		if cr := r.counters[ctr]; cr == nil || cr.Doc == "" || cr.Source == "" {
			bad("no rule, or one without a description or source, for counter %s", ctr)
		}
	}
	for _, ch := range d.LockOrder.Chains {
		if ch.Source == "" || len(ch.Classes) < 2 {
			bad("a lock chain without a source or with fewer than two classes")
		}
	}
	for _, sl := range d.StateLocks {
		if sl.Source == "" {
			bad("the state lock of %s has no source", model.StatName(sl.Stat))
		}
	}
	for _, tr := range d.Transitions {
		if tr.Source == "" {
			bad("transition %s->%s has no source", model.StatName(tr.From), model.StatName(tr.To))
		}
	}
	for _, mp := range d.ManPages {
		if mp.Page == "" || mp.Source == "" {
			bad("the man page of %s has no name or no source", mp.Op.Syscall())
		}
	}
	for name, src := range d.Sources {
		if _, ok := Lookup(name); !ok || src == "" {
			bad("source %q: no such invariant, or no source", name)
		}
	}
	for _, k := range d.Known {
		if _, ok := Lookup(BaseName(k.Name)); !ok || k.Why == "" || k.Source == "" {
			bad("known finding %q: no such invariant, or no reason or source", k.Name)
		}
	}
	return errors.Join(errs...)
}
