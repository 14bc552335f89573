package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hangSpec fails on netbsd-2025: it expects a pass and the process hangs
// half stopped (stop-while-dumping).
const hangSpec = `name: half-stopped
lwps:
  1: [create 2 -> 0]
  2: [park -> any]
env: {core: 1, stop: 1}
`

func TestBaseline(t *testing.T) {
	spec := writeSpec(t, hangSpec)
	dir := t.TempDir()
	file := filepath.Join(dir, "baseline.json")
	args := []string{"check", "--revision", "netbsd-2025", spec}

	_, stderr, code := runCLI(t, append(args, "--write-baseline", file)...)
	assert.Equal(t, 1, code, "writing a baseline does not change the verdict")
	assert.Contains(t, stderr, "wrote "+file+": 1 accepted findings")
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"finding": "deadlock"`)

	stdout, stderr, code := runCLI(t, append(args, "--baseline", file)...)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "     accepted deadlock: ")

	// An accepted finding the run no longer has is reported, and a new
	// one still fails.
	other := strings.Replace(string(data), `"finding": "deadlock"`, `"finding": "p_nlwps"`, 1)
	require.NoError(t, os.WriteFile(file, []byte(other), 0o644))
	stdout, _, code = runCLI(t, append(args, "--baseline", file)...)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "no longer found, accepted by the baseline: p_nlwps")
}

func TestBaselineErrors(t *testing.T) {
	dir := t.TempDir()
	write := fileWriter(t, dir)
	entry := `{"spec": "s", "revision": "netbsd-2025", "finding": "deadlock"}`
	runExitCases(t, []exitCase{
		{"missing", []string{"check", "--baseline", filepath.Join(dir, "none.json"), "self"}, 2, `none.json`},
		{"syntax", []string{"check", "--baseline", write("syntax.json", "{\n  \"format\": \"lwpcheck-baseline/1\",\n  \"findings\": [}\n"), "self"}, 2,
			`syntax.json:3:16: invalid character '}'`},
		{"unknown field", []string{"check", "--baseline", write("field.json", `{"format": "lwpcheck-baseline/1", "findings": [], "x": 1}`), "self"}, 2,
			`field.json:1:51: unknown field "x"`},
		{"format", []string{"check", "--baseline", write("format.json", `{"format": "other", "findings": []}`), "self"}, 2,
			`format.json:1:12: format "other" is not supported`},
		{"empty entry", []string{"check", "--baseline", write("empty.json", `{"format": "lwpcheck-baseline/1", "findings": [{}]}`), "self"}, 2,
			`empty.json:1:48: finding 1 needs a spec, a revision and a finding`},
		{"twice", []string{"check", "--baseline", write("twice.json", `{"format": "lwpcheck-baseline/1", "findings": [`+entry+`, `+entry+`]}`), "self"}, 2,
			`twice.json:1:113: finding 2 \(s on netbsd-2025: deadlock\) is listed twice`},
		{"unwritable", []string{"check", "--write-baseline", filepath.Join(dir, "no", "such", "dir.json"), "--revision", "netbsd-2025", "self"}, 2,
			`--write-baseline: open `},
	})
}
