package i18n

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// When shows an instant in Paris time: "23/11/2026 02:10" in French,
// "2026-11-23 02:10" in English.
func When(t time.Time, lang flows.Lang) string {
	if t.IsZero() {
		return "—"
	}
	if lang == flows.EN {
		return t.In(incident.Paris).Format("2006-01-02 15:04")
	}
	return t.In(incident.Paris).Format("02/01/2006 15:04")
}

// Countdown says how long until due, or how late: "dans 2 h 05",
// "en retard de 1 j 3 h".
func Countdown(due, now time.Time, lang flows.Lang) string {
	d := due.Sub(now)
	if d > -30*time.Second && d < 30*time.Second {
		return T(lang, "time.now")
	}
	if d >= 0 {
		return T(lang, "time.in", Span(d, lang))
	}
	return T(lang, "time.late", Span(-d, lang))
}

// Span writes a duration the way people read it on a card, to the minute:
// "2 j 3 h", "1 h 05", "35 min".
func Span(d time.Duration, lang flows.Lang) string {
	return span(d.Round(time.Minute), lang, false)
}

// Delay writes a measured delay exactly, to the minute even past a day,
// with the half minute a median of two may have: "2 j 3 h 10", "1 h 05",
// "30,5 min".
func Delay(d time.Duration, lang flows.Lang) string {
	if d%time.Minute != 0 {
		s := strconv.FormatFloat(d.Minutes(), 'f', 1, 64)
		if lang != flows.EN {
			s = strings.Replace(s, ".", ",", 1)
		}
		return s + " min"
	}
	return span(d, lang, true)
}

// span writes whole minutes as days, hours and minutes; past a day the
// minutes are shown only when exact is set.
func span(d time.Duration, lang flows.Lang, exact bool) string {
	days := int(d / (24 * time.Hour))
	h := int(d % (24 * time.Hour) / time.Hour)
	m := int(d % time.Hour / time.Minute)
	dayUnit := "j"
	if lang == flows.EN {
		dayUnit = "d"
	}
	switch {
	case days > 0 && exact:
		return fmt.Sprintf("%d %s %d h %02d", days, dayUnit, h, m)
	case days > 0:
		return fmt.Sprintf("%d %s %d h", days, dayUnit, h)
	case h > 0:
		return fmt.Sprintf("%d h %02d", h, m)
	}
	return fmt.Sprintf("%d min", m)
}
