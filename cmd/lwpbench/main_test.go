package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		nil,
		{"bench"},
		{"spin", "extra"},
		{"spin", "-models", "phils,bakery"},
		{"spin", "-workers", "0"},
		{"spin", "-runs", "0"},
		{"spin", "-nosuchflag"},
		{"diff", "-from", "netbsd-1"},
		{"diff", "-runs", "0"},
		{"diff", "extra"},
		{"cycles", "extra"},
		{"cycles", "-runs", "0"},
		{"cycles", "-revision", "netbsd-1"},
	} {
		var stdout, stderr strings.Builder
		assert.Equal(t, 2, run(args, &stdout, &stderr), "%q", args)
		assert.NotEmpty(t, stderr.String(), "%q", args)
	}
}
