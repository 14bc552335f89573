package invariants

import (
	"regexp"
	"strings"
	"testing"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/specs"
)

// cycleFinding runs spec on netbsd-2025 with the lock-order and deadlock
// families and returns its one lock-order-cycle finding.
func cycleFinding(t *testing.T, sp *specs.Spec) (*model.Machine, *Checker, RunFinding) {
	t.Helper()
	m, c, err := Build(netbsd.Netbsd2025, sp, specs.FamilySet(0).With(specs.FamilyLockOrder).With(specs.FamilyDeadlock))
	if err != nil {
		t.Fatal(err)
	}
	m.POR = true
	_, rf := search(t, m, c)
	if len(rf) != 1 || rf[0].Name != "lock-order-cycle" {
		t.Fatalf("want one lock-order-cycle, got %v", rf)
	}
	return m, c, rf[0]
}

// TestCrossProcessCycle: the cycle sleepq -> spc_lwplock -> sleepq that
// p_lock gates within one process is, across two processes whose p_lwpcv
// share a sleeptab bucket, a deadlock the search reaches, with a schedule
// that replays to it; with a bucket each, the output says why none does.
func TestCrossProcessCycle(t *testing.T) {
	shared, err := specs.Lookup("continue-across-processes")
	if err != nil {
		t.Fatal(err)
	}
	m, _, f := cycleFinding(t, shared)
	if f.Gate != "" || f.Deadlock == nil {
		t.Fatalf("gate %q, deadlock %v: want an ungated cycle with a deadlock: %s", f.Gate, f.Deadlock, f.Message)
	}
	want := regexp.MustCompile(`^lock classes sleepq -> spc_lwplock -> sleepq: no lock is held at every edge: a potential deadlock; ` +
		`the deadlock is reachable: cpu\d \(LWP 3 in _lwp_continue\) spins for sleeptab\[0\], held by cpu\d; ` +
		`cpu\d \(LWP 4 in _lwp_wait\) spins for cpu\d.spc_lwplock, held by cpu\d$`)
	if !want.MatchString(f.Message) {
		t.Errorf("message %q", f.Message)
	}
	if msg := replaysTo(m, f.Deadlock.Finding); msg == "" {
		t.Error("the deadlock's schedule does not replay to a lock-deadlock state")
	}

	spread, err := specs.Parse("spread.yaml", []byte(strings.Replace(string(shared.Text), "\nsleepq: shared\n", "\nsleepq: spread\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	_, _, f = cycleFinding(t, spread)
	if f.Deadlock != nil {
		t.Fatalf("a deadlock with spread buckets: %s", f.Message)
	}
	const none = "no interleaving of this spec reaches it: no state has CPUs spinning for each other's locks; " +
		"the same locks form a cycle: sleeptab[0] -> cpu0.spc_lwplock -> sleeptab[0], every edge taken holding proc1.p_lock"
	if !strings.HasSuffix(f.Message, none) {
		t.Errorf("message %q, want it to end %q", f.Message, none)
	}
}

// TestOneProcessCycleGated: within one process the same cycle is gated by
// p_lock, as before processes were modelled.
func TestOneProcessCycleGated(t *testing.T) {
	sp, err := specs.Lookup("continue-while-waiting")
	if err != nil {
		t.Fatal(err)
	}
	_, _, f := cycleFinding(t, sp)
	const want = "lock classes sleepq -> spc_lwplock -> sleepq: every edge was taken holding p_lock (a gate lock): a false deadlock"
	if f.Message != want || f.Gate != "p_lock" || f.Deadlock != nil {
		t.Errorf("message %q, gate %q, deadlock %v; want %q", f.Message, f.Gate, f.Deadlock, want)
	}
}
