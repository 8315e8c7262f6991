package slack

import (
	"net/http"
	"sync"
	"testing"
	"time"
)

// A request that finds every place taken waits for one (PlaceWithin)
// and is handled in its acknowledgement when one comes free: the inbox
// is never written.
func TestDirectWaitsForAPlace(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, g, srv, open := gatedAdapter(t, r, func(o *Options) { o.Workers, o.PlaceWithin = 1, time.Minute })
	acked := make(chan int, 2)
	for i, ts := range []string{"1700000000.000100", "1700000000.000200"} {
		go func() {
			code, _ := post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, ts, "x")))
			acked <- code
		}()
		if i == 0 {
			waitFor(t, "the first click held", func() bool { return g.holding.Load() == 1 })
		}
	}
	waitFor(t, "the second click at the door", func() bool { return a.acking.Load() == 2 })
	if n := g.holding.Load(); n != 1 {
		t.Fatalf("%d clicks with the bot while its only place is held, want 1", n)
	}
	open()
	for range 2 {
		if code := <-acked; code != http.StatusOK {
			t.Fatalf("click acknowledged with %d", code)
		}
	}
	if seq, n, _ := inboxWrites(t, a); seq != 0 || n != 0 {
		t.Fatalf("inbox: sequence %d, %d requests; want nothing written", seq, n)
	}
	waitFor(t, "both answers", func() bool { return r.answers() == 2 })
}

// The wait for a place never outlasts what the acknowledgement may wait
// for the bot: with PlaceWithin an hour and DirectWithin 50 ms, a click
// that finds the only place taken goes to the inbox and is acknowledged.
func TestDirectPlaceWaitBounded(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, g, srv, _ := gatedAdapter(t, r, func(o *Options) {
		o.Workers, o.PlaceWithin, o.DirectWithin = 1, time.Hour, 50*time.Millisecond
	})
	go post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, "1700000000.000100", "x")))
	waitFor(t, "the first click held", func() bool { return g.holding.Load() == 1 })
	acked := make(chan int, 1)
	go func() {
		code, _ := post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, "1700000000.000200", "x")))
		acked <- code
	}()
	var code int
	waitFor(t, "the second click acknowledged", func() bool {
		select {
		case code = <-acked:
			return true
		default:
			return false
		}
	})
	if code != http.StatusOK {
		t.Fatalf("second click acknowledged with %d", code)
	}
	if seq, n, _ := inboxWrites(t, a); seq == 0 || n == 0 {
		t.Fatalf("inbox: sequence %d, %d requests; want the second click there", seq, n)
	}
}

// An answer is timed from the request's arrival, the wait for a place
// included: Options.Answered is what the metrics show.
func TestAnsweredCountsPlaceWait(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	var mu sync.Mutex
	var heard []time.Duration
	a, g, srv, open := gatedAdapter(t, r, func(o *Options) {
		o.Workers, o.PlaceWithin = 1, time.Minute
		o.Answered = func(_ string, d time.Duration) { mu.Lock(); heard = append(heard, d); mu.Unlock() }
	})
	for i, ts := range []string{"1700000000.000100", "1700000000.000200"} {
		go post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, ts, "x")))
		if i == 0 {
			waitFor(t, "the first click held", func() bool { return g.holding.Load() == 1 })
		}
	}
	waitFor(t, "the second click at the door", func() bool { return a.acking.Load() == 2 })
	r.advance(10 * time.Second) // on Vigie's clock, while the second waits
	open()
	waitFor(t, "both answers", func() bool { mu.Lock(); defer mu.Unlock(); return len(heard) == 2 })
	mu.Lock()
	defer mu.Unlock()
	for _, d := range heard {
		if d < 10*time.Second {
			t.Fatalf("answers timed %v; want both from their arrival, 10 s before", heard)
		}
	}
}
