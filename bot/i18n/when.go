package i18n

import (
	"fmt"
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

// Span writes a duration the way people read it on a card, to the minute.
func Span(d time.Duration, lang flows.Lang) string {
	d = d.Round(time.Minute)
	days := int(d / (24 * time.Hour))
	h := int(d % (24 * time.Hour) / time.Hour)
	m := int(d % time.Hour / time.Minute)
	dayUnit := "j"
	if lang == flows.EN {
		dayUnit = "d"
	}
	switch {
	case days > 0:
		return fmt.Sprintf("%d %s %d h", days, dayUnit, h)
	case h > 0:
		return fmt.Sprintf("%d h %02d", h, m)
	default:
		return fmt.Sprintf("%d min", m)
	}
}
