package specs

import (
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strings"
)

// files holds the bundled specs. Each file is named after its spec.
//
//go:embed *.yaml
var files embed.FS

// Bundled returns every bundled spec, sorted by name.
func Bundled() ([]*Spec, error) {
	names, err := fs.Glob(files, "*.yaml")
	if err != nil {
		return nil, err
	}
	var all []*Spec
	for _, name := range names {
		s, err := load(name)
		if err != nil {
			return nil, err
		}
		all = append(all, s)
	}
	slices.SortFunc(all, func(a, b *Spec) int { return strings.Compare(a.Name, b.Name) })
	return all, nil
}

// Lookup returns the bundled spec called name.
func Lookup(name string) (*Spec, error) {
	if !isName(name) {
		return nil, fmt.Errorf("no bundled spec %q", name)
	}
	return load(name + ".yaml")
}

// load parses the bundled file name.
func load(name string) (*Spec, error) {
	data, err := files.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("no bundled spec %q", strings.TrimSuffix(name, ".yaml"))
	}
	sp, err := Parse(name, data)
	if err != nil {
		return nil, err
	}
	sp.Bundled = true
	return sp, nil
}
