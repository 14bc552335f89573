package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/lwpcheck/lwpcheck/buildinfo"
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
		case !r.Met && r.Verdict == verdictIncomplete, r.Verdict == skipped:
			c.Skipped = &junitFailure{Message: r.Why}
			s.Skipped++
		case !r.Met:
			c.Failure = &junitFailure{Message: r.Why, Type: string(r.Verdict), Text: out.String()}
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

// writeSARIF writes the findings as SARIF 2.1.0 (github.com/owenrumney/
// go-sarif): one rule per invariant that has a finding, one result per
// finding, located at the C line of the counterexample's last step (or its
// last step at a C line, or else the spec: code-scanning uploads refuse a
// result without a location), with the counterexample as a code flow (one thread flow per LWP, CPU or the
// environment, each step at its C line; one code flow per edge of a lock
// cycle) and a partial fingerprint that stays the same across runs. An
// unexpected finding is an error, a known or expected one a note; a known
// one is suppressed, with the revision's reason.
func writeSARIF(w io.Writer, results []checkResult, finished bool) error {
	driver := sarif.NewToolComponent()
	name, ver := "lwpcheck", buildinfo.Version()
	driver.Name, driver.Version = &name, &ver
	run := sarif.NewRun()
	run.Tool = sarif.NewTool()
	run.Tool.Driver = driver
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
			res := sarif.NewRuleResult(base).WithLevel(level).
				WithMessage(sarif.NewTextMessage(fmt.Sprintf("%s on %s: %s: %s (%d steps)", r.Spec, r.Revision, f.Name, f.Message, f.Steps))).
				WithPartialFingerprints(map[string]string{"lwpcheck/v2": fingerprint(r.Spec, r.Revision, f, f.Source)})
			res.AddLocation(findingLocation(r, &f))
			if f.Known != "" {
				// A known disagreement of the revision (its table says
				// why): reported, and suppressed, so that code scanning
				// does not raise it as an open alert.
				res.AddSuppression(sarif.NewSuppression().WithKind("external").WithStatus("accepted").WithJustification(f.Known))
			}
			for _, flow := range f.flows {
				res.AddCodeFlow(codeFlow(flow))
			}
			run.AddResult(res)
		}
	}
	// The invocation says whether the run finished (a signal stops it:
	// executionSuccessful false), and each search a limit or the signal
	// cut short is a notification, so that an incomplete run is not read
	// as clean.
	inv := sarif.NewInvocation()
	for _, r := range results {
		if r.Limit == "" {
			continue
		}
		level, why := "warning", "the limit "+r.Limit
		if r.Limit == string(explore.LimitInterrupted) {
			level, why = "error", "a signal"
		}
		inv.AddToolExecutionNotification(sarif.NewNotification().WithLevel(level).WithMessage(sarif.NewTextMessage(
			fmt.Sprintf("%s on %s: %s: stopped by %s after %d states", r.Spec, r.Revision, r.Verdict, why, r.States))))
	}
	inv.WithExecutionSuccessful(finished)
	run.AddInvocation(inv)
	slices.Sort(rules)
	for _, id := range rules {
		rule := sarif.NewRule(id)
		if inv, ok := invariants.Lookup(id); ok {
			rule.WithDescription(inv.Doc).WithProperties(sarif.NewPropertyBag().Add("family", inv.Family.String()).Add("source", inv.Source))
		}
		driver.AddRule(rule)
	}
	rep := sarif.NewReport()
	rep.AddRun(run)
	return rep.PrettyWrite(w)
}

// flowStep is one step of a counterexample, for a SARIF code flow.
type flowStep struct {
	n      int
	actor  string
	action string
	source string
}

// codeFlow is a counterexample as a SARIF code flow: a thread flow per
// actor, its steps in order, each at its C line and numbered in the run.
func codeFlow(steps []flowStep) *sarif.CodeFlow {
	cf := sarif.NewCodeFlow()
	threads := map[string]*sarif.ThreadFlow{}
	for _, st := range steps {
		tf := threads[st.actor]
		if tf == nil {
			tf = sarif.NewThreadFlow().WithID(st.actor)
			threads[st.actor] = tf
			cf.AddThreadFlow(tf)
		}
		loc := cLocationOf(st.source, fmt.Sprintf("step %d: %s", st.n, st.action))
		if loc == nil {
			loc = sarif.NewLocation().WithMessage(sarif.NewTextMessage(fmt.Sprintf("step %d: %s (the model's glue)", st.n, st.action)))
		}
		tf.AddLocation(sarif.NewThreadFlowLocation().WithLocation(loc).WithExecutionOrder(st.n))
	}
	return cf
}

// fingerprint identifies a finding across runs and changes of line: the
// spec, the revision, the finding (with its edges, for a lock-order
// cycle: two cycles of one spec are two alerts) and its source file.
func fingerprint(spec, rev string, f finding, source string) string {
	file, _, _ := strings.Cut(source, ":")
	key := spec + "\x00" + rev + "\x00" + f.Name + "\x00" + file
	for _, e := range f.Edges {
		key += "\x00" + e.Edge
	}
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:16])
}

// findingLocation is where a SARIF result of finding f of r is: the C line
// of its counterexample's last step, else of its last step at a C line,
// else the first line of the spec.
func findingLocation(r checkResult, f *finding) *sarif.Location {
	if loc := cLocationOf(f.Source, ""); loc != nil {
		return loc
	}
	for _, flow := range f.flows {
		for i := len(flow) - 1; i >= 0; i-- {
			if loc := cLocationOf(flow[i].source, ""); loc != nil {
				return loc
			}
		}
	}
	file := r.File
	if file == "" {
		file = r.Spec + ".yaml"
	}
	if filepath.IsAbs(file) { // a URI relative to the checkout, if it is in it
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, file); err == nil && filepath.IsLocal(rel) {
				file = rel
			}
		}
	}
	return sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(filepath.ToSlash(file))).WithRegion(sarif.NewSimpleRegion(1, 1)))
}

// cLocationOf is a SARIF location of src ("kern_lwp.c@1.270:1293"), with
// message msg if set; nil if src is not a C line.
func cLocationOf(src, msg string) *sarif.Location {
	uri, line, ok := cLocation(src)
	if !ok {
		return nil
	}
	loc := sarif.NewLocationWithPhysicalLocation(sarif.NewPhysicalLocation().
		WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri)).WithRegion(sarif.NewSimpleRegion(line, line)))
	if msg != "" {
		loc.WithMessage(sarif.NewTextMessage(msg))
	}
	return loc
}

// cLocation turns "kern_lwp.c@1.270:1293" into the file's path in a
// NetBSD tree (sys/kern, or sys/sys for a header) and the line.
func cLocation(src string) (uri string, line int, ok bool) {
	file, rest, ok1 := strings.Cut(src, "@")
	_, ln, ok2 := strings.Cut(rest, ":")
	n, err := strconv.Atoi(ln)
	if !ok1 || !ok2 || err != nil {
		return "", 0, false
	}
	if strings.HasSuffix(file, ".h") {
		return "sys/sys/" + file, n, true
	}
	return "sys/kern/" + file, n, true
}
