// Package revisions is the registry of the modelled source revisions.
package revisions

import (
	"fmt"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/model/netbsd/netbsd2007"
	"github.com/lwpcheck/lwpcheck/model/netbsd/netbsd5"
)

// All returns every modelled revision, oldest first.
func All() []*model.Revision {
	return []*model.Revision{netbsd2007.Netbsd2007, netbsd5.Netbsd5, netbsd.Netbsd2025}
}

// Names returns the names of all revisions.
func Names() []string {
	var out []string
	for _, r := range All() {
		out = append(out, r.Name)
	}
	return out
}

// Lookup returns the revision called name.
func Lookup(name string) (*model.Revision, error) {
	for _, r := range All() {
		if r.Name == name {
			return r, nil
		}
	}
	return nil, fmt.Errorf("unknown revision %q (known: %s)", name, strings.Join(Names(), ", "))
}
