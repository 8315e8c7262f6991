package flows

import (
	"fmt"
	"strconv"
	"strings"
	"time"
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
