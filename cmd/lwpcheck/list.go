package main

import (
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/revisions"
	"github.com/lwpcheck/lwpcheck/specs"
)

var listVerb = &verb{
	name:  "list",
	usage: "lwpcheck list revisions|invariants|specs|ops [--long] [--revision R]",
	doc: `List the modelled revisions (--long: their sources and what the model
abstracts, and why), the invariant catalog (name, family, source), the
bundled specs, or the spec ops (of one revision with --revision).`,
	run: runList,
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
	// Allow the flags after the noun: list revisions --long.
	var noun string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		noun, args = args[0], args[1:]
	}
	if err := parseFlags(fs, args); err != nil {
		return exitUsage, err
	}
	if noun == "" && fs.NArg() > 0 {
		noun = fs.Arg(0)
	}
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
			}
		}
	case "invariants":
		fmt.Fprintln(tw, "NAME\tFAMILY\tSOURCE\tDESCRIPTION")
		for _, inv := range invariants.Catalog() {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", inv.Name, inv.Family, inv.Source, inv.Doc)
		}
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
