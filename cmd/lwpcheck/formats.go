package main

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
)

// findingSource is the source line of a finding: where the check saw it,
// or for a state found bad, the line where the last step of its trace
// ended; "" if it has none.
func findingSource(m *model.Machine, f explore.Finding) string {
	if f.Where != "" || len(f.Trace) == 0 {
		return f.Where
	}
	states, err := explore.Replay[model.State](m, f.Init, f.Trace[:len(f.Trace)-1])
	if err != nil {
		return ""
	}
	st, _, k, err := m.Describe(&states[len(states)-1], f.Trace[len(f.Trace)-1])
	if err != nil {
		return ""
	}
	if n := len(k.Events); n > 0 {
		return m.Kernel.Src(k.Events[n-1].Src)
	}
	return st.Source
}

// JUnit XML: one test suite per revision, one test case per spec.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string        `xml:"classname,attr"`
	Name    string        `xml:"name,attr"`
	Time    string        `xml:"time,attr"`
	Failure *junitFailure `xml:"failure,omitempty"`
	Skipped *junitFailure `xml:"skipped,omitempty"`
	Out     string        `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes the results as JUnit XML: a spec that does not meet
// its expectation is a failure, an incomplete search a skipped test.
func writeJUnit(w io.Writer, results []checkResult) error {
	all := junitSuites{Name: "lwpcheck"}
	byRev := map[string]*junitSuite{}
	var order []string
	for i := range results {
		r := &results[i]
		s, ok := byRev[r.Revision]
		if !ok {
			s = &junitSuite{Name: r.Revision}
			byRev[r.Revision] = s
			order = append(order, r.Revision)
		}
		var out strings.Builder
		printResult(&out, r, nil)
		c := junitCase{Class: r.Revision, Name: r.Spec, Time: secs(r.Seconds), Out: out.String()}
		switch {
		case !r.Met && r.Verdict == "incomplete", r.Verdict == skipped:
			c.Skipped = &junitFailure{Message: r.Why}
			s.Skipped++
		case !r.Met:
			c.Failure = &junitFailure{Message: r.Why, Type: r.Verdict, Text: out.String()}
			s.Failures++
			all.Failures++
		}
		s.Tests++
		all.Tests++
		s.Cases = append(s.Cases, c)
	}
	for _, rev := range order {
		s := byRev[rev]
		total := 0.0
		for _, c := range s.Cases {
			t, _ := strconv.ParseFloat(c.Time, 64)
			total += t
		}
		s.Time = secs(total)
		all.Suites = append(all.Suites, *s)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(all); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func secs(s float64) string { return strconv.FormatFloat(s, 'f', 3, 64) }

// SARIF 2.1.0, the subset code-scanning tools read: one rule per invariant
// that has a finding, one result per finding, located at the C line of
// the counterexample's last step.
type sarifLog struct {
	Version string     `json:"version"`
	Schema  string     `json:"$schema"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name  string      `json:"name"`
	Rules []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID               string       `json:"id"`
	ShortDescription sarifMessage `json:"shortDescription"`
	Properties       struct {
		Family string `json:"family"`
		Source string `json:"source"`
	} `json:"properties"`
}

type sarifMessage struct {
	Text string `json:"text"`
}

type sarifResult struct {
	RuleID    string          `json:"ruleId"`
	Level     string          `json:"level"`
	Message   sarifMessage    `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifLocation struct {
	Physical sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	Artifact sarifArtifact `json:"artifactLocation"`
	Region   sarifRegion   `json:"region"`
}

type sarifArtifact struct {
	URI string `json:"uri"`
}

type sarifRegion struct {
	StartLine int `json:"startLine"`
}

// writeSARIF writes the findings as SARIF: an unexpected finding is an
// error, a known or expected one a note.
func writeSARIF(w io.Writer, results []checkResult) error {
	run := sarifRun{Tool: sarifTool{Driver: sarifDriver{Name: "lwpcheck"}}, Results: []sarifResult{}}
	var rules []string
	for _, r := range results {
		for _, f := range r.Findings {
			base := invariants.BaseName(f.Name)
			if !slices.Contains(rules, base) {
				rules = append(rules, base)
			}
			level := "error"
			if f.Known != "" || strings.HasSuffix(r.Expect, base) {
				level = "note"
			}
			res := sarifResult{RuleID: base, Level: level,
				Message: sarifMessage{fmt.Sprintf("%s on %s: %s: %s (%d steps)", r.Spec, r.Revision, f.Name, f.Message, f.Steps)}}
			if uri, line, ok := cLocation(f.Source); ok {
				res.Locations = []sarifLocation{{sarifPhysical{sarifArtifact{uri}, sarifRegion{line}}}}
			}
			run.Results = append(run.Results, res)
		}
	}
	slices.Sort(rules)
	for _, id := range rules {
		rule := sarifRule{ID: id}
		if inv, ok := invariants.Lookup(id); ok {
			rule.ShortDescription.Text = inv.Doc
			rule.Properties.Family, rule.Properties.Source = inv.Family, inv.Source
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, rule)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(sarifLog{Version: "2.1.0",
		Schema: "https://json.schemastore.org/sarif-2.1.0.json", Runs: []sarifRun{run}})
}

// cLocation turns "kern_lwp.c@1.270:1293" into the file's path in a
// NetBSD tree and the line.
func cLocation(src string) (uri string, line int, ok bool) {
	file, rest, ok1 := strings.Cut(src, "@")
	_, ln, ok2 := strings.Cut(rest, ":")
	n, err := strconv.Atoi(ln)
	if !ok1 || !ok2 || err != nil {
		return "", 0, false
	}
	return "sys/kern/" + file, n, true
}
