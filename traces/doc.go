// Package traces reads, writes and replays counterexamples.
//
// A counterexample file (*.cex.json, format "lwpcheck-cex/2",
// docs/counterexamples.md) records one finding of a check: the revision, the spec with its
// text, the violation, and every step with who ran, on which CPU, which
// kernel function and source line, and what changed. It also records what
// replay needs to re-execute the run deterministically: the index of the
// initial state and each step's action code.
//
// Replay re-executes a file on the model built from its embedded spec and
// confirms that the recorded violation recurs. A Run, the result of a
// replay, renders as a text listing (with a readable diff of the state at
// each step and, from a NetBSD source tree, the C line of each step), as
// JSON, as a Graphviz graph, as a Mermaid sequence diagram and as a
// self-contained HTML page.
//
// Switches counts the context switches of a trace (the engine already
// picks, among the shortest traces, one with few switches).
package traces
