package i18n

import (
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// Value is an answer as people read it: oui, non, inconnu.
func Value(v flows.Value, lang flows.Lang) string {
	switch v {
	case flows.Yes:
		return T(lang, "value.yes")
	case flows.No:
		return T(lang, "value.no")
	case flows.Unknown:
		return T(lang, "value.unknown")
	}
	return string(v)
}

// Means is a means of notification (incident.Means) as people read it; a
// means the catalogue does not know is shown as recorded.
func Means(m string, lang flows.Lang) string {
	if words.has("means." + m) {
		return T(lang, "means."+m)
	}
	return m
}

// Ref is the reference a recipient gave, as a proof line ends with it;
// empty without one.
func Ref(ref string, lang flows.Lang) string {
	if ref == "" {
		return ""
	}
	return T(lang, "ref", ref)
}

// NotInForce warns, in lang, that chain c was not yet in force at t0, the
// incident's T0: the chain's first version came into force later (a T0 in
// 2024 on the March 2025 chart), and Vigie applies it for want of an
// earlier one. It is "" when c was in force at t0, or without a chain.
// The card prints it, and the reports people read (the Markdown and PDF
// main courante) open with it: the reflex sheet has no T0 to compare.
func NotInForce(c *flows.Chain, t0 time.Time, lang flows.Lang) string {
	if c == nil || c.InForce(t0) {
		return ""
	}
	day := c.Effective.Format("02/01/2006")
	if lang == flows.EN {
		day = c.Effective.Format(time.DateOnly)
	}
	if edition, ok := c.Edition(); ok {
		return T(lang, "chain.not_in_force_revision", When(t0, lang), c.ID, edition, day, c.Version)
	}
	return T(lang, "chain.not_in_force", When(t0, lang), c.ID, c.Version, day)
}
