// Command lwpcheck model-checks the LWP semantics of NetBSD (and FreeBSD's
// KSE-era threads), replays counterexamples, verifies recorded traces and
// compares revisions. Run `lwpcheck help` for the verbs.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
)

// Exit codes (DESIGN.md "CLI").
const (
	exitOK         = 0 // everything holds
	exitFinding    = 1 // a violation, a deadlock, a rejected trace, revisions differ
	exitUsage      = 2 // usage or input error
	exitIncomplete = 3 // a limit was reached first, nothing found
)

// usageError is a bad command line or bad input: one line, exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return &usageError{fmt.Sprintf(format, args...)} }

// verb is one subcommand.
type verb struct {
	name  string
	usage string // one line
	doc   string // a paragraph
	run   func(args []string, stdout, stderr io.Writer) (int, error)
	flags func() *flag.FlagSet // the verb's flags, for help; nil: see flagsOf
}

var verbs []*verb

func init() {
	verbs = []*verb{
		checkVerb, listVerb, replayVerb, graphVerb,
		{name: "help", usage: "lwpcheck help [VERB]", doc: "Print the verbs, or one verb's usage and flags.", run: runHelp},
		{name: "version", usage: "lwpcheck version", doc: "Print the version.", run: runVersion},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes a command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		printVerbs(stderr)
		return exitUsage
	}
	for _, v := range verbs {
		if v.name == args[0] {
			code, err := v.run(args[1:], stdout, stderr)
			if err != nil {
				fmt.Fprintf(stderr, "lwpcheck %s: %s\n", v.name, oneLine(err))
				var ue *usageError
				if errors.As(err, &ue) || code == exitOK {
					return exitUsage
				}
			}
			return code
		}
	}
	fmt.Fprintf(stderr, "lwpcheck: unknown verb %q (run `lwpcheck help`)\n", args[0])
	return exitUsage
}

// oneLine keeps an error message to its first line.
func oneLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

func printVerbs(w io.Writer) {
	fmt.Fprintln(w, "lwpcheck: model checker and trace verifier for NetBSD LWP semantics")
	fmt.Fprintln(w, "\nUsage:")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %s\n", v.usage)
	}
	fmt.Fprintln(w, "\nExit codes: 0 everything holds, 1 a finding, 2 usage or input error, 3 incomplete.")
}

func runHelp(args []string, stdout, stderr io.Writer) (int, error) {
	if len(args) == 0 {
		printVerbs(stdout)
		return exitOK, nil
	}
	for _, v := range verbs {
		if v.name == args[0] {
			fmt.Fprintf(stdout, "Usage: %s\n\n%s\n", v.usage, v.doc)
			fs := flagsOf(v.name)
			if v.flags != nil {
				fs = v.flags()
			}
			if fs != nil {
				fmt.Fprintln(stdout, "\nFlags:")
				fs.SetOutput(stdout)
				fs.PrintDefaults()
			}
			return exitOK, nil
		}
	}
	return exitUsage, usagef("unknown verb %q", args[0])
}

func runVersion(args []string, stdout, stderr io.Writer) (int, error) {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	fmt.Fprintf(stdout, "lwpcheck %s\n", v)
	return exitOK, nil
}
