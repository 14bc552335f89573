package explore

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// wide is a state whose size is not a multiple of 8, with padding.
type wide struct {
	a [13]uint8
	b uint16
	c [3]uint32
	d [9]uint8
}

func TestPackRoundTrip(t *testing.T) {
	ref := wide{a: [13]uint8{1, 2, 3}, b: 7, c: [3]uint32{0, 9, 0}}
	pk := newPacker(&ref)
	for _, s := range []wide{
		ref,
		{},
		{a: [13]uint8{12: 0xff}, d: [9]uint8{8: 1}},
		{b: 0xffff, c: [3]uint32{1, 2, 3}, d: [9]uint8{1, 2, 3, 4, 5, 6, 7, 8, 9}},
	} {
		for _, base := range []wide{ref, {}, s} {
			d := pk.delta(&s, &base, []byte{0xaa})
			require.Equal(t, byte(0xaa), d[0], "delta appends")
			got := base
			pk.apply(d[1:], &got)
			assert.Equal(t, s, got)
		}
	}
	// A state's delta from itself is the bitmap alone.
	assert.Len(t, pk.delta(&ref, &ref, nil), pk.mapSz)
}

func FuzzPack(f *testing.F) {
	f.Add([]byte{1, 2, 3}, []byte{0, 0, 7})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		var ref, s wide
		copy(stateBytes(&ref), a)
		copy(stateBytes(&s), b)
		pk := newPacker(&wide{})
		got := ref
		pk.apply(pk.delta(&s, &ref, nil), &got)
		if string(stateBytes(&s)) != string(stateBytes(&got)) {
			t.Fatalf("%x packed and unpacked is %x", stateBytes(&s), stateBytes(&got))
		}
	})
}

type pointerState struct{ p *int }

type pointerModel struct{}

func (pointerModel) Init() []pointerState                            { return []pointerState{{}} }
func (pointerModel) Expand(*pointerState, *Successors[pointerState]) {}
func (pointerModel) Encode(s *pointerState, buf []byte) []byte       { return buf }

func TestPlainStateRequired(t *testing.T) {
	_, err := Run(context.Background(), Model[pointerState](pointerModel{}), Options{Workers: 1})
	require.ErrorContains(t, err, "plain value")
}
