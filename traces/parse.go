package traces

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/readcap"
	"github.com/lwpcheck/lwpcheck/specs"
)

// ParseError is a malformed counterexample file. Its message is one line.
type ParseError struct {
	File      string
	Line, Col int // 0 when the problem has no position in the text
	Msg       string
}

func (e *ParseError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Read reads and parses the counterexample file at path.
func Read(path string) (*Cex, error) {
	data, err := readcap.ReadFile(path, readcap.Cex)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse parses a counterexample file; file names it in errors, which are
// *ParseError. Unknown fields are rejected: the format is versioned.
func Parse(file string, data []byte) (*Cex, error) {
	var c Cex
	at, err := DecodeStrict(file, data, &c, "counterexample")
	if err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, at.Error(err)
	}
	c.at = at.places(errorPaths...)
	return &c, nil
}

// DecodeStrict decodes data, the JSON file named file holding one what
// ("counterexample", "baseline"), into v: unknown fields, a key given
// twice in an object and data after the value are errors, and every error
// is a *ParseError with the line and column where the decoder stopped. It
// returns where each value of the file is, for the errors of checks made
// after decoding.
func DecodeStrict(file string, data []byte, v any, what string) (*Positions, error) {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return nil, &ParseError{file, 1, 1, "the file is UTF-16; a " + what + " file is UTF-8 JSON"}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return nil, jsonError(file, data, dec, err, what)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(data, int(dec.InputOffset())-1)
		return nil, &ParseError{file, line, col, "data after the " + what}
	}
	return walkJSON(file, data)
}

// Positions maps the values of a JSON file, by path ("steps.2.n": field
// n of the third step), to their byte offsets; or, once kept (places), a
// few of them to their lines and columns.
type Positions struct {
	file  string
	data  []byte
	at    map[string]int
	lines map[string][2]int
}

// errorPaths are the values a counterexample's errors after parsing name
// (Cex.ErrorAt).
var errorPaths = []string{"revision", "init", "spec", "spec.name", "spec.text", "violation", "violation.name", "steps"}

// FieldError is a problem of the value at Path ("" for the file as a
// whole).
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string { return e.Msg }

// Error turns err into a *ParseError, at the position of its path if it
// is a *FieldError: the value's, or, where the file lacks it, the nearest
// enclosing value's (the file's start for a missing top-level key).
func (p *Positions) Error(err error) error {
	var fe *FieldError
	if !errors.As(err, &fe) {
		return &ParseError{File: p.file, Msg: err.Error()}
	}
	if lc, ok := p.lines[fe.Path]; ok {
		return &ParseError{p.file, lc[0], lc[1], err.Error()}
	}
	line, col := p.place(fe.Path)
	return &ParseError{p.file, line, col, err.Error()}
}

// place is the line and column of the value at path, or of the nearest
// enclosing value the file has (the file's start at the top).
func (p *Positions) place(path string) (line, col int) {
	for path != "" {
		if off, ok := p.at[path]; ok {
			return position(p.data, off)
		}
		i := strings.LastIndexByte(path, '.')
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return position(p.data, 0)
}

// places keeps, for the errors found after parsing (Cex.ErrorAt), where
// the values at paths are, without the file.
func (p *Positions) places(paths ...string) *Positions {
	kept := &Positions{file: p.file, at: map[string]int{}, lines: map[string][2]int{}}
	for _, path := range paths {
		line, col := p.place(path)
		kept.lines[path] = [2]int{line, col}
	}
	return kept
}

// walkJSON records where each value of data, valid JSON, starts, and
// rejects an object that gives a key twice (encoding/json would keep the
// last silently).
func walkJSON(file string, data []byte) (*Positions, error) {
	p := &Positions{file: file, data: data, at: map[string]int{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	type level struct {
		keys    map[string]bool // nil for an array
		key     string          // an object's current key
		n       int             // an array's next index
		path    string
		wantKey bool
	}
	var stack []*level
	start := func() int { // the start of the next token
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n,:", data[off]) >= 0 {
			off++
		}
		return off
	}
	join := func(path, k string) string {
		if path == "" {
			return k
		}
		return path + "." + k
	}
	for {
		off := start()
		tok, err := dec.Token()
		if err == io.EOF {
			return p, nil
		}
		if err != nil {
			return nil, jsonError(file, data, dec, err, "file")
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.keys != nil && top.wantKey {
			if d, ok := tok.(json.Delim); ok && d == '}' {
				stack = stack[:len(stack)-1]
				continue
			}
			k := tok.(string)
			if top.keys[k] {
				line, col := position(data, off)
				return nil, &ParseError{file, line, col, fmt.Sprintf("key %q given twice", k)}
			}
			top.keys[k], top.key, top.wantKey = true, k, false
			continue
		}
		path := ""
		switch {
		case top == nil:
		case top.keys != nil:
			path, top.wantKey = join(top.path, top.key), true
		default:
			if d, ok := tok.(json.Delim); ok && d == ']' {
				stack = stack[:len(stack)-1]
				continue
			}
			path = join(top.path, strconv.Itoa(top.n))
			top.n++
		}
		p.at[path] = off
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &level{keys: map[string]bool{}, path: path, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &level{path: path})
		}
	}
}

// jsonError turns an error of encoding/json into a *ParseError with the
// line and column where the decoder stopped.
func jsonError(file string, data []byte, dec *json.Decoder, err error, what string) error {
	off := int(dec.InputOffset())
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		off = int(syn.Offset) - 1
	case errors.As(err, &typ):
		off = int(typ.Offset) - 1
		err = fmt.Errorf("%s: got %s, want %s", typ.Field, typ.Value, typeName(typ.Type))
	case errors.Is(err, io.EOF):
		return &ParseError{File: file, Msg: "empty file, not a " + what}
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = len(data)
		err = errors.New("unexpected end of file")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// The decoder has read the whole value: point at the field.
		field := strings.TrimPrefix(err.Error(), "json: unknown field ")
		if i := bytes.Index(data, []byte(field)); i >= 0 {
			off = i
		}
	}
	line, col := position(data, off)
	msg := strings.TrimPrefix(err.Error(), "json: ")
	return &ParseError{file, line, col, strings.Join(strings.Fields(msg), " ")}
}

// typeName says what a field of type t holds, for a reader of the file.
func typeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Struct:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.Uint32:
		return "a number from 0 to 4294967295"
	}
	return "an integer"
}

// position returns the 1-based line and column (in characters) of byte
// offset off of data.
func position(data []byte, off int) (line, col int) {
	off = max(0, min(off, len(data)))
	before := data[:off]
	line = bytes.Count(before, []byte("\n")) + 1
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		before = before[i+1:]
	}
	return line, utf8.RuneCount(before) + 1
}

// validate checks what the JSON decoder cannot. Its errors are
// *FieldError, naming the value at fault where the file has it.
func (c *Cex) validate() error {
	bad := func(path, format string, args ...any) error {
		return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
	}
	switch {
	case c.Format == "":
		return bad("", `no "format": not a counterexample file`)
	case c.Format != Format && c.Format != formatV1:
		return bad("format", "format %q is not supported (this lwpcheck reads %s and %s)", c.Format, Format, formatV1)
	case c.Loop != 0 && c.Format == formatV1:
		return bad("loop", `%s has no "loop" (lassos came with %s)`, formatV1, Format)
	case c.Revision == "":
		return bad("revision", `no "revision"`)
	case c.Spec.Name == "" || c.Spec.Text == "":
		return bad("spec", `"spec" needs a name and a text`)
	case c.Violation.Name == "":
		return bad("violation", `"violation" has no name`)
	case c.Init < 0:
		return bad("init", `"init" is %d, not an initial state`, c.Init)
	}
	switch c.Violation.Kind {
	case KindState, KindTerminal:
	case KindTransition:
		if len(c.Steps) == 0 {
			return bad("steps", "a transition violation needs a step")
		}
	case KindBehaviour, KindTrace:
		if len(c.Observed) == 0 {
			return bad("violation.kind", `a %s needs what is "observed"`, c.Violation.Kind)
		}
	case KindCycle:
		if c.Loop < 1 || c.Loop > len(c.Steps) {
			return bad("loop", `a cycle needs "loop", the number of the loop's first step (1 to %d), not %d`, len(c.Steps), c.Loop)
		}
	default:
		return bad("violation.kind", `violation kind %q is not one of %s, %s, %s, %s, %s, %s`, c.Violation.Kind,
			KindState, KindTransition, KindTerminal, KindBehaviour, KindTrace, KindCycle)
	}
	if c.Loop != 0 && c.Violation.Kind != KindCycle {
		return bad("loop", `only a cycle has a "loop"`)
	}
	if len(c.Observed) > 0 && c.Violation.Kind != KindBehaviour && c.Violation.Kind != KindTrace {
		return bad("observed", `only a behaviour or a trace has "observed"`)
	}
	for i, st := range c.Steps {
		at := func(field string) string { return fmt.Sprintf("steps.%d.%s", i, field) }
		switch {
		case st.N != i+1:
			return bad(at("n"), "step %d numbered %d", i+1, st.N)
		case st.Actor == "" || st.Action == "" || st.Source == "":
			return bad(fmt.Sprintf("steps.%d", i), "step %d needs an actor, an action and a source", i+1)
		case st.CPU < -1 || st.CPU >= model.MaxCPUs:
			return bad(at("cpu"), "step %d cpu %d does not exist", i+1, st.CPU)
		case st.A == 0:
			return bad(fmt.Sprintf("steps.%d", i), `step %d has no action code ("a")`, i+1)
		}
	}
	return nil
}

// ParseSpec parses the spec embedded in c; file names the counterexample
// in errors.
func (c *Cex) ParseSpec(file string) (*specs.Spec, error) {
	sp, err := specs.Parse(file+"#spec", []byte(c.Spec.Text))
	if err != nil {
		return nil, err
	}
	if sp.Name != c.Spec.Name {
		if c.at == nil {
			return nil, &ParseError{File: file, Msg: fmt.Sprintf("the embedded spec is %q, not %q", sp.Name, c.Spec.Name)}
		}
		return nil, c.ErrorAt("spec.name", "the embedded spec is %q, not %q", sp.Name, c.Spec.Name)
	}
	return sp, nil
}
