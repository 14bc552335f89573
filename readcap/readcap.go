// Package readcap reads user files with a bound on their size, so that a
// wrong path (/dev/zero, a core dump) is a one-line error, not a process
// that grows until the machine kills it.
package readcap

import (
	"errors"
	"fmt"
	"io"
	"os"
)

// Bounds on the files lwpcheck reads.
const (
	Spec     = 1 << 20 // a scenario spec
	Baseline = 1 << 24 // a baseline of accepted findings
	Source   = 1 << 24 // a C source file replay --source shows lines of
	Cex      = 1 << 28 // a counterexample file
	Trace    = 1 << 30 // a recorded trace
)

// TooLarge is a file past its bound.
type TooLarge struct {
	Path  string
	Limit int64
}

func (e *TooLarge) Error() string {
	return fmt.Sprintf("%s: larger than %s, the most such a file may be", e.Path, human(e.Limit))
}

func human(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// ReadFile reads the file at path, at most limit bytes of it.
func ReadFile(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, &TooLarge{path, limit}
	}
	return data, nil
}

// Reader returns a reader of r that fails with a *TooLarge once more than
// limit bytes have been read.
func Reader(r io.Reader, path string, limit int64) io.Reader {
	return &capped{r: r, path: path, left: limit + 1, limit: limit}
}

type capped struct {
	r     io.Reader
	path  string
	left  int64
	limit int64
}

func (c *capped) Read(p []byte) (int, error) {
	if c.left <= 0 {
		return 0, &TooLarge{c.path, c.limit}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	if c.left <= 0 && err == nil {
		err = &TooLarge{c.path, c.limit}
	}
	return n, err
}

// IsTooLarge reports whether err is a *TooLarge.
func IsTooLarge(err error) bool {
	var t *TooLarge
	return errors.As(err, &t)
}
