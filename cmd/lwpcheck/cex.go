package main

import (
	"fmt"
	"os"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
	"github.com/lwpcheck/lwpcheck/traces"
)

// writeCexFiles writes a counterexample file for each finding of r (spec
// sp on rev, explored on machine m) into dir, creating it if needed, and
// returns the files' paths.
func writeCexFiles(dir string, rev *model.Revision, sp *specs.Spec, m *model.Machine, r *explore.Result) ([]string, error) {
	if len(r.Findings) == 0 {
		return nil, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("--cex-dir: %w", err)
	}
	var paths []string
	for _, f := range r.Findings {
		p, err := traces.Write(dir, rev, sp, m, f)
		if err != nil {
			return paths, fmt.Errorf("%s on %s: %s: %w", sp.Name, rev.Name, f.Name, err)
		}
		paths = append(paths, p)
	}
	return paths, nil
}
