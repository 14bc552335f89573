package verify

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/revisions"
)

func load(t *testing.T, path string) *recorded.Trace {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	tr, err := recorded.Parse(path, f, recorded.Auto)
	require.NoError(t, err)
	return tr
}

func TestCreateWait(t *testing.T) {
	for _, rev := range revisions.All() {
		r, err := Run(load(t, "testdata/create-wait.kdump"), Options{Revision: rev, Witness: true})
		require.NoError(t, err)
		t.Logf("%s: %s %s at %d: %s; frontier %v alts %v; stats %+v nowitness %q", rev.Name, r.Verdict, r.Reading, r.At.Line, r.Reason, r.Frontier, r.Alternatives, r.Stats, r.NoWitness)
	}
}

// roundTrip writes events in format f and reads them back.
func roundTrip(t *testing.T, events []recorded.Event, f recorded.Format) *recorded.Trace {
	t.Helper()
	var buf bytes.Buffer
	if f == recorded.JSONL {
		require.NoError(t, recorded.WriteJSONL(&buf, events))
	} else {
		require.NoError(t, recorded.WriteKdump(&buf, events, "random"))
	}
	tr, err := recorded.Parse("random."+f.String(), &buf, f)
	require.NoError(t, err)
	return tr
}

// TestRandomRunsAccepted: what a random run of each revision records,
// written as JSON lines and as kdump text, is accepted, with a witness
// that replays to the same records.
func TestRandomRunsAccepted(t *testing.T) {
	for _, rev := range revisions.All() {
		for seed := uint64(1); seed <= 12; seed++ {
			// Three LWPs on one CPU, or two on two: the frontier of three
			// on two is too large for a unit test (lwpbench verify).
			ro := RandomOptions{Seed: seed, Records: 40, LWPs: 3, CPUs: 1}
			if seed%2 == 0 {
				ro.LWPs, ro.CPUs = 2, 2
			}
			events, err := Random(rev, ro)
			require.NoError(t, err)
			for _, f := range []recorded.Format{recorded.JSONL, recorded.Kdump} {
				tr := roundTrip(t, events, f)
				r, err := Run(tr, Options{Revision: rev, CPUs: ro.CPUs, Witness: true, Unseen: 2, MaxFrontier: 200000}) // a run cut short may not show an LWP it made
				require.NoError(t, err, "%s seed %d %s", rev.Name, seed, f)
				if !assert.Equal(t, Accepted, r.Verdict, "%s seed %d %s: rejected at line %d: %s\n%s", rev.Name, seed, f, r.At.Line, r.Reason, strings.Join(r.Frontier, "\n")) {
					continue
				}
				require.NotNil(t, r.Witness, r.NoWitness)
			}
		}
	}
}

// TestMutations: a trace the revisions explain, changed as a recording
// can go wrong, is rejected at the record that changed, with its reason;
// a change that makes the trace unreadable as one process's run is an
// input error naming the line.
func TestMutations(t *testing.T) {
	data, err := os.ReadFile("testdata/create-wait.kdump")
	require.NoError(t, err)
	lines := strings.Split(string(data), "\n")
	find := func(s string) int {
		for i, l := range lines {
			if strings.Contains(l, s) {
				return i
			}
		}
		t.Fatalf("no line has %q", s)
		return -1
	}
	unparkCall, unparkRet := find("CALL  _lwp_unpark"), find("RET   _lwp_unpark")
	parkRet, selfRet := find("RET   ___lwp_park60"), find("RET   _lwp_self")
	exitCall, waitRet := find("CALL  _lwp_exit"), find("RET   _lwp_wait 0")
	tests := []struct {
		name   string
		edit   func(l []string) []string
		line   int // 1-based
		reason string
		input  string // an *InputError instead
	}{
		{"result changed", func(l []string) []string {
			l[unparkRet] = strings.Replace(l[unparkRet], "_lwp_unpark 0", "_lwp_unpark -1 errno 3 No such process", 1)
			return l
		}, unparkRet + 1, "_lwp_unpark returned ESRCH, but the kernel returns 0 here", ""},
		{"event dropped", func(l []string) []string {
			return append(l[:unparkCall:unparkCall], l[unparkRet+1:]...)
		}, parkRet - 1, "_lwp_park returned 0 but no _lwp_unpark of LWP 2 is pending (it cannot return here: in the states consistent with the trace before it, it is in _lwp_park", ""},
		{"events swapped", func(l []string) []string {
			l[exitCall], l[waitRet] = l[waitRet], l[exitCall]
			return l
		}, exitCall + 1, "_lwp_wait returned 0 but no LWP it waits for has exited", ""},
		{"LWP renamed in an argument", func(l []string) []string {
			l[unparkCall] = strings.Replace(l[unparkCall], "_lwp_unpark(2,", "_lwp_unpark(3,", 1)
			return l
		}, unparkRet + 1, "_lwp_unpark returned 0, but the kernel returns ESRCH here", ""},
		{"self value changed", func(l []string) []string {
			l[selfRet] = strings.Replace(l[selfRet], "_lwp_self 2", "_lwp_self 3", 1)
			return l
		}, selfRet + 1, "_lwp_self returned 3 to LWP 2: the kernel returns the caller's own lid", ""},
		{"LWP renamed in a record", func(l []string) []string {
			l[parkRet] = strings.Replace(l[parkRet], "      2 create-wait", "      1 create-wait", 1)
			return l
		}, parkRet + 1, "", "LWP 1: RET of ___lwp_park60 without its CALL"},
	}
	for _, tt := range tests {
		for _, rev := range revisions.All() {
			t.Run(tt.name+"/"+rev.Name, func(t *testing.T) {
				text := strings.Join(tt.edit(slices.Clone(lines)), "\n")
				tr, err := recorded.Parse("m.kdump", strings.NewReader(text), recorded.Auto)
				require.NoError(t, err)
				r, err := Run(tr, Options{Revision: rev})
				if tt.input != "" {
					var ie *InputError
					require.ErrorAs(t, err, &ie)
					assert.Equal(t, tt.line, ie.Line)
					assert.Contains(t, ie.Msg, tt.input)
					return
				}
				require.NoError(t, err)
				require.Equal(t, Rejected, r.Verdict)
				assert.Equal(t, tt.line, r.At.Line)
				assert.Contains(t, r.Reason, tt.reason)
				assert.NotEmpty(t, r.Frontier)
			})
		}
	}
}

// TestRandomMutations: random runs, changed at one record, are never
// rejected before the change (the records before it are a run's), and a
// changed result is mostly caught.
func TestRandomMutations(t *testing.T) {
	kinds := []string{"result", "drop", "swap", "rename"}
	rejected := map[string]int{}
	for _, rev := range revisions.All() {
		for seed := uint64(1); seed <= 4; seed++ {
			events, err := Random(rev, RandomOptions{Seed: seed, Records: 30, LWPs: 3, CPUs: 1})
			require.NoError(t, err)
			for k, kind := range kinds {
				rng := rand.New(rand.NewPCG(seed, uint64(k)))
				i := 2 + rng.IntN(len(events)-3)
				mut := slices.Clone(events)
				switch kind {
				case "result":
					for mut[i].Phase != recorded.Ret && i < len(mut)-1 {
						i++
					}
					if mut[i].Ret.Err == 0 {
						mut[i].Ret = recorded.Result{Err: 3} // ESRCH
					} else {
						mut[i].Ret = recorded.Result{}
					}
				case "drop": // a whole call: its CALL and its RET
					for mut[i].Phase != recorded.Call && i < len(mut)-1 {
						i++
					}
					j := i + 1
					for j < len(mut) && (mut[j].LID != mut[i].LID || mut[j].Phase != recorded.Ret) {
						j++
					}
					if j < len(mut) {
						mut = slices.Delete(mut, j, j+1)
					}
					mut = slices.Delete(mut, i, i+1)
				case "swap":
					mut[i], mut[i+1] = mut[i+1], mut[i]
				case "rename": // in an argument, or the LWP of a record
					if args := slices.Clone(mut[i].Args); len(args) > 0 && args[0] > 0 && args[0] < 10 {
						args[0] += 40
						mut[i].Args = args
					} else {
						mut[i].LID += 40
					}
				}
				tr := roundTrip(t, mut, recorded.JSONL)
				r, err := Run(tr, Options{Revision: rev, CPUs: 1, Unseen: 2, MaxFrontier: 200000})
				var ie *InputError
				switch {
				case errors.As(err, &ie):
					assert.GreaterOrEqual(t, ie.Line, 1)
				case err != nil:
					t.Fatalf("%s seed %d %s: %v", rev.Name, seed, kind, err)
				case r.Verdict == Rejected:
					rejected[kind]++
					assert.GreaterOrEqual(t, r.At.Line, i+1, "%s seed %d %s at record %d: rejected before the change: %s", rev.Name, seed, kind, i+1, r.Reason)
					assert.NotEmpty(t, r.Reason)
				}
			}
		}
	}
	t.Logf("rejected: %v", rejected)
	assert.Greater(t, rejected["result"], 6, "a changed result is caught in most runs")
}

// TestRealTrace: the dtruss excerpt of golang/go#22968 (testdata header)
// is rejected at its first _lwp_park on every revision: a park with a
// timeout and no unpark pending does not return 0.
func TestRealTrace(t *testing.T) {
	for _, rev := range revisions.All() {
		r, err := Run(load(t, "testdata/golang-go-22968.dtruss"), Options{Revision: rev, Attached: true})
		require.NoError(t, err)
		require.Equal(t, Rejected, r.Verdict, rev.Name)
		assert.Equal(t, 7, r.At.Line)
		assert.Equal(t, "_lwp_park returned 0 but no _lwp_unpark of LWP 2 is pending (the kernel returns ETIMEDOUT here)", r.Reason)
		assert.Empty(t, r.Bounded)
	}
}
