package refine

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/lwpcheck/lwpcheck/explore"
)

// graph is a synthetic model: states are ints, 0 initial. A transition is
// written "from -> to: a, b" (its events; none: hidden), "from -> !:
// panic" (a fatal step that shows panic) or "from end: hang" (what the
// terminal state from shows).
type graph struct {
	moves map[int][]gmove
	ends  map[int]string
}

type gmove struct {
	to     int
	events []string
	fatal  bool
}

func parseGraph(t *testing.T, spec string) *graph {
	t.Helper()
	g := &graph{moves: map[int][]gmove{}, ends: map[int]string{}}
	for _, line := range strings.Split(strings.TrimSpace(spec), "\n") {
		line = strings.TrimSpace(line)
		var from int
		if _, err := fmt.Sscanf(line, "%d", &from); err != nil {
			t.Fatalf("bad line %q", line)
		}
		rest := strings.TrimSpace(strings.TrimPrefix(line, fmt.Sprint(from)))
		if end, ok := strings.CutPrefix(rest, "end:"); ok {
			g.ends[from] = strings.TrimSpace(end)
			continue
		}
		arrow, evs, _ := strings.Cut(strings.TrimPrefix(rest, "->"), ":")
		m := gmove{}
		if strings.TrimSpace(arrow) == "!" {
			m.fatal = true
		} else if _, err := fmt.Sscanf(arrow, "%d", &m.to); err != nil {
			t.Fatalf("bad line %q", line)
		}
		for _, e := range strings.Split(evs, ",") {
			if e = strings.TrimSpace(e); e != "" {
				m.events = append(m.events, e)
			}
		}
		g.moves[from] = append(g.moves[from], m)
	}
	return g
}

func (g *graph) Init() []int { return []int{0} }
func (g *graph) Expand(s *int, out *explore.Successors[int]) {
	for i, m := range g.moves[*s] {
		t := out.Add(explore.Action(i), s)
		t.Next = m.to
		if m.fatal {
			t.Violations = append(t.Violations, explore.Violation{Name: "panic", Fatal: true})
		}
	}
}
func (g *graph) Encode(s *int, buf []byte) []byte {
	return binary.LittleEndian.AppendUint64(buf, uint64(*s))
}
func (g *graph) Observe(s *int, out *explore.Successors[int], i int) []string {
	return g.moves[*s][i].events
}
func (g *graph) ObserveEnd(s *int) (string, bool) { e, ok := g.ends[*s]; return e, ok }

func build(t *testing.T, alpha *Alphabet, spec string) *LTS {
	t.Helper()
	l, err := Build[int](context.Background(), parseGraph(t, spec), alpha, 0)
	require.NoError(t, err)
	return l
}

func TestCompare(t *testing.T) {
	tests := []struct {
		name, a, b   string
		aOnly, bOnly string // "trace | instead", "" for none
	}{
		{"one more branch", "0 -> 1: a\n1 -> 2: b\n0 -> 3: a\n3 -> 4: c", "0 -> 1: a\n1 -> 2: b",
			"a c | b", ""},
		{"each has its own", "0 -> 1: a\n1 -> 2: b", "0 -> 1: a\n1 -> 2: c",
			"a b | c", "a c | b"},
		{"hidden steps and branching differ, traces do not",
			"0 -> 1:\n1 -> 2: a\n2 -> 3:\n3 -> 4: b\n2 -> 5:\n5 -> 6: c\n6 -> 6:",
			"0 -> 1: a\n1 -> 2: b\n0 -> 3: a\n3 -> 4:\n4 -> 5: c\n4 -> 3:",
			"", ""},
		{"a step showing two events", "0 -> 1: a, b", "0 -> 1: a\n1 -> 2:\n2 -> 3: b", "", ""},
		{"a hang only", "0 -> 1: a\n1 end: hang: LWP 1", "0 -> 1: a",
			"a hang: LWP 1 | ", ""},
		{"another hang", "0 -> 1: a\n1 end: hang: LWP 1", "0 -> 1: a\n1 -> 2:\n2 end: hang: LWP 2",
			"a hang: LWP 1 | hang: LWP 2", "a hang: LWP 2 | hang: LWP 1"},
		{"a panic", "0 -> 1: a\n1 -> !: panic", "0 -> 1: a\n1 -> 2: b",
			"a panic | b", "a b | panic"},
		{"the shortest witness", "0 -> 1: c\n1 -> 2: d\n2 -> 3: e\n3 -> 4: y\n0 -> 5: a\n5 -> 6: b\n6 -> 7: x",
			"0 -> 1: c\n1 -> 2: d\n2 -> 3: e\n0 -> 5: a\n5 -> 6: b", "a b x | ", ""},
		{"the first of equal length by name", "0 -> 1: b\n0 -> 2: a\n1 -> 3: z\n2 -> 4: z", "0 -> 1: a\n0 -> 2: b",
			"a z | ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			alpha := NewAlphabet()
			a, b := build(t, alpha, tt.a), build(t, alpha, tt.b)
			r, err := Compare(context.Background(), a, b, 0)
			require.NoError(t, err)
			assert.Equal(t, tt.aOnly, show(alpha, r.AOnly), "a only")
			assert.Equal(t, tt.bOnly, show(alpha, r.BOnly), "b only")
			assert.Equal(t, tt.aOnly == "" && tt.bOnly == "", r.Same())
			for _, w := range []struct {
				l *LTS
				w *Witness
			}{{a, r.AOnly}, {b, r.BOnly}} {
				if w.w == nil {
					continue
				}
				acts, err := w.l.Path(w.w.Trace)
				require.NoError(t, err)
				assert.NotEmpty(t, acts)
			}
		})
	}
}

func show(alpha *Alphabet, w *Witness) string {
	if w == nil {
		return ""
	}
	return strings.Join(alpha.Names(w.Trace), " ") + " | " + strings.Join(alpha.Names(w.Instead), " ")
}

// TestPath: the run of a witness takes the model's actions, hidden ones
// included, and replays to a state that shows the witness's last event.
func TestPath(t *testing.T) {
	g := parseGraph(t, "0 -> 1:\n1 -> 2: a\n0 -> 3: a\n3 -> 4:\n4 -> 5: b\n2 -> 6: c")
	alpha := NewAlphabet()
	l, err := Build[int](context.Background(), g, alpha, 0)
	require.NoError(t, err)
	acts, err := l.Path([]Label{alpha.Intern("a"), alpha.Intern("b")})
	require.NoError(t, err)
	states, err := explore.Replay[int](g, 0, acts)
	require.NoError(t, err)
	assert.Equal(t, []int{0, 3, 4, 5}, states)
	_, err = l.Path([]Label{alpha.Intern("b")})
	assert.Error(t, err)
}

func TestLimits(t *testing.T) {
	alpha := NewAlphabet()
	g := parseGraph(t, "0 -> 1: a\n1 -> 2: a\n2 -> 3: a\n3 -> 4: a")
	_, err := Build[int](context.Background(), g, alpha, 3)
	assert.ErrorIs(t, err, ErrLimit)
	a := build(t, alpha, "0 -> 1: a\n1 -> 2: a\n2 -> 3: a\n3 -> 4: a")
	_, err = Compare(context.Background(), a, a, 2)
	assert.ErrorIs(t, err, ErrLimit)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = Build[int](ctx, g, alpha, 0)
	assert.ErrorIs(t, err, context.Canceled)
}

// TestCompareAgainstEnumeration compares random systems with Compare and
// by enumerating their traces up to a bound: each witness is a trace of
// its system, not of the other, and no shorter one exists; a direction
// without a witness has no difference within the bound.
func TestCompareAgainstEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	events := []string{"a", "b", "c"}
	random := func() string {
		var sb strings.Builder
		n := 2 + rng.IntN(5)
		for s := 0; s < n; s++ {
			for range rng.IntN(3) {
				ev := ""
				if rng.IntN(3) > 0 {
					ev = events[rng.IntN(len(events))]
				}
				fmt.Fprintf(&sb, "%d -> %d: %s\n", s, rng.IntN(n), ev)
			}
			if rng.IntN(4) == 0 {
				fmt.Fprintf(&sb, "%d end: hang\n", s)
			}
		}
		if sb.Len() == 0 {
			sb.WriteString("0 end: hang\n")
		}
		return sb.String()
	}
	const bound = 6
	found, same := 0, 0
	for i := range 300 {
		alpha := NewAlphabet()
		ga, gb := random(), random()
		a, b := build(t, alpha, ga), build(t, alpha, gb)
		r, err := Compare(context.Background(), a, b, 0)
		require.NoError(t, err)
		ta, tb := enumerate(a, bound), enumerate(b, bound)
		for _, d := range []struct {
			w        *Witness
			own, oth map[string]int
		}{{r.AOnly, ta, tb}, {r.BOnly, tb, ta}} {
			shortest := 0
			for tr, n := range d.own {
				if _, ok := d.oth[tr]; !ok && (shortest == 0 || n < shortest) {
					shortest = n
				}
			}
			if d.w == nil {
				same++
				assert.Zero(t, shortest, "case %d: a difference within the bound was missed\n%s---\n%s", i, ga, gb)
				continue
			}
			found++
			tr := strings.Join(alpha.Names(d.w.Trace), " ")
			if len(d.w.Trace) <= bound {
				assert.Contains(t, d.own, tr, "case %d", i)
				assert.NotContains(t, d.oth, tr, "case %d", i)
				assert.Equal(t, shortest, len(d.w.Trace), "case %d: not the shortest", i)
			}
		}
	}
	// Both outcomes are common, so neither side of the test is vacuous.
	assert.Greater(t, found, 100)
	assert.Greater(t, same, 100)
}

// enumerate returns the traces of l of at most bound events, with their
// lengths, walking l's states one by one (no determinisation).
func enumerate(l *LTS, bound int) map[string]int {
	type item struct {
		s     uint32
		trace string
		n     int
	}
	out := map[string]int{}
	seen := map[item]bool{}
	queue := []item{{}}
	for len(queue) > 0 {
		it := queue[0]
		queue = queue[1:]
		if seen[it] {
			continue
		}
		seen[it] = true
		out[it.trace] = it.n
		for _, e := range l.out(it.s) {
			next := item{s: e.to, trace: it.trace, n: it.n}
			if e.label != Tau {
				if it.n == bound {
					continue
				}
				next.trace = strings.TrimPrefix(it.trace+" "+l.Alphabet.Name(e.label), " ")
				next.n++
			}
			queue = append(queue, next)
		}
	}
	return out
}
