package explore

import "math"

// The visited set is a table of 64-bit fingerprints split into shards by the
// fingerprint's top bits, so that workers can insert into disjoint shards in
// parallel while the outcome stays independent of the number of workers.
const (
	shardBits = 6
	numShards = 1 << shardBits
	maxLoad   = 0.8
)

// shard is an open-addressing set of non-zero fingerprints with linear probing.
type shard struct {
	slots []uint64
	n     int
}

func (t *shard) insert(fp uint64) bool {
	if t.slots == nil || float64(t.n+1) > maxLoad*float64(len(t.slots)) {
		t.grow()
	}
	mask := uint64(len(t.slots) - 1)
	for i := fp & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case 0:
			t.slots[i] = fp
			t.n++
			return true
		case fp:
			return false
		}
	}
}

func (t *shard) contains(fp uint64) bool {
	if t.slots == nil {
		return false
	}
	mask := uint64(len(t.slots) - 1)
	for i := fp & mask; ; i = (i + 1) & mask {
		switch t.slots[i] {
		case 0:
			return false
		case fp:
			return true
		}
	}
}

func (t *shard) grow() {
	n := 2 * len(t.slots)
	if n == 0 {
		n = 1024
	}
	old := t.slots
	t.slots = make([]uint64, n)
	t.n = 0
	mask := uint64(n - 1)
	for _, fp := range old {
		if fp == 0 {
			continue
		}
		i := fp & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
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
