package openloop

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// Target is a server under benchmark, beside the bare handler, both ready
// to take requests.
type Target struct {
	Bare Send // to the bare handler (Bare)
	Ours Send // to Vigie, through the adapter's HTTP handlers
	// Quiet returns once Vigie has finished the work the requests left
	// behind (cards owed, requests queued): after each run of Ours, so
	// that the next run, ours or the bare handler's, starts on an idle
	// machine.
	Quiet func()
	// Name names Ours in the logs, five letters at most: "vigie" when
	// empty; "proto" for the protocol alone (Slack's
	// BenchmarkProtocolOpenLoop).
	Name string
}

func (t Target) name() string {
	if t.Name == "" {
		return "vigie"
	}
	return t.Name
}

// CompareFor is how long each side runs at a fixed rate, in rounds of a
// second that alternate the two servers.
const CompareFor = 4 * time.Second

// Benchmark runs the open-loop benchmark of issue 13 on the targets setup
// makes, a fresh one for each of its sub-benchmarks:
//
//   - saturation: the saturation rate (Saturation) of the bare handler and
//     of Vigie, their probes taking turns; sat-rps, bare-sat-rps, and
//     saturation-ratio, ours over the bare handler's (target ≥ 0.5);
//   - rate=100: both at 100 requests per second (target: p99 ≤ 50 ms);
//   - rate=half-bare: both at half the bare handler's saturation rate, as
//     found by the first (or again when it was left out with -bench);
//     target: p99-ratio ≤ 2.
//
// A fixed rate runs CompareFor on each side, alternating seconds, so that
// whatever else the machine does weighs on both (one second only when the
// rate is far beyond Vigie's saturation). Besides the latencies, cpu-ms/req
// is the process's CPU time per request, the senders' included, with the
// work the requests left behind (the outbox's): what bounds the rate on a
// machine of 2 cores. Metrics only: nothing is asserted on time. One
// iteration is the whole run, whatever b.N.
func Benchmark(b *testing.B, setup func(b *testing.B) Target) {
	var bareSat, ourSat float64
	b.Run("saturation", func(b *testing.B) {
		t := setup(b)
		b.ResetTimer()
		// The two searches take turns, a probe each (a channel hands its
		// token to the receiver waiting longest), so that other work on
		// the machine weighs on both alike.
		turn := make(chan struct{}, 1)
		turn <- struct{}{}
		var bareRuns, ourRuns []Result
		var wg sync.WaitGroup
		wg.Go(func() {
			bareSat, bareRuns = Saturation(400, func(rate float64) Result {
				<-turn
				defer func() { turn <- struct{}{} }()
				return Run(rate, probeN(rate), t.Bare)
			})
		})
		wg.Go(func() {
			ourSat, ourRuns = Saturation(100, func(rate float64) Result {
				<-turn
				defer func() { turn <- struct{}{} }()
				r := Run(rate, probeN(rate), t.Ours)
				t.Quiet()
				return r
			})
		})
		wg.Wait()
		b.StopTimer()
		logProbes(b, "bare ", bareSat, bareRuns)
		logProbes(b, t.name(), ourSat, ourRuns)
		b.Logf("machine's load average: %s", loadAverage())
		b.ReportMetric(ourSat, "sat-rps")
		b.ReportMetric(bareSat, "bare-sat-rps")
		if bareSat > 0 {
			b.ReportMetric(ourSat/bareSat, "saturation-ratio")
		}
		b.ReportMetric(0, "ns/op")
	})
	b.Run("rate=100", func(b *testing.B) { compare(b, setup(b), 100, CompareFor) })
	b.Run("rate=half-bare", func(b *testing.B) {
		t := setup(b)
		if bareSat == 0 {
			bareSat, _ = Saturation(400, func(rate float64) Result { return Run(rate, probeN(rate), t.Bare) })
		}
		rate, d := bareSat/2, CompareFor
		if ourSat > 0 && rate > 1.5*ourSat {
			// Far beyond what Vigie keeps up with: its p99 only grows
			// with the length of the run, and the backlog takes long.
			b.Logf("%.0f/s is %.1f times Vigie's saturation: one round only", rate, rate/ourSat)
			d = time.Second
		}
		compare(b, t, rate, d)
	})
}

func probeN(rate float64) int { return max(1, int(rate*ProbeFor.Seconds())) }

// compare runs both sides of t at rate and reports ours beside the bare
// handler's.
func compare(b *testing.B, t Target, rate float64, d time.Duration) {
	rounds := max(1, int(d/time.Second))
	n := max(1, int(rate))
	var bare, ours []Result
	var bareCPU, ourCPU time.Duration // the process's, senders' included
	b.ResetTimer()
	for range rounds {
		c0 := cpuTime()
		bare = append(bare, Run(rate, n, t.Bare))
		c1 := cpuTime()
		ours = append(ours, Run(rate, n, t.Ours))
		t.Quiet() // the outbox's work is the requests' too
		c2 := cpuTime()
		bareCPU, ourCPU = bareCPU+c1-c0, ourCPU+c2-c1
	}
	b.StopTimer()
	br, or := Merge(bare...), Merge(ours...)
	b.Logf("bare  %v", br)
	b.Logf("%-5s %v", t.name(), or)
	b.Logf("machine's load average: %s", loadAverage())
	b.ReportMetric(rate, "rps")
	b.ReportMetric(or.P(.50), "p50-ms")
	b.ReportMetric(or.P(.99), "p99-ms")
	b.ReportMetric(br.P(.50), "bare-p50-ms")
	b.ReportMetric(br.P(.99), "bare-p99-ms")
	if bp := br.P(.99); bp > 0 {
		b.ReportMetric(or.P(.99)/bp, "p99-ratio")
	}
	b.ReportMetric(float64(or.Lost+or.Unsent), "unanswered")
	if or.Sent > 0 && br.Sent > 0 {
		b.ReportMetric(float64(ourCPU.Microseconds())/1000/float64(or.Sent), "cpu-ms/req")
		b.ReportMetric(float64(bareCPU.Microseconds())/1000/float64(br.Sent), "bare-cpu-ms/req")
	}
	for _, r := range []struct {
		who string
		r   Result
	}{{"bare handler", br}, {t.name(), or}} {
		if r.r.Lost+r.r.Unsent > 0 {
			b.Logf("%s: %d not sent (half a second of requests waiting), %d unanswered, first: %v", r.who, r.r.Unsent, r.r.Lost, r.r.FirstErr)
		}
	}
	b.ReportMetric(0, "ns/op")
}

// loadAverage is the machine's load average over 1, 5 and 15 minutes, to
// tell a run disturbed by other work (Linux; "unknown" elsewhere).
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	return strings.Join(f[:min(3, len(f))], " ")
}

// logProbes logs a saturation search in two lines (benchmarks keep ten):
// each rate tried and whether the server kept up, then the run at the
// saturation rate.
func logProbes(b *testing.B, who string, sat float64, runs []Result) {
	var line []string
	var at Result
	for _, r := range runs {
		ok, why := r.KeepsUp()
		switch {
		case ok:
			line = append(line, fmt.Sprintf("%.0f ok", r.Rate))
			if r.Rate == sat {
				at = r
			}
		default:
			line = append(line, fmt.Sprintf("%.0f missed (%s)", r.Rate, why))
		}
	}
	b.Logf("%s probes: %s", who, strings.Join(line, ", "))
	b.Logf("%s at saturation %v", who, at)
}
