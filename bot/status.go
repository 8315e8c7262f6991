package bot

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// status answers "statut": what is late, what comes next with its
// countdown, the questions still open, in a few lines that fit a 40-line
// screen at 3 a.m. "statut complet" gives the card and checklist with
// every detail (to whom and how, why, source); "detail N" one step. The
// status of a closed incident is its closing report.
func (b *Bot) status(ctx context.Context, r *request) (Reply, error) {
	full := false
	for _, a := range r.cmd.args {
		switch strings.ToLower(a) {
		case "complet", "full", "tout", "all":
			full = true
		default:
			return Reply{}, uerr(EInvalid, r.lang, "err.status_usage", echo(a))
		}
	}
	inc, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	c, err := b.chainOf(inc)
	if err != nil {
		return Reply{}, err
	}
	if inc.Status == incident.StatusClosed && !full {
		m := b.ClosingMessage(inc, c, r.lang) // what a closed incident's status is
		return Reply{Message: &m}, nil
	}
	if full || c == nil {
		m := b.card(inc, c, r.now, r.lang, full)
		if c != nil {
			cl := b.checklist(inc, c, r.now, r.lang, full)
			m.Blocks = append(m.Blocks, Block{Title: cl.Title})
			m.Blocks = append(m.Blocks, cl.Blocks...)
		}
		return Reply{Message: &m}, nil
	}
	return Reply{Message: b.summary(inc, c, r)}, nil
}

// summary is the short status of an incident.
func (b *Bot) summary(inc *incident.Incident, c *flows.Chain, r *request) *Message {
	lang := r.lang
	m := &Message{Title: exerciseTitle(inc, lang, tr(lang, "card.title", inc.ID, inc.Title))}
	state := tr(lang, "status.open")
	if inc.Status == incident.StatusClosed {
		state = tr(lang, "status.closed", b.when(inc.ClosedAt, lang), inc.ClosedBy.String())
	}
	m.Blocks = append(m.Blocks, Block{Text: tr(lang, "summary.head", b.when(inc.T0, lang), i18n.Span(r.now.Sub(inc.T0), lang), state, inc.Head.Short())})

	plan := flows.Evaluate(c, inc.Inputs())
	var now, late, next []string
	done, na := 0, 0
	for _, p := range plan.Steps {
		st := inc.Steps[p.Step.ID]
		switch {
		case st != nil && st.Status == incident.StepDone:
			done++
			continue
		case st != nil && st.Status == incident.StepNA:
			na++
			continue
		}
		line := fmt.Sprintf("%s — %s", stepLabel(p.Step), p.Step.Title.In(lang))
		if st != nil && st.Proposed != nil { // the one who arrives sees what awaits them
			line += tr(lang, "handover.awaits", st.Proposed.By.String(), b.confirmers(inc, p.Step, lang))
		}
		switch {
		case p.Step.Deadline.Kind == flows.Immediate:
			// "Sans délai" is due at once, not by an hour count: to do
			// now, with the time elapsed since T0, never "late".
			now = append(now, line+" ("+tr(lang, "summary.elapsed", i18n.Span(r.now.Sub(inc.T0), lang))+")")
		case p.Due.IsZero():
			next = append(next, line+" ("+b.deadlineText(p, inc, c, r.now, lang, false)+")")
		case r.now.After(p.Due):
			late = append(late, line+" ("+i18n.Countdown(p.Due, r.now, lang)+")")
		default:
			next = append(next, line+" ("+i18n.Countdown(p.Due, r.now, lang)+")")
		}
	}
	list := func(title string, lines []string) {
		if len(lines) > 0 {
			m.Blocks = append(m.Blocks, Block{Title: title, Text: "• " + strings.Join(lines, "\n• ")})
		}
	}
	list(tr(lang, "summary.immediate", len(now)), now)
	list(tr(lang, "summary.late", len(late)), late)
	list(tr(lang, "summary.next", len(next)), next)
	var asked []string
	for _, q := range plan.Questions {
		asked = append(asked, fmt.Sprintf("%s — %s", questionLabel(c, q), q.Text.In(lang)))
	}
	list(tr(lang, "summary.questions", len(asked)), asked)
	waiting := 0
	for _, w := range plan.Pending {
		switch st := inc.Steps[w.Step.ID]; {
		case st != nil && st.Status == incident.StepDone:
			done++
		case st != nil && st.Status == incident.StepNA:
			na++
		default:
			waiting++
		}
	}
	m.Blocks = append(m.Blocks, Block{Text: tr(lang, "summary.counts", done, na, waiting, len(plan.LeftOut)) + "\n" + tr(lang, "summary.more")})
	return m
}

// detail answers "detail N" (a step: to whom and how, by when, why, its
// source, what was done; or why the answers leave it out) and "detail Qn" (a question: what it means, how
// to answer it by typing, the steps it decides).
func (b *Bot) detail(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) != 1 {
		return Reply{}, uerr(EInvalid, r.lang, "err.detail_usage")
	}
	inc, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	c, err := b.chainOf(inc)
	if err != nil {
		return Reply{}, err
	}
	if c == nil {
		return Reply{}, uerr(EConflict, r.lang, "err.no_chain", inc.ID, strings.Join(b.cat.IDs(), ", "))
	}
	ref := r.cmd.args[0]
	q := findQuestion(c, ref)
	switch {
	case q != nil && c.Step(strings.ToLower(ref)) == nil:
		return Reply{Message: b.questionDetail(inc, c, q, r)}, nil
	case isQuestionRef(ref):
		return Reply{}, uerr(ENotFound, r.lang, "err.unknown_question", echo(ref), len(c.Questions), questionIDs(c))
	case findStep(c, ref) == nil && len(c.Steps) > 0:
		return Reply{}, uerr(ENotFound, r.lang, "err.unknown_ref", echo(ref), c.Steps[0].Order, c.Steps[len(c.Steps)-1].Order, len(c.Questions), b.prefix())
	}
	m := &Message{Title: tr(r.lang, "detail.title", inc.ID)}
	if l, ok := leftOutStep(inc, c, ref); ok {
		m.Blocks = append(m.Blocks, b.leftOutBlock(inc, c, l, r.lang))
		return Reply{Message: m}, nil
	}
	if s := findStep(c, ref); s != nil && featureOff(inc, s.Feature) {
		m.Blocks = append(m.Blocks, Block{Title: "➖ " + stepLabel(s) + " — " + s.Title.In(r.lang),
			Text: strings.Join(append(recipientLines(s, r.lang), tr(r.lang, "detail.feature_off", s.Feature, s.Feature, s.Feature)), "\n")})
		return Reply{Message: m}, nil
	}
	s, planned, err := b.stepInPlan(r, inc, c, ref)
	if err != nil {
		return Reply{}, err
	}
	if planned == nil { // waiting on an answer
		m.Blocks = append(m.Blocks, Block{Title: "⏳ " + stepLabel(s) + " — " + s.Title.In(r.lang),
			Text: strings.Join(append(recipientLines(s, r.lang), tr(r.lang, "detail.waits", conditionText(s.When, r.lang))), "\n")})
		return Reply{Message: m}, nil
	}
	m.Blocks = append(m.Blocks, b.stepBlock(inc, c, *planned, r.now, r.lang, inc.Status == incident.StatusOpen, true))
	return Reply{Message: m}, nil
}

func (b *Bot) questionDetail(inc *incident.Incident, c *flows.Chain, q *flows.Question, r *request) *Message {
	lang := r.lang
	lines := []string{}
	if h := q.Help.In(lang); h != "" {
		lines = append(lines, h)
	}
	if a, ok := inc.Answer(q.ID); ok {
		lines = append(lines, tr(lang, "detail.answered", i18n.Value(a.Value, lang), a.By.String(), b.when(a.At, lang)))
	}
	var decides []string
	for _, s := range c.Steps {
		for _, cl := range s.When {
			if cl.Key == q.ID {
				decides = append(decides, strconv.Itoa(s.Order))
				break
			}
		}
	}
	if len(decides) > 0 {
		lines = append(lines, tr(lang, "detail.decides", strings.Join(decides, ", "), len(decides)))
	}
	lines = append(lines, strings.TrimPrefix(tr(lang, "card.typed", b.prefix(), q.ID), "\n"))
	blk := Block{Title: "❓ " + questionLabel(c, q) + " — " + q.Text.In(lang), Text: strings.Join(lines, "\n")}
	if inc.Status == incident.StatusOpen && b.asked(c, inc, q) {
		for _, v := range q.Answers {
			if a, ok := inc.Answer(q.ID); ok && a.Value == v {
				continue // the card does not offer it again either
			}
			style := ""
			if v == flows.Yes {
				style = StylePrimary
			}
			blk.Buttons = append(blk.Buttons, Button{Label: valueButton(v, lang), Action: fmt.Sprintf("#%s repondre %s %s", inc.ID, q.ID, v), Style: style})
		}
	}
	return &Message{Title: tr(lang, "detail.title", inc.ID), Blocks: []Block{blk}}
}
