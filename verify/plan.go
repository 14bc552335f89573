package verify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
	"github.com/lwpcheck/lwpcheck/recorded"
	"github.com/lwpcheck/lwpcheck/specs"
)

// MaxPlans bounds the readings of a trace the verifier tries: the ways to
// match the LWPs that appear to the _lwp_create calls that made them,
// when the trace does not say (kdump and dtruss do not show the new lid).
const MaxPlans = 24

// A plan is one reading of the trace: which model LWP each lid is, which
// call created it, and the programs the model runs.
type plan struct {
	names   map[int64]int // lid -> the model's name of the LWP
	who     [model.MaxNames]string
	progs   [model.MaxNames][]*call
	steps   [model.MaxNames][]specs.Step
	ops     [model.MaxNames][]model.Op
	vis     [model.MaxNames][]visibility
	unknown int // the name of every lid no LWP has, 0 if none
	nlwps   int // names 1..nlwps are LWPs
	// expect is, for each record of the process (nil for a record the
	// verifier passes over), what the model must show.
	expect []*expectation
	// blocked is, for the first record of a call the revision cannot run,
	// why; the verdict stops there.
	blocked map[int]string
	reading string // the reading, in words
}

// visibility says which ktrace records of an op the trace shows.
type visibility struct{ call, ret bool }

// expectation is a record the model must produce.
type expectation struct {
	name   int
	op     int // index in the LWP's whole program
	ret    bool
	result model.Errno // model.NumErrno: one the model has not
	c      *call
}

// plans returns every reading of the process's records evs, at most
// MaxPlans.
func plans(o *Options, file string, evs []recorded.Event, proc *recorded.Proc) ([]*plan, error) {
	threads, order, err := split(file, evs, o.Attached)
	if err != nil {
		return nil, err
	}
	initial := proc.FirstLID
	var creates []*call
	fixed := map[int64]*call{}
	for _, lid := range order {
		for _, c := range threads[lid].calls {
			if c.sys.Canon != "_lwp_create" {
				continue
			}
			creates = append(creates, c)
			if c.ret != nil && len(c.rets) > 0 && evs[c.rets[len(c.rets)-1]].New > 0 {
				fixed[evs[c.rets[len(c.rets)-1]].New] = c
			}
		}
	}
	slices.SortFunc(creates, func(a, b *call) int { return bound(a) - bound(b) })
	var lids []int64
	for _, lid := range order {
		if lid != initial {
			lids = append(lids, lid)
		}
	}
	// Assign each lid a creating call, or none: pre-existing (attached) or
	// no LWP at all (a lid only named).
	type choice struct {
		by       *call // nil: no create made it
		existing bool  // it existed before the capture
	}
	var readings [][]choice
	var why []string
	var orphan *InputError
	assign := make([]choice, len(lids))
	used := map[*call]bool{}
	var walk func(i int) error
	walk = func(i int) error {
		if len(readings) > MaxPlans {
			return nil
		}
		if i == len(lids) {
			unseen := 0
			for _, c := range creates {
				if !used[c] && c.ret != nil && c.ret.Err == 0 {
					unseen++
				}
			}
			if unseen > o.Unseen {
				why = append(why, fmt.Sprintf("%d successful _lwp_create calls make LWPs the trace never shows", unseen))
				return nil
			}
			readings = append(readings, slices.Clone(assign))
			return nil
		}
		th := threads[lids[i]]
		if c, ok := fixed[th.lid]; ok {
			if bound(c) >= th.mention {
				return &InputError{File: file, Line: evs[th.mention].Line, Msg: fmt.Sprintf("LWP %d appears before the _lwp_create of line %d that made it", th.lid, c.line(evs))}
			}
			used[c], assign[i] = true, choice{by: c}
			err := walk(i + 1)
			used[c] = false
			return err
		}
		tried := false
		for _, c := range creates {
			if used[c] || bound(c) >= th.mention || c.lid == th.lid || fixedFor(fixed, c) {
				continue
			}
			tried = true
			used[c], assign[i] = true, choice{by: c}
			if err := walk(i + 1); err != nil {
				return err
			}
			used[c] = false
		}
		switch {
		case !th.actor:
			assign[i] = choice{}
			return walk(i + 1)
		case o.Attached && !tried:
			assign[i] = choice{existing: true}
			return walk(i + 1)
		case !tried:
			// A dead end of this branch; it is the answer if all are.
			if orphan == nil {
				orphan = &InputError{File: file, Line: evs[th.mention].Line,
					Msg: fmt.Sprintf("LWP %d appears, but no _lwp_create before it made it: if the capture began after the process started, say --attached", th.lid)}
			}
		}
		return nil
	}
	if err := walk(0); err != nil {
		return nil, err
	}
	if len(readings) > MaxPlans {
		return nil, &LimitError{File: file, Line: 1, Msg: fmt.Sprintf("more than %d ways to match the LWPs to the _lwp_create calls that made them: record JSON lines with \"new\"", MaxPlans)}
	}
	if len(readings) == 0 && orphan != nil {
		return nil, orphan
	}
	if len(readings) == 0 {
		return nil, &InputError{File: file, Line: 1, Msg: strings.Join(uniq(why), "; ") + ": if the capture is truncated, say --unseen N"}
	}
	var out []*plan
	for _, r := range readings {
		p := &plan{names: map[int64]int{}, blocked: map[int]string{}}
		next := 1
		name := func(who string) int {
			n := next
			next++
			if n < model.MaxNames {
				p.who[n] = who
			}
			return n
		}
		p.names[initial] = name(fmt.Sprintf("lid %d", initial))
		made := map[*call]int64{}
		var hidden []*call
		for i, lid := range lids {
			switch {
			case r[i].existing:
				p.names[lid] = name(fmt.Sprintf("lid %d, there before the capture", lid))
				hidden = append(hidden, &call{lid: initial, sys: mustLookup("_lwp_create"), first: -1, after: -1, hidden: true})
				made[hidden[len(hidden)-1]] = lid
			case r[i].by != nil:
				made[r[i].by] = lid
			}
		}
		for _, c := range creates {
			lid, ok := made[c]
			switch {
			case ok:
				p.names[lid] = name(fmt.Sprintf("lid %d, made at line %d", lid, c.line(evs)))
			default:
				made[c] = 0
			}
		}
		createdBy := map[*call]int{}
		for _, c := range hidden {
			createdBy[c] = p.names[made[c]]
		}
		for _, c := range creates {
			if lid := made[c]; lid != 0 {
				createdBy[c] = p.names[lid]
			} else {
				createdBy[c] = name(fmt.Sprintf("made at line %d, never in the trace", c.line(evs)))
			}
		}
		p.nlwps = next - 1
		for _, lid := range lids {
			if _, ok := p.names[lid]; !ok {
				if p.unknown == 0 {
					p.unknown = name("lids no LWP has")
				}
				p.names[lid] = p.unknown
			}
		}
		if p.nlwps > model.MaxLWPs {
			return nil, &LimitError{File: file, Line: 1, Msg: fmt.Sprintf("the trace has %d LWPs; the model holds %d", p.nlwps, model.MaxLWPs)}
		}
		if next > model.MaxNames {
			return nil, &LimitError{File: file, Line: 1, Msg: fmt.Sprintf("the trace names %d LWPs; the model names %d", next-1, model.MaxNames-1)}
		}
		for lid, n := range p.names {
			if th := threads[lid]; th != nil && n != p.unknown {
				p.progs[n] = th.calls
			}
		}
		p.progs[1] = append(slices.Clone(hidden), p.progs[1]...)
		lidName := func(l int64) int {
			if n, ok := p.names[l]; ok {
				return n
			}
			if p.unknown == 0 { // lid 0 as a target: no LWP has it
				p.unknown = name("lids no LWP has")
			}
			return p.unknown
		}
		if err := p.compile(o, file, evs, lidName, createdBy); err != nil {
			return nil, err
		}
		if p.unknown >= model.MaxNames {
			return nil, &LimitError{File: file, Line: 1, Msg: fmt.Sprintf("the trace names %d LWPs; the model names %d", p.unknown, model.MaxNames-1)}
		}
		p.reading = p.describe()
		out = append(out, p)
	}
	return out, nil
}

// bound is the record after which a call may have created an LWP: its
// first CALL, or, if the trace does not show its entry, the caller's
// record before it.
func bound(c *call) int {
	if len(c.calls) > 0 {
		return c.calls[0]
	}
	return c.after
}

func fixedFor(fixed map[int64]*call, c *call) bool {
	for _, f := range fixed {
		if f == c {
			return true
		}
	}
	return false
}

func mustLookup(name string) *recorded.Syscall {
	s, _ := recorded.Lookup(name)
	return s
}

func uniq(s []string) []string {
	slices.Sort(s)
	return slices.Compact(s)
}

// compile turns the plan's calls into steps and ops of revision kn, and
// lists what each record must show.
func (p *plan) compile(o *Options, file string, evs []recorded.Event, names func(int64) int, createdBy map[*call]int) error {
	p.expect = make([]*expectation, len(evs))
	kn := o.Revision.Kernel
	for n := 1; n < model.MaxNames; n++ {
		for k, c := range p.progs[n] {
			st, err := step(file, evs, c, names, createdBy[c])
			if err == nil {
				var op model.Op
				op, err = kn.Compile(&st)
				if err == nil {
					stc := st
					op.Step = &stc
					p.steps[n] = append(p.steps[n], st)
					p.ops[n] = append(p.ops[n], op)
					p.vis[n] = append(p.vis[n], visibility{call: len(c.calls) > 0, ret: len(c.rets) > 0})
				}
			}
			if err != nil {
				if _, limit := err.(*LimitError); limit {
					return err
				}
				// The revision cannot run the call: the verdict stops at it.
				p.blocked[max(c.first, 0)] = fmt.Sprintf("%s cannot be what %s runs: %v", c.sys.Name, o.Revision.Name, err)
				p.progs[n] = p.progs[n][:k]
				break
			}
			for _, i := range c.calls {
				p.expect[i] = &expectation{name: n, op: k, c: c}
			}
			for _, i := range c.rets {
				if rv := evs[i].Ret; c.sys.Canon == "_lwp_self" && rv.Err == 0 && rv.Value != c.lid {
					p.blocked[i] = fmt.Sprintf("_lwp_self returned %d to LWP %d: the kernel returns the caller's own lid", rv.Value, c.lid)
				}
				r, ok := modelErrno(evs[i].Ret.Err)
				if !ok {
					r = model.NumErrno
				}
				p.expect[i] = &expectation{name: n, op: k, ret: true, result: r, c: c}
			}
		}
	}
	return nil
}

// describe says which model LWP each lid is.
func (p *plan) describe() string {
	var parts []string
	for n := 1; n < model.MaxNames; n++ {
		if p.who[n] != "" {
			parts = append(parts, fmt.Sprintf("LWP %d is %s", n, p.who[n]))
		}
	}
	return strings.Join(parts, "; ")
}
