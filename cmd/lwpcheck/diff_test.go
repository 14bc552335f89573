package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDiffExitCodes(t *testing.T) {
	only2025 := writeSpec(t, "name: only\nrevisions: [netbsd-2025]\nlwps: {1: [self -> 0]}\n")
	bad := writeSpec(t, "name: bad\nlwps: {1: [bogus 2]}\n")
	runExitCases(t, []exitCase{
		{"same", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", "join-self"}, exitOK, ""},
		{"a revision against itself", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-5", "create-wait"}, exitOK, ""},
		{"differ", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", "join-after-detach"}, exitFinding, ""},
		{"limit", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--max-states", "10", "create-wait"}, exitIncomplete, ""},
		{"no --to", []string{"diff", "--from", "netbsd-5"}, exitUsage, `--from and --to name the revisions`},
		{"unknown revision", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-9"}, exitUsage, `--to: unknown revision "netbsd-9"`},
		{"bad format", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--format", "xml"}, exitUsage, `unknown format "xml"`},
		{"negative max-pairs", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--max-pairs", "-1"}, exitUsage, `--max-pairs -1: must not be negative`},
		{"malformed spec", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", bad}, exitUsage, `spec\.yaml:2:12: unknown op "bogus"`},
		{"a spec one revision does not run", []string{"diff", "--from", "netbsd-5", "--to", "netbsd-2025", only2025}, exitUsage,
			`spec\.yaml: the spec does not run on netbsd-5`},
	})
}

// TestDiffWitness: the text names the behaviour, as a timeline, and the
// counterexample --cex-dir writes replays.
func TestDiffWitness(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "cex")
	out, stderr, code := runCLI(t, "diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--cex-dir", dir, "join-after-detach")
	require.Equal(t, exitFinding, code, stderr)
	for _, want := range []string{
		"differ     join-after-detach",
		"only on netbsd-2025 (3 observations):",
		"1  _lwp_create -> 0",
		"3  _lwp_wait -> EINVAL",
		"netbsd-5 shows instead: LWP 1: _lwp_wait -> ESRCH",
		"1 spec: 0 same, 1 differ (1 in behaviour, 0 in findings only)",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, `\n +LWP 1 +LWP 2\n`, out)
	cex := filepath.Join(dir, "join-after-detach-netbsd-2025-behaviour.cex.json")
	assert.Contains(t, out, "replay: lwpcheck replay "+cex)
	replayed, stderr, code := runCLI(t, "replay", cex)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, replayed, "result: the behaviour recurs: LWP 1: _lwp_create -> 0; LWP 1: _lwp_detach -> 0; LWP 1: _lwp_wait -> EINVAL")

	// An edited observation no longer recurs.
	data, err := os.ReadFile(cex)
	require.NoError(t, err)
	edited := filepath.Join(dir, "edited.cex.json")
	require.NoError(t, os.WriteFile(edited, []byte(strings.Replace(string(data), "-> EINVAL\"", "-> ESRCH\"", 1)), 0o644))
	_, stderr, code = runCLI(t, "replay", edited)
	assert.Equal(t, exitFinding, code)
	assert.Contains(t, stderr, "the behaviour no longer occurs")
}

func TestDiffJSON(t *testing.T) {
	out, stderr, code := runCLI(t, "diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--format", "json", "join-after-detach", "join-self")
	require.Equal(t, exitFinding, code, stderr)
	var results []diffResult
	require.NoError(t, json.Unmarshal([]byte(out), &results))
	require.Len(t, results, 2)
	assert.False(t, results[0].SameBehaviour)
	assert.Nil(t, results[0].FromOnly)
	require.NotNil(t, results[0].ToOnly)
	assert.Equal(t, "netbsd-2025", results[0].ToOnly.Revision)
	assert.Equal(t, []string{"LWP 1: _lwp_wait -> ESRCH"}, results[0].ToOnly.Instead)
	assert.True(t, results[1].Same)
}

// TestDiffDeterministic: the same output for any number of workers.
func TestDiffDeterministic(t *testing.T) {
	var outs []string
	for _, w := range []string{"1", "2", "4"} {
		out, stderr, code := runCLI(t, "diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--workers", w,
			"unpark-unknown", "stop-cont")
		require.Equal(t, exitFinding, code, stderr)
		outs = append(outs, out)
	}
	assert.Equal(t, outs[0], outs[1])
	assert.Equal(t, outs[0], outs[2])
}
