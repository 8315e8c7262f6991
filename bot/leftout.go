package bot

import (
	"slices"
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Steps the answers left out are shown, never hidden: a chart reader who
// sees one of the chart's boxes vanish thinks Vigie forgot it. Each says
// "non requise" with the answer that leaves it out and the rule, taken
// from the chain (the step's not_required text for that answer, else the
// answer and the step's basis).

// leftOutWhy is why a left-out step is not required, in lang: the chain's
// reason for that answer, else the question, the answer and the step's
// basis.
func leftOutWhy(c *flows.Chain, l flows.LeftOut, lang Lang) string {
	if !l.Why.IsZero() {
		return l.Why.In(lang)
	}
	text := l.Answer.Key
	if q := c.Question(l.Answer.Key); q != nil {
		text = q.Text.In(lang)
	}
	return tr(lang, "left_out.answer", text, i18n.Value(l.Answer.Value, lang), l.Step.Basis.In(lang))
}

// leftOutAnswer names the answer that leaves a step out, as screens name
// questions: "Q6 high_risk = non".
func leftOutAnswer(c *flows.Chain, l flows.LeftOut, lang Lang) string {
	return questionRefs(c, []string{l.Answer.Key}) + " = " + typedValue(l.Answer.Value, lang)
}

// leftOutLines lists the left-out steps for the checklist. In brief, one
// line per answer (and reason) with the numbers of the steps it leaves
// out, in question order; in full, one line per step with its reason and
// who answered when.
func (b *Bot) leftOutLines(inc *incident.Incident, c *flows.Chain, left []flows.LeftOut, lang Lang, full bool) []string {
	var lines []string
	if full {
		for _, l := range left {
			ans := leftOutAnswer(c, l, lang)
			if a, ok := inc.Answer(l.Answer.Key); ok {
				ans = tr(lang, "checklist.answered_by", ans, a.By.String(), b.when(a.At, lang))
			}
			lines = append(lines, tr(lang, "checklist.left_out_step", stepLabel(l.Step), l.Step.Title.In(lang), leftOutWhy(c, l, lang), ans))
		}
		return lines
	}
	type group struct {
		first int // the number of its question: groups in question order
		why   string
		steps []string
	}
	groups := map[string]*group{}
	var order []string
	for _, l := range left {
		ans := leftOutAnswer(c, l, lang)
		key := ans + "\x00" + l.Why.In(lang)
		g := groups[key]
		if g == nil {
			g = &group{first: 1 << 30, why: l.Why.In(lang)}
			if q := c.Question(l.Answer.Key); q != nil {
				g.first = questionNo(c, q)
			}
			groups[key] = g
			order = append(order, key)
		}
		g.steps = append(g.steps, strconv.Itoa(l.Step.Order))
	}
	slices.SortStableFunc(order, func(a, b string) int { return groups[a].first - groups[b].first })
	for _, key := range order {
		g := groups[key]
		ans, _, _ := strings.Cut(key, "\x00")
		line := tr(lang, "checklist.left_out", ans, strings.Join(g.steps, ", "), len(g.steps))
		if g.why != "" {
			line += " — " + g.why
		}
		lines = append(lines, line)
	}
	return lines
}

// leftOutBlock is a left-out step in full, as "detail N" shows it: to
// whom it would go, why it is not required, the answer with who gave it
// and when, and the answers that would require it.
func (b *Bot) leftOutBlock(inc *incident.Incident, c *flows.Chain, l flows.LeftOut, lang Lang) Block {
	s := l.Step
	lines := recipientLines(s, lang)
	lines = append(lines, tr(lang, "detail.left_out", leftOutWhy(c, l, lang)))
	if a, ok := inc.Answer(l.Answer.Key); ok {
		lines = append(lines, tr(lang, "detail.left_out_answer", leftOutAnswer(c, l, lang), a.By.String(), b.when(a.At, lang)))
	}
	lines = append(lines, tr(lang, "detail.left_out_reopen", conditionText(s.When, lang)))
	return Block{Title: "➖ " + stepLabel(s) + " — " + s.Title.In(lang), Text: strings.Join(lines, "\n")}
}
