package verify

import (
	"os"
	"testing"

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
