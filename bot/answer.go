package bot

import (
	"context"
	"errors"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// answer records an answer to one of the chain's questions. A revision is a
// new record; answering the same value again changes nothing (a double
// click must not log twice).
func (b *Bot) answer(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) != 2 {
		return Reply{}, uerr(EInvalid, r.lang, "err.answer_usage")
	}
	key, raw := strings.ToLower(echo(r.cmd.args[0])), echo(r.cmd.args[1]) // both are quoted back on refusal
	var (
		q   *flows.Question
		val flows.Value
	)
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		if c == nil {
			return nil, uerr(EConflict, r.lang, "err.no_chain", inc.ID, b.structureList(r.now, r.lang))
		}
		q = findQuestion(c, key)
		if q == nil {
			return nil, uerr(ENotFound, r.lang, "err.unknown_question", echo(key), len(c.Questions), questionIDs(c))
		}
		key = q.ID
		v, err := c.ParseAnswer(key, raw)
		if err != nil {
			return nil, answerError(err, r.lang)
		}
		val = v
		if featureOff(inc, q.Feature) {
			return nil, uerr(EConflict, r.lang, "err.question_feature_off", key, q.Feature, q.Feature, q.Feature)
		}
		if !b.asked(c, inc, q) {
			return nil, uerr(EConflict, r.lang, "err.not_asked", key, conditionText(q.When, r.lang))
		}
		if prev, ok := inc.Answer(key); ok && prev.Value == v {
			return nil, uerr(EConflict, r.lang, "err.same_answer", q.Text.In(r.lang), i18n.Value(v, r.lang), prev.By.String(), b.when(prev.At, r.lang))
		}
		if inc.Answers == nil {
			inc.Answers = map[string][]incident.AnswerRecord{}
		}
		prev, revised := inc.Answer(key)
		// The record keeps the current answer; every answer and revision is
		// an entry of the main courante, so that an action reads and writes
		// the same few bytes after 2 000 revisions as after none.
		inc.Answers[key] = []incident.AnswerRecord{{Value: v, By: r.ev.User, At: r.now}}
		data := map[string]string{"key": key, "value": string(v)}
		text := tr(b.cfg.Lang, "log.answer", q.Text.In(b.cfg.Lang), i18n.Value(v, b.cfg.Lang))
		if revised {
			data["previous"] = string(prev.Value)
			text = tr(b.cfg.Lang, "log.answer_revised", q.Text.In(b.cfg.Lang), i18n.Value(prev.Value, b.cfg.Lang), i18n.Value(v, b.cfg.Lang))
		}
		return []incident.Entry{r.entry(incident.KindAnswer, text, data)}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "answer.ok", inc.ID, q.Text.In(r.lang), i18n.Value(val, r.lang))}, nil
}

// asked reports whether q is asked given the incident's answers: a question
// whose own condition fails is not. Its answer may still be revised while
// its condition holds.
func (b *Bot) asked(c *flows.Chain, inc *incident.Incident, q *flows.Question) bool {
	if q.Feature != "" && !inc.Features[q.Feature] {
		return false
	}
	in := inc.Inputs()
	for _, cl := range q.When {
		a, ok := in.Answers[cl.Key]
		if !ok || a.Value != cl.Value {
			return false
		}
		if !b.asked(c, inc, c.Question(cl.Key)) {
			return false
		}
	}
	return true
}

// answerError is ParseAnswer's error in lang: the values accepted are
// named as a person of lang types them.
func answerError(err error, lang Lang) error {
	var bad *flows.BadAnswerError
	var unknown *flows.UnknownQuestionError
	switch {
	case errors.As(err, &bad):
		accepted := make([]string, len(bad.Accepted))
		for i, v := range bad.Accepted {
			accepted[i] = typedValue(v, lang)
		}
		return uerr(EInvalid, lang, "err.bad_answer", bad.Question, echo(bad.Value), strings.Join(accepted, ", "))
	case errors.As(err, &unknown):
		return uerr(ENotFound, lang, "err.unknown_question", echo(unknown.Key), len(unknown.Accepted), strings.Join(unknown.Accepted, ", "))
	}
	return err
}

// typedValue is an answer as a person of lang types it: oui, non, inconnu;
// a question's own answers are typed as they are.
func typedValue(v flows.Value, lang Lang) string {
	switch v {
	case flows.Yes, flows.No, flows.Unknown:
		return tr(lang, "typed."+string(v))
	}
	return string(v)
}

// conditionText is a condition as a person of lang would type the answers
// that make it true: "capacity_impact=oui et malicious=oui".
func conditionText(cond flows.Condition, lang Lang) string {
	parts := make([]string, len(cond))
	for i, cl := range cond {
		parts[i] = cl.Key + "=" + typedValue(cl.Value, lang)
	}
	return strings.Join(parts, tr(lang, "word.and"))
}
