package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

var listVerb = &verb{
	name:  "list",
	usage: "lwpcheck list revisions|invariants|specs|ops [--long] [--revision R]",
	doc: `List the modelled revisions (--long: their sources, what the model
abstracts and why, and how each differs from the revision it derives
from, citing both sides' lines), the invariant catalog (name, family, description,
source), the bundled specs, or the spec ops (of one revision with
--revision).`,
	run:   runList,
	flags: func() *flag.FlagSet { fs, _ := newListFlags(); return fs },
}

type listFlags struct {
	long     bool
	revision string
}

func newListFlags() (*flag.FlagSet, *listFlags) {
	l := &listFlags{}
	fs := flag.NewFlagSet("list", flag.ContinueOnError)
	fs.BoolVar(&l.long, "long", false, "revisions: print sources and notes")
	fs.StringVar(&l.revision, "revision", "", "ops: only the ops this revision supports")
	return fs, l
}

func runList(args []string, stdout, stderr io.Writer) (int, error) {
	fs, lf := newListFlags()
	nouns, err := parseArgs(fs, args)
	if err != nil {
		return exitUsage, err
	}
	if len(nouns) != 1 {
		return exitUsage, usagef("list what? revisions, invariants, specs or ops")
	}
	noun := nouns[0]
	tw := tabwriter.NewWriter(stdout, 2, 8, 2, ' ', 0)
	defer tw.Flush()
	switch noun {
	case "revisions":
		for _, r := range revisions.All() {
			fmt.Fprintf(tw, "%s\t%s\n", r.Name, r.About)
			if lf.long {
				tw.Flush()
				fmt.Fprintln(stdout, "  sources:")
				for _, s := range r.Sources {
					fmt.Fprintf(stdout, "    - %s\n", s)
				}
				fmt.Fprintln(stdout, "  abstractions:")
				for _, n := range r.Notes {
					fmt.Fprintf(stdout, "    - %s\n", n)
				}
				if r.Base != "" {
					fmt.Fprintf(stdout, "  differences from %s (routines: %d shared, %d placed at new lines, %d overridden):\n",
						r.Base, r.Shared, r.Moved, r.Overridden)
					for _, d := range r.Differences {
						fmt.Fprintf(stdout, "    - %s: %s\n", d.Topic, d.What)
					}
				}
			}
		}
	case "invariants":
		listInvariants(stdout)
	case "specs":
		all, err := specs.Bundled()
		if err != nil {
			return exitUsage, err
		}
		for _, sp := range all {
			fmt.Fprintf(tw, "%s\t%s\n", sp.Name, sp.About)
		}
	case "ops":
		var rev *model.Revision
		if lf.revision != "" {
			r, err := revisions.Lookup(lf.revision)
			if err != nil {
				return exitUsage, usagef("%v", err)
			}
			rev = r
		}
		for _, op := range specs.Ops() {
			k, ok := model.OpByName(op.Name)
			if rev != nil && (!ok || !rev.Kernel.Supports(k)) {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\n", op.Usage, op.Doc)
		}
	default:
		return exitUsage, usagef("list what? revisions, invariants, specs or ops")
	}
	return exitOK, nil
}

// listWidth is the width `list invariants` wraps its lines to.
const listWidth = 80

// listInvariants prints the catalog as a table of name, family and
// description, the description wrapped in its column and followed by the
// source, so that no line is wider than listWidth.
func listInvariants(w io.Writer) {
	nameW, famW := len("NAME"), len("FAMILY")
	for _, inv := range invariants.Catalog() {
		nameW, famW = max(nameW, len(inv.Name)), max(famW, len(inv.Family.String()))
	}
	indent := nameW + 2 + famW + 2
	fmt.Fprintf(w, "%-*s  %-*s  DESCRIPTION\n", nameW, "NAME", famW, "FAMILY")
	for _, inv := range invariants.Catalog() {
		lines := append(wrap(inv.Doc, listWidth-indent), wrap("source: "+inv.Source, listWidth-indent)...)
		fmt.Fprintf(w, "%-*s  %-*s  %s\n", nameW, inv.Name, famW, inv.Family, lines[0])
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%*s%s\n", indent, "", l)
		}
	}
}

// wrap splits text into lines of at most width bytes at spaces; a word
// longer than width has a line of its own.
func wrap(text string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		switch {
		case line == "":
			line = word
		case len(line)+1+len(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}
