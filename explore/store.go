package explore

import (
	"math"
	"math/bits"
)

// The visited set is a table of 64-bit fingerprints split into shards by the
// fingerprint's top bits, so that workers can insert into disjoint shards in
// parallel while the outcome stays independent of the number of workers.
//
// A shard grows by half when it is 85% full, so its load stays between 57%
// and 85%: about 11 bytes of table per 8-byte fingerprint on average. Slots
// are indexed by the fingerprint's bits below the shard bits, scaled to the
// table size (Lemire's fast range), so sizes need not be powers of two.
const (
	shardBits = 6
	numShards = 1 << shardBits
	maxLoad   = 0.85
)

// shard is an open-addressing set of non-zero fingerprints with linear probing.
type shard struct {
	slots []uint64
	n     int
}

// home is fp's first slot in a table of n slots.
func home(fp uint64, n int) int {
	hi, _ := bits.Mul64(fp<<shardBits, uint64(n))
	return int(hi)
}

func (t *shard) insert(fp uint64) bool {
	if t.slots == nil || float64(t.n+1) > maxLoad*float64(len(t.slots)) {
		t.grow()
	}
	n := len(t.slots)
	for i := home(fp, n); ; {
		switch t.slots[i] {
		case 0:
			t.slots[i] = fp
			t.n++
			return true
		case fp:
			return false
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (t *shard) contains(fp uint64) bool {
	n := len(t.slots)
	if n == 0 {
		return false
	}
	for i := home(fp, n); ; {
		switch t.slots[i] {
		case 0:
			return false
		case fp:
			return true
		}
		if i++; i == n {
			i = 0
		}
	}
}

func (t *shard) grow() {
	n := len(t.slots) * 3 / 2
	if n == 0 {
		n = 1024
	}
	old := t.slots
	t.slots = make([]uint64, n)
	t.n = 0
	for _, fp := range old {
		if fp == 0 {
			continue
		}
		i := home(fp, n)
		for t.slots[i] != 0 {
			if i++; i == n {
				i = 0
			}
		}
		t.slots[i] = fp
		t.n++
	}
}

// fpSet is the sharded visited set.
type fpSet struct {
	shards [numShards]shard
}

func shardOf(fp uint64) int { return int(fp >> (64 - shardBits)) }

func (s *fpSet) insert(fp uint64) bool { return s.shards[shardOf(fp)].insert(fp) }

func (s *fpSet) contains(fp uint64) bool { return s.shards[shardOf(fp)].contains(fp) }

// bytes is the memory the table occupies.
func (s *fpSet) bytes() int64 {
	var b int64
	for i := range s.shards {
		b += int64(len(s.shards[i].slots)) * 8
	}
	return b
}

// omissionProbability estimates the probability that hash compaction made
// the search miss at least one state: with n states and 64-bit fingerprints,
// 1 - exp(-n(n-1)/2^65) (the birthday bound).
func omissionProbability(n int64) float64 {
	x := float64(n) * float64(n-1) / math.Exp2(65)
	return -math.Expm1(-x)
}
