package bot

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Checklist renders the notifications the chain requires, as posted in
// the channel: for each, its number and key, what it is, to whom and how,
// by when, and what was done, with its buttons; then the steps waiting on
// an answer, and those the answers left out, with the answer and the
// rule. Why a step applies and its source are in the full form (statut
// complet, detail N), so that a fresh incident's checklist reads on one
// screen.
func (b *Bot) Checklist(inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang) Message {
	return b.checklist(inc, c, now, lang, false)
}

func (b *Bot) checklist(inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang, full bool) Message {
	m := Message{Title: exerciseTitle(inc, lang, tr(lang, "checklist.title", inc.ID)), More: tr(lang, "more.status", b.prefix(), inc.ID)}
	plan := flows.Evaluate(c, inc.Inputs())
	open := inc.Status == incident.StatusOpen
	for _, p := range plan.Steps {
		m.Blocks = append(m.Blocks, b.stepBlock(inc, c, p, now, lang, open, full))
	}
	// A step done or declared not applicable before the answers that
	// decide it is shown with what was recorded: the cell must see that
	// the CNIL was told, whatever Q5 will say.
	var waiting []flows.Waiting
	for _, w := range plan.Pending {
		if st := inc.Steps[w.Step.ID]; st != nil && st.Status != incident.StepPending {
			m.Blocks = append(m.Blocks, b.settledEarly(inc, c, w, st, lang))
			continue
		}
		waiting = append(waiting, w)
	}
	if len(waiting) > 0 {
		m.Blocks = append(m.Blocks, Block{Title: tr(lang, "checklist.pending"), Text: strings.Join(waitingLines(c, waiting, lang, full), "\n")})
	}
	if len(plan.LeftOut) > 0 {
		m.Blocks = append(m.Blocks, Block{Title: tr(lang, "checklist.left_out_title"), Text: strings.Join(b.leftOutLines(inc, c, plan.LeftOut, lang, full), "\n")})
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

// waitingLines lists the steps that wait on answers: in full, one a line
// with the questions it depends on; otherwise one line per question (or
// set of questions), with the numbers of the steps it decides.
func waitingLines(c *flows.Chain, pending []flows.Waiting, lang Lang, full bool) []string {
	var lines []string
	if full {
		for _, w := range pending {
			lines = append(lines, tr(lang, "checklist.waiting_on", stepLabel(w.Step), w.Step.Title.In(lang), questionRefs(c, w.On)))
		}
		return lines
	}
	type group struct {
		first int // the number of its first question: groups in question order
		steps []string
	}
	groups := map[string]*group{}
	var order []string
	for _, w := range pending {
		on := questionRefs(c, w.On)
		g := groups[on]
		if g == nil {
			g = &group{first: 1 << 30}
			for _, k := range w.On {
				if q := c.Question(k); q != nil {
					g.first = min(g.first, questionNo(c, q))
				}
			}
			groups[on] = g
			order = append(order, on)
		}
		g.steps = append(g.steps, strconv.Itoa(w.Step.Order))
	}
	slices.SortStableFunc(order, func(a, b string) int { return groups[a].first - groups[b].first })
	for _, on := range order {
		steps := groups[on].steps
		lines = append(lines, tr(lang, "checklist.decides", on, strings.Join(steps, ", "), len(steps)))
	}
	return lines
}

// questionRefs names questions as screens do: "Q1 capacity_impact".
func questionRefs(c *flows.Chain, keys []string) string {
	refs := make([]string, len(keys))
	for i, k := range keys {
		refs[i] = k
		if q := c.Question(k); q != nil {
			refs[i] = "Q" + strconv.Itoa(questionNo(c, q)) + " " + k
		}
	}
	return strings.Join(refs, ", ")
}

func (b *Bot) stepBlock(inc *incident.Incident, c *flows.Chain, p flows.Planned, now time.Time, lang Lang, open, full bool) Block {
	s := p.Step
	st := inc.Steps[s.ID]
	icon := "⬜"
	settled := st != nil && st.Status != incident.StepPending
	switch {
	case st != nil && st.Status == incident.StepDone:
		icon = "✅"
	case st != nil && st.Status == incident.StepNA:
		icon = "➖"
	case !p.Due.IsZero() && now.After(p.Due):
		icon = "🔴"
	}
	blk := Block{Title: fmt.Sprintf("%s %s — %s", icon, stepLabel(s), s.Title.In(lang))}
	var lines []string
	if full && !s.Action.IsZero() {
		lines = append(lines, s.Action.In(lang))
	}
	if full {
		lines = append(lines, recipientLines(s, lang)...)
	} else if !settled {
		lines = append(lines, briefRecipients(s, lang))
	}
	if full || !settled {
		lines = append(lines, tr(lang, "step.deadline", b.deadlineText(p, inc, c, now, lang, !settled)))
	}
	if !settled {
		// To whom and by when are never folded away (counted as the
		// screen splits them, should a means span lines).
		blk.Keep = strings.Count(strings.Join(lines, "\n"), "\n") + 1
	}
	why := []string{tr(lang, "step.why", b.whyText(p, c, lang))}
	if src := stepSource(c, s, lang); src != "" {
		why = append(why, src)
	}
	if full {
		lines = append(lines, why...)
	}
	switch {
	case st != nil && st.Status == incident.StepDone:
		pr := st.Proof
		lines = append(lines, tr(lang, "step.done", b.when(pr.DeclaredAt, lang), pr.By.String(), i18n.Means(pr.Means, lang), i18n.Ref(pr.Ref, lang)))
		if pr.Note != "" && full {
			lines = append(lines, "  "+pr.Note)
		}
	case st != nil && st.Status == incident.StepNA:
		lines = append(lines, tr(lang, "step.na", st.Reason, st.By.String(), b.when(st.At, lang)))
	case st != nil && st.SnoozedUntil.After(now):
		lines = append(lines, tr(lang, "step.snoozed", b.when(st.SnoozedUntil, lang)))
	}
	if st != nil && st.Proposed != nil && !settled {
		lines = append(lines, b.proposedLine(inc, s, st.Proposed, lang))
	}
	blk.Text = strings.Join(lines, "\n")
	if !full && !settled {
		blk.Detail = strings.Join(why, "\n")
	}
	if open && !settled && st != nil && st.Proposed != nil {
		blk.Buttons = append(blk.Buttons, Button{Label: tr(lang, "button.confirm"), Action: fmt.Sprintf("#%s confirmer %s", inc.ID, s.ID), Style: StylePrimary})
	}
	if open && !settled {
		blk.Buttons = append(blk.Buttons, []Button{
			{Label: tr(lang, "button.done"), Action: fmt.Sprintf("#%s fait %s", inc.ID, s.ID), Style: StylePrimary},
			{Label: tr(lang, "button.na"), Action: fmt.Sprintf("#%s sans-objet %s", inc.ID, s.ID)},
		}...)
		// Rappel: offered only where it can succeed (snooze refuses to
		// pass the legal deadline); else the step says once why.
		switch {
		case p.Due.IsZero() || !now.Add(snoozeButton).After(p.Due):
			blk.Buttons = append(blk.Buttons, Button{Label: tr(lang, "button.snooze"), Action: fmt.Sprintf("#%s rappel %s 1h", inc.ID, s.ID)})
		case s.Deadline.Kind == flows.Immediate:
			blk.Text += "\n" + tr(lang, "step.no_snooze_immediate")
		case now.Before(p.Due):
			blk.Text += "\n" + tr(lang, "step.no_snooze_soon", b.when(p.Due, lang))
		default:
			blk.Text += "\n" + tr(lang, "step.no_snooze_past", b.when(p.Due, lang))
		}
	}
	return blk
}

// snoozeButton is how long the step's "Rappeler dans 1 h" postpones.
const snoozeButton = time.Hour

// settledEarly is the block of a step settled while the answers that
// decide whether it is required are still awaited.
func (b *Bot) settledEarly(inc *incident.Incident, c *flows.Chain, w flows.Waiting, st *incident.StepState, lang Lang) Block {
	icon, line := "✅", ""
	if st.Status == incident.StepNA {
		icon, line = "➖", tr(lang, "step.na", st.Reason, st.By.String(), b.when(st.At, lang))
	} else {
		pr := st.Proof
		line = tr(lang, "step.done", b.when(pr.DeclaredAt, lang), pr.By.String(), i18n.Means(pr.Means, lang), i18n.Ref(pr.Ref, lang))
	}
	return Block{Title: fmt.Sprintf("%s %s — %s", icon, stepLabel(w.Step), w.Step.Title.In(lang)),
		Text: line + "\n" + tr(lang, "checklist.settled_early", questionRefs(c, w.On))}
}

// briefRecipients says to whom and how on one line: each recipient with
// its means, the fallbacks marked.
func briefRecipients(s *flows.Step, lang Lang) string {
	var parts []string
	for _, r := range s.Recipients {
		var means []string
		for _, mn := range r.Means {
			m := tr(lang, "kind."+mn.Kind) + " " + mn.Value.In(lang)
			if mn.Fallback {
				m += " " + tr(lang, "step.fallback")
			}
			means = append(means, m)
		}
		parts = append(parts, r.Contact.Name.In(lang)+" — "+strings.Join(means, " · "))
	}
	sep := tr(lang, "sep.list")
	if s.AnyOf {
		sep = tr(lang, "word.or")
	}
	return "→ " + strings.Join(parts, sep)
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
			line := fmt.Sprintf("  %s %s", tr(lang, "kind."+mn.Kind), mn.Value.In(lang))
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
		return tr(lang, "deadline.after_step", d.OffsetString(), anchor.Title.In(lang))
	case d.Anchor == flows.AnchorT0:
		s = tr(lang, "deadline.after_t0", b.when(p.Due, lang), d.OffsetString())
	default:
		s = tr(lang, "deadline.after_done", b.when(p.Due, lang), d.OffsetString(), c.Step(d.Anchor).Title.In(lang))
	}
	switch {
	case pending && d.Kind == flows.Immediate:
		// Due at once, not by an hour count: the time elapsed since T0,
		// as the closing report measures it, never "late".
		s += " — " + tr(lang, "deadline.immediate_now", i18n.Span(now.Sub(inc.T0), lang))
	case pending:
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
	return tr(lang, "why.answers", strings.Join(parts, tr(lang, "sep.list")), basis)
}

// stepSource says where step s comes from when its chain c does not
// already say it: on a regional chart, a step Vigie added is "hors schéma
// régional", with its source; on the 2016 authorities' chains, which
// transcribe a text, it is "hors du texte source". A national chain has no
// chart to be off (flows.Chain.Charted): each step cites its own text.
func stepSource(c *flows.Chain, s *flows.Step, lang flows.Lang) string {
	switch {
	case s.FromChart():
		return ""
	case c == nil || !c.Charted():
		return tr(lang, "step.source_cited", s.Source.In(lang))
	case c.Region != "":
		return tr(lang, "step.source", s.Source.In(lang))
	}
	return tr(lang, "step.source_text", s.Source.In(lang))
}
