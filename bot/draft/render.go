package draft

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// CNILDelay is the GDPR art. 33(1) delay after awareness.
const CNILDelay = 72 * time.Hour

// Writer writes the declaration drafts of one deployment: its organisation
// fills the facts an incident was not given, its contacts say where each
// draft is pasted.
type Writer struct {
	Org      incident.Organisation
	Contacts *flows.Catalog
}

// Value is what the incident knows of fact key: a value given now, else a
// fact recorded on the incident, else the organisation's configuration.
func (w *Writer) Value(inc *incident.Incident, key string, given map[string]string) string {
	if v := given[key]; v != "" {
		return v
	}
	if v := inc.Facts[key]; v != "" {
		return v
	}
	o := w.Org
	return map[string]string{"structure": o.Name, "finess": o.FINESS, "siren": o.SIREN, "dpo": o.DPO}[key]
}

// Missing lists the required facts of t the incident lacks, in the order
// they are asked; the reasons for a delay are required past 72 hours.
// Whether the persons were informed is not asked when the incident says
// it (the step done, not applicable, or not required by the answers).
func (w *Writer) Missing(t *Target, inc *incident.Incident, given map[string]string, now time.Time) []string {
	var out []string
	for _, k := range t.required {
		if k == "information_personnes" && w.informed(t, inc, flows.FR) != "" {
			continue
		}
		if w.Value(inc, k, given) == "" {
			out = append(out, k)
		}
	}
	if t.ID == "cnil" && CNILLate(inc, now) && w.Value(inc, "retard", given) == "" {
		out = append(out, "retard")
	}
	return out
}

// Used lists the facts of t the incident has.
func (w *Writer) Used(t *Target, inc *incident.Incident) []string {
	var out []string
	for _, k := range slices.Concat(t.required, t.optional, []string{"retard"}) {
		if w.Value(inc, k, nil) != "" && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// CNILLate reports whether the CNIL notification is (or was) made past
// T0 + 72 h: the time it was recorded done, else now.
func CNILLate(inc *incident.Incident, now time.Time) bool {
	at := now
	if st := inc.Steps["cnil"]; st != nil && st.Status == incident.StepDone && st.Proof != nil {
		at = st.Proof.DeclaredAt
	}
	return at.After(inc.T0.Add(CNILDelay))
}

// Required reports whether the chain c requires, for the incident's
// answers, one of the steps the draft serves (done or not). Without a
// chain, every draft is taken as required.
func Required(t *Target, c *flows.Chain, inc *incident.Incident) bool {
	if c == nil {
		return true
	}
	plan := flows.Evaluate(c, inc.Inputs())
	for _, p := range plan.Steps {
		if slices.Contains(t.Steps, p.Step.ID) {
			return true
		}
	}
	return false
}

// URL is the address of the regulator's portal or form, for the region of
// chain c (nil: the national contacts).
func (w *Writer) URL(t *Target, c *flows.Chain) string {
	region := ""
	if c != nil {
		region = c.Region
	}
	ct := w.Contacts.Contact(region, t.contact)
	if ct == nil {
		return ""
	}
	for _, kind := range []string{"portal", "form", "web"} {
		for _, m := range ct.Means {
			if m.Kind == kind && !m.Fallback {
				return m.Address()
			}
		}
	}
	return ""
}

// Render writes the draft for t in lang. It reads only the incident, its
// chain and now, so that it can run inside a store transaction.
func (w *Writer) Render(t *Target, inc *incident.Incident, c *flows.Chain, now time.Time, lang flows.Lang) string {
	tr := func(key string, args ...any) string { return messages.T(lang, key, args...) }
	var out strings.Builder
	line := func(s string) { out.WriteString(s + "\n") }
	sep := i18n.T(lang, "sep.field")
	// An exercise's draft opens and ends with the banner, and its heading
	// says it: pasted into a regulator's form, or read alone, it cannot be
	// taken for a real declaration.
	if inc.Exercise {
		line(tr("draft.exercise_banner"))
		line(tr("draft.exercise_heading", tr("draft.heading."+t.ID)))
	} else {
		line(tr("draft.heading." + t.ID))
	}
	line(tr("draft.basis." + t.ID))
	line(tr("draft.prepared", i18n.When(now, lang), inc.ID, inc.Title))
	if url := w.URL(t, c); url != "" {
		line(tr("draft.where", url))
	}
	for _, s := range t.sections {
		var body []string
		for _, item := range s.items {
			switch item {
			case "@t0":
				body = append(body, tr("draft.t0")+sep+tr("draft.paris", i18n.When(inc.T0, lang)))
			case "@status":
				st := tr("draft.ongoing")
				if inc.Status == incident.StatusClosed {
					st = tr("draft.closed", i18n.When(inc.ClosedAt, lang))
				}
				body = append(body, tr("draft.status")+sep+st)
			case "@deadline72":
				body = append(body, tr("draft.deadline72")+sep+tr("draft.paris", i18n.When(inc.T0.Add(CNILDelay), lang)))
			case "@late":
				if CNILLate(inc, now) {
					v := w.Value(inc, "retard", nil)
					if v == "" {
						v = tr("draft.blank")
					}
					body = append(body, Label("retard", lang)+sep+v)
				}
			case "@informed":
				v := w.Value(inc, "information_personnes", nil)
				if v == "" {
					v = w.informed(t, inc, lang)
				}
				if v == "" {
					v = tr("draft.blank")
				}
				body = append(body, Label("information_personnes", lang)+sep+v)
			case "@answers":
				body = append(body, answerLines(inc, c, t.answers, lang)...)
			case "@declarations":
				body = append(body, declarationLines(inc, c, t.declarations, lang)...)
			default:
				v := w.Value(inc, item, nil)
				switch {
				case v != "":
				case slices.Contains(t.required, item):
					v = tr("draft.blank")
				case item == "causes":
					v = tr("draft.unknown_yet")
				default:
					continue // an optional fact not given: left out
				}
				body = append(body, Label(item, lang)+sep+v)
			}
		}
		if len(body) == 0 {
			continue
		}
		line("")
		line("— " + tr(s.title) + " —")
		for _, l := range body {
			line(l)
		}
	}
	line("")
	line(tr("draft.footer." + t.ID))
	if inc.Exercise {
		line("")
		line(tr("draft.exercise_banner"))
	}
	return strings.TrimRight(out.String(), "\n")
}

// answerLines are the answers to the questions keys the regulator's form
// asks, in chain order, with their current answer: never the others (a
// structure's insurance is nobody's business but its insurer's).
func answerLines(inc *incident.Incident, c *flows.Chain, keys []string, lang flows.Lang) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, q := range c.Questions {
		if !slices.Contains(keys, q.ID) {
			continue
		}
		a, ok := inc.Answer(q.ID)
		if !ok {
			continue
		}
		out = append(out, fmt.Sprintf("%s %s", q.Text.In(lang), i18n.Value(a.Value, lang)))
	}
	return out
}

// informed says whether the persons concerned were informed, as the
// incident records it: the step done (when, how), declared not applicable
// (why), or not required by the answers (the chain's reason: "risque non
// élevé — RGPD art. 34.1 ; …"); "" when it does not say yet.
func (w *Writer) informed(t *Target, inc *incident.Incident, lang flows.Lang) string {
	if t.informs == "" {
		return ""
	}
	if st := inc.Steps[t.informs]; st != nil {
		switch {
		case st.Status == incident.StepDone && st.Proof != nil:
			return tr(lang, "draft.informed_done", i18n.When(st.Proof.DeclaredAt, lang), i18n.Means(st.Proof.Means, lang), i18n.Ref(st.Proof.Ref, lang))
		case st.Status == incident.StepNA:
			return tr(lang, "draft.informed_na", st.Reason)
		}
	}
	if w.Contacts == nil || inc.Chain == "" {
		return ""
	}
	c, err := w.Contacts.Version(inc.Chain, inc.Version)
	if err != nil {
		return ""
	}
	for _, l := range flows.Evaluate(c, inc.Inputs()).LeftOut {
		if l.Step.ID == t.informs && !l.Why.IsZero() {
			return tr(lang, "draft.informed_left_out", l.Why.In(lang))
		}
	}
	return ""
}

// declarationLines are the steps keys done or declared not applicable, in
// chain order, with their proof.
func declarationLines(inc *incident.Incident, c *flows.Chain, keys []string, lang flows.Lang) []string {
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range c.Steps {
		if !slices.Contains(keys, s.ID) {
			continue
		}
		st := inc.Steps[s.ID]
		if st == nil {
			continue
		}
		switch st.Status {
		case incident.StepDone:
			if st.Proof == nil {
				continue
			}
			out = append(out, "• "+tr(lang, "draft.done_line", s.Title.In(lang), i18n.When(st.Proof.DeclaredAt, lang),
				i18n.Means(st.Proof.Means, lang), i18n.Ref(st.Proof.Ref, lang)))
		case incident.StepNA:
			out = append(out, "• "+tr(lang, "draft.na_line", s.Title.In(lang), st.Reason))
		}
	}
	if len(out) == 0 {
		out = append(out, tr(lang, "draft.none_yet"))
	}
	return out
}
