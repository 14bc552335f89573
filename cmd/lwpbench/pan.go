package main

import (
	"bufio"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// panStats is what a SPIN verifier (pan) reports at the end of a run.
type panStats struct {
	States      int64   // "states, stored"
	Transitions int64   // "transitions (= stored+matched)"
	Depth       int64   // "depth reached"
	Errors      int64   // "errors:"
	Seconds     float64 // "pan: elapsed time"
	StatesMB    float64 // "actual memory usage for states" (SPIN's MB are 2^20 bytes)
	HashMB      float64 // "memory used for hash table"
	TotalMB     float64 // "total actual memory usage"
	// Truncated is set when pan said its depth limit (-m) cut the search:
	// the counts then cover only part of the state space.
	Truncated bool
}

// StoreBytes is the memory of pan's visited set: the stored states and the
// hash table.
func (p *panStats) StoreBytes() float64 { return (p.StatesMB + p.HashMB) * (1 << 20) }

// parsePan reads the statistics pan prints at the end of a run.
func parsePan(out string) (*panStats, error) {
	var p panStats
	var seen struct{ states, transitions, elapsed bool }
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		var err error
		switch {
		case strings.Contains(line, "max search depth too small"):
			p.Truncated = true
		case strings.HasPrefix(line, "State-vector "):
			// State-vector 116 byte, depth reached 434031, errors: 1
			p.Depth, err = intAfter(line, "depth reached ")
			if err == nil {
				p.Errors, err = intAfter(line, "errors: ")
			}
		case strings.HasSuffix(line, " states, stored"):
			p.States, err = leadingInt(line)
			seen.states = true
		case strings.Contains(line, " transitions (= stored+matched)"):
			p.Transitions, err = leadingInt(line)
			seen.transitions = true
		case strings.Contains(line, "actual memory usage for states"):
			p.StatesMB, err = leadingFloat(line)
		case strings.Contains(line, "memory used for hash table"):
			p.HashMB, err = leadingFloat(line)
		case strings.Contains(line, "total actual memory usage"):
			p.TotalMB, err = leadingFloat(line)
		case strings.HasPrefix(line, "pan: elapsed time "):
			p.Seconds, err = strconv.ParseFloat(firstField(strings.TrimPrefix(line, "pan: elapsed time ")), 64)
			seen.elapsed = true
		}
		if err != nil {
			return nil, fmt.Errorf("pan output: %q: %v", line, err)
		}
	}
	if !seen.states || !seen.transitions || !seen.elapsed {
		return nil, errors.New("pan output: no statistics (states stored, transitions, elapsed time)")
	}
	return &p, nil
}

func firstField(s string) string {
	if f := strings.Fields(s); len(f) > 0 {
		return f[0]
	}
	return ""
}

// leadingFloat parses the number a line starts with.
func leadingFloat(line string) (float64, error) {
	return strconv.ParseFloat(firstField(line), 64)
}

// leadingInt parses the count a line starts with; pan prints large counts
// with an exponent (1.2345678e+08).
func leadingInt(line string) (int64, error) {
	f, err := leadingFloat(line)
	return int64(f), err
}

// intAfter parses the integer that follows key in line.
func intAfter(line, key string) (int64, error) {
	_, rest, ok := strings.Cut(line, key)
	if !ok {
		return 0, fmt.Errorf("no %q", key)
	}
	return strconv.ParseInt(strings.TrimRight(firstField(rest), ","), 10, 64)
}
