package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
)

const rfc3339 = time.RFC3339

// skew is how far in the future a declared time may be: clocks of laptops
// and servers differ by a little.
const skew = time.Minute

// overnight is how far back a time of day typed without a date may reach
// into yesterday: a night in the crisis cell crosses midnight, so at 00:30
// "23:50" is yesterday's; at 14:43, "16:00" is not yesterday afternoon
// but a time still to come, refused as such.
const overnight = 12 * time.Hour

// parseWhen reads a time typed by a person. Accepted: RFC 3339
// (2026-03-28T10:00:00+01:00), a date and time in Paris time
// (2026-03-28T10:00, 2026-03-28 10:00, 28/03/2026 10:00), or a time of day
// (02:10, 2h10): today's in Paris, or yesterday's when today's is still
// to come and yesterday's was less than 12 hours ago. A time in the
// future is refused, saying what is accepted: it records what happened.
func parseWhen(s string, now time.Time, lang Lang) (time.Time, error) {
	s = strings.TrimSpace(s)
	var t time.Time
	var err error
	clock := false
	if t, err = time.Parse(time.RFC3339, s); err == nil {
		t = t.UTC()
	} else if t, err = parseLocal(s); err == nil {
		t = t.UTC()
	} else if t, err = parseClock(s, now); err != nil {
		return time.Time{}, uerr(EInvalid, lang, "err.bad_time", echo(s))
	} else {
		clock = true
	}
	if t.After(now.Add(skew)) {
		if clock {
			// Yesterday at that time, written as it would be accepted.
			y := t.In(incident.Paris).AddDate(0, 0, -1)
			return time.Time{}, uerr(EInvalid, lang, "err.future_clock", echo(s), i18n.When(now, lang), i18n.When(y, lang))
		}
		return time.Time{}, uerr(EInvalid, lang, "err.future_time", echo(s), i18n.When(now, lang))
	}
	if t.Year() < 2000 {
		return time.Time{}, uerr(EInvalid, lang, "err.bad_time", echo(s))
	}
	return t, nil
}

func parseLocal(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02 15:04", "02/01/2006 15:04", "02/01/2006 15h04"} {
		if t, err := time.ParseInLocation(layout, s, incident.Paris); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("no layout")
}

// parseClock reads "02:10" or "2h10" as today's wall-clock time in Paris,
// or yesterday's when today's is still to come and yesterday's is within
// overnight of now (so at 00:30, "23:50" is yesterday's). Otherwise it
// returns today's, in the future, for parseWhen to refuse.
func parseClock(s string, now time.Time) (time.Time, error) {
	var h, m int
	s = strings.ToLower(s)
	if _, err := fmt.Sscanf(strings.Replace(s, "h", ":", 1)+"\n", "%d:%d\n", &h, &m); err != nil {
		if _, err := fmt.Sscanf(s+"\n", "%dh\n", &h); err != nil {
			return time.Time{}, err
		}
	}
	if h < 0 || h > 23 || m < 0 || m > 59 {
		return time.Time{}, fmt.Errorf("out of range")
	}
	local := now.In(incident.Paris)
	t := time.Date(local.Year(), local.Month(), local.Day(), h, m, 0, 0, incident.Paris)
	if t.After(now.Add(skew)) {
		if y := time.Date(local.Year(), local.Month(), local.Day()-1, h, m, 0, 0, incident.Paris); now.Sub(y) <= overnight {
			t = y
		}
	}
	return t, nil
}

func (b *Bot) when(t time.Time, lang Lang) string { return i18n.When(t, lang) }
