package traces

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestHTMLSelfContained checks the page without a browser: one document
// with its style and script inline, nothing loaded from elsewhere, and one
// timeline event per step.
func TestHTMLSelfContained(t *testing.T) {
	rep := report(t)
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"<!DOCTYPE html>", "<style>", "<script>", `<div id="timeline"`, `<table id="steps">`} {
		if strings.Count(page, want) != 1 {
			t.Errorf("page has %d of %q, want 1", strings.Count(page, want), want)
		}
	}
	// Links to the cited C lines are followed only when clicked.
	loads := regexp.MustCompile(`(?i)src=|<link|url\(|@import`)
	if m := loads.FindString(page); m != "" {
		t.Errorf("page loads something from elsewhere: %q", m)
	}
	for _, href := range regexp.MustCompile(`(?i)<a href="[^"]*"`).FindAllString(page, -1) {
		if !strings.HasPrefix(href, `<a href="https://nxr.netbsd.org/xref/src/sys/`) {
			t.Errorf("page links elsewhere than to a cited C line: %s", href)
		}
	}
	if got := strings.Count(page, `class="cell ev `); got != len(rep.Steps) {
		t.Errorf("%d timeline events, want %d", got, len(rep.Steps))
	}
	// The deadlock leaves both LWPs asleep: their lanes end in the
	// sleeping state's tint, and the final-state panel says so.
	if !strings.Contains(page, `class="cell st st-LSSLEEP"`) || !strings.Contains(page, "<dt>final state</dt>") {
		t.Error("the page shows neither the LWPs' states on the timeline nor the final state")
	}
}

// TestHTMLInChromium renders the page in headless Chromium (the Debian
// package chromium; the test is skipped without it) and inspects the DOM
// after the script ran: one timeline event per step, the script's own
// count of context switches equal to the report's, the last step selected.
func TestHTMLInChromium(t *testing.T) {
	bin := chromium(t)
	rep := report(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "replay.html")
	var b bytes.Buffer
	if err := rep.WriteHTML(&b); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := runChromium(t, bin, dir, "--dump-dom", "file://"+page)
	if got := strings.Count(dom, `class="cell ev `); got != len(rep.Steps) {
		t.Errorf("%d timeline events in the DOM, want %d", got, len(rep.Steps))
	}
	for _, want := range []string{
		`data-ready="yes"`,
		fmt.Sprintf(`data-switches="%d"`, rep.Switches),
		fmt.Sprintf(`class="step last sel" id="step-%d"`, len(rep.Steps)),
	} {
		if !strings.Contains(dom, want) {
			t.Errorf("DOM lacks %s: the script did not run as it should", want)
		}
	}
	png := filepath.Join(dir, "replay.png")
	runChromium(t, bin, dir, "--window-size=1280,900", "--screenshot="+png, "file://"+page)
	st, err := os.Stat(png)
	if err != nil {
		t.Fatalf("screenshot: %v, want a picture of the page", err)
	}
	if st.Size() < 10000 {
		t.Errorf("screenshot: %d bytes, want a picture of the page (at least 10000)", st.Size())
	}
}

// chromium returns the path of the Chromium binary, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("chromium is not installed (Debian: apt-get install -y chromium): the HTML page is not checked in a browser")
	return ""
}

// runChromium runs headless Chromium with a profile in dir and returns
// what it prints.
func runChromium(t *testing.T, bin, dir string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args = append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + filepath.Join(dir, "profile")}, args...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.WaitDelay = 5 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}
