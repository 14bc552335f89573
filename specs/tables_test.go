package specs_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/lwpcheck/lwpcheck/invariants"
	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/model/netbsd"
	"github.com/lwpcheck/lwpcheck/specs"
)

// The model and invariants import specs, so specs copies their
// capacities and tables; these tests tie each copy to its original.

func TestCapacitiesMatchModel(t *testing.T) {
	tests := []struct {
		name        string
		specs, want int
	}{
		{"MaxLWP", specs.MaxLWP, model.MaxNames - 1},
		{"MaxSlots", specs.MaxSlots, model.MaxLWPs},
		{"MaxSteps", specs.MaxSteps, model.MaxSteps},
		{"MaxEnv", specs.MaxEnv, model.EnvUnlimited - 1},
		{"MaxCPUs", specs.MaxCPUs, model.MaxCPUs},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.specs, tt.name)
	}
}

// TestFamiliesHaveInvariants: every family a check line may name holds
// an invariant of the catalog, and every invariant is in one.
func TestFamiliesHaveInvariants(t *testing.T) {
	n := map[specs.Family]int{}
	for _, inv := range invariants.Catalog() {
		n[inv.Family]++
	}
	for _, f := range specs.Families() {
		assert.NotZero(t, n[f], "family %s has no invariant", f)
		delete(n, f)
	}
	assert.Empty(t, n, "invariants in no family")
}

func TestParseFamilies(t *testing.T) {
	tests := []struct {
		in   []string
		want specs.FamilySet
		err  string
	}{
		{[]string{"all"}, specs.AllFamilies, ""},
		{[]string{"lock-order", "deadlock"}, specs.FamilySet(0).With(specs.FamilyLockOrder).With(specs.FamilyDeadlock), ""},
		{[]string{"deadlock", "all"}, 0, "all includes every other family"},
		{[]string{"locks"}, 0, `unknown family "locks" (want all, counters, lock-order, lock-state, transitions, errors, kassert, deadlock, expect)`},
	}
	for _, tt := range tests {
		got, _, err := specs.ParseFamilies(tt.in)
		if tt.err != "" {
			assert.EqualError(t, err, tt.err, "%v", tt.in)
			continue
		}
		assert.NoError(t, err)
		assert.Equal(t, tt.want, got, "%v", tt.in)
		assert.Equal(t, tt.in, strings.Split(got.String(), ","), "%v", tt.in)
	}
}

// TestResultsMatchModel: a step asserts the model's results in the
// model's order, up to ERESTART, after which they are kernel-internal.
func TestResultsMatchModel(t *testing.T) {
	var want []string
	for e := model.OK; e < model.ERESTART; e++ {
		want = append(want, e.String())
	}
	assert.Equal(t, want, specs.Results)
}

// TestSignalsMatchModel: the parser accepts a signal exactly when the
// model can send it.
func TestSignalsMatchModel(t *testing.T) {
	others := []string{"SIGHUP", "SIGINT", "SIGTERM", "SIGUSR2", "SIGSEGV", "SIGABRT", "SIGALRM", "SIGCHLD", "SIGTSTP"}
	for _, sig := range append(slices.Clone(specs.Signals), others...) {
		sp := &specs.Spec{File: "t.yaml", CPUs: 1, Programs: []specs.Program{
			{LWP: 1, Steps: []specs.Step{{Op: "kill", Target: 1, Signal: sig}}},
		}}
		_, err := model.New(netbsd.Netbsd2025, sp)
		_, perr := specs.Parse("t.yaml", []byte("name: x\nlwps: {1: [kill 1 "+sig+"]}\n"))
		assert.Equal(t, err == nil, perr == nil, "%s: model: %v; parser: %v", sig, err, perr)
		assert.Equal(t, slices.Contains(specs.Signals, sig), err == nil, "%s: model: %v", sig, err)
	}
}
