package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds the helpers `flows show` and `flows eval` share; their
// words are in locales/ (messages.go).

// dayOf writes the day of an effective date, which is midnight UTC.
func dayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// dayIn writes a day as people of lang read it: 24/04/2023 in French,
// 2023-04-24 in English.
func dayIn(t time.Time, lang flows.Lang) string {
	if lang == flows.EN {
		return dayOf(t)
	}
	return t.UTC().Format("02/01/2006")
}

// valueIn is an answer as one types it in lang: oui, non, inconnu in
// French; yes, no, unknown in English (flows eval takes both).
func valueIn(v flows.Value, lang flows.Lang) string {
	switch v {
	case flows.Yes:
		return tr(lang, "flows.value.yes")
	case flows.No:
		return tr(lang, "flows.value.no")
	case flows.Unknown:
		return tr(lang, "flows.value.unknown")
	}
	return string(v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// parisInstant writes t as the crisis cell reads it, in Europe/Paris, followed by
// the UTC instant that is stored: "samedi 24/10/2026 à 10:00, heure de
// Paris (2026-10-24T08:00:00Z)".
func parisInstant(t time.Time, lang flows.Lang) string {
	p := t.In(incident.Paris)
	utc := t.UTC().Format(time.RFC3339)
	day := tr(lang, "weekday."+strings.ToLower(p.Weekday().String()))
	return tr(lang, "flows.instant", day, p.Format("02/01/2006"), p.Format("15:04"), utc)
}

// meansKindName names a kind of contact means; a kind the catalogue does
// not know is shown as it is.
func meansKindName(kind string, lang flows.Lang) string {
	if !messages.Has("means_kind." + kind) {
		return kind
	}
	return tr(lang, "means_kind."+kind)
}

// sourceText says where an item of chain c comes from. On a charted
// chain (flows.Chain.Charted), an item on its document reads "schéma
// d'alerte" (a regional chart) or "texte source de la chaîne" (the 2016
// text the authorities' chains transcribe), and the others are marked
// with an asterisk, as in the graphs. A national chain built from the
// texts has no chart to be off: each item just cites its own text.
func sourceText(c *flows.Chain, src flows.Text, lang flows.Lang) string {
	regional := c.Region != ""
	switch {
	case flows.IsChart(src) || src.IsZero():
		if regional || !c.Charted() {
			return tr(lang, "flows.alert_chart")
		}
		return tr(lang, "flows.source_text")
	case !c.Charted():
		return src.In(lang)
	case regional:
		return tr(lang, "flows.off_chart") + src.In(lang)
	}
	return tr(lang, "flows.off_text") + src.In(lang)
}

// offChartMark marks an item of chain c whose source is not c's chart,
// for headings; a chain without a chart marks nothing.
func offChartMark(c *flows.Chain, src flows.Text) string {
	if !src.IsZero() && !flows.IsChart(src) && c.Charted() {
		return " *"
	}
	return ""
}

// offChartLegend explains the asterisk of chain c's items, "" when c
// marks none.
func offChartLegend(c *flows.Chain, lang flows.Lang) string {
	switch {
	case !c.Charted():
		return ""
	case c.Region != "":
		return tr(lang, "flows.off_chart_legend")
	}
	return tr(lang, "flows.off_text_legend")
}

// conditionText writes a condition: "malicious = oui et personal_data_breach = oui".
func conditionText(c flows.Condition, always string, lang flows.Lang) string {
	if len(c) == 0 {
		return always
	}
	parts := make([]string, len(c))
	for i, cl := range c {
		parts[i] = cl.Key + " = " + valueIn(cl.Value, lang)
	}
	return strings.Join(parts, tr(lang, "flows.and"))
}

func valuesText(vs []flows.Value, lang flows.Lang) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = valueIn(v, lang)
	}
	return strings.Join(s, ", ")
}

// deadlineText writes a deadline as a rule: "sans délai", "T0 + 72h",
// "30d après l'étape cnil".
func deadlineText(d flows.Deadline, lang flows.Lang) string {
	switch d.Kind {
	case flows.Immediate:
		return tr(lang, "flows.without_delay")
	case flows.None:
		return tr(lang, "flows.as_soon_as_possible")
	}
	if d.Anchor == flows.AnchorT0 {
		return "T0 + " + d.OffsetString()
	}
	return fmt.Sprintf(tr(lang, "flows.after_step"),
		d.OffsetString(), d.Anchor)
}

// remindText writes a reminder cadence, or "" when there is none.
func remindText(c *flows.Chain, r flows.Remind, d flows.Deadline, lang flows.Lang) string {
	var parts []string
	if r.Every > 0 {
		parts = append(parts, tr(lang, "flows.every")+flows.FormatDuration(r.Every))
	}
	if len(r.At) > 0 {
		at := make([]string, len(r.At))
		for i, a := range r.At {
			at[i] = "+" + flows.FormatDuration(a)
		}
		anchor := "T0"
		if d.Kind == flows.After && d.Anchor != flows.AnchorT0 {
			anchor = d.Anchor
		}
		parts = append(parts, fmt.Sprintf(tr(lang, "flows.at"), anchor, strings.Join(at, ", ")))
	}
	if r.EscalateAfter > 0 {
		parts = append(parts, fmt.Sprintf(tr(lang, "flows.escalation"),
			flows.FormatDuration(r.EscalateAfter)))
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, tr(lang, "flows.list_sep"))
	if !r.Source.IsZero() && !flows.IsChart(r.Source) {
		s += " (" + sourceText(c, r.Source, lang) + ")"
	}
	return s
}

// writeRecipients lists a step's recipients with every means of reaching
// them, indented by indent, and with what each contact is when about is
// set. With choose: one, "ou" separates them.
func writeRecipients(w io.Writer, c *flows.Chain, s *flows.Step, indent string, about bool, lang flows.Lang) {
	switch {
	case s.AnyOf:
		fmt.Fprintf(w, "%s%s\n", indent, tr(lang, "flows.recipients_one_suffices"))
	case len(s.Recipients) == 1:
		fmt.Fprintf(w, "%s%s\n", indent, tr(lang, "flows.recipient"))
	default:
		fmt.Fprintf(w, "%s%s\n", indent, tr(lang, "flows.recipients_all"))
	}
	for i, r := range s.Recipients {
		if i > 0 && s.AnyOf {
			fmt.Fprintf(w, "%s  %s\n", indent, tr(lang, "flows.or"))
		}
		ct := r.Contact
		fmt.Fprintf(w, "%s  - %s [%s]%s\n", indent, ct.Name.In(lang), ct.ID, offChartMark(c, ct.Source))
		if about && !ct.About.IsZero() {
			fmt.Fprintf(w, "%s      %s\n", indent, ct.About.In(lang))
		}
		for _, m := range r.Means {
			fmt.Fprintf(w, "%s      %s\n", indent, meansText(c, m, lang))
		}
		if !ct.Source.IsZero() && !flows.IsChart(ct.Source) {
			fmt.Fprintf(w, "%s      %s %s\n", indent, tr(lang, "flows.source"), sourceText(c, ct.Source, lang))
		}
		if about && !ct.Checked.IsZero() {
			fmt.Fprintf(w, "%s      %s %s\n", indent, tr(lang, "flows.checked"), dayIn(ct.Checked, lang))
		}
	}
}

// meansText writes one means: "téléphone : 09 72 43 91 25 — en secours : si
// plus d'accès à internet".
func meansText(c *flows.Chain, m flows.Means, lang flows.Lang) string {
	s := meansKindName(m.Kind, lang) + tr(lang, "flows.sep") + m.Value.In(lang)
	label := m.Label.In(lang)
	switch {
	case m.Fallback && label != "":
		s += tr(lang, "flows.fallback") + label
	case m.Fallback:
		s += tr(lang, "flows.fallback_mark")
	case label != "":
		s += " — " + label
	}
	if !m.Source.IsZero() && !flows.IsChart(m.Source) {
		s += " (" + sourceText(c, m.Source, lang) + ")"
	}
	return s
}

// catalogFeatures returns every feature switch the chains of cat use, sorted.
func catalogFeatures(cat *flows.Catalog) []string {
	seen := map[string]bool{}
	for _, id := range cat.IDs() {
		for _, c := range cat.Versions(id) {
			for _, q := range c.Questions {
				seen[q.Feature] = true
			}
			for _, s := range c.Steps {
				seen[s.Feature] = true
			}
		}
	}
	delete(seen, "")
	var out []string
	for f := range seen {
		out = append(out, f)
	}
	slices.Sort(out)
	return out
}
