package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// This file words the closing report the same way wherever it is read: in
// the channel at `clore`, and in the Markdown and PDF main courante.

// Summary is the closing report, a line each: its Headline, then each
// obligation with its delay from T0 against its legal deadline (Line),
// whether any was late or left to do, and what was left Open.
func (cl *Closing) Summary(lang flows.Lang) []string {
	out := cl.Headline(lang)
	for _, o := range cl.Obligations {
		out = append(out, cl.Line(o, lang))
	}
	if cl.Count(Late)+cl.Count(Overdue)+cl.Count(NotDone) == 0 && len(cl.Obligations) > 0 {
		out = append(out, tr(lang, "closing.none_late"))
	}
	return append(out, cl.Open(lang)...)
}

// Headline opens the closing report: when the incident closed (or that
// it is still open) and its duration from T0, then the obligations
// counted by verdict.
func (cl *Closing) Headline(lang flows.Lang) []string {
	var out []string
	if cl.ClosedAt.IsZero() {
		out = append(out, tr(lang, "closing.open", stamp(cl.At, lang), Elapsed(cl.Duration, lang), stamp(cl.T0, lang)))
	} else {
		out = append(out, tr(lang, "closing.closed", stamp(cl.ClosedAt, lang), Elapsed(cl.Duration, lang), stamp(cl.T0, lang)))
	}
	if cl.Chain == nil {
		return append(out, tr(lang, "closing.no_chain"))
	}
	return append(out, tr(lang, "closing.counts", len(cl.Obligations), cl.Count(OnTime), cl.Count(Late),
		cl.Count(Done), cl.Count(NotApplicable), cl.Count(Overdue)+cl.Count(NotDone)))
}

// Open lists what the incident left open: the steps that hang on
// questions not settled, and those questions.
func (cl *Closing) Open(lang flows.Lang) []string {
	var out []string
	for _, w := range cl.Waiting {
		qs := make([]string, len(w.On))
		for i, q := range w.On {
			qs[i] = q.Text.In(lang)
		}
		out = append(out, tr(lang, "closing.waiting", stepName(w.Step, lang), strings.Join(qs, tr(lang, "closing.list_sep"))))
	}
	for _, q := range cl.Unknown {
		out = append(out, tr(lang, "closing.unknown", q.Question.Text.In(lang), q.AnswerText(lang)))
	}
	return out
}

// Line is one obligation of the closing report: its step, its legal
// deadline, and its delay from T0 against it, or why there is none.
func (cl *Closing) Line(o Obligation, lang flows.Lang) string {
	return tr(lang, "closing.line", stepName(o.Step, lang), o.Rule(cl.Chain, lang), o.Outcome(lang))
}

// stepName is a step as the reports name it: its number and title.
func stepName(s *flows.Step, lang flows.Lang) string {
	return fmt.Sprintf("%d. %s", s.Order, s.Title.In(lang))
}

// Rule is the legal deadline of the obligation as the law words it:
// "T0 + 72 h", "sans délai", "24 h après « … »", "dans les meilleurs
// délais". c is the incident's chain (to name the step a deadline counts
// from).
func (o Obligation) Rule(c *flows.Chain, lang flows.Lang) string {
	d := o.Step.Deadline
	switch {
	case d.Kind == flows.Immediate:
		return tr(lang, "rule.immediate")
	case d.Kind == flows.None:
		return i18n.T(lang, "deadline.none")
	case d.Anchor == flows.AnchorT0:
		return tr(lang, "rule.t0", Clock(d.Offset, lang))
	}
	name := d.Anchor
	if c != nil && c.Step(d.Anchor) != nil {
		name = c.Step(d.Anchor).Title.In(lang)
	}
	return tr(lang, "rule.after", Clock(d.Offset, lang), name)
}

// Outcome says what became of the obligation against its deadline: "à
// temps, déclarée T0 + 14 min", "en retard de 3 h 10", "non faite".
func (o Obligation) Outcome(lang flows.Lang) string {
	return o.outcome(lang) + o.proposal(lang)
}

// proposal says, of an obligation not done, the declaration recorded as
// proposed that awaits its confirmation (declarations.owner): the record
// shows it was said to be made, and by whom, though nobody confirmed it.
func (o Obligation) proposal(lang flows.Lang) string {
	if o.State.Proposed == nil || (o.Verdict != NotDone && o.Verdict != Overdue) {
		return ""
	}
	p := o.State.Proposed
	return tr(lang, "outcome.proposed", p.By.String(), stamp(p.DeclaredAt, lang))
}

func (o Obligation) outcome(lang flows.Lang) string {
	switch o.Verdict {
	case OnTime:
		return tr(lang, "outcome.on_time", Elapsed(o.Elapsed, lang))
	case Late:
		return tr(lang, "outcome.late", Elapsed(o.Elapsed, lang), Elapsed(o.Late, lang))
	case Done:
		if o.Step.Deadline.Kind == flows.Immediate {
			return tr(lang, "outcome.immediate_done", Elapsed(o.Elapsed, lang))
		}
		return tr(lang, "outcome.done", Elapsed(o.Elapsed, lang))
	case NotApplicable:
		return tr(lang, "outcome.na", o.State.Reason)
	case Overdue:
		return tr(lang, "outcome.overdue", Elapsed(o.Late, lang))
	}
	switch {
	case o.Step.Deadline.Kind == flows.Immediate:
		return tr(lang, "outcome.immediate_not_done", Elapsed(o.Elapsed, lang))
	case !o.Due.IsZero() && o.Step.Deadline.Kind == flows.After:
		return tr(lang, "outcome.not_done_due", stamp(o.Due, lang))
	}
	return tr(lang, "outcome.not_done")
}

// Verdict words v on its own, as the obligations table shows it beside
// the times.
func (o Obligation) VerdictText(lang flows.Lang) string {
	return o.verdictText(lang) + o.proposal(lang)
}

func (o Obligation) verdictText(lang flows.Lang) string {
	switch o.Verdict {
	case Late, Overdue:
		return tr(lang, "verdict."+string(o.Verdict), Elapsed(o.Late, lang))
	case NotApplicable:
		return tr(lang, "verdict.na", o.State.Reason)
	case Done:
		if o.Step.Deadline.Kind == flows.Immediate {
			return tr(lang, "verdict.immediate_done", Elapsed(o.Elapsed, lang))
		}
	case NotDone:
		if o.Step.Deadline.Kind == flows.Immediate {
			return tr(lang, "verdict.immediate_not_done", Elapsed(o.Elapsed, lang))
		}
	}
	return tr(lang, "verdict."+string(o.Verdict))
}

// AnswerText says where an open question stands: not answered, or "not
// known yet" since when and by whom.
func (q OpenQuestion) AnswerText(lang flows.Lang) string {
	if !q.Answered {
		return tr(lang, "closing.not_answered")
	}
	return tr(lang, "closing.answered", i18n.Value(q.Value, lang), q.By.String(), stamp(q.At, lang))
}

// Elapsed writes a delay to the minute ("2 j 3 h 10", "1 h 05",
// "35 min"), or in seconds under a minute: a declaration 30 seconds late
// is late.
func Elapsed(d time.Duration, lang flows.Lang) string {
	d = max(d, 0)
	if d < time.Minute {
		return tr(lang, "closing.seconds", int(d/time.Second))
	}
	return i18n.Delay(d.Truncate(time.Minute), lang)
}

// Clock writes a legal delay as texts write it: "72 h", "24 h", "15 min",
// "1 h 30", "30 j" (whole days beyond 72 hours).
func Clock(d time.Duration, lang flows.Lang) string {
	day := 24 * time.Hour
	switch {
	case d > 72*time.Hour && d%day == 0:
		return tr(lang, "clock.days", int(d/day))
	case d < time.Hour:
		return tr(lang, "closing.minutes", int(d/time.Minute))
	case d%time.Hour == 0:
		return tr(lang, "clock.hours", int(d/time.Hour))
	}
	return tr(lang, "clock.hours_minutes", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

// stamp writes an instant in Paris time to the second, with its zone:
// "28/03/2026 02:10:00 CET".
func stamp(t time.Time, lang flows.Lang) string {
	if t.IsZero() {
		return "—"
	}
	return parisTime(t, lang)
}

// Closing is the closing report of the incident the record tells, at its
// closing or, open, at at; each obligation and step left out names the
// entry that settled it.
func (r *Record) Closing(c *flows.Chain, at time.Time) *Closing {
	cl := NewClosing(r.Incident, c, at)
	for i := range cl.Obligations {
		cl.Obligations[i].Entry = r.Settled[cl.Obligations[i].Step.ID]
	}
	for i := range cl.NotRequired {
		cl.NotRequired[i].Entry = r.Settled[cl.NotRequired[i].Step.ID]
	}
	return cl
}
