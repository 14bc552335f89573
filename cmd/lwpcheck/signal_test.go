package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/verify"
)

// TestInterrupt: SIGINT stops the running search; the output has what
// was done and the interrupted spec, incomplete, and the exit code is 130.
func TestInterrupt(t *testing.T) {
	interruptAfter(t, 500*time.Millisecond)
	out, stderr, code := runCLI(t, "check", "--format", "json", "--revision", "netbsd-2025", "--por", "off",
		"create-wait", "mix-suspend-park", "kill-process")
	require.Equal(t, exitInterrupted, code, stderr)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results), out)
	require.Len(t, results, 2, "the finished spec and the interrupted one; the rest are not run")
	assert.Equal(t, verdictPass, results[0].Verdict)
	assert.Equal(t, verdictIncomplete, results[1].Verdict)
	assert.Equal(t, "interrupted", results[1].Limit)
}

// interruptAfter sends SIGINT to the test binary after d, with the test
// listening too, so that the signal never takes its default action.
func interruptAfter(t *testing.T, d time.Duration) {
	t.Helper()
	guard := make(chan os.Signal, 4)
	signal.Notify(guard, os.Interrupt)
	t.Cleanup(func() { signal.Stop(guard) })
	go func() {
		time.Sleep(d)
		_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
}

// TestInterruptDiff: SIGINT stops diff; what was compared is reported, the
// comparison it stopped is incomplete, and the exit code is 130.
func TestInterruptDiff(t *testing.T) {
	interruptAfter(t, 300*time.Millisecond)
	out, stderr, code := runCLI(t, "diff", "--from", "netbsd-5", "--to", "netbsd-2025", "--format", "json", "--por", "off",
		"mix-suspend-park", "kill-process")
	require.Equal(t, exitInterrupted, code, stderr)
	var results []diffResult
	require.NoError(t, json.Unmarshal([]byte(out), &results), out)
	require.Len(t, results, 1, "the interrupted comparison; the next is not run")
	assert.Equal(t, "interrupted", results[0].Limit)
}

// TestInterruptVerify: SIGINT stops verify with one line saying where,
// and exit code 130, even one that comes while the trace is read.
func TestInterruptVerify(t *testing.T) {
	rev, err := revisions.Lookup("netbsd-2025")
	require.NoError(t, err)
	evs, err := verify.Random(rev, verify.RandomOptions{Seed: 1, Records: 20000, Steady: true, LWPs: 2})
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, recorded.WriteJSONL(&buf, evs))
	path := filepath.Join(t.TempDir(), "long.jsonl")
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
	signals <- os.Interrupt // as main receives it, whenever it comes: the check stops at once
	_, stderr, code := runCLI(t, "verify", "--revision", "netbsd-2025", path)
	require.Equal(t, exitInterrupted, code, stderr)
	assert.Regexp(t, `^lwpcheck verify: .*long.jsonl:\d+: interrupted while checking the record here\n$`, stderr)
}

// TestSignalBeforeListening: a SIGINT that main received before check
// listened is not lost: the search starts stopped, reports so in the
// format asked for, and the exit code is 130. A verb that does not listen
// exits at once with the signal's code.
func TestSignalBeforeListening(t *testing.T) {
	signals <- os.Interrupt
	out, stderr, code := runCLI(t, "check", "--format", "json", "--revision", "netbsd-2025", "mix-suspend-park", "create-wait")
	require.Equal(t, exitInterrupted, code, stderr)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results), out)
	require.Len(t, results, 1, "the stopped search; the next is not run")
	assert.Equal(t, verdictIncomplete, results[0].Verdict)
	assert.Equal(t, "interrupted", results[0].Limit)

	signals <- os.Interrupt // SARIF says the run did not finish
	out, stderr, code = runCLI(t, "check", "--format", "sarif", "--revision", "netbsd-2025", "mix-suspend-park")
	require.Equal(t, exitInterrupted, code, stderr)
	var rep struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct {
					Level   string
					Message struct{ Text string }
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	require.Len(t, rep.Runs[0].Invocations, 1)
	inv := rep.Runs[0].Invocations[0]
	assert.False(t, inv.ExecutionSuccessful)
	require.Len(t, inv.ToolExecutionNotifications, 1)
	assert.Equal(t, "error", inv.ToolExecutionNotifications[0].Level)
	assert.Contains(t, inv.ToolExecutionNotifications[0].Message.Text, "mix-suspend-park on netbsd-2025: incomplete: stopped by a signal")

	signals <- syscall.SIGTERM
	out, _, code = runCLI(t, "list", "specs")
	assert.Equal(t, exitTerminated, code)
	assert.Empty(t, out)
}
