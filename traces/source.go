package traces

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/readcap"
)

// Source reads the C lines a trace cites from a NetBSD source tree laid
// out as DIR/sys/kern/kern_lwp.c. A file is used only if its $NetBSD$ id
// names the revision the trace cites; otherwise its lines are skipped
// and Notes says why. lwpcheck contains none of the C code.
type Source struct {
	dir   string
	files map[string]*srcFile // by "kern_lwp.c@1.270"
	notes []string
}

type srcFile struct {
	lines []string // nil when skipped
}

// NewSource reads lines from the tree at dir.
func NewSource(dir string) *Source {
	return &Source{dir: dir, files: map[string]*srcFile{}}
}

// Ref is a parsed source reference: file@rev:line.
type Ref struct {
	File, Rev string
	Line      int
}

// ParseRef parses "kern_lwp.c@1.270:1109"; ok is false for a reference
// without a revision or a line (the model's own glue: "model").
func ParseRef(s string) (r Ref, ok bool) {
	file, rest, ok1 := strings.Cut(s, "@")
	rev, line, ok2 := strings.Cut(rest, ":")
	n, err := strconv.Atoi(line)
	if !ok1 || !ok2 || err != nil || n <= 0 || file == "" || rev == "" {
		return Ref{}, false
	}
	return Ref{file, rev, n}, true
}

// Line returns the C line that ref cites, without its indentation; ok
// is false if the tree does not hold that revision of the file.
func (s *Source) Line(ref string) (string, bool) {
	r, ok := ParseRef(ref)
	if !ok {
		return "", false
	}
	key := r.File + "@" + r.Rev
	f, seen := s.files[key]
	if !seen {
		f = s.load(r)
		s.files[key] = f
	}
	if f.lines == nil || r.Line > len(f.lines) {
		return "", false
	}
	return strings.TrimSpace(f.lines[r.Line-1]), true
}

// Notes lists, in the order they were met, the files whose lines are not
// shown, and why.
func (s *Source) Notes() []string { return s.notes }

// rcsID matches a file's id line, e.g. "$NetBSD: kern_lwp.c,v 1.270 ...$".
var rcsID = regexp.MustCompile(`\$NetBSD: ([^,\s]+),v ([0-9.]+) `)

// load reads the file ref cites, or notes why it cannot be used.
func (s *Source) load(r Ref) *srcFile {
	rel := filepath.Join("sys", "kern", r.File)
	if strings.HasSuffix(r.File, ".h") {
		rel = filepath.Join("sys", "sys", r.File)
	}
	data, err := readcap.ReadFile(filepath.Join(s.dir, rel), readcap.Source)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		s.notes = append(s.notes, fmt.Sprintf("%s: not found in %s, its lines are not shown", rel, s.dir))
		return &srcFile{}
	case err != nil:
		s.notes = append(s.notes, fmt.Sprintf("%s: cannot be read (%v), its lines are not shown", rel, err))
		return &srcFile{}
	}
	m := rcsID.FindSubmatch(data)
	switch {
	case m == nil:
		s.notes = append(s.notes, fmt.Sprintf("%s: no $NetBSD$ id, cannot tell its revision (the trace cites %s): its lines are not shown", rel, r.Rev))
		return &srcFile{}
	case string(m[1]) != r.File || string(m[2]) != r.Rev:
		s.notes = append(s.notes, fmt.Sprintf("%s is %s revision %s, the trace cites %s: its lines are not shown", rel, m[1], m[2], r.Rev))
		return &srcFile{}
	}
	// Split, not a scanner: a line of any length is a line.
	return &srcFile{lines: strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")}
}
