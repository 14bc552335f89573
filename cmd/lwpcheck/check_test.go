package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"

	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/specs"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

func writeSpec(t *testing.T, text string) string {
	t.Helper()
	return fileWriter(t, t.TempDir())("spec.yaml", text)
}

// fileWriter returns a function that writes a file of dir and returns
// its path.
func fileWriter(t *testing.T, dir string) func(name, text string) string {
	return func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
		return p
	}
}

// oneLine is the shape of every usage or input error: one line on stderr.
var oneLineErr = regexp.MustCompile(`^lwpcheck \w+: [^\n]+\n$`)

// exitCase is a command line, the exit code it must give, and a regexp
// its one-line error must match, if set.
type exitCase struct {
	name   string
	args   []string
	code   int
	stderr string
}

func runExitCases(t *testing.T, cases []exitCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCLI(t, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
			if tc.stderr != "" {
				assert.Regexp(t, oneLineErr, stderr)
				assert.Regexp(t, tc.stderr, stderr)
			}
		})
	}
}

func TestCheckExitCodes(t *testing.T) {
	pass := writeSpec(t, "name: fine\nlwps: {1: [self -> 0]}\n")
	// The real hang of suspend-running, with a spec that does not expect it.
	hang := writeSpec(t, "name: hang\nlwps:\n  1: [create 2, suspend 2 -> 0, continue 2, wait 2 -> 0]\n  2: [park, exit]\n")
	bad := writeSpec(t, "name: bad\nlwps: {1: [bogus 2]}\n")
	noInvariant := writeSpec(t, "name: x\nlwps: {1: [self -> 0]}\nexpect: violation nosuch-invariant\n")
	tooMany := writeSpec(t, "name: x\nlwps:\n  1: [create 2, create 3, create 4, create 5, create 6]\n")
	runExitCases(t, []exitCase{
		{"pass", []string{"check", pass}, exitOK, ""},
		{"bundled by name", []string{"check", "create-wait"}, exitOK, ""},
		{"unexpected finding", []string{"check", hang}, exitFinding, ""},
		{"incomplete", []string{"check", "--max-states", "5", "mix-exit"}, exitIncomplete, ""},
		{"malformed spec", []string{"check", bad}, exitUsage, `spec\.yaml:2:12: unknown op "bogus"`},
		{"unknown revision", []string{"check", "--revision", "netbsd-1999", pass}, exitUsage, `unknown revision "netbsd-1999"`},
		{"unknown flag", []string{"check", "--bogus"}, exitUsage, `flag provided but not defined`},
		{"bad format", []string{"check", "--format", "xml", pass}, exitUsage, `unknown format "xml"`},
		{"bad por", []string{"check", "--por", "maybe", pass}, exitUsage, `--por "maybe"`},
		{"missing file", []string{"check", "/nonexistent/spec.yaml"}, exitUsage, `/nonexistent/spec\.yaml: not a spec file or a bundled spec`},
		{"neither file nor bundled", []string{"check", "nosuch"}, exitUsage,
			`^lwpcheck check: nosuch: not a spec file or a bundled spec \(see lwpcheck list specs\)\n$`},
		{"negative workers", []string{"check", "--workers", "-3", pass}, exitUsage, `--workers -3: must not be negative`},
		{"negative max-states", []string{"check", "--max-states", "-5", pass}, exitUsage, `--max-states -5: must not be negative`},
		{"negative time-limit", []string{"check", "--time-limit", "-1s", pass}, exitUsage, `--time-limit -1s: must not be negative`},
		{"negative bitstate", []string{"check", "--bitstate", "-1", pass}, exitUsage, `invalid value "-1" for flag -bitstate: want a size`},
		{"negative max-memory", []string{"check", "--max-memory", "-1", pass}, exitUsage, `invalid value "-1" for flag -max-memory: want a size`},
		{"negative flag after the spec", []string{"check", pass, "--workers", "-3"}, exitUsage, `--workers -3: must not be negative`},
		{"graph negative max-states", []string{"graph", "states", "--max-states", "-1", "create-wait"}, exitUsage, `--max-states -1: must not be negative`},
		{"unknown expected invariant", []string{"check", noInvariant}, exitUsage,
			`spec\.yaml:3:19: expect: no invariant "nosuch-invariant"`},
		{"--check leaves out the expected family", []string{"check", "--check", "counters", "suspend-running"}, exitUsage,
			`--check counters leaves out deadlock \(family deadlock\), which suspend-running expects at suspend-running\.yaml:26:12`},
		{"more LWPs than slots", []string{"check", tooMany}, exitUsage, `spec\.yaml:3:47: create 6: too many LWPs`},
		{"bitstate, nothing found", []string{"check", "--bitstate", "1048576", "create-wait"}, exitIncomplete, ""},
		{"a size with a suffix", []string{"check", "--bitstate", "1M", "--max-memory", "2GiB", "create-wait"}, exitIncomplete, ""},
		{"an absurd bitstate", []string{"check", "--bitstate", "9223372036854775807", "create-wait"}, exitUsage, `-bitstate: larger than 16 TiB`},
		{"a bitstate past max-memory", []string{"check", "--bitstate", "64M", "--max-memory", "48M", "create-wait"}, exitUsage,
			`--bitstate 67108864: larger than the 6710887 bytes --max-memory 50331648 leaves the search`},
		{"a max-memory the process alone passes", []string{"check", "--max-memory", "10MB", "create-wait"}, exitUsage,
			`--max-memory 10000000: lwpcheck itself takes up to 32 MiB; give at least 48 MiB \(or 0: no limit\)`},
		{"a size that is not one", []string{"check", "--max-memory", "10x", "create-wait"}, exitUsage, `want a size such as`},
		{"absurd workers", []string{"check", "--workers", "100000000", "create-wait"}, exitUsage, `--workers 100000000: at most 1024`},
		{"an endless spec file", []string{"check", "/dev/zero"}, exitUsage, `/dev/zero: larger than 1 MiB, the most such a file may be`},
		{"an endless counterexample", []string{"replay", "/dev/zero"}, exitUsage, `/dev/zero: larger than 256 MiB`},
		{"an endless trace", []string{"verify", "--revision", "netbsd-5", "/dev/zero"}, exitUsage, `/dev/zero:1: line longer than`},
		{"bitstate, a real finding", []string{"check", "--bitstate", "1048576", hang}, exitFinding, ""},
	})
}

// TestLongMessage: an error that quotes a huge token of its input stays
// short.
func TestLongMessage(t *testing.T) {
	bad := writeSpec(t, "name: x\nlwps: {1: ["+strings.Repeat("z", 1<<19)+"]}\n")
	_, stderr, code := runCLI(t, "check", bad)
	assert.Equal(t, exitUsage, code)
	assert.Regexp(t, oneLineErr, stderr)
	assert.Less(t, len(stderr), 600)
}

func TestCheckFormats(t *testing.T) {
	out, _, code := runCLI(t, "check", "--format", "json", "create-wait", "suspend-running")
	require.Equal(t, exitOK, code)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results))
	var got []string
	for _, r := range results {
		got = append(got, r.Spec+"@"+r.Revision+" "+r.Expect)
		assert.True(t, r.Met, r.Spec+"@"+r.Revision)
	}
	assert.Equal(t, []string{"create-wait@netbsd-2007 pass", "create-wait@netbsd-5 pass", "create-wait@netbsd-2025 pass",
		"suspend-running@netbsd-2007 [deadlock, violation expect]", "suspend-running@netbsd-5 [deadlock, violation expect]",
		"suspend-running@netbsd-2025 deadlock"}, got,
		"each spec on every revision, with the revision's expectation")
	assert.Equal(t, verdictPass, results[1].Verdict, "known disagreements alone pass")

	out, _, code = runCLI(t, "check", "--format", "junit", "create-wait", "suspend-running")
	require.Equal(t, exitOK, code)
	var suites junitSuites
	require.NoError(t, xml.Unmarshal([]byte(out), &suites))
	assert.Equal(t, 6, suites.Tests)
	assert.Equal(t, 0, suites.Failures)

	out, _, code = runCLI(t, "check", "--format", "sarif", "--revision", "netbsd-2025", "suspend-running")
	require.Equal(t, exitOK, code)
	log, err := sarif.FromBytes([]byte(out))
	require.NoError(t, err)
	assert.Equal(t, "2.1.0", log.Version)
	var deadlock *sarif.Result
	for _, r := range log.Runs[0].Results {
		if *r.RuleID == "deadlock" {
			deadlock = r
		}
	}
	require.NotNil(t, deadlock)
	assert.Equal(t, "note", deadlock.Level, "an expected finding is a note")
	require.Len(t, deadlock.Locations, 1)
	assert.True(t, strings.HasPrefix(*deadlock.Locations[0].PhysicalLocation.ArtifactLocation.URI, "sys/kern/"))
	require.Len(t, deadlock.CodeFlows, 1, "the counterexample as a code flow")
	var actors []string
	steps := 0
	for _, tf := range deadlock.CodeFlows[0].ThreadFlows {
		actors = append(actors, *tf.ID)
		steps += len(tf.Locations)
	}
	assert.Subset(t, actors, []string{"LWP 1", "LWP 2"}, "a thread flow per LWP")
	assert.Equal(t, 20, steps, "every step of the 20-step counterexample")
	assert.Len(t, deadlock.PartialFingerprints["lwpcheck/v2"], 32)
}

// TestSARIFSchema: every --format sarif output validates against the
// SARIF 2.1.0 schema (testdata/README.md): no finding, known findings,
// unexpected ones, a lock cycle with a code flow per edge.
func TestSARIFSchema(t *testing.T) {
	schema, err := os.ReadFile("testdata/sarif-schema-2.1.0.json")
	require.NoError(t, err)
	clean := writeSpec(t, "name: clean\nlwps: {1: [self -> 0]}\n")
	hang := writeSpec(t, "name: hang\nlwps:\n  1: [create 2 -> 0, wait 2 -> 0]\n  2: [park]\n")
	wrong := writeSpec(t, "name: wrong\nlwps: {1: [self -> EINVAL]}\n") // an expect finding
	for _, args := range [][]string{
		{"--revision", "netbsd-2025", clean},
		{"--revision", "netbsd-2025", "suspend-running", "create-wait", wrong},
		{"--revision", "netbsd-5", hang},
		{"--revision", "netbsd-2007", "continue-while-waiting"},
	} {
		out, stderr, _ := runCLI(t, append([]string{"check", "--format", "sarif"}, args...)...)
		require.Empty(t, stderr)
		res, err := gojsonschema.Validate(gojsonschema.NewBytesLoader(schema), gojsonschema.NewStringLoader(out))
		require.NoError(t, err)
		assert.True(t, res.Valid(), "%v: %v", args, res.Errors())
		// What code-scanning uploads ask beyond the schema: every result
		// at a file and line, and one fingerprint per distinct finding.
		var rep struct {
			Runs []struct {
				Results []struct {
					Message   struct{ Text string }
					Locations []struct {
						PhysicalLocation struct {
							ArtifactLocation struct{ URI string }
							Region           struct{ StartLine int }
						}
					}
					PartialFingerprints map[string]string
					Suppressions        []struct{ Kind, Status, Justification string }
				}
			}
		}
		require.NoError(t, json.Unmarshal([]byte(out), &rep))
		seen := map[string]string{}
		suppressed := 0
		for _, r := range rep.Runs[0].Results {
			for _, s := range r.Suppressions {
				assert.NotEmpty(t, s.Justification, "%v: %s", args, r.Message.Text)
				suppressed++
			}
			if assert.NotEmpty(t, r.Locations, "%v: %s", args, r.Message.Text) {
				pl := r.Locations[0].PhysicalLocation
				assert.NotEmpty(t, pl.ArtifactLocation.URI, "%v: %s", args, r.Message.Text)
				assert.Positive(t, pl.Region.StartLine, "%v: %s", args, r.Message.Text)
			}
			fp := r.PartialFingerprints["lwpcheck/v2"]
			assert.NotContains(t, seen, fp, "%v: %s and %s share a fingerprint", args, seen[fp], r.Message.Text)
			seen[fp] = r.Message.Text
		}
		if args[1] == "netbsd-2007" {
			assert.Positive(t, suppressed, "%v: the known disagreements are suppressed", args)
		}
	}
}

func TestHelpFlag(t *testing.T) {
	tests := []struct{ verb, args string }{
		{"check", "check -h"}, {"check", "check --help"}, {"check", "check create-wait -h"},
		{"replay", "replay -h"}, {"replay", "replay x.cex.json --help"},
		{"list", "list --help"}, {"list", "list invariants -h"},
		{"graph", "graph -h"}, {"graph", "graph states create-wait --help"},
		{"help", "help -h"}, {"version", "version --help"},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, strings.Fields(tt.args)...)
			assert.Equal(t, exitOK, code, stderr)
			assert.Empty(t, stderr)
			assert.True(t, strings.HasPrefix(stdout, "Usage: lwpcheck "+tt.verb), "stdout: %q", stdout)
		})
	}
}

func TestFlagsAfterOperands(t *testing.T) {
	tests := []struct {
		args   string
		stdout string // a regexp
	}{
		{"check create-wait --format json", `^\[\n  \{\n    "spec": "create-wait"`},
		{"check --format json -- create-wait", `^\[\n  \{\n    "spec": "create-wait"`},
		{"check create-wait --check counters --format json", `"not_checked": \[`},
		{"graph lock-order create-wait --revision netbsd-2025", `^digraph "create-wait@netbsd-2025"`},
		{"list revisions --long", `(?m)^  sources:$`},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, strings.Fields(tt.args)...)
			assert.Equal(t, exitOK, code, stderr)
			assert.Regexp(t, tt.stdout, stdout)
		})
	}
}

func TestCheckText(t *testing.T) {
	hang := writeSpec(t, "name: hang\nlwps:\n  1: [create 2, suspend 2 -> 0, continue 2, wait 2 -> 0]\n  2: [park, exit]\n")
	// core-dump without its expect line: the p_nlwpwait finding, now
	// unexpected, comes after known ones in search order.
	coreDump := writeSpec(t, "name: core\nlwps:\n  1: [create 2 -> 0, wait 2 -> any]\n  2: [park -> any]\nenv: {core: 1}\n")
	dir := t.TempDir()
	cex := regexp.QuoteMeta(filepath.Join(dir, "hang-netbsd-2025-deadlock.cex.json"))
	const hint = `rerun with --cex-dir DIR to write the counterexample, then lwpcheck replay`
	const why = `why: lwp_free resets a reaped zombie`
	all, counters := len(invariants.Catalog()), 0
	for _, inv := range invariants.Catalog() {
		if inv.Family == specs.FamilyCounters {
			counters++
		}
	}
	tests := []struct {
		name      string
		args      []string
		want, not []string // regexps the output matches, and does not
	}{
		{"a FAIL says how to get the counterexample", []string{hang},
			[]string{`(?m)^FAIL hang `, `(?m)^     ` + hint + `$`}, []string{`cex: `}},
		{"a FAIL names the counterexample written", []string{"--cex-dir", dir, hang},
			[]string{`\(18 steps\)\n       cex: ` + cex + `\n`}, []string{hint}},
		{"unexpected findings before known ones", []string{coreDump},
			[]string{`(?s)\n     p_nlwpwait: .*\n     known `}, []string{`(?s)\n     known .*\n     p_nlwpwait: `}},
		{"no hint when the spec is met", []string{"suspend-running"}, []string{`(?m)^ok   suspend-running `}, []string{hint}},
		{"why once a run", []string{"create-wait", "create-detached"},
			[]string{`(?s)` + why + `.*why: as for create-wait above`, `(?m)^summary: 2 ok, 0 FAIL, 0 incomplete, 0 skipped$`},
			[]string{`(?s)` + why + `.*` + why}},
		{"a hang is a deadlock", []string{"suspend-running"}, []string{`(?m)^ok   suspend-running +netbsd-2025 +deadlock `}, nil},
		{"held, short", []string{"create-wait"}, []string{fmt.Sprintf(`(?m)^     held %d/%d$`, all-1, all)}, []string{`held \(`}},
		{"held all, and what was not checked", []string{"--check", "counters", "create-wait"},
			[]string{fmt.Sprintf(`(?m)^     held: all %d; not checked: lock-order lock-order-cycle .* expect$`, counters)}, nil},
		{"bitstate shows its coverage bound", []string{"--bitstate", "1048576", "create-wait"},
			[]string{`(?m)^INCOMPLETE create-wait .* incomplete .* bitstate coverage<=[0-9.]+ \(an upper bound\)`, `held so far`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, _ := runCLI(t, append([]string{"check", "--revision", "netbsd-2025"}, tt.args...)...)
			assert.Empty(t, stderr)
			for _, re := range tt.want {
				assert.Regexp(t, re, stdout)
			}
			for _, re := range tt.not {
				assert.NotRegexp(t, re, stdout)
			}
		})
	}
	_, err := os.Stat(filepath.Join(dir, "hang-netbsd-2025-deadlock.cex.json"))
	assert.NoError(t, err, "the file named is written")
}

// TestCheckSkips: a spec a revision cannot run is reported as skipped,
// with the reason, and does not fail the run.
func TestCheckSkips(t *testing.T) {
	out, stderr, code := runCLI(t, "check", "park-unpark-unknown")
	require.Equal(t, exitOK, code, stderr)
	assert.Regexp(t, `(?m)^skip park-unpark-unknown +netbsd-2007 +park unpark 3 -> ESRCH: op park is not supported by revision netbsd-2007: `+
		`_lwp_park of sys_lwp.c 1.16 takes no LWP to unpark`, out)
	out, _, code = runCLI(t, "check", "--format", "json", "preempt-migrate")
	require.Equal(t, exitOK, code)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results))
	last := results[len(results)-1]
	assert.Equal(t, []string{"netbsd-2007", string(skipped), "env: event migrate is not modelled for revision netbsd-2007"},
		[]string{last.Revision, string(last.Verdict), last.Why})
}

// TestProgressPlainLines: --progress into a file or pipe writes plain
// lines, no carriage returns or escape sequences a CI log would show.
func TestProgressPlainLines(t *testing.T) {
	var buf bytes.Buffer
	p := progressPrinter(&buf, "x@r", false)
	p(explore.Progress{States: 10, Elapsed: time.Second})
	p(explore.Progress{States: 30, Elapsed: 2 * time.Second})
	assert.Equal(t, "x@r: 10 states, 10 states/s, queue 0, depth 0, 1s\nx@r: 30 states, 20 states/s, queue 0, depth 0, 2s\n", buf.String())
	buf.Reset()
	progressPrinter(&buf, "x@r", true)(explore.Progress{States: 10, Elapsed: time.Second})
	assert.True(t, strings.HasPrefix(buf.String(), "\r\033[K"), "a terminal gets one rewritten line")
}
