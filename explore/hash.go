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
func Fingerprint(b []byte) uint64 { return seededFingerprint(b, 0) }

// seededFingerprint is the member of Fingerprint's family that seed
// chooses (Options.Seed); seed 0 is Fingerprint.
func seededFingerprint(b []byte, seed uint64) uint64 {
	h := uint64(len(b)) ^ fpK0 ^ seed
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

// splitmix is SplitMix64, the generator Options.Seed draws successor
// orders from: small, fast and without allocation.
type splitmix uint64

func (x *splitmix) next() uint64 {
	*x += 0x9e3779b97f4a7c15
	z := uint64(*x)
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}
