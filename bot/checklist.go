package bot

import (
	"fmt"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Checklist renders the notifications the chain requires: for each, to
// whom, how, by when, why, and what was done, with its buttons.
func (b *Bot) Checklist(inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang) Message {
	m := Message{Title: tr(lang, "checklist.title", inc.ID)}
	plan := flows.Evaluate(c, inc.Inputs())
	open := inc.Status == incident.StatusOpen
	for _, p := range plan.Steps {
		m.Blocks = append(m.Blocks, b.stepBlock(inc, c, p, now, lang, open))
	}
	if len(plan.Pending) > 0 {
		var lines []string
		for _, w := range plan.Pending {
			lines = append(lines, tr(lang, "checklist.waiting_on", w.Step.Order, w.Step.Title.In(lang), strings.Join(w.On, ", ")))
		}
		m.Blocks = append(m.Blocks, Block{Title: tr(lang, "checklist.pending"), Text: strings.Join(lines, "\n")})
	}
	if plan.Ended {
		all := true
		for _, p := range plan.Steps {
			if st := inc.Steps[p.Step.ID]; st == nil || st.Status == incident.StepPending {
				all = false
			}
		}
		if all {
			m.Blocks = append(m.Blocks, Block{Text: "🏁 " + c.End.In(lang)})
		}
	}
	return m
}

func (b *Bot) stepBlock(inc *incident.Incident, c *flows.Chain, p flows.Planned, now time.Time, lang Lang, open bool) Block {
	s := p.Step
	st := inc.Steps[s.ID]
	icon := "⬜"
	switch {
	case st != nil && st.Status == incident.StepDone:
		icon = "✅"
	case st != nil && st.Status == incident.StepNA:
		icon = "➖"
	case !p.Due.IsZero() && now.After(p.Due):
		icon = "🔴"
	}
	blk := Block{Title: fmt.Sprintf("%s %d. %s", icon, s.Order, s.Title.In(lang))}
	var lines []string
	if !s.Action.IsZero() {
		lines = append(lines, s.Action.In(lang))
	}
	lines = append(lines, recipientLines(s, lang)...)
	lines = append(lines, tr(lang, "step.deadline", b.deadlineText(p, inc, c, now, lang, st == nil || st.Status == incident.StepPending)))
	lines = append(lines, tr(lang, "step.why", b.whyText(p, c, lang)))
	if !s.FromChart() {
		lines = append(lines, tr(lang, "step.source", s.Source))
	}
	switch {
	case st != nil && st.Status == incident.StepDone:
		pr := st.Proof
		lines = append(lines, tr(lang, "step.done", b.when(pr.DeclaredAt, lang), pr.By.String(), i18n.Means(pr.Means, lang), i18n.Ref(pr.Ref, lang)))
		if pr.Note != "" {
			lines = append(lines, "  "+pr.Note)
		}
	case st != nil && st.Status == incident.StepNA:
		lines = append(lines, tr(lang, "step.na", st.Reason, st.By.String(), b.when(st.At, lang)))
	case st != nil && st.SnoozedUntil.After(now):
		lines = append(lines, tr(lang, "step.snoozed", b.when(st.SnoozedUntil, lang)))
	}
	blk.Text = strings.Join(lines, "\n")
	if open && (st == nil || st.Status == incident.StepPending) {
		blk.Buttons = []Button{
			{Label: tr(lang, "button.done"), Action: fmt.Sprintf("#%s fait %s", inc.ID, s.ID), Style: StylePrimary},
			{Label: tr(lang, "button.na"), Action: fmt.Sprintf("#%s sans-objet %s", inc.ID, s.ID)},
			{Label: tr(lang, "button.snooze"), Action: fmt.Sprintf("#%s rappel %s 1h", inc.ID, s.ID)},
		}
	}
	return blk
}

// recipientLines says to whom and how: every means of every recipient,
// fallbacks marked, alternatives joined by "ou".
func recipientLines(s *flows.Step, lang Lang) []string {
	var lines []string
	head := "step.to"
	if s.AnyOf {
		head = "step.to_one_of"
	}
	var names []string
	for _, r := range s.Recipients {
		names = append(names, r.Contact.Name.In(lang))
	}
	sep := ", "
	if s.AnyOf {
		sep = tr(lang, "word.or")
	}
	lines = append(lines, tr(lang, head, strings.Join(names, sep)))
	for _, r := range s.Recipients {
		for _, mn := range r.Means {
			line := fmt.Sprintf("  %s %s", tr(lang, "kind."+mn.Kind), mn.Value)
			if !mn.Label.IsZero() {
				line += " (" + mn.Label.In(lang) + ")"
			}
			if mn.Fallback {
				line += " " + tr(lang, "step.fallback")
			}
			if len(s.Recipients) > 1 {
				line = fmt.Sprintf("  %s — %s", r.Contact.Name.In(lang), strings.TrimSpace(line))
			}
			lines = append(lines, line)
		}
	}
	return lines
}

func (b *Bot) deadlineText(p flows.Planned, inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang, pending bool) string {
	d := p.Step.Deadline
	var s string
	switch {
	case d.Kind == flows.None:
		return tr(lang, "deadline.none")
	case d.Kind == flows.Immediate:
		s = tr(lang, "deadline.immediate", b.when(p.Due, lang))
	case p.Due.IsZero():
		anchor := c.Step(p.After)
		return tr(lang, "deadline.after_step", flows.FormatDuration(d.Offset), anchor.Title.In(lang))
	case d.Anchor == flows.AnchorT0:
		s = tr(lang, "deadline.after_t0", b.when(p.Due, lang), flows.FormatDuration(d.Offset))
	default:
		s = tr(lang, "deadline.after_done", b.when(p.Due, lang), flows.FormatDuration(d.Offset), c.Step(d.Anchor).Title.In(lang))
	}
	if pending {
		s += " — " + i18n.Countdown(p.Due, now, lang)
	}
	return s
}

func (b *Bot) whyText(p flows.Planned, c *flows.Chain, lang Lang) string {
	basis := p.Step.Basis.In(lang)
	if len(p.Because) == 0 {
		return tr(lang, "why.always", basis)
	}
	var parts []string
	for _, r := range p.Because {
		parts = append(parts, fmt.Sprintf("%s %s", c.Question(r.Key).Text.In(lang), i18n.Value(r.Value, lang)))
	}
	return tr(lang, "why.answers", strings.Join(parts, " ; "), basis)
}
