package openloop

import (
	"errors"
	"math"
	"testing"
	"time"
)

// server is a synthetic server that keeps up with rates up to capacity.
func server(capacity float64, probed *[]float64) func(rate float64) Result {
	return func(rate float64) Result {
		*probed = append(*probed, rate)
		r := Result{Rate: rate, Sent: 10, Lat: []time.Duration{time.Millisecond}, Achieved: rate}
		if rate > capacity { // falls behind
			r.Achieved = rate * 0.9
		}
		return r
	}
}

func TestSaturation(t *testing.T) {
	for _, tc := range []struct {
		from, capacity float64
		want           float64 // within 7 %
	}{
		{400, 20_000, 20_000},
		{400, 1_000, 1_000},
		{400, 150, 150},
		{100, 100, 100},
		{400, 5, 0}, // below the lowest rate tried
	} {
		var probed []float64
		got, all := Saturation(tc.from, server(tc.capacity, &probed))
		if len(all) != len(probed) {
			t.Errorf("from %v, capacity %v: %d results for %d probes", tc.from, tc.capacity, len(all), len(probed))
		}
		if got > tc.capacity || (tc.want > 0 && got < tc.want*0.93) || (tc.want == 0 && got != 0) {
			t.Errorf("from %v, capacity %v: saturation %v (probed %v)", tc.from, tc.capacity, got, probed)
		}
	}
}

func TestKeepsUp(t *testing.T) {
	ok := Result{Rate: 100, Sent: 4, Lat: []time.Duration{1, 2, 3, 4}, Achieved: 99}
	if got, why := ok.KeepsUp(); !got {
		t.Errorf("%v: %s", ok, why)
	}
	for name, r := range map[string]Result{
		"lost":   {Rate: 100, Sent: 4, Lost: 1, FirstErr: ErrNoAnswer, Achieved: 100},
		"unsent": {Rate: 100, Sent: 4, Unsent: 1, Achieved: 100},
		"slow":   {Rate: 100, Sent: 4, Achieved: 90},
		"drift":  {Rate: 100, Sent: 4, Achieved: 100, Drift: MaxDrift + time.Millisecond},
		"p99":    {Rate: 100, Sent: 1, Achieved: 100, Lat: []time.Duration{MaxP99 + time.Millisecond}},
	} {
		if got, _ := r.KeepsUp(); got {
			t.Errorf("%s: %v keeps up", name, r)
		}
	}
}

// TestRun checks the bookkeeping of a run, not its timing.
func TestRun(t *testing.T) {
	fail := errors.New("down")
	r := Run(2000, 40, func(i int) (time.Time, error) {
		if i%10 == 3 {
			return time.Time{}, fail
		}
		return time.Now(), nil
	})
	if r.Sent != 40 || r.Lost != 4 || len(r.Lat) != 36 || !errors.Is(r.FirstErr, fail) {
		t.Fatalf("sent %d, lost %d, %d latencies, first error %v", r.Sent, r.Lost, len(r.Lat), r.FirstErr)
	}
	if r.Achieved <= 0 || math.IsInf(r.Achieved, 0) {
		t.Errorf("achieved %v", r.Achieved)
	}
	m := Merge(r, r)
	if m.Sent != 80 || m.Lost != 8 || len(m.Lat) != 72 {
		t.Errorf("merged: sent %d, lost %d, %d latencies", m.Sent, m.Lost, len(m.Lat))
	}
}

// TestRunStopsWhenBehind: a server that holds every request stops getting
// new ones once it holds MaxBacklog of them (64 at least).
func TestRunStopsWhenBehind(t *testing.T) {
	r := Run(200, 200, func(i int) (time.Time, error) {
		time.Sleep(700 * time.Millisecond) // longer than 64 requests take at 200/s
		return time.Now(), nil
	})
	if r.Unsent == 0 || r.Unsent+len(r.Lat) != 200 || r.Lost != 0 {
		t.Fatalf("unsent %d, answered %d, lost %d", r.Unsent, len(r.Lat), r.Lost)
	}
	if ok, _ := r.KeepsUp(); ok {
		t.Errorf("%v: kept up", r)
	}
}

// TestSaturationStall: a stall of the machine that collapses one probe
// far below the server's saturation (the first one, one while doubling or
// one in the bisection) does not end the search there: a rate missed is
// tried again.
func TestSaturationStall(t *testing.T) {
	for _, stallAt := range []float64{100, 1_600, 4_800} {
		var probed []float64
		ok := server(6_400, &probed)
		stalled := false
		got, _ := Saturation(100, func(rate float64) Result {
			if rate == stallAt && !stalled {
				stalled = true
				probed = append(probed, rate)
				return Result{Rate: rate, Sent: 10, Unsent: 9, Lost: 1}
			}
			return ok(rate)
		})
		if got < 6_400*0.93 || got > 6_400 {
			t.Errorf("stall at %v: saturation %v, want about 6 400 (probed %v)", stallAt, got, probed)
		}
	}
}
