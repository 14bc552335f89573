// Package recorded reads the system-call traces users record of a threaded
// program on a real system — the text NetBSD's kdump prints, dtruss output,
// JSON lines — into one list of events, and writes JSON lines and kdump
// text back. It knows the names and arguments of the _lwp_* calls of every
// NetBSD era and nothing of the model: package verify maps the events to the
// model's ops.
//
// A malformed line is an *Error naming the file and line. Lines that
// begin with '#' are comments, in every format. Lines that are not
// system-call records (kdump's NAMI, GIO, PSIG... records, dtruss's
// header) and calls other than the _lwp_* family are skipped.
package recorded

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Format is a trace file format.
type Format uint8

// Trace formats.
const (
	Auto   Format = iota // detect from the first records
	Kdump                // NetBSD kdump text, of `ktrace -i` or `ktrace -p`
	Dtruss               // dtruss: PID/LWP:  name(args) = ret errno
	JSONL                // one JSON object an event
)

var formatNames = [...]string{"auto", "kdump", "dtruss", "jsonl"}

func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// ParseFormat returns the format named s.
func ParseFormat(s string) (Format, bool) {
	for i, n := range formatNames {
		if n == s {
			return Format(i), true
		}
	}
	return 0, false
}

// Phase tells whether an event is a call's entry or its return.
type Phase uint8

// Phases.
const (
	Call Phase = iota + 1 // the call entered the kernel (kdump CALL)
	Ret                   // the call returned (kdump RET)
)

func (p Phase) String() string {
	switch p {
	case Call:
		return "call"
	case Ret:
		return "ret"
	}
	return "?"
}

// Event is one record of an _lwp_* call.
type Event struct {
	Line  int   // where it is in the file (1-based)
	PID   int64 // the process
	LID   int64 // the LWP that made the call
	Name  string
	Sys   *Syscall // what Name is: its canonical call and arguments
	Phase Phase
	// Args are the call's arguments, in the order of Sys.Canon's
	// parameters (CanonParams); 0 for one the record does not show.
	Args []int64
	// Unshown has bit i set if the record does not show canonical
	// argument i (dtruss prints three).
	Unshown uint16
	// Targets are _lwp_unpark_all's lids, when the trace shows them
	// (JSON lines); nil otherwise.
	Targets []int64
	Ret     Result // Phase Ret
	// New is the lid _lwp_create gave the new LWP, when the trace shows
	// it (JSON lines); 0 otherwise.
	New int64
}

// Shown reports whether the record shows the argument named p.
func (e *Event) Shown(p string) bool {
	for i, n := range CanonParams(e.Sys.Canon) {
		if n == p {
			return e.Unshown&(1<<i) == 0
		}
	}
	return false
}

// Arg returns the argument named p of e's canonical call, 0 if e has no
// such parameter.
func (e *Event) Arg(p string) int64 {
	for i, n := range CanonParams(e.Sys.Canon) {
		if n == p && i < len(e.Args) {
			return e.Args[i]
		}
	}
	return 0
}

// Result is what a call returned: a value, or an error.
type Result struct {
	Err   Errno // 0: success
	Value int64 // on success
}

// Proc is a process a trace shows.
type Proc struct {
	PID      int64
	Comm     string // its command name (after its last exec), if the trace shows it
	FirstLID int64  // the LWP of the process's first record, of any call
	Line     int    // the line of that record
	Calls    int    // how many _lwp_* records it has
}

// Trace is a parsed trace file.
type Trace struct {
	File   string
	Format Format
	Events []Event // the _lwp_* records of every process, in file order
	Procs  []Proc  // every process with a system-call record, by first appearance
}

// Of returns the events of process pid.
func (t *Trace) Of(pid int64) []Event {
	var out []Event
	for _, e := range t.Events {
		if e.PID == pid {
			out = append(out, e)
		}
	}
	return out
}

// Proc returns the process pid, or nil.
func (t *Trace) Proc(pid int64) *Proc {
	for i := range t.Procs {
		if t.Procs[i].PID == pid {
			return &t.Procs[i]
		}
	}
	return nil
}

// Error is a malformed line of a trace file.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// MaxLine is the longest line a trace may have.
const MaxLine = 1 << 20

// Parse reads a trace in format f (Auto: detected) from r; file names it
// in errors.
func Parse(file string, r io.Reader, f Format) (*Trace, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	p := &parser{t: &Trace{File: file, Format: f}}
	for sc.Scan() {
		p.line++
		line := sc.Bytes()
		if t := bytes.TrimSpace(line); len(t) == 0 || t[0] == '#' {
			continue // a blank line, or a comment (a file's header naming its source)
		}
		if p.t.Format == Auto {
			p.t.Format = detect(line)
			if p.t.Format == Auto {
				return nil, p.errorf("cannot tell the trace's format from this line: say --format kdump, dtruss or jsonl")
			}
		}
		var err error
		switch p.t.Format {
		case Kdump:
			err = p.kdump(line)
		case Dtruss:
			err = p.dtruss(line)
		case JSONL:
			err = p.jsonl(line)
		default:
			return nil, fmt.Errorf("%s: unknown trace format %d", file, f)
		}
		if err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, &Error{file, p.line + 1, fmt.Sprintf("line longer than %d bytes", MaxLine)}
		}
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	if p.t.Format == Auto {
		return nil, &Error{file, max(p.line, 1), "the trace is empty"}
	}
	return p.t, nil
}

type parser struct {
	t    *Trace
	line int
	// cont is whether the last kdump record's body may go on over lines
	// that start with white space.
	cont bool
}

func (p *parser) errorf(format string, args ...any) error {
	return &Error{p.t.File, p.line, fmt.Sprintf(format, args...)}
}

// record notes a system-call record of process pid, LWP lid.
func (p *parser) record(pid, lid int64, comm string) {
	if pr := p.t.Proc(pid); pr != nil {
		if comm != "" {
			pr.Comm = comm
		}
		return
	}
	p.t.Procs = append(p.t.Procs, Proc{PID: pid, Comm: comm, FirstLID: lid, Line: p.line})
}

// add appends an _lwp_* event.
func (p *parser) add(e Event) {
	e.Line = p.line
	p.t.Events = append(p.t.Events, e)
	p.t.Proc(e.PID).Calls++
}
