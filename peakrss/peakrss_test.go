package peakrss

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseHWM(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"Name:\tx\nVmPeak:\t  100 kB\nVmHWM:\t    2048 kB\nVmRSS:\t 1 kB\n", 2048 << 10, true},
		{"VmRSS:\t 1 kB\n", 0, false},
		{"VmHWM:\t 12 MB\n", 0, false},
		{"VmHWM:\t -3 kB\n", 0, false},
		{"VmHWM:\n", 0, false},
	} {
		got, ok := parseHWM([]byte(tc.in))
		assert.Equal(t, tc.want, got, "%q", tc.in)
		assert.Equal(t, tc.ok, ok, "%q", tc.in)
	}
}

// TestPeakSeesAllocation checks on Linux that the mark rises with what
// the process touches and falls back after Start.
func TestPeakSeesAllocation(t *testing.T) {
	if runtime.GOOS != "linux" || !Start() {
		t.Skip("no resettable high-water mark here")
	}
	before, ok := Peak()
	assert.True(t, ok)
	big := make([]byte, 64<<20)
	for i := range big {
		big[i] = 1
	}
	during, _ := Peak()
	assert.GreaterOrEqual(t, during-before, int64(60<<20), "64 MiB touched")
	runtime.KeepAlive(big)
	big = nil
	Start()
	after, _ := Peak()
	assert.Less(t, after, during-int64(32<<20), "the mark is reset")
}

func TestSearchBudget(t *testing.T) {
	assert.Zero(t, SearchBudget(0), "no limit")
	assert.EqualValues(t, 1<<20, SearchBudget(8<<20), "a floor")
	assert.EqualValues(t, 400<<20-80<<20-Reserve, SearchBudget(400<<20))
}
