package main

import (
	"encoding/json"
	"os"
	"os/signal"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInterrupt: SIGINT stops the running search; the output has what
// was done and the interrupted spec, incomplete, and the exit code is 130.
func TestInterrupt(t *testing.T) {
	// The test listens too, so that the signal never takes the default
	// action (ending the test binary) before run listens.
	guard := make(chan os.Signal, 4)
	signal.Notify(guard, os.Interrupt)
	defer signal.Stop(guard)
	go func() {
		time.Sleep(500 * time.Millisecond)
		_ = syscall.Kill(os.Getpid(), syscall.SIGINT)
	}()
	out, stderr, code := runCLI(t, "check", "--format", "json", "--revision", "netbsd-2025", "--por", "off",
		"create-wait", "mix-suspend-park", "kill-process")
	require.Equal(t, exitInterrupted, code, stderr)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results), out)
	require.Len(t, results, 2, "the finished spec and the interrupted one; the rest are not run")
	assert.Equal(t, "pass", results[0].Verdict)
	assert.Equal(t, "incomplete", results[1].Verdict)
	assert.Equal(t, "interrupted", results[1].Limit)
}
