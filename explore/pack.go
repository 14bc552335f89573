package explore

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"reflect"
	"slices"
	"unsafe"
)

// A BFS keeps the states it has yet to expand, its frontier, packed: a
// kernel state is hundreds of bytes, and the frontier of a large search
// holds millions of states, each much like the one stored before it. A
// packed state is a delta: the state's bytes XORed with a base state's,
// as a bitmap of the 8-byte words that differ, then for each such word a
// header byte (where its non-zero bytes start, how many they span) and
// that span. The base is the state stored before, or the first initial
// state at a restart point, where decoding can begin. The packing is the
// engine's own and lossless: it reads S as the plain bytes Model promises
// it is, whatever the model's Encode.
type packer[S any] struct {
	ref   S   // the base at a restart point
	words int // 8-byte words of a state, the last one maybe partial
	size  int // bytes of a state
	mapSz int // bytes of the word bitmap
	max   int // room delta needs: the longest delta and a word's slack
}

func newPacker[S any](ref *S) packer[S] {
	size := int(unsafe.Sizeof(*ref))
	nw := (size + 7) / 8
	mapSz := (nw + 7) / 8
	return packer[S]{ref: *ref, words: nw, size: size, mapSz: mapSz, max: mapSz + 9*nw + 8}
}

func stateBytes[S any](s *S) []byte {
	return unsafe.Slice((*byte)(unsafe.Pointer(s)), unsafe.Sizeof(*s))
}

// word returns the w-th 8-byte word of b, zero-padded past its end.
func word(b []byte, w int) uint64 {
	if o := 8 * w; o+8 <= len(b) {
		return binary.LittleEndian.Uint64(b[o : o+8])
	}
	var x uint64
	for j, c := range b[8*w:] {
		x |= uint64(c) << (8 * j)
	}
	return x
}

// delta appends to dst the delta that turns base into s.
func (p *packer[S]) delta(s, base *S, dst []byte) []byte {
	b, r := stateBytes(s), stateBytes(base)
	at := len(dst)
	dst = slices.Grow(dst, p.max)[:at+p.max]
	bm := dst[at : at+p.mapSz]
	clear(bm)
	n := at + p.mapSz
	full := len(b) / 8
	b8, r8 := b[:8*full], r[:8*full]
	for w := 0; w < p.words; w++ {
		var x uint64
		if w < full {
			x = binary.LittleEndian.Uint64(b8[8*w:8*w+8]) ^ binary.LittleEndian.Uint64(r8[8*w:8*w+8])
		} else {
			x = word(b, w) ^ word(r, w)
		}
		if x != 0 {
			bm[w/8] |= 1 << (w % 8)
			lo := bits.TrailingZeros64(x) / 8
			span := 8 - lo - bits.LeadingZeros64(x)/8
			dst[n] = byte(lo<<4 | span)
			binary.LittleEndian.PutUint64(dst[n+1:n+9], x>>(8*lo))
			n += 1 + span
		}
	}
	return dst[:n]
}

// apply turns *s, the delta's base, into the state delta src encodes.
func (p *packer[S]) apply(src []byte, s *S) {
	b := stateBytes(s)
	at := p.mapSz
	for i, m := range src[:p.mapSz] {
		for ; m != 0; m &= m - 1 {
			o := 8 * (8*i + bits.TrailingZeros8(m))
			h := src[at]
			lo, span := int(h>>4), int(h&0xf)
			at++
			var x uint64
			if at+8 <= len(src) {
				x = binary.LittleEndian.Uint64(src[at:at+8]) & (1<<(8*span) - 1)
			} else {
				for j, c := range src[at : at+span] {
					x |= uint64(c) << (8 * j)
				}
			}
			at += span
			x <<= 8 * lo
			if o+8 <= len(b) {
				binary.LittleEndian.PutUint64(b[o:o+8], binary.LittleEndian.Uint64(b[o:o+8])^x)
				continue
			}
			for j := o; j < len(b); j, x = j+1, x>>8 {
				b[j] ^= byte(x)
			}
		}
	}
}

// plainType reports an error if values of t hold pointers (or anything
// but numbers, booleans and arrays and structs of them): such a state is
// not its bytes, and Model requires that it is.
func plainType(t reflect.Type) error {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return nil
	case reflect.Array:
		return plainType(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if err := plainType(t.Field(i).Type); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("explore: a state must be a plain value (numbers, arrays, structs): it holds a %s", t)
}
