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
// and 85%: about 11 bytes of table per 8-byte fingerprint on average. The
// table is cut into buckets of 8 slots, one cache line: a fingerprint's
// home bucket is chosen by its bits below the shard bits, scaled to the
// number of buckets (Lemire's fast range), and probing goes bucket by
// bucket, so even a nearly full table is read a line or two per lookup.
const (
	shardBits  = 6
	numShards  = 1 << shardBits
	maxLoad    = 0.85
	bucketSize = 8
)

// shard is an open-addressing set of non-zero fingerprints with linear
// probing or, in bitstate mode, a Bloom filter of its fingerprints.
type shard struct {
	slots []uint64
	n     int
	bits  []uint64 // bitstate mode: the filter; slots is unused
}

// bitHashes is the number of bits a state sets in bitstate mode.
const bitHashes = 3

// home is the first slot of fp's home bucket in a table of n slots.
func home(fp uint64, n int) int {
	hi, _ := bits.Mul64(fp<<shardBits, uint64(n/bucketSize))
	return int(hi) * bucketSize
}

func (t *shard) insert(fp uint64) bool {
	if t.bits != nil {
		return t.insertBits(fp)
	}
	if t.slots == nil || float64(t.n+1) > maxLoad*float64(len(t.slots)) {
		t.grow()
	}
	i, found := t.probe(fp)
	if !found {
		t.slots[i] = fp
		t.n++
	}
	return !found
}

// probe returns the slot that holds fp, or the empty slot where linear
// probing from fp's home bucket would put it.
func (t *shard) probe(fp uint64) (i int, found bool) {
	n := len(t.slots)
	for i = home(fp, n); ; {
		for _, s := range t.slots[i : i+bucketSize] {
			switch s {
			case 0:
				return i, false
			case fp:
				return i, true
			}
			i++
		}
		if i == n {
			i = 0
		}
	}
}

// bit is the word and mask of fp's j-th bit in bitstate mode (double
// hashing from the fingerprint).
func (t *shard) bit(fp, j uint64) (w int, m uint64) {
	b, _ := bits.Mul64(fp<<shardBits+j*(mum(fp, fpK2)|1), uint64(len(t.bits))*64)
	return int(b >> 6), 1 << (b & 63)
}

// insertBits sets fp's bits and reports whether any was clear: a state
// whose bits are all set already is taken as visited, which may be a
// collision.
func (t *shard) insertBits(fp uint64) bool {
	fresh := false
	for j := range uint64(bitHashes) {
		w, m := t.bit(fp, j)
		if t.bits[w]&m == 0 {
			t.bits[w] |= m
			fresh = true
		}
	}
	if fresh {
		t.n++
	}
	return fresh
}

func (t *shard) grow() {
	n := len(t.slots) * 3 / 2 / bucketSize * bucketSize
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

// useBits switches the set to bitstate mode with a filter of about n
// bytes in all.
func (s *fpSet) useBits(n int64) {
	words := max(n/8/numShards, 1)
	for i := range s.shards {
		s.shards[i].bits = make([]uint64, words)
	}
}

func shardOf(fp uint64) int { return int(fp >> (64 - shardBits)) }

func (s *fpSet) insert(fp uint64) bool { return s.shards[shardOf(fp)].insert(fp) }

// reset empties the set, keeping its memory.
func (s *fpSet) reset() {
	for i := range s.shards {
		t := &s.shards[i]
		clear(t.slots)
		clear(t.bits)
		t.n = 0
	}
}

// contains reports whether fp is in the set (in bitstate mode, whether its
// bits are all set). It may run concurrently with other lookups, not with
// an insert.
func (s *fpSet) contains(fp uint64) bool { return s.shards[shardOf(fp)].contains(fp) }

func (t *shard) contains(fp uint64) bool {
	if t.bits != nil {
		for j := range uint64(bitHashes) {
			if w, m := t.bit(fp, j); t.bits[w]&m == 0 {
				return false
			}
		}
		return true
	}
	if t.slots == nil {
		return false
	}
	_, found := t.probe(fp)
	return found
}

// bytes is the memory the table occupies.
func (s *fpSet) bytes() int64 {
	var b int64
	for i := range s.shards {
		b += int64(len(s.shards[i].slots)+len(s.shards[i].bits)) * 8
	}
	return b
}

// bitstateCoverage estimates, for a bitstate search that stored n states
// in a filter of bytes bytes, the fraction of the states it met that it
// did explore: 1 minus the mean probability that a new state's bits were
// all set already, (1-e^(-k·i/m))^k over the i-th insertion (Bloom).
func bitstateCoverage(n, bytes int64) float64 {
	if n == 0 {
		return 1
	}
	const samples = 1000
	m, k := float64(bytes)*8, float64(bitHashes)
	sum := 0.0
	for j := range samples {
		i := float64(n) * (float64(j) + 0.5) / samples
		sum += math.Pow(-math.Expm1(-k*i/m), k)
	}
	return 1 - sum/samples
}

// omissionProbability estimates the probability that hash compaction made
// the search miss at least one state: with n states and 64-bit fingerprints,
// 1 - exp(-n(n-1)/2^65) (the birthday bound).
func omissionProbability(n int64) float64 {
	x := float64(n) * float64(n-1) / math.Exp2(65)
	return -math.Expm1(-x)
}
