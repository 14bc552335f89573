package readcap

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadFile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	require.NoError(t, os.WriteFile(p, []byte("12345"), 0o644))
	data, err := ReadFile(p, 5)
	require.NoError(t, err)
	assert.Equal(t, "12345", string(data))
	_, err = ReadFile(p, 4)
	assert.True(t, IsTooLarge(err))
	assert.EqualError(t, err, p+": larger than 4 bytes, the most such a file may be")
	if _, err := os.Stat("/dev/zero"); err == nil {
		_, err = ReadFile("/dev/zero", Spec)
		assert.EqualError(t, err, "/dev/zero: larger than 1 MiB, the most such a file may be")
	}
}

func TestReader(t *testing.T) {
	data, err := io.ReadAll(Reader(strings.NewReader("abc"), "x", 3))
	require.NoError(t, err)
	assert.Equal(t, "abc", string(data))
	_, err = io.ReadAll(Reader(strings.NewReader("abcd"), "x", 3))
	assert.True(t, IsTooLarge(err))
}
