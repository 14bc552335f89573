package verify

import (
	"bytes"
	"os"
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
			events, err := Random(rev, RandomOptions{Seed: seed, Records: 40})
			require.NoError(t, err)
			for _, f := range []recorded.Format{recorded.JSONL, recorded.Kdump} {
				tr := roundTrip(t, events, f)
				r, err := Run(tr, Options{Revision: rev, CPUs: 2, Witness: true, Unseen: 2}) // a run cut short may not show an LWP it made
				require.NoError(t, err, "%s seed %d %s", rev.Name, seed, f)
				if !assert.Equal(t, Accepted, r.Verdict, "%s seed %d %s: rejected at line %d: %s\n%s", rev.Name, seed, f, r.At.Line, r.Reason, strings.Join(r.Frontier, "\n")) {
					continue
				}
				require.NotNil(t, r.Witness, r.NoWitness)
			}
		}
	}
}
