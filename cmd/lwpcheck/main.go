// Command lwpcheck model-checks the LWP semantics of NetBSD, replays its
// counterexamples and exports them. Run `lwpcheck help` for the verbs.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"github.com/lwpcheck/lwpcheck/buildinfo"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/peakrss"
	"github.com/lwpcheck/lwpcheck/revisions"
)

// Exit codes (README.md "Usage").
const (
	exitOK         = 0 // everything holds
	exitFinding    = 1 // a violation, a deadlock, a counterexample that no longer replays
	exitUsage      = 2 // usage or input error
	exitIncomplete = 3 // nothing found, but a limit stopped the search or it was a bitstate one
)

// Exit codes of a run stopped by a signal, as shells report them (128 + the
// signal's number).
const (
	exitInterrupted = 130 // SIGINT
	exitTerminated  = 143 // SIGTERM
)

// signals receives SIGINT and SIGTERM from the start of main, so that one
// that comes before a search listens (interruptible) is not lost: the
// search starts stopped and reports so. Verbs that do not listen give the
// signals their default action back (run).
var signals = make(chan os.Signal, 1)

// listens are the verbs that stop their searches on a signal and report
// what was done.
var listens = map[string]bool{"check": true, "diff": true, "verify": true}

// interruptible returns a context that SIGINT or SIGTERM cancels, a
// function telling which exit code the signal asks for (0 if none came),
// and one that stops listening.
func interruptible() (context.Context, func() int, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := signals
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	var code atomic.Int32
	select {
	case sig := <-ch: // came before: the search starts stopped
		code.Store(int32(exitCodeOf(sig)))
		cancel()
	default:
	}
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			code.Store(int32(exitCodeOf(sig)))
			cancel()
		case <-done:
		}
	}()
	return ctx, func() int { return int(code.Load()) }, func() {
		signal.Stop(ch)
		close(done)
		cancel()
		select { // one that came as the verb ended: nothing is left to stop
		case <-ch:
		default:
		}
	}
}

// exitCodeOf is the exit code of a run that signal sig stopped.
func exitCodeOf(sig os.Signal) int {
	if sig == syscall.SIGTERM {
		return exitTerminated
	}
	return exitInterrupted
}

// errHelp is what a verb returns for -h or --help: run prints the verb's
// help on stdout and exits 0.
var errHelp = errors.New("help requested")

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
	flags func() *flag.FlagSet // the verb's flags, for help
}

var verbs []*verb

func init() {
	verbs = []*verb{
		checkVerb, mergeVerb, diffVerb, verifyVerb, listVerb, replayVerb, graphVerb,
		{name: "help", usage: "lwpcheck help [VERB]", doc: "Print the verbs, or one verb's usage and flags.", run: runHelp,
			flags: func() *flag.FlagSet { return noFlags("help") }},
		{name: "version", usage: "lwpcheck version", doc: "Print the version.", run: runVersion,
			flags: func() *flag.FlagSet { return noFlags("version") }},
	}
}

// writeJSON writes v to w as indented JSON, the form of every JSON
// output (<, > and & as they are: the messages cite C).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

func main() {
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	peakrss.CollectOften()
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// validRevisions checks once, at start-up, that every built-in revision
// is put together consistently (invariants.ValidateRevision), as
// go/analysis validates its analyzers.
var validRevisions = sync.OnceValue(func() error {
	var errs []error
	for _, r := range revisions.All() {
		errs = append(errs, invariants.ValidateRevision(r))
	}
	return errors.Join(errs...)
})

// run executes a command line and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if err := validRevisions(); err != nil {
		fmt.Fprintf(stderr, "lwpcheck: this build's revisions are inconsistent: %s\n", oneLine(err))
		return exitUsage
	}
	if len(args) == 0 {
		printVerbs(stderr)
		return exitUsage
	}
	for _, v := range verbs {
		if v.name == args[0] {
			if !listens[v.name] {
				signal.Stop(signals)
				select {
				case sig := <-signals: // came before the default action was back
					return exitCodeOf(sig)
				default:
				}
			}
			code, err := v.run(args[1:], stdout, stderr)
			if errors.Is(err, errHelp) {
				printHelp(stdout, v)
				return exitOK
			}
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

// maxMessage bounds an error message: one that quotes a huge token of
// its input says enough in its first part.
const maxMessage = 400

// oneLine keeps an error message to its first line, and to maxMessage
// bytes.
func oneLine(err error) string {
	// Several errors joined (errors.Join) are one per line: they stay
	// on one line, each after the other.
	s := strings.Join(strings.Fields(strings.ReplaceAll(err.Error(), "\n", "; ")), " ")
	if len(s) > maxMessage {
		s = strings.ToValidUTF8(s[:maxMessage], "") + "..."
	}
	return s
}

func printVerbs(w io.Writer) {
	fmt.Fprintln(w, "lwpcheck: model checker for NetBSD LWP semantics")
	fmt.Fprintln(w, "\nUsage:")
	for _, v := range verbs {
		fmt.Fprintf(w, "  %s\n", v.usage)
	}
	fmt.Fprintln(w, "\nRevisions (lwpcheck list revisions --long):")
	for _, r := range revisions.All() {
		fmt.Fprintf(w, "  %-12s %s\n", r.Name, r.About)
	}
	fmt.Fprintln(w, "\nExit codes: 0 everything holds, 1 a finding, 2 usage or input error (a spec over 1 MiB, a\ncounterexample over 256 MiB and other files past their caps, see docs/cli.md, included), 3\nincomplete, 130 or 143 stopped by SIGINT or SIGTERM.")
}

func runHelp(args []string, stdout, stderr io.Writer) (int, error) {
	args, err := parseArgs(noFlags("help"), args)
	if err != nil {
		return exitUsage, err
	}
	if len(args) == 0 {
		printVerbs(stdout)
		return exitOK, nil
	}
	for _, v := range verbs {
		if v.name == args[0] {
			printHelp(stdout, v)
			return exitOK, nil
		}
	}
	return exitUsage, usagef("unknown verb %q", args[0])
}

// printHelp prints v's usage, description and flags.
func printHelp(w io.Writer, v *verb) {
	fmt.Fprintf(w, "Usage: %s\n\n%s\n", v.usage, v.doc)
	fs := v.flags()
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprintln(w, "\nFlags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}

// noFlags is the flag set of a verb that has none, which still knows -h.
func noFlags(name string) *flag.FlagSet { return flag.NewFlagSet(name, flag.ContinueOnError) }

// parseArgs parses a verb's flags wherever they come among its operands
// (check SPEC --format json) and returns the operands; "--" ends the
// flags. Errors are usage errors, or errHelp for -h and --help.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var operands []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, errHelp
			}
			return nil, usagef("%v", err)
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return operands, nil
		}
		if len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(operands, rest...), nil
		}
		operands = append(operands, rest[0])
		args = rest[1:]
	}
}

// nonNegative returns a usage error for the first of the named int, int64
// or duration flags of fs that was given a negative value.
func nonNegative(fs *flag.FlagSet, names ...string) error {
	for _, name := range names {
		v := fs.Lookup(name).Value
		neg := false
		switch x := v.(flag.Getter).Get().(type) {
		case int:
			neg = x < 0
		case int64:
			neg = x < 0
		case time.Duration:
			neg = x < 0
		}
		if neg {
			return usagef("--%s %s: must not be negative", name, v)
		}
	}
	return nil
}

func runVersion(args []string, stdout, stderr io.Writer) (int, error) {
	if _, err := parseArgs(noFlags("version"), args); err != nil {
		return exitUsage, err
	}
	fmt.Fprintf(stdout, "lwpcheck %s\n", buildinfo.Version())
	return exitOK, nil
}
