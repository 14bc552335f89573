package specs

import (
	"fmt"
	"strings"
)

// Family is a family of invariants, as a spec's check line and check's
// --check flag name it.
type Family uint8

// The invariant families, in the order `list invariants` prints them.
const (
	FamilyCounters Family = iota + 1
	FamilyLockOrder
	FamilyLockState
	FamilyTransitions
	FamilyErrors
	FamilyKAssert
	FamilyDeadlock
	FamilyExpect
	numFamilies
)

var familyNames = [...]string{"", "counters", "lock-order", "lock-state", "transitions", "errors", "kassert", "deadlock", "expect"}

func (f Family) String() string {
	if int(f) < len(familyNames) && f > 0 {
		return familyNames[f]
	}
	return "?"
}

// Families lists every family, in order.
func Families() []Family {
	out := make([]Family, 0, numFamilies-1)
	for f := FamilyCounters; f < numFamilies; f++ {
		out = append(out, f)
	}
	return out
}

// FamilySet is a set of families. The zero set is "not given": a spec's
// check line then decides, or every family where nothing does.
type FamilySet uint16

// AllFamilies holds every family.
const AllFamilies FamilySet = 1<<numFamilies - 2

// Has reports whether the set holds f; the zero set holds every family.
func (s FamilySet) Has(f Family) bool { return s == 0 || s&(1<<f) != 0 }

// With returns the set with f added.
func (s FamilySet) With(f Family) FamilySet { return s | 1<<f }

// String lists the set's families, comma-separated ("all" for every one).
func (s FamilySet) String() string {
	if s == 0 || s == AllFamilies {
		return "all"
	}
	return s.join(",")
}

// familyWords are the names a check list accepts: "all", then every
// family's.
func familyWords() string { return "all, " + AllFamilies.join(", ") }

func (s FamilySet) join(sep string) string {
	var names []string
	for _, f := range Families() {
		if s.Has(f) {
			names = append(names, f.String())
		}
	}
	return strings.Join(names, sep)
}

// ParseFamily returns the family called name.
func ParseFamily(name string) (Family, bool) {
	for f := FamilyCounters; f < numFamilies; f++ {
		if familyNames[f] == name {
			return f, true
		}
	}
	return 0, false
}

// ParseFamilies reads a check list: family names, or "all" alone.
// It returns the index of the name it rejects, with the reason.
func ParseFamilies(names []string) (FamilySet, int, error) {
	var s FamilySet
	for i, n := range names {
		if n == "all" {
			if len(names) > 1 {
				return 0, i, fmt.Errorf("all includes every other family")
			}
			return AllFamilies, 0, nil
		}
		f, ok := ParseFamily(n)
		if !ok {
			return 0, i, fmt.Errorf("unknown family %q (want %s)", n, familyWords())
		}
		s = s.With(f)
	}
	return s, 0, nil
}
