package flows_test

import (
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Paris without the system's zoneinfo

	"github.com/vigie-sante/vigie/flows"
)

func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"15m":        15 * time.Minute,
		"1h":         time.Hour,
		"72h":        72 * time.Hour,
		"1d":         24 * time.Hour,
		"3d":         72 * time.Hour,
		"30d":        720 * time.Hour,
		"1w":         7 * 24 * time.Hour,
		"1d12h":      36 * time.Hour,
		"1h30m":      90 * time.Minute,
		"90s":        90 * time.Second,
		"0m":         0,
		"1w1d1h1m1s": 7*24*time.Hour + 24*time.Hour + time.Hour + time.Minute + time.Second,
		"3660d":      3660 * 24 * time.Hour, // the longest accepted
	} {
		got, err := flows.ParseDuration(in)
		if err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
}

func TestParseDurationBad(t *testing.T) {
	for in, want := range map[string]string{
		"":                      "empty duration (accepted: 15m",
		"h":                     `bad duration "h" (accepted: 15m, 1h, 72h, 1d, 1w, 1d12h)`,
		"72":                    `bad duration "72"`,
		"1h30":                  `bad duration "1h30"`,
		"72x":                   `bad unit 'x' in duration "72x" (accepted units: w, d, h, m, s)`,
		"72H":                   `bad unit 'H'`,
		"-1h":                   `bad duration "-1h"`,
		"1.5h":                  `bad unit '.'`,
		" 1h":                   `bad duration " 1h"`,
		"1h ":                   `bad duration "1h "`,
		"72 h":                  `bad unit ' '`,
		"1000001h":              `duration "1000001h" is too large`,
		"99999999999999999999h": "too large",
		// Within the per-number bound, but beyond what time.Duration holds
		// (about 292 years): the result must not wrap around.
		"20000w":                   "too large",
		"1000000d":                 "too large",
		"3661d":                    "too large",
		"1000000h1000000h1000000h": "too large",
	} {
		got, err := flows.ParseDuration(in)
		if err == nil {
			t.Errorf("ParseDuration(%q) = %v, want an error", in, got)
		} else if !strings.Contains(err.Error(), want) {
			t.Errorf("ParseDuration(%q) error %q, want it to contain %q", in, err, want)
		}
	}
}

func TestFormatDuration(t *testing.T) {
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{0, "0m"},
		{15 * time.Minute, "15m"},
		{time.Hour, "1h"},
		{90 * time.Minute, "1h30m"},
		{24 * time.Hour, "24h"}, // legal clocks speak in hours
		{48 * time.Hour, "48h"},
		{72 * time.Hour, "72h"},
		{73 * time.Hour, "73h"},
		{96 * time.Hour, "4d"},
		{720 * time.Hour, "30d"},
		{7 * 24 * time.Hour, "7d"},
		{100*time.Hour + 30*time.Minute, "100h30m"},
		{time.Hour + time.Second, "1h1s"},
		{-time.Hour, "-1h"},
	} {
		if got := flows.FormatDuration(tc.d); got != tc.want {
			t.Errorf("FormatDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestDurationRoundTrip(t *testing.T) {
	for _, d := range []time.Duration{
		0, time.Second, 59 * time.Second, time.Minute, 15 * time.Minute, time.Hour, 71 * time.Hour,
		72 * time.Hour, 72*time.Hour + time.Second, 96 * time.Hour, 30 * 24 * time.Hour, 3660 * 24 * time.Hour,
	} {
		s := flows.FormatDuration(d)
		got, err := flows.ParseDuration(s)
		if err != nil || got != d {
			t.Errorf("ParseDuration(FormatDuration(%v) = %q) = %v, %v", d, s, got, err)
		}
	}
	for _, s := range []string{"15m", "72h", "30d", "1h30m", "100h1s"} {
		d, err := flows.ParseDuration(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := flows.FormatDuration(d); got != s {
			t.Errorf("FormatDuration(ParseDuration(%q)) = %q", s, got)
		}
	}
}

// TestDeadlineAcrossClockChange: legal clocks are elapsed time. 72 h after
// a T0 on the eve of a clock change is 71 or 73 h of wall-clock time later
// in Paris, never "same time three days later".
func TestDeadlineAcrossClockChange(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	c := goodChain(t, "test/engine")
	for _, tc := range []struct {
		name, t0, wantUTC, wantParis string
	}{
		// Summer time ends on Sunday 2026-10-25 at 03:00 CEST (→ 02:00 CET).
		{"autumn", "2026-10-24T10:00:00+02:00", "2026-10-27T08:00:00Z", "2026-10-27T09:00:00+01:00"},
		// Summer time starts on Sunday 2026-03-29 at 02:00 CET (→ 03:00 CEST).
		{"spring", "2026-03-28T10:00:00+01:00", "2026-03-31T09:00:00Z", "2026-03-31T11:00:00+02:00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := mustTime(t, tc.t0)
			p := flows.Evaluate(c, flows.Input{T0: start, Answers: answers(start.Add(time.Hour), "breach", "yes")})
			due := planned(t, p, "cnil").Due
			if got := due.Format(time.RFC3339); got != tc.wantUTC {
				t.Errorf("cnil due %s, want %s", got, tc.wantUTC)
			}
			if got := due.In(paris).Format(time.RFC3339); got != tc.wantParis {
				t.Errorf("cnil due in Paris %s, want %s", got, tc.wantParis)
			}
			if got := due.Sub(start); got != 72*time.Hour {
				t.Errorf("due - T0 = %v, want 72h of elapsed time", got)
			}
			// The calendar reading ("same hour, three days later") is what we must not do.
			wall := start.In(paris).AddDate(0, 0, 3)
			if wall.Equal(due) {
				t.Errorf("due %v equals the wall-clock reading; the test instants do not cross a clock change", due)
			}
		})
	}
}
