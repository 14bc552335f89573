package recorded

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// jsonEvent is one line of a JSON lines trace:
//
//	{"pid": 7, "lid": 1, "call": "_lwp_wait", "phase": "call", "args": {"wait_for": 2}}
//	{"pid": 7, "lid": 1, "call": "_lwp_wait", "phase": "ret", "ret": "EDEADLK"}
//	{"lid": 1, "call": "_lwp_create", "phase": "ret", "ret": 0, "new": 2}
//
// pid is optional (one process). args names the parameters of the call
// as CanonParams does; a pointer may be written as a number, a "0x..."
// string or null, _lwp_unpark_all's targets as a list of lids.
type jsonEvent struct {
	PID   *int64                     `json:"pid"`
	LID   *int64                     `json:"lid"`
	Call  string                     `json:"call"`
	Phase string                     `json:"phase"`
	Args  map[string]json.RawMessage `json:"args"`
	Ret   json.RawMessage            `json:"ret"`
	New   *int64                     `json:"new"`
}

func (p *parser) jsonl(line []byte) error {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return nil
	}
	var je jsonEvent
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	dec.UseNumber()
	if err := dec.Decode(&je); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			if te.Field == "" {
				return p.errorf("not a JSON event: want an object, got a %s", te.Value)
			}
			return p.errorf("not a JSON event: %q: want a %s, got a %s", te.Field, jsonKind(te.Type.Kind().String()), te.Value)
		}
		return p.errorf("not a JSON event: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return p.errorf("more than one JSON value on the line")
	}
	if je.LID == nil || je.Call == "" || je.Phase == "" {
		return p.errorf(`an event needs "lid", "call" and "phase"`)
	}
	var pid int64
	if je.PID != nil {
		pid = *je.PID
	}
	p.record(pid, *je.LID, "")
	sys, ok := Lookup(je.Call)
	if !ok {
		return nil
	}
	e := Event{PID: pid, LID: *je.LID, Name: je.Call, Sys: sys}
	switch je.Phase {
	case "call":
		e.Phase = Call
		if je.Ret != nil || je.New != nil {
			return p.errorf(`a "call" event has no "ret" or "new"`)
		}
		if err := p.jsonArgs(&e, je.Args); err != nil {
			return err
		}
	case "ret":
		e.Phase = Ret
		if je.Args != nil {
			return p.errorf(`a "ret" event has no "args" (they belong to its "call")`)
		}
		if je.Ret == nil {
			return p.errorf(`a "ret" event needs "ret"`)
		}
		r, err := jsonResult(je.Ret)
		if err != nil {
			return p.errorf("ret: %v", err)
		}
		e.Ret = r
		if je.New != nil {
			if sys.Canon != "_lwp_create" || *je.New <= 0 {
				return p.errorf(`"new" is the positive lid of the LWP _lwp_create made`)
			}
			e.New = *je.New
		}
	default:
		return p.errorf(`phase: want "call" or "ret", got %q`, je.Phase)
	}
	p.add(e)
	return nil
}

func (p *parser) jsonArgs(e *Event, args map[string]json.RawMessage) error {
	ps := CanonParams(e.Sys.Canon)
	e.Args = make([]int64, len(ps))
	for name, raw := range args {
		i := -1
		for j, q := range ps {
			if q == name {
				i = j
			}
		}
		if i < 0 || e.Sys.position(name) < 0 {
			return p.errorf("args: %s has no parameter %q (it has %s)", e.Name, name, strings.Join(e.Sys.Params, ", "))
		}
		if name == "targets" && bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
			var lids []int64
			if err := json.Unmarshal(raw, &lids); err != nil {
				return p.errorf("args: targets: want a list of lids")
			}
			e.Targets = lids
			if e.Targets == nil {
				e.Targets = []int64{}
			}
			e.Args[i] = 1 // a non-NULL pointer
			continue
		}
		v, err := jsonInt(raw)
		if err != nil {
			return p.errorf("args: %s: %v", name, err)
		}
		e.Args[i] = v
	}
	return nil
}

// jsonKind names a Go kind as JSON does.
func jsonKind(k string) string {
	switch k {
	case "int64", "int", "ptr":
		return "number"
	case "map", "struct":
		return "object"
	}
	return k
}

// jsonInt reads an integer: a JSON number, a "0x..." or decimal string, or
// null (0).
func jsonInt(raw json.RawMessage) (int64, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return 0, err
	}
	switch x := v.(type) {
	case nil:
		return 0, nil
	case json.Number:
		return strconv.ParseInt(string(x), 10, 64)
	case string:
		if n, err := parseInt(x); err == nil {
			return n, nil
		}
		return 0, fmt.Errorf("want an integer, got %q", x)
	}
	return 0, fmt.Errorf("want an integer, got %s", raw)
}

// jsonResult reads "ret": a number is the value of a success, a string
// the name of an error ("EDEADLK", "ERESTART").
func jsonResult(raw json.RawMessage) (Result, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return Result{}, err
	}
	switch x := v.(type) {
	case json.Number:
		n, err := strconv.ParseInt(string(x), 10, 64)
		if err != nil {
			return Result{}, fmt.Errorf("want a value or an errno name, got %s", x)
		}
		return Result{Value: n}, nil
	case string:
		if e, ok := ErrnoByName(x); ok && e != 0 {
			return Result{Err: e}, nil
		}
		return Result{}, fmt.Errorf("unknown errno %q", x)
	}
	return Result{}, fmt.Errorf("want a value or an errno name, got %s", raw)
}

// parseInt reads a decimal or 0x-prefixed hexadecimal integer.
func parseInt(s string) (int64, error) {
	if h, ok := strings.CutPrefix(s, "0x"); ok {
		u, err := strconv.ParseUint(h, 16, 64)
		return int64(u), err
	}
	return strconv.ParseInt(s, 10, 64)
}

// WriteJSONL writes events as JSON lines, the arguments a record shows
// named as CanonParams does (zero ones left out).
func WriteJSONL(w io.Writer, events []Event) error {
	var buf bytes.Buffer
	for i := range events {
		e := &events[i]
		buf.Reset()
		fmt.Fprintf(&buf, `{"pid": %d, "lid": %d, "call": %q, "phase": %q`, e.PID, e.LID, e.Name, e.Phase)
		if e.Phase == Call {
			buf.WriteString(`, "args": {`)
			sep := ""
			for j, name := range CanonParams(e.Sys.Canon) {
				switch {
				case name == "targets" && e.Targets != nil:
					fmt.Fprintf(&buf, `%s"targets": [`, sep)
					for k, t := range e.Targets {
						if k > 0 {
							buf.WriteString(", ")
						}
						fmt.Fprint(&buf, t)
					}
					buf.WriteString("]")
				case j < len(e.Args) && e.Args[j] != 0:
					fmt.Fprintf(&buf, `%s%q: %d`, sep, name, e.Args[j])
				default:
					continue
				}
				sep = ", "
			}
			buf.WriteString("}")
		} else {
			if e.Ret.Err != 0 {
				fmt.Fprintf(&buf, `, "ret": %q`, e.Ret.Err)
			} else {
				fmt.Fprintf(&buf, `, "ret": %d`, e.Ret.Value)
			}
			if e.New != 0 {
				fmt.Fprintf(&buf, `, "new": %d`, e.New)
			}
		}
		buf.WriteString("}\n")
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}
