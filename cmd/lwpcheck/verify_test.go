package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeTrace(t *testing.T, name, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	return path
}

func TestVerifyExitCodes(t *testing.T) {
	good := "../../verify/testdata/create-wait.kdump"
	real := "../../verify/testdata/golang-go-22968.dtruss"
	malformed := writeTrace(t, "bad.kdump", "   1      1 a CALL  _lwp_wait(zz,0)\n")
	orphan := writeTrace(t, "orphan.jsonl", `{"lid": 1, "call": "_lwp_self", "phase": "call"}`+"\n"+`{"lid": 3, "call": "_lwp_self", "phase": "call"}`+"\n")
	signal := writeTrace(t, "signal.jsonl", `{"lid": 1, "call": "_lwp_kill", "phase": "call", "args": {"target": 1, "signo": 11}}`+"\n")
	runExitCases(t, []exitCase{
		{"accepted", []string{"verify", "--revision", "netbsd-2025", good}, exitOK, ""},
		{"rejected", []string{"verify", "--revision", "netbsd-5", "--attached", real}, exitFinding, ""},
		{"a frontier past its bound", []string{"verify", "--revision", "netbsd-5", "--max-frontier", "3", good}, exitIncomplete,
			`create-wait\.kdump:\d+: more than 3 states are consistent`},
		{"a signal the model does not send", []string{"verify", "--revision", "netbsd-5", signal}, exitIncomplete,
			`signal\.jsonl:1: LWP 1: _lwp_kill of signal 11`},
		{"malformed", []string{"verify", "--revision", "netbsd-5", malformed}, exitUsage, `bad\.kdump:1: CALL _lwp_wait: argument "zz"`},
		{"an LWP nobody made", []string{"verify", "--revision", "netbsd-5", orphan}, exitUsage, `orphan\.jsonl:2: LWP 3 appears, but no _lwp_create`},
		{"no revision", []string{"verify", good}, exitUsage, `--revision names the revision`},
		{"unknown revision", []string{"verify", "--revision", "netbsd-9", good}, exitUsage, `--revision: unknown revision "netbsd-9"`},
		{"bad format", []string{"verify", "--revision", "netbsd-5", "--format", "strace", good}, exitUsage, `--format "strace"`},
		{"wrong format", []string{"verify", "--revision", "netbsd-5", "--format", "jsonl", good}, exitUsage, `create-wait\.kdump:5: not a JSON event: want an object, got a number`},
		{"too many CPUs", []string{"verify", "--revision", "netbsd-5", "--cpus", "9", good}, exitUsage, `--cpus 9`},
		{"bad env", []string{"verify", "--revision", "netbsd-5", "--env", "timeout=3", good}, exitUsage, `--env: unknown event "timeout"`},
		{"bad preemptions", []string{"verify", "--revision", "netbsd-5", "--preemptions", "0", good}, exitUsage, `--preemptions "0"`},
		{"no such file", []string{"verify", "--revision", "netbsd-5", "nonexistent.kdump"}, exitUsage, `nonexistent\.kdump`},
		{"two files", []string{"verify", "--revision", "netbsd-5", good, good}, exitUsage, `name one trace file`},
		{"cex-dir not a directory", []string{"verify", "--revision", "netbsd-5", "--cex-dir", good, good}, exitUsage, `not a directory`},
	})
}

// TestVerifyWitness: an accepted trace's matching run, written by
// --cex-dir, replays to the same records; the JSON output names it.
func TestVerifyWitness(t *testing.T) {
	dir := t.TempDir()
	out, stderr, code := runCLI(t, "verify", "--revision", "netbsd-2007", "--output", "json", "--cex-dir", dir, "../../verify/testdata/create-wait.kdump")
	require.Equal(t, exitOK, code, stderr)
	var v verifyJSON
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, "accepted", v.Verdict)
	assert.Equal(t, 13, v.Records)
	require.FileExists(t, v.Cex)
	out, stderr, code = runCLI(t, "replay", v.Cex)
	assert.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "the run recurs: its 13 ktrace records are the ones recorded")
}

// TestVerifyRejectedText: the rejection names the line, the reason and
// where the LWPs are.
func TestVerifyRejectedText(t *testing.T) {
	out, stderr, code := runCLI(t, "verify", "--revision", "netbsd-2025", "--attached", "../../verify/testdata/golang-go-22968.dtruss")
	require.Equal(t, exitFinding, code, stderr)
	for _, want := range []string{
		"golang-go-22968.dtruss: rejected on netbsd-2025: 5 records of process 505",
		"golang-go-22968.dtruss:7: _lwp_park returned 0 but no _lwp_unpark of LWP 2 is pending (the kernel returns ETIMEDOUT here)",
		`lid 2 (the model's LWP 1): in _lwp_park`,
		"LWP 2: _lwp_park returns ETIMEDOUT",
	} {
		assert.Contains(t, out, want)
	}
}
