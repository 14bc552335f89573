// Package peakrss measures the peak resident memory of the running
// process over a span of work: what a user's machine must really hold,
// the Go runtime, garbage not yet collected and the binary included,
// beside the search's own accounting of its tables.
//
// It reads the high-water mark Linux keeps (VmHWM) and resets it through
// /proc/self/clear_refs, so that successive searches in one process are
// measured one by one. Elsewhere it reports nothing.
package peakrss

import (
	"bufio"
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
)

// Start returns memory to the system (a collection, then the runtime's
// free pages) and resets the high-water mark to what is resident now. It
// reports whether the mark could be reset: if not, Peak covers the whole
// life of the process.
func Start() bool {
	debug.FreeOSMemory()
	return os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil
}

// Peak returns the most bytes resident at once since Start, and whether
// the system said.
func Peak() (int64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	return parseHWM(data)
}

// parseHWM reads the VmHWM line of a /proc/PID/status file, in kB.
func parseHWM(status []byte) (int64, bool) { return parseStatus(status, "VmHWM:") }

// parseStatus reads the line of a /proc/PID/status file that starts with
// key, in kB.
func parseStatus(status []byte, key string) (int64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		rest, ok := bytes.CutPrefix(sc.Bytes(), []byte(key))
		if !ok {
			continue
		}
		f := bytes.Fields(rest)
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil || kb < 0 {
			return 0, false
		}
		return kb << 10, true
	}
	return 0, false
}

// CollectOften makes the collector run whenever the heap has grown by a
// tenth, unless the GOGC variable says otherwise. A search's heap is a
// few large arrays without pointers, cheap to collect: collecting often
// keeps the memory resident close to what the search holds, where the
// default lets garbage grow as large as the live heap.
func CollectOften() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(10)
	}
}

// Reserve is what SearchBudget sets aside for the rest of the process: the
// runtime, the binary, the model and its checks, measured at 13 to 20 MB.
const Reserve = 32 << 20

// SearchBudget is the memory a search may hold (explore.Options.MaxMemory)
// for the whole process to stay within limit bytes: the limit less
// Reserve and a fifth for the collector's slack, and at least 1 MiB. It is
// a fixed function of the limit, so a search stops at the same state in
// every run.
func SearchBudget(limit int64) int64 {
	if limit <= 0 {
		return 0
	}
	return max(limit-limit/5-Reserve, 1<<20)
}
