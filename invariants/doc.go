// Package invariants is the catalog of checks lwpcheck runs on a model:
// each invariant is a value with a name, a one-line description, the
// source it comes from, its family and its check, in the manner of
// go/analysis analyzers. Validate checks a catalog; Build attaches the
// invariants of the chosen families to a machine.
//
// What a revision documents differs between revisions, so the rules the
// checks apply come from the revision's Tables (tables.go; netbsd-2025 in
// netbsd2025.go), each entry citing its source: the lock order, the lock
// that covers each state, the state-transition diagram, and the man
// pages' ERRORS sections of the era. A new revision adds one entry to
// tables. Where the code and its comments or pages disagree, the model
// follows the code and these checks report the disagreement.
//
// Choices the checks make:
//
//   - lock-order: an acquisition is checked against the transitive closure
//     of the documented chains; classes no chain relates are unordered.
//     mutex_tryenter never waits, so the revision's try sites are exempt
//     and add no edge to the lock-class graph.
//   - lock-order-cycle: the lock-class graph is gathered during the search
//     (a fixed array of atomic flags, a set: the same for any number of
//     workers) and analysed after it; each cycle edge gets a shortest
//     schedule from a second breadth-first search that stops at the first
//     step taking it. A cycle whose every edge was taken holding one lock
//     not on the cycle (p_lock) is gated by it: the message calls it a
//     false deadlock. Two locks of one class taken nested are a cycle of
//     one: the documented orders do not order instances.
//   - l_mutex-state is checked for each LWP whose lock is free: under its
//     lock, a holder may be midway through changing l_stat and l_mutex.
//   - transition: the diagram's "special cases" (ONPROC -> IDL, IDL ->
//     ONPROC) are for kernel threads only; the model has none, so a user
//     LWP taking one is a finding, and coverage does not count them.
//   - manpage-errno: a result is documented if its page lists it; where
//     the page attaches a condition the model can evaluate when the result
//     reaches user space (the only LWP, no LWP created), the condition must
//     hold too.
//   - field-locked: the machine compares the fields proc.h and lwp.h mark
//     with a lock (model.GuardedFields) at each lock operation of a step;
//     between two, the locks held do not change, so a field that changed
//     was written with exactly those locks. LWPs not yet (or no longer) on
//     p_lwps, and the "l" fields of LSIDL LWPs, are exempt, as the C code's
//     own comments and assertions allow.
//
// The engine calls Step for every transition, so a check allocates
// nothing when it passes, and builds its message only when the search
// does not have the finding yet (model.K.Found): known disagreements
// recur on thousands of transitions.
package invariants
