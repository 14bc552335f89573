package specs

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Parse parses the spec in data. File names the spec in error messages.
// Every error is an *Error.
func Parse(file string, data []byte) (*Spec, error) {
	p := &parser{file: file, data: data}
	root, err := p.document()
	if err != nil {
		return nil, err
	}
	return p.spec(root)
}

// A parser holds the file being parsed.
type parser struct {
	file string
	data []byte
}

// errorf returns an *Error at pos.
func (p *parser) errorf(pos Pos, format string, args ...any) error {
	return &Error{File: p.file, Line: pos.Line, Col: pos.Col, Msg: fmt.Sprintf(format, args...)}
}

// yamlLine matches the line number yaml.v3 puts in its errors.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// parserProblems are the problems that yaml.v3's parser, as opposed to its
// scanner, reports. yaml.v3 counts their lines from 0.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// unknownAnchor matches yaml.v3's error for an alias of no anchor.
var unknownAnchor = regexp.MustCompile(`^unknown anchor '([^']*)' referenced$`)

// offsetPos is the 1-based line and column (in characters) of byte off
// of the spec.
func (p *parser) offsetPos(off int) Pos {
	before := p.data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return Pos{line, utf8.RuneCount(before) + 1}
}

// yamlError converts an error of yaml.v3 into an *Error. yaml.v3 reports a
// line at most, so the column is 1.
func (p *parser) yamlError(err error) error {
	msg := err.Error()
	pos := Pos{1, 1}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		msg = msg[len(m[0]):]
		if n, err := strconv.Atoi(m[1]); err == nil && n > 0 {
			pos.Line = n
			if slices.Contains(parserProblems, msg) {
				pos.Line++
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		// yaml.v3 does not say where: the first use of the alias is.
		if i := bytes.Index(p.data, []byte("*"+m[1])); i >= 0 {
			pos = p.offsetPos(i)
		}
	}
	msg = strings.Join(strings.Fields(msg), " ")
	return p.errorf(pos, "%s", msg)
}

// document returns the top-level mapping of the only YAML document in p.data.
func (p *parser) document() (*yaml.Node, error) {
	if bytes.HasPrefix(p.data, []byte{0xfe, 0xff}) || bytes.HasPrefix(p.data, []byte{0xff, 0xfe}) {
		return nil, p.errorf(Pos{1, 1}, "the file is UTF-16; save the spec as UTF-8")
	}
	if !utf8.Valid(p.data) {
		off := 0
		for off < len(p.data) {
			r, n := utf8.DecodeRune(p.data[off:])
			if r == utf8.RuneError && n == 1 {
				break
			}
			off += n
		}
		return nil, p.errorf(p.offsetPos(off), "invalid UTF-8 (byte 0x%02x)", p.data[off])
	}
	dec := yaml.NewDecoder(bytes.NewReader(p.data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, p.errorf(Pos{1, 1}, "empty document")
		}
		return nil, p.yamlError(err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, p.errorf(pos(&next), "more than one YAML document")
	} else if !errors.Is(err, io.EOF) {
		return nil, p.yamlError(err)
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return nil, p.errorf(pos(&doc), "empty document")
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(pos(root), "want a mapping of spec keys, got %s", describe(root))
	}
	return root, nil
}

// spec converts the top-level mapping of a spec.
func (p *parser) spec(root *yaml.Node) (*Spec, error) {
	s := &Spec{
		File:  p.file,
		Text:  bytes.Clone(p.data),
		CPUs:  2,
		Check: AllFamilies,

		HasExpect: true,
	}
	var progs []Program
	var lwpsKey, procsKey, sleepqKey *yaml.Node
	err := p.mapping(root, func(k, v *yaml.Node) error {
		var err error
		switch k.Value {
		case "name":
			s.Name, err = p.str(v, "name")
			if err == nil && !isName(s.Name) {
				err = p.errorf(pos(v), "bad name %q (want lowercase words of a-z and 0-9 joined by single '-')", s.Name)
			}
		case "about":
			s.About, err = p.str(v, "about")
		case "revisions":
			s.Revisions, s.RevisionPos, err = p.list(v, "revisions")
		case "cpus":
			s.CPUs, err = p.integer(v, "cpus", 1, MaxCPUs)
		case "lwps":
			lwpsKey = k
			progs, err = p.programs(v, 0)
		case "procs":
			procsKey = k
			s.Procs, progs, err = p.procs(v)
		case "sleepq":
			sleepqKey = k
			var mode string
			if mode, err = p.str(v, "sleepq"); err == nil && mode != "shared" && mode != "spread" {
				err = p.errorf(pos(v), "sleepq: want shared or spread, got %q", mode)
			}
			s.SleepqShared = mode == "shared"
		case "env":
			s.Env, err = p.env(v, "env", allEvents)
		case "check":
			s.Check, err = p.check(v)
		case "expect":
			if v.Kind == yaml.MappingNode {
				// Without a default, errors about a revision the
				// mapping leaves out point at the expect key.
				s.Expect, s.HasExpect = Expect{Pos: pos(k)}, false
				s.Overrides, err = p.expectMap(s, v)
			} else {
				s.Expect, err = p.expect(v)
			}
		default:
			err = p.errorf(pos(k), "unknown key %q (want name, about, revisions, cpus, lwps, procs, sleepq, env, check or expect)", k.Value)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	if s.Name == "" {
		return nil, p.errorf(pos(root), "missing name")
	}
	if err := p.processes(s, lwpsKey, procsKey, sleepqKey); err != nil {
		return nil, err
	}
	if s.Programs, err = p.complete(s, progs); err != nil {
		return nil, err
	}
	if err := p.fits(s); err != nil {
		return nil, err
	}
	return s, nil
}

// mapping calls f for each key and value of the mapping node n, in order,
// rejecting keys that are not scalars and duplicate keys.
func (p *parser) mapping(n *yaml.Node, f func(k, v *yaml.Node) error) error {
	seen := make(map[string]Pos)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return p.errorf(pos(k), "want a key, got %s", describe(k))
		}
		if first, dup := seen[k.Value]; dup {
			return p.errorf(pos(k), "duplicate key %q (first at %s)", k.Value, first)
		}
		seen[k.Value] = pos(k)
		if err := f(k, v); err != nil {
			return err
		}
	}
	return nil
}

// str returns the string scalar n, the value of key.
func (p *parser) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!str" {
		return "", p.errorf(pos(n), "%s: want a string, got %s", key, describe(n))
	}
	return n.Value, nil
}

// list returns the strings of the sequence n, the value of key, and their
// positions. The list must not be empty or repeat a string.
func (p *parser) list(n *yaml.Node, key string) ([]string, []Pos, error) {
	if n.Kind != yaml.SequenceNode {
		return nil, nil, p.errorf(pos(n), "%s: want a list of strings, got %s", key, describe(n))
	}
	if len(n.Content) == 0 {
		return nil, nil, p.errorf(pos(n), "%s: empty list (leave the key out for the default)", key)
	}
	var ss []string
	var ps []Pos
	for _, e := range n.Content {
		s, err := p.str(e, key)
		if err != nil {
			return nil, nil, err
		}
		if i := slices.Index(ss, s); i >= 0 {
			return nil, nil, p.errorf(pos(e), "%s: duplicate %q (first at %s)", key, s, ps[i])
		}
		ss = append(ss, s)
		ps = append(ps, pos(e))
	}
	return ss, ps, nil
}

// integer returns the decimal integer scalar n, the value of key, which
// must be in lo..hi.
func (p *parser) integer(n *yaml.Node, key string, lo, hi int) (int, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" {
		if v, ok := decimal(n.Value, lo, hi); ok {
			return v, nil
		}
	}
	return 0, p.errorf(pos(n), "%s: want an integer from %d to %d, got %s", key, lo, hi, describe(n))
}

// The environment events, in Env.Pos order; the first four are signals
// sent to a process.
var (
	allEvents  = []string{"stop", "cont", "exit", "core", "timeout", "preempt", "migrate"}
	procEvents = allEvents[:4]
)

// env converts the env mapping n, the value of key, which may name the
// events allowed.
func (p *parser) env(n *yaml.Node, key string, allowed []string) (Env, error) {
	var e Env
	if n.Kind != yaml.MappingNode {
		return e, p.errorf(pos(n), "%s: want a mapping, got %s", key, describe(n))
	}
	events := map[string]*int{
		"stop": &e.Stop, "cont": &e.Cont, "exit": &e.Exit, "core": &e.Core,
		"timeout": &e.Timeout, "preempt": &e.Preempt, "migrate": &e.Migrate,
	}
	err := p.mapping(n, func(k, v *yaml.Node) error {
		count, ok := events[k.Value]
		if !ok {
			return p.errorf(pos(k), "unknown env event %q (want stop, cont, exit, core, timeout, preempt or migrate)", k.Value)
		}
		if !slices.Contains(allowed, k.Value) {
			if len(allowed) == len(procEvents) {
				return p.errorf(pos(k), "%s: %s is not sent to a process: give it in the top-level env", key, k.Value)
			}
			return p.errorf(pos(k), "%s: %s is sent to a process: give it under procs: N: env", key, k.Value)
		}
		e.Pos[slices.Index(allEvents, k.Value)] = pos(k)
		var err error
		*count, err = p.integer(v, key+": "+k.Value, 0, MaxEnv)
		return err
	})
	return e, err
}

// procs converts the procs mapping n: process numbers 1, 2, ... each with
// its lwps and the signals sent to it (env).
func (p *parser) procs(n *yaml.Node) ([]Process, []Program, error) {
	if n.Kind != yaml.MappingNode || len(n.Content) == 0 {
		return nil, nil, p.errorf(pos(n), "procs: want a mapping from process numbers 1 to %d to their lwps and env, got %s", MaxProcs, describe(n))
	}
	var procs []Process
	var progs []Program
	err := p.mapping(n, func(k, v *yaml.Node) error {
		num, ok := decimal(k.Value, 1, MaxProcs)
		if !ok || k.ShortTag() != "!!int" {
			return p.errorf(pos(k), "procs: want a process number from 1 to %d, got %s", MaxProcs, describe(k))
		}
		if num != len(procs)+1 {
			return p.errorf(pos(k), "procs: process %d comes next (number them 1, 2, ... in order), got %d", len(procs)+1, num)
		}
		if v.Kind != yaml.MappingNode {
			return p.errorf(pos(v), "process %d: want a mapping with lwps and env, got %s", num, describe(v))
		}
		pr := Process{Pos: pos(k)}
		var own []Program
		seenLWPs := false
		err := p.mapping(v, func(k2, v2 *yaml.Node) error {
			var err error
			switch k2.Value {
			case "lwps":
				seenLWPs = true
				own, err = p.programs(v2, num-1)
			case "env":
				pr.Env, err = p.env(v2, fmt.Sprintf("process %d: env", num), procEvents)
			default:
				err = p.errorf(pos(k2), "process %d: unknown key %q (want lwps or env)", num, k2.Value)
			}
			return err
		})
		if err != nil {
			return err
		}
		if !seenLWPs || len(own) == 0 {
			return p.errorf(pos(k), "process %d: missing lwps (the least LWP it lists runs at start)", num)
		}
		pr.First = own[0].LWP
		for _, prog := range own {
			pr.First = min(pr.First, prog.LWP)
			for _, other := range progs {
				if other.LWP == prog.LWP {
					return p.errorf(prog.Pos, "LWP %d is already in process %d (LWP names are unique across processes)", prog.LWP, other.Proc+1)
				}
			}
		}
		procs = append(procs, pr)
		progs = append(progs, own...)
		return nil
	})
	return procs, progs, err
}

// processes checks how a spec lays out its processes: lwps or procs, not
// both; process events in the env of their process; a CPU for each
// process's first LWP; LWPs that name only LWPs of their own process.
func (p *parser) processes(s *Spec, lwpsKey, procsKey, sleepqKey *yaml.Node) error {
	if lwpsKey != nil && procsKey != nil {
		return p.errorf(pos(procsKey), "procs: give the LWPs under lwps (one process) or under procs (several), not both")
	}
	if procsKey == nil {
		if sleepqKey != nil {
			return p.errorf(pos(sleepqKey), "sleepq: the sleep-queue buckets are shared or spread among several processes (procs)")
		}
		return nil
	}
	for i, name := range procEvents {
		if at := s.Env.Pos[i]; at.Line != 0 {
			return p.errorf(at, "env: %s is sent to a process: give it under procs: N: env", name)
		}
	}
	if len(s.Procs) > s.CPUs {
		return p.errorf(pos(procsKey), "procs: %d processes need %d CPUs (each starts with its first LWP running on a CPU of its own), cpus is %d",
			len(s.Procs), len(s.Procs), s.CPUs)
	}
	return nil
}

// check converts the check list n.
func (p *parser) check(n *yaml.Node) (FamilySet, error) {
	fams, ps, err := p.list(n, "check")
	if err != nil {
		return 0, err
	}
	set, i, err := ParseFamilies(fams)
	if err != nil {
		return 0, p.errorf(ps[i], "check: %v", err)
	}
	return set, nil
}

// expectMap converts an expect mapping: `default:` and one key per
// revision, each with an expect value. The default goes in s.
func (p *parser) expectMap(s *Spec, n *yaml.Node) ([]Override, error) {
	var out []Override
	err := p.mapping(n, func(k, v *yaml.Node) error {
		e, err := p.expect(v)
		if err != nil {
			return err
		}
		if k.Value == "default" {
			s.Expect, s.HasExpect = e, true
			return nil
		}
		if !isName(k.Value) {
			return p.errorf(pos(k), "expect: want default or a revision name, got %q", k.Value)
		}
		out = append(out, Override{Revision: k.Value, Pos: pos(k), Expect: e})
		return nil
	})
	if err == nil && len(out) == 0 && !s.HasExpect {
		err = p.errorf(pos(n), "expect: an empty mapping (want default and revision names, each with pass, deadlock or violation NAME)")
	}
	return out, err
}

// expect converts the expect value n: one expectation, or a list of
// findings.
func (p *parser) expect(n *yaml.Node) (Expect, error) {
	if n.Kind != yaml.SequenceNode {
		return p.expectOne(n)
	}
	if len(n.Content) == 0 {
		return Expect{}, p.errorf(pos(n), "expect: an empty list (want deadlock or violation NAME, one or more)")
	}
	var out Expect
	for i, c := range n.Content {
		e, err := p.expectOne(c)
		if err != nil {
			return Expect{}, err
		}
		if e.Kind == Pass {
			return Expect{}, p.errorf(e.Pos, "expect: pass cannot be listed with findings")
		}
		for _, prev := range out.All()[:i] {
			if prev.Kind == e.Kind && prev.Name == e.Name {
				return Expect{}, p.errorf(e.Pos, "expect: %s listed twice", c.Value)
			}
		}
		if i == 0 {
			out = e
		} else {
			out.Also = append(out.Also, e)
		}
	}
	return out, nil
}

// expectOne converts one expectation: pass, deadlock or violation NAME.
func (p *parser) expectOne(n *yaml.Node) (Expect, error) {
	if _, err := p.str(n, "expect"); err != nil {
		return Expect{}, err
	}
	const usage = "want pass, deadlock or violation NAME"
	ws := p.words(n)
	if len(ws) == 0 {
		return Expect{}, p.errorf(pos(n), "expect: %s", usage)
	}
	switch w := ws[0]; w.text {
	case "pass", "deadlock":
		if len(ws) > 1 {
			return Expect{}, p.errorf(ws[1].pos, "expect: unexpected %q after %s", ws[1].text, w.text)
		}
		kind := Pass
		if w.text == "deadlock" {
			kind = Deadlock
		}
		return Expect{Kind: kind, Pos: w.pos}, nil
	case "violation":
		if len(ws) == 1 {
			return Expect{}, p.errorf(w.pos, "expect: violation: missing invariant name")
		}
		name := ws[1]
		if !isInvariantName(name.text) {
			return Expect{}, p.errorf(name.pos, "expect: bad invariant name %q (want lowercase words and C identifiers joined by '-')", name.text)
		}
		if len(ws) > 2 {
			return Expect{}, p.errorf(ws[2].pos, "expect: unexpected %q after the invariant name", ws[2].text)
		}
		return Expect{Kind: Violation, Name: name.text, Pos: name.pos}, nil
	default:
		return Expect{}, p.errorf(w.pos, "expect: %s, got %q", usage, w.text)
	}
}

// programs converts the lwps mapping n of process index proc into
// programs, in file order.
func (p *parser) programs(n *yaml.Node, proc int) ([]Program, error) {
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(pos(n), "lwps: want a mapping from LWP names to lists of steps, got %s", describe(n))
	}
	var progs []Program
	err := p.mapping(n, func(k, v *yaml.Node) error {
		lwp, ok := decimal(k.Value, 1, MaxLWP)
		if !ok || k.ShortTag() != "!!int" {
			return p.errorf(pos(k), "lwps: want an LWP name from 1 to %d, got %s", MaxLWP, describe(k))
		}
		if v.Kind != yaml.SequenceNode {
			return p.errorf(pos(v), "LWP %d: want a list of steps, got %s", lwp, describe(v))
		}
		prog := Program{LWP: lwp, Proc: proc, Pos: pos(k)}
		for i, e := range v.Content {
			if e.Kind != yaml.ScalarNode {
				return p.errorf(pos(e), "LWP %d: want a step, got %s", lwp, describe(e))
			}
			if i == MaxSteps {
				return p.errorf(pos(e), "LWP %d: the model runs programs of at most %d steps", lwp, MaxSteps)
			}
			st, err := p.step(e)
			if err != nil {
				return err
			}
			prog.Steps = append(prog.Steps, st)
		}
		progs = append(progs, prog)
		return nil
	})
	return progs, err
}

// complete checks that the programs progs, in file order, create each LWP
// at most once, that every LWP with a program but the first of each
// process is created, by an LWP of its own process, and that steps name
// only LWPs of their own process. It returns the programs of every LWP
// the spec can have, sorted by LWP name; an LWP without a program is in
// its creator's process.
func (p *parser) complete(s *Spec, progs []Program) ([]Program, error) {
	proc := map[int]int{}
	for _, prog := range progs {
		proc[prog.LWP] = prog.Proc
	}
	created := make(map[int]Pos)
	for _, prog := range progs {
		for _, st := range prog.Steps {
			if st.Op != "create" {
				continue
			}
			if first, dup := created[st.Target]; dup {
				return nil, p.errorf(st.Pos, "LWP %d is already created at %s", st.Target, first)
			}
			if at, ok := proc[st.Target]; ok && at != prog.Proc {
				return nil, p.errorf(st.Pos, "create %d: LWP %d is in process %d; an LWP creates LWPs of its own process", st.Target, st.Target, at+1)
			}
			created[st.Target] = st.Pos
			proc[st.Target] = prog.Proc
		}
	}
	for i := range s.NumProcs() {
		first := s.First(i)
		if at, ok := created[first]; ok && len(s.Procs) > 0 {
			return nil, p.errorf(at, "create %d: LWP %d is process %d's first LWP, which exists at start", first, first, i+1)
		}
	}
	have := map[int]bool{}
	for _, prog := range progs {
		if _, ok := created[prog.LWP]; !ok && prog.LWP != s.First(prog.Proc) {
			return nil, p.errorf(prog.Pos, "LWP %d has a program but no step creates it", prog.LWP)
		}
		have[prog.LWP] = true
	}
	for i := range s.NumProcs() {
		created[s.First(i)] = Pos{}
	}
	for lwp := range created {
		if !have[lwp] {
			progs = append(progs, Program{LWP: lwp, Proc: proc[lwp]})
		}
	}
	slices.SortFunc(progs, func(a, b Program) int { return a.LWP - b.LWP })
	if len(s.Procs) > 0 {
		for _, prog := range progs {
			for _, st := range prog.Steps {
				for _, t := range append([]int{st.Target, st.Unpark}, st.Targets...) {
					if at, ok := proc[t]; ok && t > 0 && at != prog.Proc && st.Op != "create" {
						return nil, p.errorf(st.Pos, "%s: LWP %d is in process %d, and the system call reaches only LWPs of its caller's process (a signal to another process is an env event of that process)",
							st.Op, t, at+1)
					}
				}
			}
		}
	}
	return progs, nil
}

// fits rejects a spec that can have more LWPs alive at once than the
// model has slots for, at the create step that would take one too many.
// Each LWP is created at most once and programs have no loops, so the
// first LWP of each process and the create steps that can run (those of
// LWPs that can exist, before any exit) bound the LWPs alive. A spec that
// reaps LWPs before creating more may fit in fewer slots, but whether it
// does depends on the interleaving, so it is rejected too.
func (p *parser) fits(s *Spec) error {
	progs := s.Programs
	var starts []int
	for i := range s.NumProcs() {
		starts = append(starts, s.First(i))
	}
	atStart := "LWP 1"
	if len(s.Procs) > 0 {
		atStart = "the first LWP of each process"
	}
	for _, prog := range progs {
		for i, st := range prog.Steps[:max(len(prog.Steps)-1, 0)] {
			if op, _ := lookupOp(st.Op); op.noReturn {
				return p.errorf(prog.Steps[i+1].Pos, "LWP %d: this step never runs: %s at %d:%d does not return", prog.LWP, st.Op, st.Pos.Line, st.Pos.Col)
			}
		}
	}
	creatable, _ := runnable(progs, starts, false)
	for _, prog := range progs {
		if !creatable[prog.LWP] {
			return p.errorf(prog.Pos, "LWP %d can never be created: only LWPs that never run create it (itself, or LWPs in a creation cycle); only %s exists at start", prog.LWP, atStart)
		}
	}
	_, creates := runnable(progs, starts, true)
	if len(starts)+len(creates) <= MaxSlots {
		return nil
	}
	slices.SortFunc(creates, func(a, b Step) int {
		return cmp.Or(a.Pos.Line-b.Pos.Line, a.Pos.Col-b.Pos.Col)
	})
	st := creates[MaxSlots-len(starts)]
	if len(s.Procs) > 0 {
		atStart = fmt.Sprintf("%d at start", len(starts))
	}
	return p.errorf(st.Pos, "create %d: too many LWPs: the model holds %d at once, this spec can have %d (%s and %d creates)",
		st.Target, MaxSlots, len(creates)+len(starts), atStart, len(creates))
}

// runnable returns the LWPs that can exist: those of starts, and those a
// create step of an LWP that can exist names (before that LWP's program
// exits, if untilExit); and those create steps, in the order found.
func runnable(progs []Program, starts []int, untilExit bool) (map[int]bool, []Step) {
	exists := map[int]bool{}
	for _, l := range starts {
		exists[l] = true
	}
	var creates []Step
	for grown := true; grown; {
		grown = false
		for _, prog := range progs {
			if !exists[prog.LWP] {
				continue
			}
			for _, st := range prog.Steps {
				if st.Op == "create" && !exists[st.Target] {
					exists[st.Target], grown = true, true
					creates = append(creates, st)
				}
				if op, _ := lookupOp(st.Op); untilExit && op.noReturn {
					break
				}
			}
		}
	}
	return exists, creates
}

// pos returns the position of n.
func pos(n *yaml.Node) Pos { return Pos{n.Line, n.Column} }

// isNull reports whether n is a null scalar.
func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" }

// describe describes n for an error message: a string scalar is quoted and
// named as such, another scalar is shown as written when it is plain.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a sequence"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!null":
			return "null"
		case "!!str":
			return fmt.Sprintf("string %q", n.Value)
		}
		if n.Value != "" && strings.IndexFunc(n.Value, func(r rune) bool { return r <= ' ' || r > '~' }) < 0 {
			return n.Value
		}
		return strconv.Quote(n.Value)
	}
	return "a document"
}

// isName reports whether s is lowercase words of a-z and 0-9 joined by
// single '-'.
func isName(s string) bool { return isWords(s, "abcdefghijklmnopqrstuvwxyz0123456789") }

// isInvariantName reports whether s names an invariant: like a spec name,
// but words may be C identifiers such as p_nlwps.
func isInvariantName(s string) bool { return isWords(s, "abcdefghijklmnopqrstuvwxyz0123456789_") }

func isWords(s, chars string) bool {
	for _, w := range strings.Split(s, "-") {
		if w == "" || strings.Trim(w, chars) != "" {
			return false
		}
	}
	return true
}

// decimal returns the integer s if it is written in decimal without sign or
// leading zeros and is in lo..hi.
func decimal(s string, lo, hi int) (int, bool) {
	v, err := strconv.Atoi(s)
	if err != nil || strconv.Itoa(v) != s || v < lo || v > hi {
		return 0, false
	}
	return v, true
}

// A word is a token of a scalar: the words of a step or of an expect value.
type word struct {
	text  string
	pos   Pos
	exact bool // pos.Col plus a character offset into text is a column
}

// at returns the position of byte off of w.text.
func (w word) at(off int) Pos {
	if !w.exact {
		return w.pos
	}
	return Pos{w.pos.Line, w.pos.Col + utf8.RuneCountInString(w.text[:off])}
}

// words splits the scalar n at spaces, tabs and line breaks, and around
// "->". When the scalar's value appears as is in the file on its first line
// (a single-line plain or quoted scalar without escapes), each word has its
// own position; otherwise every word has the scalar's position.
func (p *parser) words(n *yaml.Node) []word {
	start, exact := p.start(n)
	s := n.Value
	var ws []word
	for i := 0; i < len(s); {
		if isSpace(s[i]) {
			i++
			continue
		}
		j := i + len("->")
		if !strings.HasPrefix(s[i:], "->") {
			j = i + 1
			for j < len(s) && !isSpace(s[j]) && !strings.HasPrefix(s[j:], "->") {
				j++
			}
		}
		w := word{text: s[i:j], pos: start, exact: exact}
		if exact {
			w.pos.Col += utf8.RuneCountInString(s[:i])
		}
		ws = append(ws, w)
		i = j
	}
	return ws
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// start returns the position of the first character of the value of the
// scalar n, and whether the value is written as is from there on its line.
func (p *parser) start(n *yaml.Node) (Pos, bool) {
	at := pos(n)
	if strings.ContainsAny(n.Value, "\n\r") {
		return at, false
	}
	switch n.Style {
	case 0:
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		at.Col++
	default:
		return at, false
	}
	line := p.data
	for range n.Line - 1 {
		i := bytes.IndexByte(line, '\n')
		if i < 0 {
			return pos(n), false
		}
		line = line[i+1:]
	}
	for range at.Col - 1 {
		_, size := utf8.DecodeRune(line)
		if size == 0 {
			return pos(n), false
		}
		line = line[size:]
	}
	if !bytes.HasPrefix(line, []byte(n.Value)) {
		return pos(n), false
	}
	return at, true
}
