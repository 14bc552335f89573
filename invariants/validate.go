package invariants

import (
	"errors"
	"fmt"
	"slices"
	"strings"
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
		if !slices.Contains(Families, inv.Family) {
			errs = append(errs, fmt.Errorf("invariant %q: unknown family %q", inv.Name, inv.Family))
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
