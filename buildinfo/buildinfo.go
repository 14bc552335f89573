// Package buildinfo says which lwpcheck is running: the module version it
// was installed at, or the commit it was built from.
package buildinfo

import "runtime/debug"

// Version is the module version, or the vcs.revision the binary was built
// from (with +dirty for a tree with changes), or "(devel)" when neither is
// known (go run, go test).
func Version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "(devel)"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev, dirty string
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision":
			rev = s.Value
		case s.Key == "vcs.modified" && s.Value == "true":
			dirty = "+dirty"
		}
	}
	if rev == "" {
		return "(devel)"
	}
	return rev + dirty
}
