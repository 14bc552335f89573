package traces

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/readcap"
)

// Source reads the C lines a trace cites from a NetBSD source tree laid
// out as DIR/sys/kern/kern_lwp.c. A file is used only if its $NetBSD$ id
// names the revision the trace cites. If the tree is a git checkout (of
// NetBSD's git conversion), a file whose working copy is another revision
// is taken from the commit that gave it the cited one; otherwise its
// lines are skipped and Notes says why. lwpcheck contains none of the C
// code.
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

// Link returns a public web page showing the line ref cites at its
// revision (NetBSD's source cross-reference), or "" for a reference that
// is not to a NetBSD file at a CVS revision.
func Link(ref string) string {
	r, ok := ParseRef(ref)
	if !ok || strings.Trim(r.Rev, "0123456789.") != "" || strings.ContainsAny(r.File, "/?#") {
		return ""
	}
	dir := "sys/kern/"
	if strings.HasSuffix(r.File, ".h") {
		dir = "sys/sys/"
	}
	return fmt.Sprintf("https://nxr.netbsd.org/xref/src/%s%s?r=%s#%d", dir, r.File, r.Rev, r.Line)
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
	why := ""
	switch {
	case errors.Is(err, fs.ErrNotExist):
		why = fmt.Sprintf("%s: not found in %s", rel, s.dir)
	case err != nil:
		why = fmt.Sprintf("%s: cannot be read (%v)", rel, err)
	default:
		switch m := rcsID.FindSubmatch(data); {
		case m == nil:
			why = fmt.Sprintf("%s: no $NetBSD$ id, cannot tell its revision (the trace cites %s)", rel, r.Rev)
		case string(m[1]) != r.File || string(m[2]) != r.Rev:
			why = fmt.Sprintf("%s is %s revision %s, the trace cites %s", rel, m[1], m[2], r.Rev)
		default:
			return splitLines(data)
		}
	}
	if data, commit, ok := s.fromGit(rel, r); ok {
		s.notes = append(s.notes, fmt.Sprintf("%s revision %s: taken from commit %.12s of the git checkout", rel, r.Rev, commit))
		return splitLines(data)
	}
	s.notes = append(s.notes, why+": its lines are not shown")
	return &srcFile{}
}

// splitLines splits a file into lines. Split, not a scanner: a line of
// any length is a line.
func splitLines(data []byte) *srcFile {
	return &srcFile{lines: strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")}
}

// fromGit finds, in the git history of the tree (every branch: NetBSD's
// release branches carry revisions such as 1.202.4.1), the commit that
// gave file rel the $NetBSD$ id of revision r.Rev, and returns the file as
// that commit has it.
func (s *Source) fromGit(rel string, r Ref) (data []byte, commit string, ok bool) {
	id := "$NetBSD: " + r.File + ",v " + r.Rev + " "
	out, err := s.git(maxGitLog, "log", "--all", "--format=%H", "-S", id, "--", filepath.ToSlash(rel))
	if err != nil {
		return nil, "", false
	}
	for _, c := range strings.Fields(string(out)) {
		blob, err := s.git(readcap.Source, "show", c+":"+filepath.ToSlash(rel))
		if err != nil {
			continue
		}
		if m := rcsID.FindSubmatch(blob); m != nil && string(m[1]) == r.File && string(m[2]) == r.Rev {
			return blob, c, true
		}
	}
	return nil, "", false
}

// maxGitLog bounds the commit list fromGit reads.
const maxGitLog = 1 << 20

// git runs git in the tree and returns at most limit bytes of its output.
func (s *Source) git(limit int64, args ...string) ([]byte, error) {
	cmd := exec.Command("git", append([]string{"-C", s.dir}, args...)...)
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(readcap.Reader(out, "git "+args[0], limit))
	if err != nil {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		return nil, err
	}
	return data, cmd.Wait()
}
