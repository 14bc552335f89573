// Command lwpbench measures the explore engine against other model checkers
// on classic models with known state counts.
//
// Usage:
//
//	lwpbench spin [-models phils,peterson] [-workers N] [-runs N] [-pml DIR]
//	lwpbench kernel [-specs a,b] [-workers N] [-runs N] [-revision R]
//	lwpbench diff [-specs a,b] [-runs N] [-from R] [-to R]
//	lwpbench verify [-records 1000,10000,100000] [-lwps N] [-cpus N] [-runs N] [-revision R] [-seed N]
//	lwpbench cycles [-specs a,b] [-workers N] [-runs N] [-revision R]
//	lwpbench all [-runs N]
//
// The all subcommand runs spin and kernel in one run, one table after the
// other: every figure of the engine's performance measured together.
//
// The kernel subcommand runs bundled specs (by default those with three or
// more LWPs on two CPUs) with the model's partial-order reduction off and
// on, and on one and on -workers workers, and prints the states, the
// reduction, the times, the speed-up, states/s, the fingerprint table's
// bytes per state and the whole process's peak resident bytes per state.
// Besides the bundled specs, -specs takes two larger benchmark inputs,
// scenario-3cpu (3 LWPs on 3 CPUs, about 22 million states) and
// scenario-4lwp (4 LWPs on 2 CPUs, about 16 million).
//
// The diff subcommand compares bundled specs (by default the same ones) on
// two revisions as lwpcheck diff does, and prints the states and
// transitions of each revision's system of observations, the time to build
// both, the product and determinised states of the comparison, its time,
// and the memory of the two systems.
//
// The verify subcommand checks generated traces of each length as lwpcheck
// verify does (a random run of the revision, by default two LWPs on two
// CPUs that park, unpark and wake each other, recorded as JSON lines) and prints the time to read
// and to check each, the time per record, the largest frontier, the states
// visited per record and the heap's peak.
//
// The cycles subcommand measures the cycle check for hangs (invariant
// hang): each spec is checked as lwpcheck check does with and without it,
// and the table gives the times, the peak heap of each run, and the size
// of the state graph the check builds.
//
// The spin subcommand explores BEEM phils (N=12, 531,440 states) and BEEM
// peterson (N=4, 1,119,560 states) with the engine (BFS, on 1 worker and on
// -workers, default all cores) and with SPIN on the Promela ports of the
// same models (testdata/spin/*.pml, found in -pml; run it from the root of
// the module), and prints one table: states, transitions, seconds,
// states/s, bytes per stored state and, for the engine, its states/s
// divided by SPIN's. Each figure is the fastest of -runs runs.
//
// If spin is not installed, lwpbench runs `apt-get install -y spin` (after
// `apt-get update` if needed). If that fails (no root, no network), it
// prints "SPIN not available: REASON" and reports the engine alone.
//
// SPIN runs in a temporary directory as
//
//	spin -o1 -o3 -DN=n -a model.pml
//	gcc -O2 -DSAFETY -DNOREDUCE -DMEMLIM=8192 -o pan pan.c
//	./pan -mDEPTH -wBITS -c0 -n
//
// that is: no dataflow optimisation and no statement merging (-o1 -o3: each
// DVE transition stays one step, so both tools store the same states), an
// exhaustive depth-first safety search (-DSAFETY) without partial-order
// reduction (-DNOREDUCE, as the engine runs here without reduction), full
// state vectors, an 8 GiB memory limit, a depth limit no search can reach
// (the engine's state count plus one), a hash table with at least as many
// slots as states (2^BITS), and no stop at the first error (-c0), since the
// engine also explores the whole space after a finding.
//
// Bytes per stored state: for the engine, Result.BytesPerState (its
// fingerprint table divided by the states); for SPIN, the "actual memory
// usage for states" plus the "memory used for hash table" it reports,
// divided by "states, stored".
//
// Exit status: 0 when every run completed (SPIN missing included), 1 when
// a run failed, 2 on a usage error.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/lwpcheck/lwpcheck/peakrss"
)

func main() {
	peakrss.CollectOften() // as lwpcheck does
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: lwpbench spin [-models phils,peterson] [-workers N] [-runs N] [-pml DIR]
       lwpbench kernel [-specs a,b] [-workers N] [-runs N] [-revision R]
       lwpbench diff [-specs a,b] [-runs N] [-from R] [-to R]
       lwpbench verify [-records 1000,10000,100000] [-lwps N] [-cpus N] [-runs N] [-revision R] [-seed N]
       lwpbench cycles [-specs a,b] [-workers N] [-runs N] [-revision R]
       lwpbench all [-runs N]
Run "lwpbench spin -h", "lwpbench kernel -h", "lwpbench diff -h", "lwpbench verify -h" or "lwpbench cycles -h" for the flags.
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "spin":
		return spinCommand(args[1:], stdout, stderr)
	case "kernel":
		return kernelCommand(args[1:], stdout, stderr)
	case "diff":
		return diffCommand(args[1:], stdout, stderr)
	case "verify":
		return verifyCommand(args[1:], stdout, stderr)
	case "cycles":
		return cyclesCommand(args[1:], stdout, stderr)
	case "all":
		if code := spinCommand(args[1:], stdout, stderr); code != 0 {
			return code
		}
		fmt.Fprintln(stdout)
		return kernelCommand(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "lwpbench: unknown command %q\n%s", args[0], usage)
	return 2
}
