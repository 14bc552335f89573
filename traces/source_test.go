package traces

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fakeTree writes a small stand-in for a NetBSD source tree: lwpcheck
// contains none of the C code, so the lines are made up.
func fakeTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	kern := filepath.Join(dir, "sys", "kern")
	if err := os.MkdirAll(kern, 0o755); err != nil {
		t.Fatal(err)
	}
	lines := func(id string, n int, at map[int]string) string {
		var b strings.Builder
		b.WriteString("/*\t" + id + "\t*/\n")
		for i := 2; i <= n; i++ {
			b.WriteString(at[i] + "\n")
		}
		return b.String()
	}
	files := map[string]string{
		"kern_lwp.c": lines("$NetBSD: kern_lwp.c,v 1.270 2025/04/11 00:00:00 fake Exp $", 1700,
			map[int]string{790: "\tmutex_enter(p2->p_lock);", 1614: "\t\tmutex_spin_enter(old);   "}),
		"sys_lwp.c":   lines("$NetBSD: sys_lwp.c,v 1.83 2023/01/01 00:00:00 fake Exp $", 700, nil),
		"kern_sig.c":  lines("no id here", 10, nil),
		"kern_exit.c": lines("$NetBSD: kern_exit.c,v 1.285 2020/03/08 fake Exp $", 10, nil),
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(kern, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestSourceLines(t *testing.T) {
	dir := fakeTree(t)
	src := NewSource(dir)
	for _, tc := range []struct {
		ref  string
		want string
		ok   bool
	}{
		{"kern_lwp.c@1.270:790", "mutex_enter(p2->p_lock);", true},
		{"kern_lwp.c@1.270:1614", "mutex_spin_enter(old);", true},
		{"kern_lwp.c@1.270:5000", "", false}, // past the end
		{"kern_lwp.c@1.269:790", "", false},  // another revision
		{"sys_lwp.c@1.84:131", "", false},    // the tree has 1.83
		{"kern_sig.c@1.405:3", "", false},    // no id
		{"kern_synch.c@1.366:950", "", false},
		{"kern_exit.c@1.285:5", "", true},
		{"model", "", false},
		{"kern_lwp.c@1.270:x", "", false},
	} {
		got, ok := src.Line(tc.ref)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Line(%s) = %q, %v; want %q, %v", tc.ref, got, ok, tc.want, tc.ok)
		}
	}
	want := []string{
		filepath.Join("sys", "kern", "kern_lwp.c") + " is kern_lwp.c revision 1.270, the trace cites 1.269: its lines are not shown",
		filepath.Join("sys", "kern", "sys_lwp.c") + " is sys_lwp.c revision 1.83, the trace cites 1.84: its lines are not shown",
		filepath.Join("sys", "kern", "kern_sig.c") + ": no $NetBSD$ id, cannot tell its revision (the trace cites 1.405): its lines are not shown",
		filepath.Join("sys", "kern", "kern_synch.c") + ": not found in " + dir + ": its lines are not shown",
	}
	if got := src.Notes(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestListingWithSource lists the suspend-running deadlock beside the fake
// tree: lines of matching files are shown, the others noted once.
func TestListingWithSource(t *testing.T) {
	c := suspendRunning(t)
	r, err := Replay(machine(t, c), c)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	if err := r.Report(Options{Source: NewSource(fakeTree(t))}).WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"source:         sys/kern/sys_lwp.c is sys_lwp.c revision 1.83, the trace cites 1.84: its lines are not shown\n",
		"step 2  LWP 1 on cpu0  lwp_create: mutex_enter(p2->p_lock)\n        at kern_lwp.c@1.270:790\n        | mutex_enter(p2->p_lock);\n",
		"step 7  LWP 1 on cpu0  lwp_lock: mutex_spin_enter(old)\n        at kern_lwp.c@1.270:1614\n        | mutex_spin_enter(old);\n",
		"step 1  LWP 1 on cpu0  syscall: sys__lwp_create\n        at sys_lwp.c@1.84:131\n        see https://nxr.netbsd.org/xref/src/sys/kern/sys_lwp.c?r=1.84#131\n        ~ ",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("listing lacks %q", want)
		}
	}
	if n := strings.Count(out, "sys_lwp.c revision 1.83"); n != 1 {
		t.Errorf("the sys_lwp.c note appears %d times, want once", n)
	}
}

// TestSourceLongLinesAndErrors: a line longer than any buffer does not
// hide the lines after it, and a file that cannot be read is noted with
// the reason.
func TestSourceLongLinesAndErrors(t *testing.T) {
	dir := fakeTree(t)
	kern := filepath.Join(dir, "sys", "kern")
	long := "/*\t$NetBSD: kern_condvar.c,v 1.54 2022/06/29 fake Exp $\t*/\n" + strings.Repeat("x", 2<<20) + "\n\tcv_wait(cv, mtx);\n"
	if err := os.WriteFile(filepath.Join(kern, "kern_condvar.c"), []byte(long), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(kern, "kern_sleepq.c"), 0o755); err != nil {
		t.Fatal(err)
	}
	src := NewSource(dir)
	if got, ok := src.Line("kern_condvar.c@1.54:3"); !ok || got != "cv_wait(cv, mtx);" {
		t.Errorf("the line after a 2 MB line: %q, %v", got, ok)
	}
	if _, ok := src.Line("kern_sleepq.c@1.87:3"); ok {
		t.Error("a directory gave a line")
	}
	if got := strings.Join(src.Notes(), "\n"); !strings.Contains(got, "kern_sleepq.c: cannot be read (") {
		t.Errorf("notes %q do not say the file cannot be read", got)
	}
}

// TestSourceFromGit takes a file at the cited revision from the history of
// a git checkout whose working copy is a later one, on any branch.
func TestSourceFromGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("no git")
	}
	dir := t.TempDir()
	kern := filepath.Join(dir, "sys", "kern")
	if err := os.MkdirAll(kern, 0o755); err != nil {
		t.Fatal(err)
	}
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.org"}, args...)...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	commit := func(rev, line2 string) {
		t.Helper()
		text := "/*\t$NetBSD: kern_lwp.c,v " + rev + " 2020/01/01 00:00:00 fake Exp $\t*/\n" + line2 + "\n"
		if err := os.WriteFile(filepath.Join(kern, "kern_lwp.c"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		git("add", "-A")
		git("commit", "-q", "-m", rev)
	}
	git("init", "-q", "-b", "trunk")
	commit("1.1", "\tfirst();")
	commit("1.2", "\tsecond();")
	git("checkout", "-q", "-b", "netbsd-1")
	commit("1.2.2.1", "\tbranch();")
	git("checkout", "-q", "trunk")
	commit("1.3", "\tthird();")
	src := NewSource(dir)
	for ref, want := range map[string]string{
		"kern_lwp.c@1.3:2": "third();", "kern_lwp.c@1.1:2": "first();", "kern_lwp.c@1.2:2": "second();",
		"kern_lwp.c@1.2.2.1:2": "branch();", "kern_lwp.c@1.4:2": "",
	} {
		if got, ok := src.Line(ref); got != want || ok != (want != "") {
			t.Errorf("Line(%s) = %q, %v; want %q", ref, got, ok, want)
		}
	}
	notes := strings.Join(src.Notes(), "\n")
	for _, want := range []string{"revision 1.1: taken from commit", "revision 1.2.2.1: taken from commit",
		"is kern_lwp.c revision 1.3, the trace cites 1.4: its lines are not shown"} {
		if !strings.Contains(notes, want) {
			t.Errorf("notes lack %q:\n%s", want, notes)
		}
	}
}

func TestLink(t *testing.T) {
	for ref, want := range map[string]string{
		"kern_lwp.c@1.270:1109":   "https://nxr.netbsd.org/xref/src/sys/kern/kern_lwp.c?r=1.270#1109",
		"lwp.h@1.56.2.10:289":     "https://nxr.netbsd.org/xref/src/sys/sys/lwp.h?r=1.56.2.10#289",
		"kern_exit.c@1.171.2.1:9": "https://nxr.netbsd.org/xref/src/sys/kern/kern_exit.c?r=1.171.2.1#9",
		"model":                   "",
		"kern_thread.c@a3e8fd0:5": "", // not a CVS revision
		"../x.c@1.1:2":            "",
	} {
		if got := Link(ref); got != want {
			t.Errorf("Link(%s) = %q, want %q", ref, got, want)
		}
	}
}
