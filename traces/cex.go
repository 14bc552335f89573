package traces

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/buildinfo"
	"github.com/lwpcheck/lwpcheck/explore"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/specs"
)

// Format is the version tag of the counterexample files this package
// writes and reads.
const Format = "lwpcheck-cex/2"

// formatV1 is the format before lassos (no "loop"): still read.
const formatV1 = "lwpcheck-cex/1"

// Kinds of violation.
const (
	// KindState: a state invariant fails in the state the trace ends in.
	KindState = "state"
	// KindTransition: the last step of the trace breaks a step invariant
	// or a KASSERT.
	KindTransition = "transition"
	// KindTerminal: the trace ends in a terminal state that is a finding
	// (a deadlock: some LWP is stuck in the kernel for good).
	KindTerminal = "terminal"
	// KindBehaviour: the trace shows, in user space, what Observed lists
	// (the witness of a difference between two revisions: lwpcheck diff).
	KindBehaviour = "behaviour"
	// KindTrace: the trace shows, at its ktrace points, the records
	// Observed lists (the run of a recorded trace a revision explains:
	// lwpcheck verify).
	KindTrace = "trace"
	// KindCycle: the steps from Loop on run a loop that returns to the
	// state it starts in, and some LWP stays in the kernel all along (a
	// hang that keeps something moving: the invariant hang).
	KindCycle = "cycle"
)

// Cex is a counterexample file.
type Cex struct {
	Format    string    `json:"format"`
	Revision  string    `json:"revision"`
	Spec      SpecText  `json:"spec"`
	Violation Violation `json:"violation"`
	// Init is the index of the initial state the steps start from.
	Init int `json:"init"`
	// POR tells whether the search ran with the model's partial-order
	// reduction (model.Machine.POR): then a step is a transition of the
	// reduced system, and replay must reduce the same way.
	POR bool `json:"por"`
	// Ktrace tells whether the machine made its ktrace points steps of
	// their own (model.Machine.Ktrace), as a trace verification does.
	Ktrace bool `json:"ktrace,omitempty"`
	// Observed is, for KindBehaviour, what user space sees of the steps
	// (model.Observation, rendered), the end a terminal state shows last;
	// for KindTrace, the ktrace records of the steps (model.Record).
	Observed []string `json:"observed,omitempty"`
	// WrittenBy is the lwpcheck that wrote the file ("lwpcheck VERSION",
	// see buildinfo.Version), and Digest the SHA-256 of the rest of the
	// file as it wrote it: replay re-executes the steps but not the spec
	// text or the messages, so it says when either no longer matches.
	WrittenBy string `json:"written_by,omitempty"`
	Digest    string `json:"digest,omitempty"`
	// Loop is, for KindCycle, the number of the loop's first step: steps
	// Loop to the last return to the state before step Loop.
	Loop  int    `json:"loop,omitempty"`
	Steps []Step `json:"steps"`

	at *Positions // where each value of the file read is (Parse)
}

// ErrorAt is an error about the value at path of the file c was read
// from, placed at its line and column (or the nearest enclosing value's),
// as a *ParseError; a plain error for a counterexample not read from a
// file.
func (c *Cex) ErrorAt(path, format string, args ...any) error {
	err := &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
	if c.at == nil {
		return err
	}
	return c.at.Error(err)
}

// SpecText is the spec a counterexample was found with, embedded whole so
// that the file replays without it.
type SpecText struct {
	Name string `json:"name"`
	Text string `json:"text"`
}

// Violation is the finding a counterexample leads to.
type Violation struct {
	Kind    string `json:"kind"` // KindState, KindTransition, KindTerminal or KindCycle
	Name    string `json:"name"` // the invariant, e.g. "deadlock" or "p_nrlwps"
	Message string `json:"message"`
}

// Step is one step of a counterexample: who ran, where, and what it did.
// A is what replay executes; the other fields are for the reader, and
// replay checks that Actor, Action and Source still match.
type Step struct {
	N      int            `json:"n"`      // 1-based position in the trace
	Actor  string         `json:"actor"`  // "LWP 2", "cpu1" (the CPU's own context) or "env"
	CPU    int            `json:"cpu"`    // -1 for the environment
	Action string         `json:"action"` // kernel function and operation
	Source string         `json:"source"` // file@rev:line, or "model" for the model's glue
	Note   string         `json:"note"`   // what changed that matters
	A      explore.Action `json:"a"`      // the model's action code
	// Merged explains, under the reduction, which steps of the unreduced
	// model joined this one and why it ended.
	Merged []string `json:"merged,omitempty"`
}

// New builds the counterexample of finding f, which a search of machine m
// (spec on rev) reported, by re-executing its trace.
func New(rev *model.Revision, spec *specs.Spec, m *model.Machine, f explore.Finding) (*Cex, error) {
	inits := m.Init()
	if f.Init < 0 || f.Init >= len(inits) {
		return nil, fmt.Errorf("finding %s: initial state %d does not exist", f.Name, f.Init)
	}
	c := &Cex{
		Format:    Format,
		Revision:  rev.Name,
		Spec:      SpecText{Name: spec.Name, Text: string(spec.Text)},
		Violation: Violation{Kind: KindTransition, Name: f.Name, Message: f.Message},
		Init:      f.Init,
		POR:       m.POR,
	}
	s, err := c.describe(m, inits[f.Init], f.Trace)
	if err != nil {
		return nil, fmt.Errorf("finding %s: %w", f.Name, err)
	}
	if f.Lasso {
		c.Violation.Kind, c.Loop = KindCycle, f.Loop+1
	} else if f.OnState {
		// Terminal only if it is the terminal state's classification: a
		// violation the search learned while expanding the state
		// (lock-deadlock) is the state's too.
		c.Violation.Kind = KindState
		if v, bad := m.Terminal(&s); bad && v.Name == f.Name && explore.Terminal(m, &s) {
			c.Violation.Kind = KindTerminal
		}
	}
	return c, nil
}

// NewBehaviour builds the counterexample of a behaviour: the run of
// machine m (spec on rev) that takes actions trace from the first initial
// state, which message describes. What user space sees of it is recorded
// for replay to confirm.
func NewBehaviour(rev *model.Revision, spec *specs.Spec, m *model.Machine, trace []explore.Action, message string) (*Cex, error) {
	return newObserved(rev, spec, m, trace, KindBehaviour, message)
}

// NewRecorded builds the counterexample of a recorded trace: the run of
// machine m (spec on rev, recording its ktrace points) that takes actions
// trace from the first initial state, which message describes. Its ktrace
// records are recorded for replay to confirm.
func NewRecorded(rev *model.Revision, spec *specs.Spec, m *model.Machine, trace []explore.Action, message string) (*Cex, error) {
	return newObserved(rev, spec, m, trace, KindTrace, message)
}

// newObserved builds a counterexample of kind KindBehaviour or KindTrace,
// whose violation is what replay observes of the run.
func newObserved(rev *model.Revision, spec *specs.Spec, m *model.Machine, trace []explore.Action, kind, message string) (*Cex, error) {
	c := &Cex{
		Format:    Format,
		Revision:  rev.Name,
		Spec:      SpecText{Name: spec.Name, Text: string(spec.Text)},
		Violation: Violation{Kind: kind, Name: kind, Message: message},
		POR:       m.POR,
		Ktrace:    m.Ktrace,
	}
	if _, err := c.describe(m, m.Init()[0], trace); err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	r, err := Replay(m, c)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", kind, err)
	}
	c.Observed = r.Observed
	return c, nil
}

// describe appends to c the steps of trace from state s, as the model
// describes them, and returns the state they end in.
func (c *Cex) describe(m *model.Machine, s model.State, trace []explore.Action) (model.State, error) {
	for i, a := range trace {
		st, next, _, err := m.Describe(&s, a)
		if err != nil {
			return s, fmt.Errorf("step %d: %w", i+1, err)
		}
		c.Steps = append(c.Steps, Step{N: len(c.Steps) + 1, Actor: st.Actor, CPU: st.CPU, Action: st.Action,
			Source: st.Source, Note: st.Note, A: a, Merged: st.Merged})
		s = next
	}
	return s, nil
}

func hasName(vs []explore.Violation, name string) bool {
	return slices.ContainsFunc(vs, func(v explore.Violation) bool { return v.Name == name })
}

// FileName returns the name Write gives c: spec-revision-violation.cex.json,
// each part reduced to lowercase letters, digits, '-' and '_' ("->"
// becomes "-to-").
func (c *Cex) FileName() string {
	return clean(c.Spec.Name) + "-" + clean(c.Revision) + "-" + clean(c.Violation.Name) + ".cex.json"
}

func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			return r
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return '_'
	}, strings.ReplaceAll(s, "->", "-to-"))
	for strings.Contains(s, "__") {
		s = strings.ReplaceAll(s, "__", "_")
	}
	s = strings.Trim(strings.ReplaceAll(strings.ReplaceAll(s, "_-", "-"), "-_", "-"), "_")
	if s == "" {
		return "_"
	}
	return s
}

// Write writes the counterexample of finding f into directory dir (which
// must exist) and returns the file's path.
func Write(dir string, rev *model.Revision, spec *specs.Spec, m *model.Machine, f explore.Finding) (string, error) {
	c, err := New(rev, spec, m, f)
	if err != nil {
		return "", err
	}
	return c.Save(dir)
}

// Save writes c into directory dir (which must exist) under its FileName
// and returns the file's path.
func (c *Cex) Save(dir string) (string, error) {
	data, err := c.Marshal()
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, c.FileName())
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("writing counterexample: %w", err)
	}
	return path, nil
}

// Marshal encodes c as it is written to a file: indented, one step per
// line, HTML characters unescaped.
func (c *Cex) Marshal() ([]byte, error) {
	head := *c
	head.WrittenBy = writer()
	d, err := head.digest()
	if err != nil {
		return nil, err
	}
	head.Digest = d
	head.Steps = nil
	var buf bytes.Buffer
	if err := encode(&buf, head, "  "); err != nil {
		return nil, err
	}
	// Replace the closing "steps": null} by the steps, one a line.
	out := bytes.TrimSuffix(bytes.TrimRight(buf.Bytes(), "\n"), []byte("\"steps\": null\n}"))
	out = append(out, "\"steps\": ["...)
	for i, st := range c.Steps {
		var line bytes.Buffer
		if err := encode(&line, st, ""); err != nil {
			return nil, err
		}
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, "\n    "...)
		out = append(out, bytes.TrimRight(line.Bytes(), "\n")...)
	}
	if len(c.Steps) > 0 {
		out = append(out, "\n  "...)
	}
	return append(out, "]\n}\n"...), nil
}

// writer is this lwpcheck, as a file's WrittenBy names it.
func writer() string { return "lwpcheck " + buildinfo.Version() }

// digest is the SHA-256 of c, but its Digest, as compact JSON.
func (c Cex) digest() (string, error) {
	c.Digest = ""
	if c.Steps == nil {
		c.Steps = []Step{} // the file always has a list
	}
	data, err := json.Marshal(c)
	if err != nil {
		return "", fmt.Errorf("encoding counterexample: %w", err)
	}
	return fmt.Sprintf("sha256:%x", sha256.Sum256(data)), nil
}

// Integrity says what replay cannot vouch for in c: that it was written
// by another lwpcheck, or edited since (its digest does not match), or
// has no digest at all. Empty for an untouched file of this lwpcheck.
func (c *Cex) Integrity() []string {
	var out []string
	switch d, err := c.digest(); {
	case c.Digest == "":
		out = append(out, "the file has no digest: whether its spec text and messages are as lwpcheck wrote them is unknown")
	case err != nil || d != c.Digest:
		out = append(out, "the file was edited after it was written: its digest does not match its content (the steps are re-executed; the spec text and messages are taken as they are)")
	}
	if c.WrittenBy != "" && c.WrittenBy != writer() {
		out = append(out, "written by "+c.WrittenBy+"; this is "+writer())
	}
	return out
}

// cause says why what the file records may no longer be what the model
// does: the model changed, unless the file itself says otherwise (see
// Integrity).
func (c *Cex) cause() string {
	switch d, err := c.digest(); {
	case c.WrittenBy != "" && c.WrittenBy != writer():
		return "the model changed, or differs: " + c.WrittenBy + " wrote the file"
	case c.Digest != "" && (err != nil || d != c.Digest):
		return "the file was edited after it was written: its digest does not match"
	case c.Digest == "" && c.at != nil:
		return "the model changed, or the file, which has no digest, was edited"
	}
	return "the model changed"
}

// edited is, for a step error, " (why)" when the file is not as this
// lwpcheck wrote it, "" when it is.
func (c *Cex) edited() string {
	if why := c.cause(); why != "the model changed" {
		return " (" + why + ")"
	}
	return ""
}

func encode(buf *bytes.Buffer, v any, indent string) error {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encoding counterexample: %w", err)
	}
	return nil
}
