package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func readSample(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "spin", name))
	require.NoError(t, err)
	return string(b)
}

func TestParsePan(t *testing.T) {
	for _, tc := range []struct {
		file string
		want panStats
	}{
		{"pan-phils12.out", panStats{
			States: 531440, Transitions: 4251517, Depth: 434031, Errors: 1, Seconds: 3.78,
			StatesMB: 25.440, HashMB: 8, TotalMB: 109.734,
		}},
		{"pan-peterson3.out", panStats{
			States: 12498, Transitions: 33370, Depth: 2128, Seconds: 0,
			StatesMB: 0.770, HashMB: 16, TotalMB: 108.334,
		}},
		{"pan-truncated.out", panStats{
			States: 6931, Transitions: 18184, Depth: 99, Seconds: 0,
			StatesMB: 0.472, HashMB: 0.5, TotalMB: 0.891, Truncated: true,
		}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			p, err := parsePan(readSample(t, tc.file))
			require.NoError(t, err)
			assert.Equal(t, tc.want, *p)
		})
	}
}

func TestParsePanLargeCounts(t *testing.T) {
	p, err := parsePan("State-vector 44 byte, depth reached 12, errors: 0\n" +
		"1.2345678e+08 states, stored\n" +
		"4.0000001e+08 transitions (= stored+matched)\n" +
		"pan: elapsed time 1.23e+03 seconds\n")
	require.NoError(t, err)
	assert.EqualValues(t, 123_456_780, p.States)
	assert.EqualValues(t, 400_000_010, p.Transitions)
	assert.InDelta(t, 1230, p.Seconds, 1e-9)
}

func TestParsePanErrors(t *testing.T) {
	for _, out := range []string{
		"",
		"pan: error: out of memory\n",
		"   531440 states, stored\npan: elapsed time 1 seconds\n",
		"x states, stored\n",
		"State-vector 116 byte, depth reached many, errors: 1\n",
	} {
		_, err := parsePan(out)
		assert.Error(t, err, "%q", out)
	}
}
