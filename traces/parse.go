package traces

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
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
	if err := DecodeStrict(file, data, &c, "counterexample"); err != nil {
		return nil, err
	}
	if err := c.validate(); err != nil {
		return nil, &ParseError{File: file, Msg: err.Error()}
	}
	return &c, nil
}

// DecodeStrict decodes data, the JSON file named file holding one what
// ("counterexample", "baseline"), into v: unknown fields and data after
// the value are errors, and every error is a *ParseError with the line
// and column where the decoder stopped.
func DecodeStrict(file string, data []byte, v any, what string) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(file, data, dec, err, what)
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := position(data, int(dec.InputOffset())-1)
		return &ParseError{file, line, col, "data after the " + what}
	}
	return nil
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

// validate checks what the JSON decoder cannot.
func (c *Cex) validate() error {
	switch {
	case c.Format == "":
		return errors.New(`no "format": not a counterexample file`)
	case c.Format != Format && c.Format != formatV1:
		return fmt.Errorf("format %q is not supported (this lwpcheck reads %s and %s)", c.Format, Format, formatV1)
	case c.Loop != 0 && c.Format == formatV1:
		return fmt.Errorf(`%s has no "loop" (lassos came with %s)`, formatV1, Format)
	case c.Revision == "":
		return errors.New(`no "revision"`)
	case c.Spec.Name == "" || c.Spec.Text == "":
		return errors.New(`"spec" needs a name and a text`)
	case c.Violation.Name == "":
		return errors.New(`"violation" has no name`)
	case c.Init < 0:
		return fmt.Errorf(`"init" is %d, not an initial state`, c.Init)
	}
	switch c.Violation.Kind {
	case KindState, KindTerminal:
	case KindTransition:
		if len(c.Steps) == 0 {
			return errors.New("a transition violation needs a step")
		}
	case KindBehaviour, KindTrace:
		if len(c.Observed) == 0 {
			return fmt.Errorf(`a %s needs what is "observed"`, c.Violation.Kind)
		}
	case KindCycle:
		if c.Loop < 1 || c.Loop > len(c.Steps) {
			return fmt.Errorf(`a cycle needs "loop", the number of the loop's first step (1 to %d), not %d`, len(c.Steps), c.Loop)
		}
	default:
		return fmt.Errorf(`violation kind %q is not one of %s, %s, %s, %s, %s, %s`, c.Violation.Kind, KindState, KindTransition, KindTerminal, KindBehaviour, KindTrace, KindCycle)
	}
	if c.Loop != 0 && c.Violation.Kind != KindCycle {
		return errors.New(`only a cycle has a "loop"`)
	}
	if len(c.Observed) > 0 && c.Violation.Kind != KindBehaviour && c.Violation.Kind != KindTrace {
		return errors.New(`only a behaviour or a trace has "observed"`)
	}
	for i, st := range c.Steps {
		var bad string
		switch {
		case st.N != i+1:
			bad = fmt.Sprintf("numbered %d", st.N)
		case st.Actor == "" || st.Action == "" || st.Source == "":
			bad = "needs an actor, an action and a source"
		case st.CPU < -1 || st.CPU >= model.MaxCPUs:
			bad = fmt.Sprintf("cpu %d does not exist", st.CPU)
		case st.A == 0:
			bad = `has no action code ("a")`
		}
		if bad != "" {
			return fmt.Errorf("step %d %s", i+1, bad)
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
		return nil, &ParseError{File: file, Msg: fmt.Sprintf("the embedded spec is %q, not %q", sp.Name, c.Spec.Name)}
	}
	return sp, nil
}
