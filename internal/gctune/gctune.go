// Package gctune sets Go's garbage collector for a server whose load comes
// in bursts. Go collects when the heap has grown by GOGC percent (100 by
// default) over what the last collection kept. Vigie keeps little (tens of
// megabytes), so under a burst of actions it collected many times a
// second: in the open-loop benchmark at half the bare handler's rate, a
// quarter of Vigie's CPU per request went to the collector (0.26 ms per
// request with GOGC=100, 0.20 ms with 400). While the process allocates
// fast, the tuner lets the heap grow to five times what is live
// (GOGC=400); once it has been quiet for a while, it restores the setting
// it found and hands the memory back to the system (debug.FreeOSMemory),
// so that an idle Vigie keeps its small footprint.
//
// An operator who sets GOGC or GOMEMLIMIT in the environment keeps them:
// the tuner then does nothing.
package gctune

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// Defaults of Run.
const (
	// Every is how often the allocation rate is read.
	Every = time.Second
	// Busy is the allocation rate, in bytes a second, from which the
	// process is under load: about 400 actions a second (an action
	// allocates 40 to 70 KB).
	Busy = 24 << 20
	// High is the GC percent under load.
	High = 400
	// Quiet is how many readings below Busy in a row end the load.
	Quiet = 3
)

// tuner holds the settings and seams of a run.
type tuner struct {
	every     time.Duration
	busy      float64 // bytes a second
	high      int
	quiet     int
	allocated func() uint64 // bytes allocated since the start
	setGC     func(int) int // debug.SetGCPercent
	free      func()        // debug.FreeOSMemory
	log       *slog.Logger
}

// Run tunes the collector until ctx ends, when it restores the setting it
// found; it returns at once when the environment sets GOGC or GOMEMLIMIT.
func Run(ctx context.Context, log *slog.Logger) {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		log.Info("gc: GOGC or GOMEMLIMIT set in the environment; the collector is left as set")
		return
	}
	t := tuner{every: Every, busy: Busy, high: High, quiet: Quiet,
		allocated: allocated, setGC: debug.SetGCPercent, free: debug.FreeOSMemory, log: log}
	t.run(ctx)
}

// allocated reads the bytes allocated since the process started.
func allocated() uint64 {
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	if s[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return s[0].Value.Uint64()
}

func (t *tuner) run(ctx context.Context) {
	tick := time.NewTicker(t.every)
	defer tick.Stop()
	last := t.allocated()
	busy, calm, found := false, 0, 0
	for {
		select {
		case <-ctx.Done():
			if busy {
				t.setGC(found)
			}
			return
		case <-tick.C:
		}
		now := t.allocated()
		rate := float64(now-last) / t.every.Seconds()
		last = now
		switch {
		case rate >= t.busy:
			calm = 0
			if !busy {
				busy, found = true, t.setGC(t.high)
				t.log.Debug("gc: under load", "alloc_mb_per_s", int(rate)>>20, "gogc", t.high)
			}
		case busy:
			if calm++; calm >= t.quiet {
				busy = false
				t.setGC(found)
				t.free()
				t.log.Debug("gc: quiet again", "gogc", found)
			}
		}
	}
}
