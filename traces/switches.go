package traces

import (
	"errors"
	"fmt"
	"slices"

	"github.com/lwpcheck/lwpcheck/model"
)

// Switches counts the context switches of a trace: the places where a
// step's actor differs from the previous step's. A reader follows a trace
// with few switches more easily.
func Switches(steps []Step) int {
	n := 0
	for i := 1; i < len(steps); i++ {
		if steps[i].Actor != steps[i-1].Actor {
			n++
		}
	}
	return n
}

// maxMinimizeStates bounds the search of Minimize.
const maxMinimizeStates = 1 << 18

// Minimize returns a counterexample equivalent to c with the fewest
// context switches among the reorderings of c's steps that only exchange
// adjacent independent steps. Such reorderings keep the length, the final
// state and so the violation; a transition violation's last step stays
// last. Independence is first taken from the footprints (steps of
// different actors whose footprints do not conflict,
// explore.Footprint.Conflicts), then checked on the states of the trace:
// every exchange must lead to the same state. An exchange that does not
// (the model's footprints miss an access) becomes a dependency and the
// search is run again. If no reordering has fewer switches, or the search
// would be too large, c itself is returned.
//
// m must run c's spec on c's revision, as for Replay.
func Minimize(m *model.Machine, c *Cex) (*Cex, error) {
	r, err := Replay(m, c)
	if err != nil {
		return nil, err
	}
	if !r.Recurs {
		return nil, errors.New("the counterexample does not replay to its violation")
	}
	preds := dependencies(r.Steps, c.Violation.Kind == KindTransition)
	var order []int
	for {
		if order = fewestSwitches(r.Steps, preds); order == nil {
			return c, nil
		}
		a, b, ok := exchange(m, r, order)
		if ok {
			break
		}
		preds[b] = append(preds[b], a)
	}
	out := &Cex{Format: c.Format, Revision: c.Revision, Spec: c.Spec, Violation: c.Violation, Init: c.Init}
	for n, i := range order {
		st := r.Steps[i].Step
		st.N = n + 1
		out.Steps = append(out.Steps, st)
	}
	check, err := Replay(m, out)
	switch {
	case err != nil:
		return nil, fmt.Errorf("reordered trace: %w", err)
	case *check.Final() != *r.Final() || !check.Recurs:
		return nil, errors.New("reordered trace does not reach the same state")
	}
	for i := range out.Steps {
		out.Steps[i].Note = check.Steps[i].Note // what a step changes may read differently in its new place
	}
	return out, nil
}

// dependencies returns, for each step, the earlier steps of other actors
// it must follow: those whose footprints conflict with its own, and every
// step if it is the last and must stay last.
func dependencies(steps []RunStep, lastStays bool) [][]int {
	preds := make([][]int, len(steps))
	for j := range steps {
		for i := 0; i < j; i++ {
			fi, fj := &steps[i].Footprint, &steps[j].Footprint
			if fi.Actor != fj.Actor && (fi.Conflicts(fj) || (lastStays && j == len(steps)-1)) {
				preds[j] = append(preds[j], i)
			}
		}
	}
	return preds
}

// exchange turns the trace of r into order by exchanges of adjacent steps
// (an insertion sort), checking each on the trace's states: both steps
// must still be the recorded ones, and they must reach the same state in
// either order. It returns the first pair that does not commute: a
// precedes b in r.
func exchange(m *model.Machine, r *Run, order []int) (a, b int, ok bool) {
	cur := make([]int, len(r.Steps)) // step indexes, as exchanged so far
	pre := make([]model.State, len(r.Steps)+1)
	pre[0] = r.Init
	for i := range r.Steps {
		cur[i] = i
		pre[i+1] = r.Steps[i].Post
	}
	for p, want := range order {
		q := slices.Index(cur, want)
		for x := q - 1; x >= p; x-- {
			a, b := cur[x], cur[x+1]
			mid, ok1 := stepAs(m, &pre[x], r.Steps[b].Step)
			end, ok2 := stepAs(m, &mid, r.Steps[a].Step)
			if !ok1 || !ok2 || end != pre[x+2] {
				return a, b, false
			}
			cur[x], cur[x+1] = b, a
			pre[x+1] = mid
		}
	}
	return 0, 0, true
}

// stepAs executes st's action from s and reports whether it is enabled
// and still the step st describes.
func stepAs(m *model.Machine, s *model.State, st Step) (model.State, bool) {
	d, next, _, err := m.Describe(s, st.A)
	if err != nil {
		return *s, false
	}
	now := Step{N: st.N, Actor: d.Actor, CPU: d.CPU, Action: d.Action, Source: d.Source}
	return next, mismatch(st, now) == ""
}

// fewestSwitches finds the order of steps, consistent with preds (see
// dependencies), that has the fewest actor changes, or nil if it has no
// fewer than the given order or the search is too large. Steps of one
// footprint actor form a chain (they are always dependent), so a prefix
// of an order is a vector of per-chain counts; the search is a 0-1 BFS
// over (vector, last chain).
func fewestSwitches(steps []RunStep, preds [][]int) []int {
	n := len(steps)
	var chains [][]int // step indexes of each footprint actor, in order
	chainOf := make([]int, n)
	posOf := make([]int, n)
	byActor := map[int32]int{}
	for i, st := range steps {
		c, ok := byActor[st.Footprint.Actor]
		if !ok {
			c = len(chains)
			byActor[st.Footprint.Actor] = c
			chains = append(chains, nil)
		}
		chainOf[i], posOf[i] = c, len(chains[c])
		chains[c] = append(chains[c], i)
	}
	if len(chains) < 2 || len(chains) > 255 || n > 255 {
		return nil
	}
	ready := func(v []byte, j int) bool {
		for _, p := range preds[j] {
			if posOf[p] >= int(v[chainOf[p]]) {
				return false
			}
		}
		return true
	}
	// A search node is the per-chain counts followed by the last chain
	// taken (255 at the start).
	type link struct {
		dist int
		prev string
		step int
	}
	start := string(append(make([]byte, len(chains)), 255))
	seen := map[string]link{start: {step: -1}}
	// The deque of the 0-1 BFS: front is a stack, back a queue behind it.
	var front []string
	back := []string{start}
	best, bestDist := "", n
	for len(front)+len(back) > 0 {
		var key string
		if len(front) > 0 {
			key, front = front[len(front)-1], front[:len(front)-1]
		} else {
			key, back = back[0], back[1:]
		}
		v, last := []byte(key[:len(chains)]), int(key[len(chains)])
		d := seen[key].dist
		done := true
		for c, chain := range chains {
			if int(v[c]) == len(chain) {
				continue
			}
			done = false
			j := chain[v[c]]
			if !ready(v, j) {
				continue
			}
			w := 0
			if last != 255 && steps[j].Actor != steps[chains[last][v[last]-1]].Actor {
				w = 1
			}
			v[c]++
			next := string(append(append([]byte(nil), v...), byte(c)))
			v[c]--
			if l, ok := seen[next]; ok && l.dist <= d+w {
				continue
			}
			if len(seen) >= maxMinimizeStates {
				return nil
			}
			seen[next] = link{dist: d + w, prev: key, step: j}
			if w == 0 {
				front = append(front, next)
			} else {
				back = append(back, next)
			}
		}
		if done && d < bestDist {
			best, bestDist = key, d
		}
	}
	if best == "" || bestDist >= Switches(stepsOf(steps)) {
		return nil
	}
	order := make([]int, 0, n)
	for key := best; key != start; key = seen[key].prev {
		order = append(order, seen[key].step)
	}
	for i, j := 0, len(order)-1; i < j; i, j = i+1, j-1 {
		order[i], order[j] = order[j], order[i]
	}
	return order
}

func stepsOf(rs []RunStep) []Step {
	out := make([]Step, len(rs))
	for i := range rs {
		out[i] = rs[i].Step
	}
	return out
}
