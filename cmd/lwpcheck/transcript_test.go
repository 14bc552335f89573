package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// TestCheckTranscripts pins what lwpcheck check reports on every bundled
// spec and revision (verdict, states, transitions, depth, every finding
// with its message and length, the known ones, the invariants held, the
// coverage, the cycle check's graph): a model change that adds or loses a
// finding, or changes a count, shows here even where the spec still meets
// its expectation. Times and memory sizes are left out. go test
// ./cmd/lwpcheck -run TestCheckTranscripts -update rewrites the file.
func TestCheckTranscripts(t *testing.T) {
	if testing.Short() {
		t.Skip("explores every bundled spec")
	}
	stdout, stderr, code := runCLI(t, "check", "--format", "json", "--workers", "2")
	require.Equal(t, 0, code, stderr)
	var results []map[string]any
	require.NoError(t, json.Unmarshal([]byte(stdout), &results))
	for _, r := range results {
		delete(r, "seconds")
		delete(r, "peak_rss_bytes")
		delete(r, "peak_rss_bytes_per_state")
		if c, ok := r["cycles"].(map[string]any); ok {
			delete(c, "bytes")
		}
	}
	got, err := json.MarshalIndent(results, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	path := filepath.Join("testdata", "check-transcript.json")
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test ./cmd/lwpcheck -run TestCheckTranscripts -update writes it")
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("check transcript differs (-want +got; -update rewrites it):\n%s", d)
	}
}
