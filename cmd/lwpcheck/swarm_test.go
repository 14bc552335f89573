package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/peakrss"
)

// TestMain lets a test run the command as a process of its own: the test
// binary, started with lwpcheckMain set, is lwpcheck.
func TestMain(m *testing.M) {
	if os.Getenv(lwpcheckMain) == "1" {
		main()
	}
	os.Exit(m.Run())
}

const lwpcheckMain = "LWPCHECK_TEST_RUN_MAIN"

// lwpcheckProcess runs lwpcheck with args as a separate process and
// returns its exit code and output.
func lwpcheckProcess(args ...string) (int, string, error) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), lwpcheckMain+"=1")
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode(), string(out), nil
	}
	return 0, string(out), err
}

func findingSet(r checkResult) []string {
	var out []string
	for _, f := range r.Findings {
		out = append(out, f.Name)
	}
	slices.Sort(out)
	return out
}

// TestSwarmMerge runs three shards of a swarm as processes (depth-first,
// bitstate, each with its own seed) and merges their result files: on
// every spec and revision where one exhaustive run finds something, the
// merged verdict and findings are the exhaustive run's, and every merged
// counterexample replays.
func TestSwarmMerge(t *testing.T) {
	specs := []string{"core-dump", "continue-while-waiting", "create-suspended"}
	out, stderr, code := runCLI(t, append([]string{"check", "--format", "json", "--fairness", "off"}, specs...)...)
	require.Contains(t, []int{exitOK, exitIncomplete}, code, stderr)
	var full []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &full))

	dir := t.TempDir()
	var files []string
	var wg sync.WaitGroup
	errs := make([]error, 3)
	for i := range 3 {
		f := filepath.Join(dir, fmt.Sprintf("shard%d.json", i+1))
		files = append(files, f)
		wg.Add(1)
		go func() {
			defer wg.Done()
			args := append([]string{"check", "--swarm", fmt.Sprintf("%d/3", i+1), "--swarm-out", f, "--search", "dfs",
				"--bitstate", "1M", "--fairness", "off"}, specs...)
			code, out, err := lwpcheckProcess(args...)
			if err == nil && code != exitOK && code != exitIncomplete {
				err = fmt.Errorf("shard %d: exit %d: %s", i+1, code, out)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err)
	}

	cexDir := filepath.Join(dir, "cex")
	out, stderr, code = runCLI(t, append([]string{"merge", "--format", "json", "--cex-dir", cexDir}, files...)...)
	require.Contains(t, []int{exitOK, exitIncomplete}, code, stderr)
	var merged []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &merged))
	require.Len(t, merged, len(full))
	found := 0
	for i, f := range full {
		m := merged[i]
		require.Equal(t, [2]string{f.Spec, f.Revision}, [2]string{m.Spec, m.Revision})
		if len(f.Findings) == 0 || f.Verdict == verdictPass {
			continue
		}
		found++
		assert.Equal(t, f.Verdict, m.Verdict, "%s on %s", f.Spec, f.Revision)
		assert.Equal(t, f.Met, m.Met, "%s on %s", f.Spec, f.Revision)
		assert.Equal(t, findingSet(f), findingSet(m), "%s on %s", f.Spec, f.Revision)
		for _, x := range m.Findings {
			assert.Empty(t, x.Counterexample, "the output names the file, it does not hold it")
			if x.Cex == "" {
				continue
			}
			_, stderr, code := runCLI(t, "replay", x.Cex)
			assert.Equal(t, exitOK, code, "%s replays: %s", x.Cex, stderr)
		}
	}
	assert.GreaterOrEqual(t, found, 5, "specs where the exhaustive run finds something")
}

func TestMergeRejects(t *testing.T) {
	dir := t.TempDir()
	write := fileWriter(t, dir)
	one := write("one.json", `{"format":"lwpcheck-swarm/1","shard":1,"shards":2,"results":[]}`)
	other := write("other.json", `{"format":"lwpcheck-swarm/1","shard":1,"shards":3,"results":[]}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{one}, "1 of 2 shards given"},
		{[]string{one, one}, "given twice"},
		{[]string{one, other}, "shard of 3"},
		{[]string{write("bad.json", `{"format":"x"}`)}, `format "x"`},
		{[]string{write("range.json", `{"format":"lwpcheck-swarm/1","shard":4,"shards":3}`)}, "out of range"},
		{[]string{write("junk.json", `[1,2`)}, "not a swarm result file"},
		{[]string{write("unknown.json", `{"format":"lwpcheck-swarm/1","shard":1,"shards":1,"extra":1}`)}, "not a swarm result file"},
		{nil, "name the shards' result files"},
	} {
		_, stderr, code := runCLI(t, append([]string{"merge"}, tc.args...)...)
		assert.Equal(t, exitUsage, code, tc.want)
		assert.Contains(t, stderr, tc.want)
		assert.Regexp(t, oneLineErr, stderr)
	}
	for _, bad := range []string{"0/3", "4/3", "x", "1/0", "2/70000"} {
		_, stderr, code := runCLI(t, "check", "--swarm", bad, "self")
		assert.Equal(t, exitUsage, code, bad)
		assert.Regexp(t, oneLineErr, stderr, bad)
	}
	_, stderr, code := runCLI(t, "check", "--swarm-out", "x.json", "self")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--swarm-out needs --swarm")
}

// TestMergeResult judges synthetic shards: findings are pooled (the
// shortest counterexample kept), expectations met together, invariants
// held only if held in every shard, bitstate coverage combined, and a
// pass needs one shard that explored everything.
func TestMergeResult(t *testing.T) {
	shard := func(bitstate bool, cov float64, limit string, held []string, fs ...finding) *swarmResult {
		return &swarmResult{checkResult: checkResult{Spec: "s", Revision: "r", Verdict: verdictIncomplete, Bitstate: bitstate,
			BitstateCoverage: cov, Limit: limit, Held: held, Findings: fs}, Wanted: []string{"deadlock", "p_nlwps"}}
	}
	dl := func(steps int) finding { return finding{Name: "deadlock", Steps: steps} }
	nl := finding{Name: "p_nlwps", Steps: 9}
	m := mergeResult([]*swarmResult{shard(true, 0.5, "", []string{"a", "b"}, dl(12)), shard(true, 0.6, "", []string{"b"}, dl(7), nl)})
	assert.True(t, m.Met, m.Why)
	assert.Equal(t, verdictViolation, m.Verdict)
	assert.Equal(t, []finding{dl(7), nl}, m.Findings)
	assert.Equal(t, []string{"b"}, m.Held)
	assert.InDelta(t, 0.8, m.BitstateCoverage, 1e-9)

	m = mergeResult([]*swarmResult{shard(true, 0.5, "", nil, dl(3)), shard(false, 0, "max-states", nil)})
	assert.False(t, m.Met)
	assert.Equal(t, "incomplete before p_nlwps was found", m.Why)
	assert.Equal(t, verdictDeadlock, m.Verdict)

	pass := func(s *swarmResult) *swarmResult { s.Wanted = nil; return s }
	m = mergeResult([]*swarmResult{pass(shard(true, 0.9, "", nil)), pass(shard(false, 0, "time", nil))})
	assert.Equal(t, verdictIncomplete, m.Verdict)
	assert.False(t, m.Met)
	m = mergeResult([]*swarmResult{pass(shard(true, 0.9, "", nil)), pass(shard(false, 0, "", nil))})
	assert.Equal(t, verdictPass, m.Verdict, "one shard explored everything")
	assert.True(t, m.Met, m.Why)
}

// FuzzMerge: any result file is rejected with an error or merged, never
// a panic.
func FuzzMerge(f *testing.F) {
	f.Add([]byte(`{"format":"lwpcheck-swarm/1","shard":1,"shards":1,"results":[{"spec":"s","revision":"r","verdict":"violation",` +
		`"findings":[{"name":"deadlock","message":"m","steps":3,"edges":[{"edge":"a -> b"}]}],"wanted":["deadlock"],"held":["x"]}]}`))
	f.Add([]byte(`{"format":"lwpcheck-swarm/1","shard":1,"shards":1,"results":[{"spec":"s","revision":"r","verdict":"skipped"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sf, err := parseSwarm("fuzz.json", data)
		if err != nil {
			return
		}
		rs, err := mergeShards([]*swarmFile{sf, sf})
		if err == nil && len(rs) > len(sf.Results) {
			t.Fatalf("%d results merged from %d", len(rs), len(sf.Results))
		}
	})
}

// TestMaxMemoryWholeProcess: --max-memory bounds the resident memory of
// the whole process, not only the search's own tables, on a spec whose
// search needs more.
func TestMaxMemoryWholeProcess(t *testing.T) {
	if _, ok := peakrss.Peak(); !ok {
		t.Skip("no resident memory figures here")
	}
	const limit = 96 << 20
	code, out, err := lwpcheckProcess("check", "--format", "json", "--revision", "netbsd-2025", "--fairness", "off",
		"--max-memory", "96MiB", "../lwpbench/testdata/scenarios/scenario-3cpu.yaml")
	require.NoError(t, err)
	require.Equal(t, exitIncomplete, code, out)
	var results []checkResult
	require.NoError(t, json.Unmarshal([]byte(out), &results), out)
	require.Len(t, results, 1)
	assert.Equal(t, "max-memory", results[0].Limit)
	if results[0].PeakRSS == 0 {
		t.Skip("the system cannot reset the process's high-water mark here")
	}
	assert.LessOrEqual(t, results[0].PeakRSS, int64(limit), "peak resident bytes")
}
