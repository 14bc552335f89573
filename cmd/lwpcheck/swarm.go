package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/buildinfo"
	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/readcap"
	"github.com/lwpcheck/lwpcheck/traces"
	"github.com/lwpcheck/lwpcheck/verdict"
)

// Swarm verification (Holzmann, Joshi and Groce): N searches of one spec,
// each diversified by its own seed (explore.Options.Seed: successor order
// and hash function), run wherever a batch engine puts them, each
// writing a result file; merge judges their findings together. Cut short
// by a bitstate store or a limit, each shard explores another part of the
// space, and together they cover more of it than one search of the same
// size.

// swarmFormat names the result file's format and version.
const swarmFormat = "lwpcheck-swarm/1"

// maxShards bounds N in --swarm I/N.
const maxShards = 1 << 16

// swarmShard is the value of --swarm: shard I of N, 1 <= I <= N.
type swarmShard struct{ I, N int }

func (s *swarmShard) String() string {
	if s.N == 0 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.I, s.N)
}

func (s *swarmShard) Set(v string) error {
	i, n, ok := strings.Cut(v, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil || a < 1 || b < a || b > maxShards {
		return fmt.Errorf("want I/N with 1 <= I <= N <= %d, e.g. 3/8", maxShards)
	}
	s.I, s.N = a, b
	return nil
}

// seed is the shard's explore.Options.Seed.
func (s *swarmShard) seed() uint64 { return uint64(s.I) }

// swarmFile is what one shard writes: its check results, each with the
// invariants its spec expects findings of and its findings'
// counterexamples.
type swarmFile struct {
	Format   string        `json:"format"`
	Lwpcheck string        `json:"lwpcheck"` // the version that wrote it
	Shard    int           `json:"shard"`
	Shards   int           `json:"shards"`
	Seed     uint64        `json:"seed"`
	Search   string        `json:"search"`
	Store    string        `json:"store"` // fingerprint or bitstate
	Results  []swarmResult `json:"results"`
}

type swarmResult struct {
	checkResult
	Wanted []string `json:"wanted"`
}

// writeSwarm writes shard's result file to path.
func writeSwarm(path string, shard swarmShard, cf *checkFlags, results []swarmResult) error {
	store := "fingerprint"
	if cf.bitstate > 0 {
		store = "bitstate"
	}
	f := swarmFile{Format: swarmFormat, Lwpcheck: buildinfo.Version(), Shard: shard.I, Shards: shard.N, Seed: shard.seed(),
		Search: cf.search, Store: store, Results: results}
	var buf bytes.Buffer
	if err := writeJSON(&buf, f); err != nil {
		return err
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("--swarm-out: %w", err)
	}
	return nil
}

// maxSwarmFile bounds a result file merge reads.
const maxSwarmFile = 256 << 20

// readSwarm reads and checks one shard's result file.
func readSwarm(path string) (*swarmFile, error) {
	data, err := readcap.ReadFile(path, maxSwarmFile)
	if err != nil {
		return nil, err
	}
	return parseSwarm(path, data)
}

// parseSwarm decodes and checks a result file read from path.
func parseSwarm(path string, data []byte) (*swarmFile, error) {
	var f swarmFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a swarm result file: %v", path, err)
	}
	switch {
	case f.Format != swarmFormat:
		return nil, fmt.Errorf("%s: format %q, want %q", path, f.Format, swarmFormat)
	case f.Shards < 1 || f.Shards > maxShards || f.Shard < 1 || f.Shard > f.Shards:
		return nil, fmt.Errorf("%s: shard %d of %d is out of range", path, f.Shard, f.Shards)
	}
	for i, r := range f.Results {
		if r.Spec == "" || r.Revision == "" {
			return nil, fmt.Errorf("%s: result %d names no spec or revision", path, i+1)
		}
	}
	return &f, nil
}

var mergeVerb = &verb{
	name:  "merge",
	usage: "lwpcheck merge [--format text|json] [--cex-dir DIR] FILE...",
	doc: `Combine the result files of the N shards of a swarm (check --swarm I/N
--swarm-out FILE) into one verdict per spec and revision, as check prints
it: the findings of every shard (for each, the shortest counterexample any
shard found), judged against the spec's expectation together. A spec
passes only if a shard explored its whole space (no limit, no bitstate
store) and nothing fails; otherwise finding nothing is incomplete, with the
coverage the shards' bitstate stores estimate together. --cex-dir writes
the merged findings' counterexample files. Exit codes as check's; 2 if a
file is not a result file, the shards disagree on N, or one is missing or
given twice.`,
	run:   runMerge,
	flags: func() *flag.FlagSet { fs, _, _ := newMergeFlags(); return fs },
}

func newMergeFlags() (*flag.FlagSet, *string, *string) {
	fs := flag.NewFlagSet("merge", flag.ContinueOnError)
	format := fs.String("format", "text", "output: text or json")
	cexDir := fs.String("cex-dir", "", "write the merged findings' counterexample files (*.cex.json) into this directory")
	return fs, format, cexDir
}

func runMerge(args []string, stdout, _ io.Writer) (int, error) {
	fs, format, cexDir := newMergeFlags()
	paths, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if *format != "text" && *format != "json" {
		return exitUsage, usagef("unknown format %q (text or json)", *format)
	}
	if len(paths) == 0 {
		return exitUsage, usagef("merge: name the shards' result files")
	}
	files := make([]*swarmFile, 0, len(paths))
	for _, p := range paths {
		f, err := readSwarm(p)
		if err != nil {
			return exitUsage, err
		}
		if len(files) > 0 && f.Shards != files[0].Shards {
			return exitUsage, usagef("%s: shard of %d, %s: of %d", p, f.Shards, paths[0], files[0].Shards)
		}
		if i := slices.IndexFunc(files, func(g *swarmFile) bool { return g.Shard == f.Shard }); i >= 0 {
			return exitUsage, usagef("%s: shard %d is given twice (%s)", p, f.Shard, paths[i])
		}
		files = append(files, f)
	}
	if len(files) != files[0].Shards {
		return exitUsage, usagef("merge: %d of %d shards given", len(files), files[0].Shards)
	}
	slices.SortFunc(files, func(a, b *swarmFile) int { return a.Shard - b.Shard })
	results, err := mergeShards(files)
	if err != nil {
		return exitUsage, err
	}
	if *cexDir != "" {
		if err := writeMergedCexes(*cexDir, results); err != nil {
			return exitUsage, err
		}
	}
	for i := range results { // the files hold them, as check's output does not
		for j := range results[i].Findings {
			results[i].Findings[j].Counterexample = nil
		}
	}
	if *format == "json" {
		if err := writeJSON(stdout, results); err != nil {
			return exitUsage, err
		}
	} else {
		explained := map[string]string{}
		for i := range results {
			printResult(stdout, &results[i], explained)
		}
		printSummary(stdout, results)
	}
	return exitCode(results), nil
}

// mergeShards combines the shards' results, spec by spec and revision by
// revision in the order of the first shard.
func mergeShards(files []*swarmFile) ([]checkResult, error) {
	type key struct{ spec, rev string }
	var order []key
	byKey := map[key][]*swarmResult{}
	for _, f := range files {
		for i := range f.Results {
			r := &f.Results[i]
			k := key{r.Spec, r.Revision}
			if _, ok := byKey[k]; !ok {
				order = append(order, k)
			}
			byKey[k] = append(byKey[k], r)
		}
	}
	var out []checkResult
	for _, k := range order {
		rs := byKey[k]
		if len(rs) != len(files) {
			return nil, fmt.Errorf("merge: %s on %s: in %d of the %d shards", k.spec, k.rev, len(rs), len(files))
		}
		out = append(out, mergeResult(rs))
	}
	return out, nil
}

// mergeResult judges one spec on one revision from every shard's result.
func mergeResult(rs []*swarmResult) checkResult {
	first := rs[0].checkResult
	m := checkResult{Spec: first.Spec, File: first.File, Revision: first.Revision, Expect: first.Expect, NotChecked: first.NotChecked}
	// An invariant holds if it held in every shard.
	m.Held = slices.DeleteFunc(slices.Clone(first.Held), func(name string) bool {
		return slices.ContainsFunc(rs, func(r *swarmResult) bool { return !slices.Contains(r.Held, name) })
	})
	if m.Held == nil {
		m.Held = []string{}
	}
	if first.Verdict == skipped {
		m.Verdict, m.Met, m.Why = skipped, true, first.Why
		return m
	}
	complete, allBitstate := false, true
	miss := 1.0 // the probability that every bitstate shard missed a state
	var limit explore.Limit
	for _, r := range rs {
		m.States = max(m.States, r.States)
		m.Transitions = max(m.Transitions, r.Transitions)
		m.Depth = max(m.Depth, r.Depth)
		m.Seconds += r.Seconds
		switch {
		case r.Bitstate:
			miss *= 1 - r.BitstateCoverage
		case r.Limit == "":
			complete = true
			m.Omission = max(m.Omission, r.Omission)
		default:
			allBitstate = false
			limit = explore.Limit(r.Limit)
		}
		for _, f := range r.Findings {
			i := slices.IndexFunc(m.Findings, func(g finding) bool { return sameFinding(&g, &f) })
			switch {
			case i < 0:
				m.Findings = append(m.Findings, f)
			case f.Steps < m.Findings[i].Steps:
				m.Findings[i] = f
			}
		}
	}
	var names, failed []string
	hangs := true
	for _, f := range m.Findings {
		base := invariants.BaseName(f.Name)
		names = append(names, base)
		if f.Known != "" {
			m.Known++
			continue
		}
		failed = append(failed, base)
		m.unexpected = append(m.unexpected, f.Name)
		if !isHang(f.Name) {
			hangs = false
		}
	}
	m.unexpected = slices.DeleteFunc(m.unexpected, func(n string) bool {
		return slices.Contains(rs[0].Wanted, invariants.BaseName(n))
	})
	bitstate := false
	if complete {
		limit = ""
	} else if allBitstate {
		bitstate, m.Bitstate = true, true
		m.BitstateCoverage = 1 - miss
	}
	m.Limit = string(limit)
	m.Why = verdict.Why(rs[0].Wanted, names, failed, limit, bitstate)
	m.Met = m.Why == ""
	switch {
	case len(failed) > 0 && hangs:
		m.Verdict = verdictDeadlock
	case len(failed) > 0:
		m.Verdict = verdictViolation
	case complete:
		m.Verdict = verdictPass
	default:
		m.Verdict = verdictIncomplete
	}
	return m
}

// sameFinding reports whether two shards' findings are the same: of the
// same invariant and, for lock-order cycles (several a run), through the
// same edges.
func sameFinding(a, b *finding) bool {
	if a.Name != b.Name || len(a.Edges) != len(b.Edges) {
		return false
	}
	for i := range a.Edges {
		if a.Edges[i].Edge != b.Edges[i].Edge {
			return false
		}
	}
	return true
}

// writeMergedCexes writes the counterexample each merged finding carries
// into dir, and names the file in the finding.
func writeMergedCexes(dir string, results []checkResult) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("--cex-dir: %w", err)
	}
	for i := range results {
		for j := range results[i].Findings {
			f := &results[i].Findings[j]
			if len(f.Counterexample) == 0 {
				continue
			}
			c, err := traces.Parse(results[i].Spec+" on "+results[i].Revision+": "+f.Name, f.Counterexample)
			if err != nil {
				return err
			}
			if f.Cex, err = c.Save(dir); err != nil {
				return err
			}
		}
	}
	return nil
}
