package main

import (
	"fmt"
	"strconv"
	"strings"
)

// byteSize is a flag of a number of bytes: a plain number or one with a
// suffix, K/KiB, M/MiB, G/GiB, T/TiB (powers of 1024) or KB, MB, GB, TB
// (powers of 1000).
type byteSize int64

// maxByteSize bounds every size flag: more than any machine this runs on
// has, and far from overflowing what the engine computes from it.
const maxByteSize = 1 << 44 // 16 TiB

var sizeSuffixes = []struct {
	suffix string
	factor int64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"TiB", 1 << 40},
	{"KB", 1e3}, {"MB", 1e6}, {"GB", 1e9}, {"TB", 1e12},
	{"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"T", 1 << 40},
	{"B", 1},
}

func (b *byteSize) String() string { return strconv.FormatInt(int64(*b), 10) }

// Get implements flag.Getter.
func (b *byteSize) Get() any { return int64(*b) }

func (b *byteSize) Set(s string) error {
	num, factor := s, int64(1)
	for _, sf := range sizeSuffixes {
		if n, ok := strings.CutSuffix(s, sf.suffix); ok {
			num, factor = n, sf.factor
			break
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(num), 10, 64)
	if err != nil || n < 0 {
		return fmt.Errorf("want a size such as 1048576, 512M or 8GiB")
	}
	if n > maxByteSize/factor {
		return fmt.Errorf("larger than %d TiB", maxByteSize>>40)
	}
	*b = byteSize(n * factor)
	return nil
}
