package gctune

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

// process stands for the runtime: bytes allocated, the GC percent set, and
// the times memory was handed back.
type process struct {
	mu    sync.Mutex
	bytes uint64
	gogc  int
	sets  []int
	frees int
}

func (p *process) allocated() uint64 { p.mu.Lock(); defer p.mu.Unlock(); return p.bytes }
func (p *process) alloc(n uint64)    { p.mu.Lock(); p.bytes += n; p.mu.Unlock() }
func (p *process) free()             { p.mu.Lock(); p.frees++; p.mu.Unlock() }

func (p *process) setGC(v int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	old := p.gogc
	p.gogc = v
	p.sets = append(p.sets, v)
	return old
}

func (p *process) state() (gogc int, sets []int, frees int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gogc, slices.Clone(p.sets), p.frees
}

// Under load the heap may grow to five times what is live; quiet again,
// the setting found comes back and the memory is handed back, once; a
// short lull does not end the load; stopping restores the setting.
func TestTuner(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		p := &process{gogc: 100}
		tu := tuner{every: time.Second, busy: Busy, high: High, quiet: Quiet,
			allocated: p.allocated, setGC: p.setGC, free: p.free, log: slog.New(slog.DiscardHandler)}
		ctx, cancel := context.WithCancel(t.Context())
		done := make(chan struct{})
		go func() { tu.run(ctx); close(done) }()
		second := func(bytes uint64) { // a second of the process's life
			p.alloc(bytes)
			time.Sleep(time.Second)
			synctest.Wait()
		}
		check := func(when string, gogc int, sets []int, frees int) {
			t.Helper()
			g, s, f := p.state()
			if g != gogc || !slices.Equal(s, sets) || f != frees {
				t.Fatalf("%s: GOGC %d, set %v, freed %d times; want %d, %v, %d", when, g, s, f, gogc, sets, frees)
			}
		}

		time.Sleep(time.Millisecond) // just after the first reading
		second(Busy / 10)
		second(Busy / 10)
		check("idle", 100, nil, 0)

		second(2 * Busy)
		check("a burst", High, []int{High}, 0)
		second(3 * Busy)
		second(Busy / 10) // a lull shorter than Quiet readings
		second(2 * Busy)
		check("a lull in the load", High, []int{High}, 0)

		for range Quiet {
			second(Busy / 10)
		}
		check("quiet again", 100, []int{High, 100}, 1)
		second(0)
		check("still quiet", 100, []int{High, 100}, 1)

		second(2 * Busy)
		cancel()
		<-done
		check("stopped under load", 100, []int{High, 100, High, 100}, 1)
	})
}

// An operator's GOGC or GOMEMLIMIT is left alone: Run returns at once,
// where a tuner would run until its context ends (an hour of the bubble's
// time here).
func TestEnvironmentKept(t *testing.T) {
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "150")
			synctest.Test(t, func(t *testing.T) {
				ctx, cancel := context.WithTimeout(t.Context(), time.Hour)
				defer cancel()
				start := time.Now()
				Run(ctx, slog.New(slog.DiscardHandler))
				if d := time.Since(start); d != 0 {
					t.Fatalf("with %s set, the tuner ran for %v", env, d)
				}
			})
		})
	}
}
