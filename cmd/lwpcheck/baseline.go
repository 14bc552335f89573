package main

import (
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/readcap"
	"github.com/lwpcheck/lwpcheck/traces"
	"github.com/lwpcheck/lwpcheck/verdict"
)

// baselineFormat tags the baseline files check reads (--baseline) and
// writes (--write-baseline).
const baselineFormat = "lwpcheck-baseline/1"

// baseline lists the findings a project has accepted: check reports them
// but they do not fail a spec, so CI fails only on new ones.
type baseline struct {
	Format   string          `json:"format"`
	Findings []baselineEntry `json:"findings"`
}

// baselineEntry is one accepted finding: its spec, revision and name, as
// check prints them (a keyed one with its key: lock-order/sleepq->spc_lwplock).
// Message is what it said when it was accepted, for the reader.
type baselineEntry struct {
	Spec     string `json:"spec"`
	Revision string `json:"revision"`
	Finding  string `json:"finding"`
	Message  string `json:"message,omitempty"`
}

func (e baselineEntry) key() string { return e.Spec + "\x00" + e.Revision + "\x00" + e.Finding }

// readBaseline reads and checks a baseline file; its errors are one line
// naming the file (and the line and column, for malformed JSON).
func readBaseline(path string) (*baseline, error) {
	data, err := readcap.ReadFile(path, readcap.Baseline)
	if err != nil {
		return nil, err
	}
	var b baseline
	at, err := traces.DecodeStrict(path, data, &b, "baseline")
	if err != nil {
		return nil, err
	}
	if b.Format != baselineFormat {
		return nil, at.Error(&traces.FieldError{Path: "format",
			Msg: fmt.Sprintf("format %q is not supported (this lwpcheck reads %s)", b.Format, baselineFormat)})
	}
	seen := map[string]bool{}
	for i, e := range b.Findings {
		entry := fmt.Sprintf("findings.%d", i)
		switch {
		case e.Spec == "" || e.Revision == "" || e.Finding == "":
			return nil, at.Error(&traces.FieldError{Path: entry, Msg: fmt.Sprintf("finding %d needs a spec, a revision and a finding", i+1)})
		case seen[e.key()]:
			return nil, at.Error(&traces.FieldError{Path: entry,
				Msg: fmt.Sprintf("finding %d (%s on %s: %s) is listed twice", i+1, e.Spec, e.Revision, e.Finding)})
		}
		seen[e.key()] = true
	}
	return &b, nil
}

// accepted returns the findings b accepts for spec on revision.
func (b *baseline) accepted(spec, revision string) []string {
	var out []string
	for _, e := range b.Findings {
		if e.Spec == spec && e.Revision == revision {
			out = append(out, e.Finding)
		}
	}
	return out
}

// gone returns, for result r, the findings b accepts that r did not find.
func (b *baseline) gone(r *checkResult) []string {
	var out []string
	for _, name := range b.accepted(r.Spec, r.Revision) {
		if !slices.ContainsFunc(r.Findings, func(f finding) bool { return f.Name == name }) {
			out = append(out, name)
		}
	}
	return out
}

// newBaseline lists what results would need accepted to pass: the
// findings that fail their spec and those a baseline already accepts.
func newBaseline(results []checkResult) *baseline {
	b := &baseline{Format: baselineFormat, Findings: []baselineEntry{}}
	for _, r := range results {
		for _, f := range r.Findings {
			if f.Known == verdict.Baselined || slices.Contains(r.unexpected, f.Name) {
				b.Findings = append(b.Findings, baselineEntry{Spec: r.Spec, Revision: r.Revision, Finding: f.Name, Message: f.Message})
			}
		}
	}
	slices.SortStableFunc(b.Findings, func(x, y baselineEntry) int { return strings.Compare(x.key(), y.key()) })
	return b
}

// write writes b to path.
func (b *baseline) write(path string) error {
	data, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, append(data, '\n'), 0o644); err != nil {
		return fmt.Errorf("--write-baseline: %w", err)
	}
	return nil
}
