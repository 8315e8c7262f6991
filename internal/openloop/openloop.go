// Package openloop drives a server at a fixed rate of requests, each sent
// at its scheduled instant whatever happened to the others (an open loop:
// a slow answer does not slow the sender, so queueing shows in the
// latency, as it does for people clicking), and finds the highest rate a
// server keeps up with. It also holds the physical anchor the adapters'
// benchmarks are compared with: a bare net/http handler doing one batched
// bbolt write per request (bare.go).
//
// It is for benchmarks only, imported from _test files: it must not import
// an adapter, the bot or a store, so that the adapters share it without
// importing each other.
package openloop

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Send sends request i and returns when the person would see its answer:
// the response's arrival when it carries the answer, else the instant the
// platform received the answer posted to it. An error means no answer.
type Send func(i int) (time.Time, error)

// Result is what one run at a fixed rate saw.
type Result struct {
	Rate     float64         // offered, requests per second
	Sent     int             // requests sent
	Lat      []time.Duration // of the answered requests, from their scheduled instant, sorted
	Lost     int             // requests sent with no answer
	Unsent   int             // requests not sent: the server held MaxBacklog (ErrBehind)
	FirstErr error           // the first lost request's reason
	// Achieved is answers per second: answers over the time from the first
	// scheduled instant to the last answer. A server that keeps up
	// achieves the offered rate; one that falls behind finishes late.
	Achieved float64
	// Drift is how much later answers came at the end of the run than at
	// its start: the median latency of the last quarter of the requests
	// minus that of the first quarter. A backlog that grows shows here.
	Drift time.Duration
}

// MaxBacklog bounds the requests waiting for their answer, in seconds of
// the rate: a server holding more has fallen behind, and Run stops
// sending to it (the rest count as unanswered, ErrBehind), so that a
// server past saturation is not fed requests it takes minutes to work off.
// A server that keeps up holds a tenth of a second's at most (MaxP99).
const MaxBacklog = 500 * time.Millisecond

// Run sends n requests at rate per second, request i at start + i/rate,
// each from its own goroutine, and waits for every answer. When the
// sender wakes late (timers on a busy machine), it sends at once what is
// due: a late sender counts against the server, as latencies are counted
// from each request's scheduled instant. It stops sending once the server
// holds MaxBacklog of requests.
func Run(rate float64, n int, send Send) Result {
	lat := make([]time.Duration, n)
	errs := make([]error, n)
	interval := time.Duration(float64(time.Second) / rate)
	maxWaiting := max(64, int64(rate*MaxBacklog.Seconds()))
	start := time.Now().Add(20 * time.Millisecond)
	var wg sync.WaitGroup
	var waiting atomic.Int64
	for i := range n {
		if waiting.Load() > maxWaiting {
			for j := i; j < n; j++ {
				errs[j] = ErrBehind
			}
			break
		}
		at := start.Add(time.Duration(i) * interval)
		if d := time.Until(at); d > 0 {
			time.Sleep(d)
		}
		waiting.Add(1)
		wg.Go(func() {
			defer waiting.Add(-1)
			t, err := send(i)
			if err != nil {
				errs[i] = err
				return
			}
			lat[i] = t.Sub(at)
		})
	}
	wg.Wait()
	r := Result{Rate: rate, Sent: n}
	var last time.Duration // from start to the last answer
	var early, late []time.Duration
	for i, d := range lat {
		if errs[i] == ErrBehind {
			r.Unsent++
			continue
		}
		if errs[i] != nil {
			r.Lost++
			if r.FirstErr == nil {
				r.FirstErr = errs[i]
			}
			continue
		}
		r.Lat = append(r.Lat, d)
		last = max(last, time.Duration(i)*interval+d)
		switch {
		case i < n/4:
			early = append(early, d)
		case i >= n-n/4:
			late = append(late, d)
		}
	}
	slices.Sort(r.Lat)
	if last > 0 {
		r.Achieved = float64(len(r.Lat)) / last.Seconds()
	}
	slices.Sort(early)
	slices.Sort(late)
	if len(early) > 0 && len(late) > 0 {
		r.Drift = late[len(late)/2] - early[len(early)/2]
	}
	return r
}

// Merge puts the results of several runs at one rate together (Achieved
// and Drift are those of the worst run).
func Merge(rs ...Result) Result {
	var m Result
	for k, r := range rs {
		m.Rate, m.Sent, m.Lost, m.Unsent = r.Rate, m.Sent+r.Sent, m.Lost+r.Lost, m.Unsent+r.Unsent
		m.Lat = append(m.Lat, r.Lat...)
		if m.FirstErr == nil {
			m.FirstErr = r.FirstErr
		}
		if k == 0 || r.Achieved < m.Achieved {
			m.Achieved = r.Achieved
		}
		m.Drift = max(m.Drift, r.Drift)
	}
	slices.Sort(m.Lat)
	return m
}

// P is the q-th quantile of the answered requests' latencies, in ms.
func (r Result) P(q float64) float64 { return Percentile(r.Lat, q) }

// Percentile is the q-th quantile of sorted latencies, in milliseconds.
func Percentile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	return float64(sorted[int(q*float64(len(sorted)-1))].Microseconds()) / 1000
}

// The criterion of keeping up at a rate, over a run of ProbeFor.
const (
	// MinAchieved is the least share of the offered rate achieved.
	MinAchieved = 0.95
	// MaxDrift is the most the median latency may grow from the first
	// quarter of a probe to the last. Falling behind by 1 % for the 1.5 s
	// between them makes a backlog of 15 ms.
	MaxDrift = 20 * time.Millisecond
	// MaxP99 is the highest p99: a server whose answers take longer at a
	// rate is queueing, not keeping up, whatever its throughput.
	MaxP99 = 100 * time.Millisecond
	// ProbeFor is how long each rate of a saturation search runs.
	ProbeFor = 2 * time.Second
)

// KeepsUp says whether the server kept up with the offered rate, and if
// not why: every request answered, at least MinAchieved of the rate
// achieved, no backlog growing by more than MaxDrift, and a p99 of at
// most MaxP99.
func (r Result) KeepsUp() (bool, string) {
	switch {
	case r.Unsent > 0:
		return false, fmt.Sprintf("%d not sent, %d unanswered: half a second of requests waiting", r.Unsent, r.Lost)
	case r.Lost > 0:
		return false, fmt.Sprintf("%d unanswered (%v)", r.Lost, r.FirstErr)
	case r.Achieved < MinAchieved*r.Rate:
		return false, fmt.Sprintf("achieved %.0f/s", r.Achieved)
	case r.Drift > MaxDrift:
		return false, fmt.Sprintf("backlog grew %v", r.Drift.Round(time.Millisecond))
	case r.P(.99) > float64(MaxP99.Microseconds())/1000:
		return false, fmt.Sprintf("p99 %.0f ms", r.P(.99))
	}
	return true, ""
}

func (r Result) String() string {
	ok, why := r.KeepsUp()
	verdict := "keeps up"
	if !ok {
		verdict = "behind: " + why
	}
	return fmt.Sprintf("%5.0f/s: p50 %.1f ms, p99 %.1f ms, achieved %.0f/s, drift %v, %s",
		r.Rate, r.P(.50), r.P(.99), r.Achieved, r.Drift.Round(100*time.Microsecond), verdict)
}

// Saturation is the highest rate the server keeps up with (KeepsUp), to
// within about 3 %: probe runs a rate for ProbeFor, on rates doubling from
// from until one is missed (halving instead while from is missed), then
// bisected four times between the last kept and the first missed. A rate
// missed is tried once more, and kept if kept then: other work on the
// machine, or a stall of its disk, only ever slows a server, so the better
// try is the server's.
// probe must leave the server idle after each run (its backlog drained),
// so that each rate starts afresh. It returns every probe's result, in
// order.
func Saturation(from float64, probe func(rate float64) Result) (float64, []Result) {
	var all []Result
	const lowest, highest = 10, 100_000
	lo, hi := 0.0, 0.0 // kept, missed
	try := func(rate float64) bool {
		for range 2 {
			r := probe(rate)
			all = append(all, r)
			if ok, _ := r.KeepsUp(); ok {
				return true
			}
			// A collapse is tried again too: a stall of the machine (the
			// disk of a shared host) can collapse a probe far below
			// saturation, and would otherwise end the search there.
		}
		return false
	}
	if try(from) {
		lo = from
		for hi == 0 && lo < highest {
			if r := lo * 2; try(r) {
				lo = r
			} else {
				hi = r
			}
		}
	} else {
		hi = from
		for lo == 0 && hi > lowest {
			if r := hi / 2; try(r) {
				lo = r
			} else {
				hi = r
			}
		}
	}
	if lo == 0 || hi == 0 {
		return lo, all
	}
	for range 4 {
		mid := (lo + hi) / 2
		if try(mid) {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo, all
}

// Client is the senders' HTTP client: keep-alive connections, up to 1024
// at once per server as a busy platform holds them (beyond, requests wait
// for one, and that wait counts in their latency).
func Client() *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConns: 2048, MaxIdleConnsPerHost: 1024, MaxConnsPerHost: 1024,
		IdleConnTimeout: time.Minute, DisableCompression: true}}
}

var (
	// ErrNoAnswer is a Send's error when the answer never came.
	ErrNoAnswer = errors.New("openloop: no answer")
	// ErrBehind marks the requests Run did not send: the server held
	// MaxBacklog of requests already.
	ErrBehind = errors.New("openloop: not sent, the server was behind")
)
