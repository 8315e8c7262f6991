// Package gcpace sets how often the garbage collector runs in vigie serve,
// a long-lived process whose heap is small (tens of megabytes) beside the
// memory of any machine that runs it. Go's default (GOGC=100: collect when
// the heap has doubled) made a burst of actions collect several times a
// second; on 2 cores, each collection took the cores the answers needed,
// and the answers of the burst's first second waited 200 to 400 ms.
// Collecting when the heap has grown fivefold, under a soft limit,
// trades some memory for that CPU.
//
// It imports nothing of ours: serve applies it, and so do the benchmarks
// that measure Vigie as serve runs it.
package gcpace

import (
	"os"
	"runtime/debug"
)

const (
	// Percent is GOGC for serve: collect when the heap has grown by 400 %.
	Percent = 400
	// Limit is the soft memory limit for serve (GOMEMLIMIT): nearing it,
	// the collector runs as often as it must, whatever Percent says.
	Limit = 128 << 20
)

// Serve paces the collector for serve, unless the operator chose with
// GOGC or GOMEMLIMIT, which then apply as Go reads them.
func Serve() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(Percent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(Limit)
	}
}
