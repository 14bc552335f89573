package explore

import (
	"encoding/binary"
	"math/bits"
)

// Fingerprint constants (wyhash's primes). The hash is fixed, not seeded per
// process, so that state counts and collisions are the same in every run.
const (
	fpK0 = 0xa0761d6478bd642f
	fpK1 = 0xe7037ed1a0b428db
	fpK2 = 0x8ebc6af09c88c6e3
	fpK3 = 0x589965cc75374cc3
)

func mum(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// Fingerprint returns a 64-bit hash of b; never 0 (0 marks an empty slot).
// States with equal encodings have equal fingerprints; the engine, and
// other explicit-state tools, store states by it (hash compaction).
func Fingerprint(b []byte) uint64 {
	h := uint64(len(b)) ^ fpK0
	for len(b) >= 16 {
		h = mum(binary.LittleEndian.Uint64(b)^fpK1, binary.LittleEndian.Uint64(b[8:])^h)
		b = b[16:]
	}
	var tail [16]byte
	copy(tail[:], b)
	h = mum(binary.LittleEndian.Uint64(tail[:])^fpK2, binary.LittleEndian.Uint64(tail[8:])^h)
	h = mum(h^fpK3, h^fpK1)
	if h == 0 {
		h = 1
	}
	return h
}
