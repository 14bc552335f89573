package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, &o, &e)
	return o.String(), e.String(), code
}

func writeSpec(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "spec.yaml")
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// oneLine is the shape of every usage or input error: one line on stderr.
var oneLineErr = regexp.MustCompile(`^lwpcheck \w+: [^\n]+\n$`)

func TestCheckExitCodes(t *testing.T) {
	pass := writeSpec(t, "name: fine\nlwps: {1: [self -> 0]}\n")
	// The real hang of suspend-running, with a spec that does not expect it.
	hang := writeSpec(t, "name: hang\nlwps:\n  1: [create 2, suspend 2 -> 0, continue 2, wait 2 -> 0]\n  2: [park, exit]\n")
	bad := writeSpec(t, "name: bad\nlwps: {1: [bogus 2]}\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string // a regexp for stderr, if set
	}{
		{"pass", []string{"check", pass}, exitOK, ""},
		{"bundled by name", []string{"check", "create-wait"}, exitOK, ""},
		{"unexpected finding", []string{"check", hang}, exitFinding, ""},
		{"incomplete", []string{"check", "--max-states", "5", "mix-exit"}, exitIncomplete, ""},
		{"malformed spec", []string{"check", bad}, exitUsage, `spec\.yaml:2:12: unknown op "bogus"`},
		{"unknown revision", []string{"check", "--revision", "netbsd-1999", pass}, exitUsage, `unknown revision "netbsd-1999"`},
		{"unknown flag", []string{"check", "--bogus"}, exitUsage, `flag provided but not defined`},
		{"bad format", []string{"check", "--format", "xml", pass}, exitUsage, `unknown format "xml"`},
		{"bad por", []string{"check", "--por", "maybe", pass}, exitUsage, `--por "maybe"`},
		{"missing file", []string{"check", "/nonexistent/spec.yaml"}, exitUsage, `no such file`},
	}
	for _, tc := range tests {
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

func TestCheckFormats(t *testing.T) {
	out, _, code := runCLI(t, "check", "--format", "json", "create-wait", "suspend-running")
	require.Equal(t, exitOK, code)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results))
	require.Len(t, results, 2)
	assert.Equal(t, "pass", results[0].Verdict, "known disagreements alone pass")
	assert.Equal(t, "deadlock", results[1].Expect)
	assert.True(t, results[1].Met)

	out, _, code = runCLI(t, "check", "--format", "junit", "create-wait", "suspend-running")
	require.Equal(t, exitOK, code)
	var suites junitSuites
	require.NoError(t, xml.Unmarshal([]byte(out), &suites))
	assert.Equal(t, 2, suites.Tests)
	assert.Equal(t, 0, suites.Failures)

	out, _, code = runCLI(t, "check", "--format", "sarif", "suspend-running")
	require.Equal(t, exitOK, code)
	var log sarifLog
	require.NoError(t, json.Unmarshal([]byte(out), &log))
	assert.Equal(t, "2.1.0", log.Version)
	var deadlock *sarifResult
	for i, r := range log.Runs[0].Results {
		if r.RuleID == "deadlock" {
			deadlock = &log.Runs[0].Results[i]
		}
	}
	require.NotNil(t, deadlock)
	assert.Equal(t, "note", deadlock.Level, "an expected finding is a note")
	require.Len(t, deadlock.Locations, 1)
	assert.True(t, strings.HasPrefix(deadlock.Locations[0].Physical.Artifact.URI, "sys/kern/"))
}
