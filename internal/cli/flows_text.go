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

// This file holds the wording `flows show` and `flows eval` share: French
// first, English with --lang en.

// inLang picks the French or the English wording.
func inLang(lang flows.Lang, fr, en string) string {
	if lang == flows.EN {
		return en
	}
	return fr
}

// dayOf writes the day of an effective date, which is midnight UTC.
func dayOf(t time.Time) string { return t.UTC().Format(time.DateOnly) }

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

var parisWeekdays = map[flows.Lang][7]string{
	flows.FR: {"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
	flows.EN: {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

// parisInstant writes t as the crisis cell reads it, in Europe/Paris, followed by
// the UTC instant that is stored: "samedi 24/10/2026 à 10:00, heure de
// Paris (2026-10-24T08:00:00Z)".
func parisInstant(t time.Time, lang flows.Lang) string {
	p := t.In(incident.Paris)
	utc := t.UTC().Format(time.RFC3339)
	day := parisWeekdays[lang][p.Weekday()]
	if lang == flows.EN {
		return fmt.Sprintf("%s %s at %s Paris time (%s)", day, p.Format("02/01/2006"), p.Format("15:04"), utc)
	}
	return fmt.Sprintf("%s %s à %s, heure de Paris (%s)", day, p.Format("02/01/2006"), p.Format("15:04"), utc)
}

var meansKindNames = map[string][2]string{ // kind → fr, en
	"portal": {"portail", "portal"},
	"form":   {"formulaire", "form"},
	"web":    {"site web", "website"},
	"email":  {"e-mail", "e-mail"},
	"phone":  {"téléphone", "phone"},
	"post":   {"courrier", "post"},
	"chat":   {"messagerie", "chat"},
	"other":  {"autre moyen", "other means"},
}

func meansKindName(kind string, lang flows.Lang) string {
	n, ok := meansKindNames[kind]
	if !ok {
		return kind
	}
	return inLang(lang, n[0], n[1])
}

// sourceText says where an item comes from. Items that are not on the
// chain's chart are marked with an asterisk, as in the graphs.
func sourceText(src string, lang flows.Lang) string {
	if src == flows.SourceChart || src == "" {
		return inLang(lang, "schéma d'alerte", "alert chart")
	}
	return inLang(lang, "* hors schéma : ", "* not on the chart: ") + src
}

// offChartMark marks an item whose source is not the chart, for headings.
func offChartMark(src string) string {
	if src != "" && src != flows.SourceChart {
		return " *"
	}
	return ""
}

// conditionText writes a condition: "malicious = yes et personal_data_breach = yes".
func conditionText(c flows.Condition, always string, lang flows.Lang) string {
	if len(c) == 0 {
		return always
	}
	parts := make([]string, len(c))
	for i, cl := range c {
		parts[i] = cl.Key + " = " + string(cl.Value)
	}
	return strings.Join(parts, inLang(lang, " et ", " and "))
}

func valuesText(vs []flows.Value) string {
	s := make([]string, len(vs))
	for i, v := range vs {
		s[i] = string(v)
	}
	return strings.Join(s, ", ")
}

// deadlineText writes a deadline as a rule: "sans délai", "T0 + 72h",
// "30d après l'étape cnil".
func deadlineText(d flows.Deadline, lang flows.Lang) string {
	switch d.Kind {
	case flows.Immediate:
		return inLang(lang, "sans délai", "without delay")
	case flows.None:
		return inLang(lang, "dans les meilleurs délais (pas d'heure fixe)", "as soon as possible (no fixed time)")
	}
	if d.Anchor == flows.AnchorT0 {
		return "T0 + " + flows.FormatDuration(d.Offset)
	}
	return fmt.Sprintf(inLang(lang, "%s après que l'étape %s est faite", "%s after step %s is done"),
		flows.FormatDuration(d.Offset), d.Anchor)
}

// remindText writes a reminder cadence, or "" when there is none.
func remindText(r flows.Remind, d flows.Deadline, lang flows.Lang) string {
	var parts []string
	if r.Every > 0 {
		parts = append(parts, inLang(lang, "toutes les ", "every ")+flows.FormatDuration(r.Every))
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
		parts = append(parts, fmt.Sprintf(inLang(lang, "à %s %s", "at %s %s"), anchor, strings.Join(at, ", ")))
	}
	if r.EscalateAfter > 0 {
		parts = append(parts, fmt.Sprintf(inLang(lang, "escalade %s après l'échéance", "escalation %s after the due time"),
			flows.FormatDuration(r.EscalateAfter)))
	}
	if len(parts) == 0 {
		return ""
	}
	s := strings.Join(parts, " ; ")
	if r.Source != "" && r.Source != flows.SourceChart {
		s += " (" + sourceText(r.Source, lang) + ")"
	}
	return s
}

// writeRecipients lists a step's recipients with every means of reaching
// them, indented by indent, and with what each contact is when about is
// set. With choose: one, "ou" separates them.
func writeRecipients(w io.Writer, s *flows.Step, indent string, about bool, lang flows.Lang) {
	switch {
	case s.AnyOf:
		fmt.Fprintf(w, "%s%s\n", indent, inLang(lang, "Destinataires (un seul suffit) :", "Recipients (one suffices):"))
	case len(s.Recipients) == 1:
		fmt.Fprintf(w, "%s%s\n", indent, inLang(lang, "Destinataire :", "Recipient:"))
	default:
		fmt.Fprintf(w, "%s%s\n", indent, inLang(lang, "Destinataires (tous) :", "Recipients (all):"))
	}
	for i, r := range s.Recipients {
		if i > 0 && s.AnyOf {
			fmt.Fprintf(w, "%s  %s\n", indent, inLang(lang, "ou", "or"))
		}
		ct := r.Contact
		fmt.Fprintf(w, "%s  - %s [%s]%s\n", indent, ct.Name.In(lang), ct.ID, offChartMark(ct.Source))
		if about && !ct.About.IsZero() {
			fmt.Fprintf(w, "%s      %s\n", indent, ct.About.In(lang))
		}
		for _, m := range r.Means {
			fmt.Fprintf(w, "%s      %s\n", indent, meansText(m, lang))
		}
		if offChartMark(ct.Source) != "" {
			fmt.Fprintf(w, "%s      %s %s\n", indent, inLang(lang, "Source :", "Source:"), sourceText(ct.Source, lang))
		}
	}
}

// meansText writes one means: "téléphone : 09 72 43 91 25 — en secours : si
// plus d'accès à internet".
func meansText(m flows.Means, lang flows.Lang) string {
	s := meansKindName(m.Kind, lang) + inLang(lang, " : ", ": ") + m.Value
	label := m.Label.In(lang)
	switch {
	case m.Fallback && label != "":
		s += inLang(lang, " — en secours : ", " — fallback: ") + label
	case m.Fallback:
		s += inLang(lang, " — en secours", " — fallback")
	case label != "":
		s += " — " + label
	}
	if m.Source != "" && m.Source != flows.SourceChart {
		s += " (" + sourceText(m.Source, lang) + ")"
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
