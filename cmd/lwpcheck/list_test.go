package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lwpcheck/lwpcheck/invariants"
)

func TestListInvariants(t *testing.T) {
	stdout, stderr, code := runCLI(t, "list", "invariants")
	assert.Equal(t, exitOK, code, stderr)
	lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
	assert.Regexp(t, `^NAME +FAMILY +DESCRIPTION$`, lines[0])
	for _, l := range lines {
		assert.LessOrEqual(t, len([]rune(l)), listWidth, "%q", l)
	}
	for _, inv := range invariants.Catalog() {
		assert.Regexp(t, `(?m)^`+inv.Name+` +`+inv.Family.String()+` +\S`, stdout)
	}
	assert.Equal(t, len(invariants.Catalog()), strings.Count(stdout, " source: "))
}

func TestWrap(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  []string
	}{
		{"", 10, []string{""}},
		{"short", 10, []string{"short"}},
		{"one two three", 7, []string{"one two", "three"}},
		{"one two three", 6, []string{"one", "two", "three"}},
		{"a longerthanwidth b", 5, []string{"a", "longerthanwidth", "b"}},
		{"  spaces   collapse ", 20, []string{"spaces collapse"}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, wrap(tt.text, tt.width), "wrap(%q, %d)", tt.text, tt.width)
	}
}
