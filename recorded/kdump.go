package recorded

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// kdumpTypes are the record types kdump prints (kdump.c, dumpheader and
// the ktr_type switch); the ones whose body may go on over lines that
// start with white space are marked.
var kdumpTypes = map[string]bool{
	"CALL": false, "RET": false, "NAMI": false, "GIO": true, "PSIG": false, "CSW": false,
	"EMUL": false, "MISC": true, "ENV": true, "ARG": true, "FD": false, "SAU": false,
	"MIB": false, "MMSG": true, "MOOL": true,
}

func isKdumpType(s string) bool {
	if _, ok := kdumpTypes[s]; ok {
		return true
	}
	return strings.HasPrefix(s, "UNKNOWN(")
}

// kdumpHeader splits a kdump record line into its header and body:
//
//	PID    LID COMM     [TIMESTAMP...] TYPE  BODY
//
// The LID column is absent from records of ktrace version 0. ok is false
// if the line is not a record.
func kdumpHeader(line string) (pid, lid int64, hasLID bool, comm, typ, body string, ok bool) {
	fields := strings.Fields(line)
	if len(fields) < 3 {
		return
	}
	var err error
	if pid, err = strconv.ParseInt(fields[0], 10, 64); err != nil || pid < 0 {
		return
	}
	t := -1
	for i := 2; i < len(fields); i++ {
		if isKdumpType(fields[i]) {
			t = i
			break
		}
	}
	if t < 0 {
		return
	}
	// The words between pid and the type: [lid] comm [timestamps].
	mid := fields[1:t]
	for len(mid) > 0 && isTimestamp(mid[len(mid)-1]) {
		mid = mid[:len(mid)-1]
	}
	if len(mid) >= 2 {
		if n, err := strconv.ParseInt(mid[0], 10, 64); err == nil && n >= 0 {
			lid, hasLID, mid = n, true, mid[1:]
		}
	}
	if len(mid) == 0 {
		return
	}
	comm, typ = strings.Join(mid, " "), fields[t]
	// The body is what follows the type word on the line, as printed.
	at := 0
	for i := 0; i <= t; i++ {
		at += strings.Index(line[at:], fields[i]) + len(fields[i])
	}
	body = strings.TrimSpace(line[at:])
	return pid, lid, hasLID, comm, typ, body, true
}

// isTimestamp reports whether s is a kdump timestamp: [-]seconds.fraction.
func isTimestamp(s string) bool {
	s = strings.TrimPrefix(s, "-")
	i := strings.IndexByte(s, '.')
	return i > 0 && i < len(s)-1 && isDigits(s[:i]) && isDigits(s[i+1:])
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func (p *parser) kdump(raw []byte) error {
	line := string(raw)
	if strings.TrimSpace(line) == "" {
		return nil
	}
	pid, lid, hasLID, comm, typ, body, ok := kdumpHeader(line)
	if !ok {
		// A continuation of the previous record's body (a GIO dump, an
		// argument list) starts with white space.
		if p.cont && (line[0] == ' ' || line[0] == '\t') {
			return nil
		}
		return p.errorf("not a kdump record: %q", clip(line))
	}
	p.cont = kdumpTypes[typ] || strings.HasPrefix(typ, "UNKNOWN(")
	if !hasLID {
		return p.errorf("the record has no LID column (a ktrace version 0 trace): record again with ktrace -v 2 or later")
	}
	p.record(pid, lid, comm)
	switch typ {
	case "CALL":
		return p.kdumpCall(pid, lid, body)
	case "RET":
		return p.kdumpRet(pid, lid, body)
	}
	return nil
}

// kdumpCall reads `name` or `name(arg,arg,...)`.
func (p *parser) kdumpCall(pid, lid int64, body string) error {
	name, args, hasArgs := strings.Cut(body, "(")
	name = strings.TrimSpace(name)
	sys, ok := Lookup(name)
	if !ok {
		return nil
	}
	e := Event{PID: pid, LID: lid, Name: name, Sys: sys, Phase: Call}
	if hasArgs {
		args, ok = strings.CutSuffix(strings.TrimSpace(args), ")")
		if !ok {
			return p.errorf("CALL %s: the argument list does not end with ')'", name)
		}
		var vals []int64
		for a := range strings.SplitSeq(args, ",") {
			v, err := parseArg(strings.TrimSpace(a))
			if err != nil {
				return p.errorf("CALL %s: argument %q: want a number", name, a)
			}
			vals = append(vals, v)
		}
		e.Args = sys.canonArgs(vals)
	} else {
		e.Args = sys.canonArgs(nil)
	}
	p.add(e)
	return nil
}

// parseArg reads an argument as kdump prints it: decimal (0 to 9, or any
// with -d) or 0x hexadecimal.
func parseArg(s string) (int64, error) {
	if strings.HasPrefix(s, "-") {
		return strconv.ParseInt(s, 10, 64)
	}
	return parseInt(s)
}

// kdumpRet reads `name VALUE[/0xHEX][, VALUE1]`, `name -1 errno N TEXT`,
// `name -1 unknown errno N`, `name RESTART` or `name JUSTRETURN`.
func (p *parser) kdumpRet(pid, lid int64, body string) error {
	f := strings.Fields(body)
	if len(f) < 2 {
		return p.errorf("RET: want a syscall name and a result, got %q", clip(body))
	}
	name := f[0]
	sys, ok := Lookup(name)
	if !ok {
		return nil
	}
	e := Event{PID: pid, LID: lid, Name: name, Sys: sys, Phase: Ret}
	switch {
	case f[1] == "RESTART":
		e.Ret.Err = ERESTART
	case f[1] == "JUSTRETURN":
		e.Ret.Err = EJUSTRETURN
	case f[1] == "-1" && len(f) >= 4 && f[2] == "errno":
		n, err := errnoNumber(f[3])
		if err != nil {
			return p.errorf("RET %s: %v", name, err)
		}
		e.Ret.Err = n
	case f[1] == "-1" && len(f) >= 5 && f[2] == "unknown" && f[3] == "errno":
		n, err := errnoNumber(f[4])
		if err != nil {
			return p.errorf("RET %s: %v", name, err)
		}
		e.Ret.Err = n
	default:
		v, _, _ := strings.Cut(strings.TrimSuffix(f[1], ","), "/")
		n, err := parseArg(v)
		if err != nil {
			return p.errorf("RET %s: want a value, -1 errno N, RESTART or JUSTRETURN, got %q", name, clip(strings.Join(f[1:], " ")))
		}
		e.Ret.Value = n
	}
	p.add(e)
	return nil
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}

// WriteKdump writes events as kdump prints them (kdump.c 1.140: pid, lid,
// command, CALL and RET records), with command comm.
func WriteKdump(w io.Writer, events []Event, comm string) error {
	var buf bytes.Buffer
	for i := range events {
		e := &events[i]
		buf.Reset()
		fmt.Fprintf(&buf, "%6d %6d %-8.16s ", e.PID, e.LID, comm)
		if e.Phase == Call {
			buf.WriteString("CALL  " + e.Name)
			if len(e.Sys.Params) > 0 {
				buf.WriteString("(")
				for j, p := range e.Sys.Params {
					if j > 0 {
						buf.WriteString(",")
					}
					buf.WriteString(kdumpLong(e.Arg(p)))
				}
				buf.WriteString(")")
			}
		} else {
			buf.WriteString("RET   " + e.Name + " ")
			switch e.Ret.Err {
			case 0:
				buf.WriteString(strconv.FormatInt(e.Ret.Value, 10))
				if e.Ret.Value < 0 || e.Ret.Value > 9 {
					fmt.Fprintf(&buf, "/%#x", uint64(e.Ret.Value))
				}
			case ERESTART:
				buf.WriteString("RESTART")
			case EJUSTRETURN:
				buf.WriteString("JUSTRETURN")
			default:
				fmt.Fprintf(&buf, "-1 errno %d %s", int(e.Ret.Err), e.Ret.Err.Text())
			}
		}
		buf.WriteString("\n")
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// kdumpLong prints an argument as kdump does: 0 to 9 in decimal, other
// values in hexadecimal.
func kdumpLong(v int64) string {
	if v >= 0 && v < 10 {
		return strconv.FormatInt(v, 10)
	}
	return fmt.Sprintf("%#x", uint64(v))
}
