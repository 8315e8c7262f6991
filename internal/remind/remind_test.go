package remind

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// fakeSweeper records the instants it is called at; it may panic or take
// time, as a real sweep on a slow platform would.
type fakeSweeper struct {
	mu    sync.Mutex
	calls []time.Time
	panic bool
	takes time.Duration
}

func (f *fakeSweeper) Sweep(ctx context.Context, now time.Time) (bot.SweepStats, error) {
	f.mu.Lock()
	f.calls = append(f.calls, now)
	f.mu.Unlock()
	if f.takes > 0 {
		time.Sleep(f.takes)
	}
	if f.panic {
		panic("sweep exploded")
	}
	return bot.SweepStats{}, nil
}

func (f *fakeSweeper) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func run(t *testing.T, f *fakeSweeper, interval, for_ time.Duration) int {
	t.Helper()
	var n int
	synctest.Test(t, func(t *testing.T) {
		s, err := New(f, Options{Interval: interval})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		time.Sleep(for_)
		s.Stop()
		n = f.count()
	})
	return n
}

func TestSweepsAtStartThenEveryInterval(t *testing.T) {
	f := &fakeSweeper{}
	if n := run(t, f, 30*time.Second, 95*time.Second); n != 4 {
		t.Fatalf("%d sweeps in 95 s, want 4 (one at start, then at 30, 60, 90 s)", n)
	}
	for i := 1; i < len(f.calls); i++ {
		if d := f.calls[i].Sub(f.calls[0]); d != time.Duration(i)*30*time.Second {
			t.Errorf("sweep %d at +%v, want +%v", i, d, time.Duration(i)*30*time.Second)
		}
	}
}

// TestPanickingSweepKeepsTicking: with Recover inside SkipIfStillRunning, a
// panic does not stop the schedule (the other order would run once only).
func TestPanickingSweepKeepsTicking(t *testing.T) {
	f := &fakeSweeper{panic: true}
	synctest.Test(t, func(t *testing.T) {
		s, _ := New(f, Options{Interval: 30 * time.Second})
		// The first sweep runs in Start, outside cron's Recover: that one
		// must not panic through Start, so call the ticks only.
		s.ctx, s.cancel = context.WithCancel(context.Background())
		f.panic = false
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		f.panic = true
		f.mu.Unlock()
		time.Sleep(95 * time.Second)
		s.Stop()
	})
	if n := f.count(); n != 4 {
		t.Fatalf("%d sweeps with a panicking job, want 4", n)
	}
}

// TestSlowSweepIsNotOverlapped: a sweep still running when the next tick
// comes makes cron skip that tick, so two sweeps never run at once.
func TestSlowSweepIsNotOverlapped(t *testing.T) {
	f := &fakeSweeper{}
	synctest.Test(t, func(t *testing.T) {
		s, _ := New(f, Options{Interval: 30 * time.Second})
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		f.takes = 70 * time.Second
		f.mu.Unlock()
		time.Sleep(155 * time.Second)
		s.Stop()
	})
	// Start at 0 (quick), tick 30 runs until 100 (ticks 60 and 90 skipped),
	// tick 120 runs until 190, past the end: Stop waits for it.
	if n := f.count(); n != 3 {
		t.Fatalf("%d sweeps, want 3 (overlapping ticks skipped)", n)
	}
}

func TestIntervalBelowOneSecondRefused(t *testing.T) {
	if _, err := New(&fakeSweeper{}, Options{Interval: 500 * time.Millisecond}); err == nil {
		t.Fatal("an interval of 500 ms was accepted; cron rounds it up")
	}
}

// blockingSweeper's sweeps wait until released, as a start sweep with a
// thousand reminders due after an outage would.
type blockingSweeper struct{ release chan struct{} }

func (b *blockingSweeper) Sweep(ctx context.Context, now time.Time) (bot.SweepStats, error) {
	select {
	case <-b.release:
	case <-ctx.Done():
	}
	return bot.SweepStats{}, nil
}

// TestStartDoesNotWaitForTheStartSweep: Start returns while the sweep of
// what fell due during an outage still runs; Stop waits for it.
func TestStartDoesNotWaitForTheStartSweep(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sw := &blockingSweeper{release: make(chan struct{})}
		s, err := New(sw, Options{Interval: time.Minute})
		if err != nil {
			t.Fatal(err)
		}
		started := make(chan struct{})
		go func() {
			if err := s.Start(context.Background()); err != nil {
				t.Error(err)
			}
			close(started)
		}()
		synctest.Wait()
		select {
		case <-started:
		default:
			t.Fatal("Start waited for the start sweep")
		}
		close(sw.release)
		s.Stop()
	})
}
