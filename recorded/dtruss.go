package recorded

import (
	"strings"
)

// dtrussShown is how many arguments dtruss prints of every call
// (DTraceToolkit dtruss: name(0x%X, 0x%X, 0x%X)).
const dtrussShown = 3

// dtrussNames are the names NetBSD's DTrace syscall provider gives the
// renamed entries (altsyscallnames): ___lwp_park60 is probed as
// _lwp_park (NetBSD 7 on).
var dtrussNames = map[string]string{"_lwp_park": "___lwp_park60"}

// dtruss reads one line of dtruss output with its PID/LWP column (-l, -a,
// -f or -n): `  PID/LWP:  [TIME...] name(args)   = ret errno`, printed when
// the call returns. Lines of other calls, and the header, are skipped.
func (p *parser) dtruss(raw []byte) error {
	line := strings.TrimSpace(string(raw))
	if strings.HasPrefix(line, "PID/LWP") || strings.HasPrefix(line, "PID/THRD") || strings.HasPrefix(line, "dtrace:") {
		return nil // the header, or DTrace's own complaint (a dropped probe)
	}
	ids, rest, ok := strings.Cut(line, ":")
	pidText, lidText, ok2 := strings.Cut(ids, "/")
	if !ok || !ok2 {
		if strings.Contains(line, "(") && strings.Contains(line, "=") {
			return p.errorf("a dtruss line without its PID/LWP column: record with dtruss -l")
		}
		return p.errorf("not a dtruss line: %q", clip(line))
	}
	pid, err1 := parseInt(strings.TrimSpace(pidText))
	lid, err2 := parseInt(strings.TrimSpace(lidText))
	if err1 != nil || err2 != nil || pid < 0 || lid < 0 {
		return p.errorf("not a dtruss line: want PID/LWP: first, got %q", clip(ids))
	}
	p.record(pid, lid, "")
	// Skip the -d, -e and -o columns: numbers before the name.
	rest = strings.TrimSpace(rest)
	for {
		w, tail, _ := strings.Cut(rest, " ")
		if !isDigits(strings.TrimPrefix(w, "-")) {
			break
		}
		rest = strings.TrimSpace(tail)
	}
	name, after, ok := strings.Cut(rest, "(")
	if !ok {
		return p.errorf("not a dtruss call: %q", clip(rest))
	}
	name = strings.TrimSpace(name)
	if alt, ok := dtrussNames[name]; ok {
		name = alt
	}
	sys, ok := Lookup(name)
	if !ok {
		return nil
	}
	i := strings.LastIndex(after, "=")
	j := strings.LastIndex(after[:max(i, 0)], ")")
	if i < 0 || j < 0 {
		return p.errorf("%s: want (args) = result", name)
	}
	var vals []int64
	for a := range strings.SplitSeq(after[:j], ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		v, err := parseInt(strings.ToLower(a))
		if err != nil {
			return p.errorf("%s: argument %q: want a number", name, a)
		}
		vals = append(vals, v)
	}
	e := Event{PID: pid, LID: lid, Name: name, Sys: sys, Phase: Ret, Args: sys.canonArgs(vals)}
	for k, q := range CanonParams(sys.Canon) {
		if pos := sys.position(q); pos < 0 || pos >= min(len(vals), dtrussShown) {
			e.Unshown |= 1 << k
		}
	}
	res := strings.Fields(after[i+1:])
	if len(res) != 2 {
		return p.errorf("%s: want \"= RET ERRNO\", got %q", name, clip(after[i:]))
	}
	if n, ok := strings.CutPrefix(res[1], "Err#"); ok {
		en, err := errnoNumber(n)
		if err != nil {
			return p.errorf("%s: %v", name, err)
		}
		e.Ret.Err = en
	} else {
		v, err := parseInt(res[0])
		if err != nil || res[1] != "0" {
			return p.errorf("%s: want \"= RET 0\" or \"= -1 Err#N\", got %q", name, clip(after[i:]))
		}
		e.Ret.Value = v
	}
	p.add(e)
	return nil
}

// detect tells a trace's format from its first line that is not blank.
func detect(line []byte) Format {
	s := strings.TrimSpace(string(line))
	switch {
	case strings.HasPrefix(s, "{"):
		return JSONL
	case strings.HasPrefix(s, "PID/LWP"), strings.HasPrefix(s, "PID/THRD"):
		return Dtruss
	}
	if ids, _, ok := strings.Cut(s, ":"); ok {
		if pid, lid, ok := strings.Cut(ids, "/"); ok && isDigits(pid) {
			if _, err := parseInt(lid); err == nil {
				return Dtruss
			}
		}
	}
	if _, _, _, _, _, _, ok := kdumpHeader(s); ok {
		return Kdump
	}
	return Auto
}
