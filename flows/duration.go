package flows

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // calendar months are counted in Europe/Paris, even without zoneinfo
)

// maxDuration bounds durations: no legal clock or reminder runs longer than
// a few years, and the bound keeps arithmetic on instants from overflowing.
const maxDuration = 10 * 366 * 24 * time.Hour

// ParseDuration reads a duration of elapsed time as written in chain files
// and commands: a sequence of numbers with units w (7 d), d (24 h), h, m and
// s, such as "72h", "1d12h" or "15m". Days are 24 hours of elapsed time, not
// calendar days, so that a deadline crossing a clock change stays exact.
func ParseDuration(s string) (time.Duration, error) {
	orig := s
	if s == "" {
		return 0, fmt.Errorf("empty duration (accepted: 15m, 1h, 72h, 1d, 1w, 1d12h)")
	}
	var total time.Duration
	for s != "" {
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i == 0 || i == len(s) {
			return 0, fmt.Errorf("bad duration %q (accepted: 15m, 1h, 72h, 1d, 1w, 1d12h)", orig)
		}
		if strings.HasPrefix(s[i:], "mo") {
			return 0, fmt.Errorf("calendar months (%q) are accepted only as a deadline's offset (t0+1mo, STEP+1mo), not as elapsed time", orig)
		}
		n, err := strconv.ParseInt(s[:i], 10, 64)
		if err != nil {
			return 0, fmt.Errorf("duration %q is too large (at most %s)", orig, FormatDuration(maxDuration))
		}
		var unit time.Duration
		switch s[i] {
		case 'w':
			unit = 7 * 24 * time.Hour
		case 'd':
			unit = 24 * time.Hour
		case 'h':
			unit = time.Hour
		case 'm':
			unit = time.Minute
		case 's':
			unit = time.Second
		default:
			return 0, fmt.Errorf("bad unit %q in duration %q (accepted units: w, d, h, m, s)", s[i], orig)
		}
		if time.Duration(n) > maxDuration/unit || total+time.Duration(n)*unit > maxDuration {
			return 0, fmt.Errorf("duration %q is too large (at most %s)", orig, FormatDuration(maxDuration))
		}
		total += time.Duration(n) * unit
		s = s[i+1:]
	}
	return total, nil
}

// FormatDuration writes d the way ParseDuration reads it, dropping zero
// parts. Legal clocks are spoken of in hours ("72 heures"), so days are used
// only for whole days beyond 72 h: 72h stays "72h", 720h is "30d", 90m is
// "1h30m".
func FormatDuration(d time.Duration) string {
	if d == 0 {
		return "0m"
	}
	var b strings.Builder
	if d < 0 {
		b.WriteByte('-')
		d = -d
	}
	if d > 72*time.Hour && d%(24*time.Hour) == 0 {
		fmt.Fprintf(&b, "%dd", d/(24*time.Hour))
		return b.String()
	}
	for _, u := range []struct {
		unit time.Duration
		name string
	}{{time.Hour, "h"}, {time.Minute, "m"}, {time.Second, "s"}} {
		if n := d / u.unit; n > 0 {
			fmt.Fprintf(&b, "%d%s", n, u.name)
			d -= n * u.unit
		}
	}
	return b.String()
}

// maxMonths bounds calendar-month offsets, as maxDuration bounds elapsed
// time.
const maxMonths = 120

// paris is where calendar months are counted: the chains are French, and a
// month ends on the same day of the month as the crisis cell reads it.
var paris = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // time/tzdata is embedded: this cannot fail
	}
	return loc
}()

// AddMonths returns t plus n calendar months, counted in Europe/Paris: the
// same time of day on the same day of the month n months later, or on the
// last day of that month when it is shorter (31 January + 1 month is 28
// February, or 29 in a leap year; 31 March + 1 month is 30 April). The
// wall-clock time is kept across a change of summer time, so the elapsed
// time is not a whole number of days then. The result is in UTC.
func AddMonths(t time.Time, n int) time.Time {
	if n == 0 {
		return t.UTC()
	}
	p := t.In(paris)
	y, m, d := p.Date()
	first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, paris) // normalised month and year
	last := time.Date(first.Year(), first.Month()+1, 0, 0, 0, 0, 0, paris).Day()
	day := min(d, last)
	return time.Date(first.Year(), first.Month(), day, p.Hour(), p.Minute(), p.Second(), p.Nanosecond(), paris).UTC()
}

// parseOffset reads a deadline's offset: calendar months ("1mo", "2mo"),
// or a duration of elapsed time as ParseDuration reads it. Months stand
// alone: "1mo12h" is not accepted.
func parseOffset(s string) (months int, d time.Duration, err error) {
	if digits, ok := strings.CutSuffix(s, "mo"); ok && digits != "" && strings.Trim(digits, "0123456789") == "" {
		n, err := strconv.Atoi(digits)
		if err != nil || n > maxMonths {
			return 0, 0, fmt.Errorf("offset %q is too large (at most %dmo)", s, maxMonths)
		}
		return n, 0, nil
	}
	if strings.Contains(s, "mo") {
		return 0, 0, fmt.Errorf("bad offset %q: calendar months stand alone (accepted: 1mo, or elapsed time such as 72h or 30d)", s)
	}
	d, err = ParseDuration(s)
	return 0, d, err
}
