package invariants

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/lwpcheck/lwpcheck/model"
)

// maxStat bounds l_stat values (sys/lwp.h: LSSUSPENDED is 8).
const maxStat = model.LSSUSPENDED + 1

// Transition kinds in rules.trans.
const (
	transNone       = iota // not in the diagram
	transDocumented        // an edge of the diagram
	transKernelOnly        // a special case, for kernel threads only
)

// rules are a revision's Tables compiled for the step checks: lookups by
// lock id, state and op, so that a step that passes costs no allocation.
type rules struct {
	before [model.NumClasses][model.NumClasses]bool
	// forbidden[id] is the set of lock ids whose holder may not acquire
	// lock id: their class comes after id's in the documented order.
	forbidden  [model.NumLocks]uint16
	byAddress  [model.NumClasses]*model.ClassRule
	trySites   []model.SrcRef
	stateLock  [maxStat]*model.StateLock
	procLocked [maxStat]bool // states entered and left only under the process lock
	trans      [maxStat][maxStat]uint8
	transSrc   [maxStat][maxStat]string
	pages      []*model.ManPage // by model.OpKind
	counters   [model.NumCounters]*model.CounterRule
}

// compile builds the rules of revision docs t for kernel kn, whose files
// the try sites name.
func compile(t *model.Docs, kn *model.Kernel) (rules, error) {
	var r rules
	r.before = t.LockOrder.Before()
	for acq := uint8(1); acq < model.NumLocks; acq++ {
		for h := uint8(1); h < model.NumLocks; h++ {
			if r.before[model.ClassOf(acq)][model.ClassOf(h)] {
				r.forbidden[acq] |= 1 << h
			}
		}
	}
	for i := range t.LockOrder.ByAddress {
		cr := &t.LockOrder.ByAddress[i]
		r.byAddress[cr.Class] = cr
	}
	for _, s := range t.LockOrder.TrySites {
		ref, err := resolve(kn, s.At)
		if err != nil {
			return rules{}, err
		}
		r.trySites = append(r.trySites, ref)
	}
	for i := range t.StateLocks {
		sl := &t.StateLocks[i]
		r.stateLock[sl.Stat] = sl
	}
	for _, st := range t.ProcLocked {
		r.procLocked[st] = true
	}
	for i := range t.Counters {
		cr := &t.Counters[i]
		r.counters[cr.Counter] = cr
	}
	for _, tr := range t.Transitions {
		r.trans[tr.From][tr.To] = transDocumented
		if tr.KernelOnly {
			r.trans[tr.From][tr.To] = transKernelOnly
		}
		r.transSrc[tr.From][tr.To] = tr.Source
	}
	for i := range t.ManPages {
		mp := &t.ManPages[i]
		for int(mp.Op) >= len(r.pages) {
			r.pages = append(r.pages, nil)
		}
		r.pages[mp.Op] = mp
	}
	return r, nil
}

// resolve turns "file@rev:line" into a source reference of kernel kn.
func resolve(kn *model.Kernel, at string) (model.SrcRef, error) {
	i := strings.LastIndexByte(at, ':')
	if i < 0 {
		return model.SrcRef{}, fmt.Errorf("site %q: want file@rev:line", at)
	}
	line, err := strconv.Atoi(at[i+1:])
	if err != nil {
		return model.SrcRef{}, fmt.Errorf("site %q: bad line: %w", at, err)
	}
	for f, file := range kn.Files {
		if file.Name+"@"+file.Rev == at[:i] {
			return model.SrcRef{File: uint8(f), Line: uint16(line)}, nil
		}
	}
	return model.SrcRef{}, fmt.Errorf("site %q: the kernel models no such file", at)
}

// try reports whether src is a try-acquire site.
func (r *rules) try(src model.SrcRef) bool {
	for _, t := range r.trySites {
		if t == src {
			return true
		}
	}
	return false
}
