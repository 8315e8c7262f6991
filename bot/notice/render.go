package notice

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// authorities are the steps whose proof the ARS is told of: the
// authorities informed. The insurer, the complaint for the insurer, the
// internal register and the persons concerned are not theirs to know
// (the declaration drafts keep the same rule).
var authorities = []string{"cert-sante", "ars", "anssi", "anssi-mises-a-jour", "cnil", "police-gendarmerie",
	"esms-autorite", "plan-crise-ars", "dgs", "dgs-ars", "hfds"}

// Writer writes the messages of one deployment: its organisation names
// the structure when the incident's facts do not.
type Writer struct {
	Org incident.Organisation
}

// Render writes the message for a in lang from the incident, its chain
// (nil: none chosen yet) and the situation point p. It reads only what it
// is given and now, so that it can run inside a store transaction.
func (w *Writer) Render(a *Audience, inc *incident.Incident, c *flows.Chain, p Point, now time.Time, lang flows.Lang) string {
	m := &text{lang: lang}
	if inc.Exercise { // pasted into a mail by mistake, it must not pass for a real incident
		m.line("notice.exercise_banner")
		m.raw("")
	}
	switch a.ID {
	case "direction":
		w.direction(m, inc, c, p, now)
	case "ars":
		w.ars(m, inc, c, p)
	case "personnel":
		w.staff(m, inc, p, now)
	default:
		w.press(m, inc, c, now)
	}
	if inc.Exercise {
		m.raw("")
		m.line("notice.exercise_banner")
	}
	return strings.Join(m.lines, "\n")
}

// text is a message being written.
type text struct {
	lang  flows.Lang
	lines []string
}

// line adds the message key, formatted.
func (m *text) line(key string, args ...any) { m.lines = append(m.lines, tr(m.lang, key, args...)) }

// raw adds lines as they are.
func (m *text) raw(lines ...string) { m.lines = append(m.lines, lines...) }

// blank is what Vigie cannot know, with what to put there (hint, a key;
// "" none).
func (m *text) blank(hint string) string {
	if hint == "" {
		return tr(m.lang, "notice.blank")
	}
	return tr(m.lang, "notice.blank_for", tr(m.lang, hint))
}

// or is v, or a blank when v is empty.
func (m *text) or(v string) string {
	if strings.TrimSpace(v) == "" {
		return m.blank("")
	}
	return v
}

func (m *text) paris(t time.Time) string { return tr(m.lang, "notice.paris", i18n.When(t, m.lang)) }

// fact is what the incident was told of key (the facts of the drafts),
// else the organisation's configuration.
func (w *Writer) fact(inc *incident.Incident, key string) string {
	if v := inc.Facts[key]; v != "" {
		return v
	}
	return map[string]string{"structure": w.Org.Name, "finess": w.Org.FINESS}[key]
}

func (w *Writer) direction(m *text, inc *incident.Incident, c *flows.Chain, p Point, now time.Time) {
	m.line("notice.direction.heading")
	m.line("notice.incident", inc.ID, inc.Title, m.or(w.fact(inc, "structure")))
	m.line("notice.direction.from", p.N, m.paris(p.At), p.By, i18n.When(now, m.lang))
	m.raw("")
	m.line("notice.t0", m.paris(inc.T0), i18n.Span(now.Sub(inc.T0), m.lang))
	m.line("notice.conditions", m.or(p.Conditions))
	m.line("notice.actions", m.or(p.Actions))
	m.line("notice.needs", m.or(p.Needs))
	m.raw("")
	m.line("notice.done_title")
	m.raw(doneLines(m, inc, c, nil)...)
	if todo := pendingLines(m, inc, c, now); len(todo) > 0 {
		m.line("notice.todo_title")
		m.raw(todo...)
	}
	m.raw("")
	m.line("notice.direction.decisions", m.blank(""))
	m.line("notice.next_point", m.blank(""))
}

func (w *Writer) ars(m *text, inc *incident.Incident, c *flows.Chain, p Point) {
	m.line("notice.ars.heading")
	region := w.Org.Region
	if region == "" && c != nil {
		region = c.Region
	}
	if region == "" {
		m.line("notice.ars.to", m.blank("notice.hint.region"))
	} else {
		m.line("notice.ars.to", flows.RegionName(region))
	}
	finess := w.fact(inc, "finess")
	if finess == "" {
		finess = m.blank("")
	}
	m.line("notice.ars.structure", m.or(w.fact(inc, "structure")), finess)
	m.line("notice.ars.incident", inc.ID, inc.Title, m.paris(inc.T0))
	m.line("notice.ars.point", p.N, m.paris(p.At))
	m.raw("")
	m.line("notice.ars.conditions", m.or(p.Conditions))
	m.line("notice.ars.actions", m.or(p.Actions))
	m.line("notice.ars.needs", m.or(p.Needs))
	m.line("notice.ars.care", m.blank("notice.hint.care"))
	if a, ok := inc.Answer("capacity_impact"); ok && a.Value != flows.Unknown {
		m.line("notice.ars.capacity", i18n.Value(a.Value, m.lang))
	}
	m.line("notice.ars.reports")
	m.raw(doneLines(m, inc, c, authorities)...)
	m.raw("")
	m.line("notice.next_point", m.blank(""))
	m.line("notice.ars.contact", m.blank("notice.hint.contact"))
}

func (w *Writer) staff(m *text, inc *incident.Incident, p Point, now time.Time) {
	m.line("notice.staff.heading", m.or(w.fact(inc, "structure")))
	m.line("notice.staff.from", m.paris(now))
	m.raw("")
	m.line("notice.staff.what", i18n.When(inc.T0, m.lang))
	m.line("notice.staff.conditions", m.or(p.Conditions))
	m.line("notice.staff.actions", m.or(p.Actions))
	m.line("notice.staff.needs", m.or(p.Needs))
	m.line("notice.staff.procedures", m.blank("notice.hint.procedures"))
	m.line("notice.staff.report", m.blank("notice.hint.contact"))
	m.line("notice.staff.outside", m.blank("notice.hint.press"))
	m.line("notice.staff.next", m.blank(""))
	m.line("notice.staff.signed")
}

// press writes the holding statement: nothing of the point, the title or
// the declarations, only that an incident is being handled.
func (w *Writer) press(m *text, inc *incident.Incident, c *flows.Chain, now time.Time) {
	name := w.fact(inc, "structure")
	if name == "" {
		name = m.blank("notice.hint.structure")
	}
	m.line("notice.press.heading", name)
	m.line("notice.press.place", m.blank("notice.hint.place"), longDate(now, m.lang))
	m.raw("")
	m.line("notice.press.what", longDate(inc.T0, m.lang), name)
	m.line("notice.press.care", tr(m.lang, "notice.confirm"))
	if told(inc, c) {
		m.line("notice.press.authorities")
	} else {
		m.line("notice.press.authorities_confirm", tr(m.lang, "notice.confirm"))
	}
	m.line("notice.press.inquiry")
	m.line("notice.press.next", m.blank("notice.hint.date"))
	m.line("notice.press.contact", m.blank(""))
}

// told reports whether the press may read that the competent authorities
// were informed: every authority the chain requires without delay
// (CERT Santé, the ARS…) has its proof. One of them done while another is
// overdue is not that.
func told(inc *incident.Incident, c *flows.Chain) bool {
	if c == nil {
		return false
	}
	n := 0
	for _, p := range flows.Evaluate(c, inc.Inputs()).Steps {
		if p.Step.Deadline.Kind != flows.Immediate || !slices.Contains(authorities, p.Step.ID) {
			continue
		}
		if st := inc.Steps[p.Step.ID]; st == nil || st.Status != incident.StepDone {
			return false
		}
		n++
	}
	return n > 0
}

// doneLines are the steps of c done or set not applicable, in the
// chain's order, with their proof: only those of keys when keys is not
// nil.
func doneLines(m *text, inc *incident.Incident, c *flows.Chain, keys []string) []string {
	var out []string
	if c != nil {
		for _, s := range c.Steps {
			st := inc.Steps[s.ID]
			if st == nil || keys != nil && !slices.Contains(keys, s.ID) {
				continue
			}
			name := strconv.Itoa(s.Order) + ". " + s.Title.In(m.lang)
			switch {
			case st.Status == incident.StepDone && st.Proof != nil:
				out = append(out, tr(m.lang, "notice.done_line", name, i18n.When(st.Proof.DeclaredAt, m.lang), i18n.Means(st.Proof.Means, m.lang), i18n.Ref(st.Proof.Ref, m.lang)))
			case st.Status == incident.StepNA && keys == nil:
				out = append(out, tr(m.lang, "notice.na_line", name, st.Reason))
			}
		}
	}
	if len(out) == 0 {
		out = append(out, tr(m.lang, "notice.none_yet"))
	}
	return out
}

// pendingLines are the steps the chain requires that are still to do,
// with their legal deadline and countdown.
func pendingLines(m *text, inc *incident.Incident, c *flows.Chain, now time.Time) []string {
	if c == nil {
		return []string{tr(m.lang, "notice.no_chain")}
	}
	var out []string
	for _, p := range flows.Evaluate(c, inc.Inputs()).Steps {
		if st := inc.Steps[p.Step.ID]; st != nil && st.Status != incident.StepPending {
			continue
		}
		name := strconv.Itoa(p.Step.Order) + ". " + p.Step.Title.In(m.lang)
		switch {
		case p.Step.Deadline.Kind == flows.Immediate:
			out = append(out, tr(m.lang, "notice.todo_now", name))
		case p.Due.IsZero():
			out = append(out, tr(m.lang, "notice.todo", name))
		case now.After(p.Due):
			out = append(out, tr(m.lang, "notice.todo_late", name, i18n.When(p.Due, m.lang), i18n.Countdown(p.Due, now, m.lang)))
		default:
			out = append(out, tr(m.lang, "notice.todo_due", name, i18n.When(p.Due, m.lang), i18n.Countdown(p.Due, now, m.lang)))
		}
	}
	return out
}

// longDate is a day as a press statement writes it: "23 novembre 2026",
// "23 November 2026".
func longDate(t time.Time, lang flows.Lang) string {
	t = t.In(incident.Paris)
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = tr(lang, "notice.first_day") // "1er" in French
	}
	return day + " " + tr(lang, "notice.month."+strconv.Itoa(int(t.Month()))) + " " + strconv.Itoa(t.Year())
}
