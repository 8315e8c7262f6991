package openloop

import (
	"os"
	"strings"
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
}

// CompareFor is how long each side runs at a fixed rate, in rounds of a
// second that alternate the two servers.
const CompareFor = 4 * time.Second

// Benchmark runs the open-loop benchmark of issue 13 on the targets setup
// makes, a fresh one for each of its sub-benchmarks:
//
//   - saturation: the saturation rate (Saturation) of the bare handler and
//     of Vigie, one after the other; sat-rps, bare-sat-rps, and
//     saturation-ratio, ours over the bare handler's (target ≥ 0.5);
//   - rate=100: both at 100 requests per second (target: p99 ≤ 50 ms);
//   - rate=half-bare-saturation: both at half the bare handler's
//     saturation rate, as found by the first (or found again when it was
//     left out with -bench); target: p99-ratio ≤ 2.
//
// A fixed rate runs CompareFor on each side, alternating seconds, so that
// whatever else the machine does weighs on both. Metrics only: nothing is
// asserted on time. One iteration is the whole run, whatever b.N.
func Benchmark(b *testing.B, setup func(b *testing.B) Target) {
	var bareSat float64
	b.Logf("load average before: %s", loadAverage())
	defer func() { b.Logf("load average after: %s", loadAverage()) }()
	b.Run("saturation", func(b *testing.B) {
		t := setup(b)
		b.ResetTimer()
		var bareRuns, ourRuns []Result
		bareSat, bareRuns = Saturation(400, func(rate float64) Result { return Run(rate, probeN(rate), t.Bare) })
		ours, ourRuns := Saturation(100, func(rate float64) Result {
			r := Run(rate, probeN(rate), t.Ours)
			t.Quiet()
			return r
		})
		b.StopTimer()
		for _, r := range bareRuns {
			b.Logf("bare  %v", r)
		}
		for _, r := range ourRuns {
			b.Logf("vigie %v", r)
		}
		b.ReportMetric(ours, "sat-rps")
		b.ReportMetric(bareSat, "bare-sat-rps")
		if bareSat > 0 {
			b.ReportMetric(ours/bareSat, "saturation-ratio")
		}
		b.ReportMetric(0, "ns/op")
	})
	b.Run("rate=100", func(b *testing.B) { compare(b, setup(b), 100) })
	b.Run("rate=half-bare-saturation", func(b *testing.B) {
		t := setup(b)
		if bareSat == 0 {
			bareSat, _ = Saturation(400, func(rate float64) Result { return Run(rate, probeN(rate), t.Bare) })
		}
		compare(b, t, bareSat/2)
	})
}

func probeN(rate float64) int { return max(1, int(rate*ProbeFor.Seconds())) }

// compare runs both sides of t at rate and reports ours beside the bare
// handler's.
func compare(b *testing.B, t Target, rate float64) {
	rounds := int(CompareFor / time.Second)
	n := max(1, int(rate))
	var bare, ours []Result
	b.ResetTimer()
	for range rounds {
		bare = append(bare, Run(rate, n, t.Bare))
		ours = append(ours, Run(rate, n, t.Ours))
		t.Quiet()
	}
	b.StopTimer()
	br, or := Merge(bare...), Merge(ours...)
	b.Logf("bare  %v", br)
	b.Logf("vigie %v", or)
	b.ReportMetric(rate, "rps")
	b.ReportMetric(or.P(.50), "p50-ms")
	b.ReportMetric(or.P(.99), "p99-ms")
	b.ReportMetric(br.P(.50), "bare-p50-ms")
	b.ReportMetric(br.P(.99), "bare-p99-ms")
	if bp := br.P(.99); bp > 0 {
		b.ReportMetric(or.P(.99)/bp, "p99-ratio")
	}
	b.ReportMetric(float64(or.Lost), "unanswered")
	if br.Lost > 0 {
		b.Logf("bare handler: %d unanswered, first: %v", br.Lost, br.FirstErr)
	}
	if or.Lost > 0 {
		b.Logf("vigie: %d unanswered, first: %v", or.Lost, or.FirstErr)
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
