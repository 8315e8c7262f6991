package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot/draft"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/notice"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// This file tells a surface that edits a command line (the terminal's Tab)
// what may come next, from the command grammar (verbs, optionKeys) and the
// incident of the channel: its step keys, its question keys and their
// values. It changes nothing.

// typedVerbs are the words offered for a verb, French then English, one
// spelling each (verbs also takes "répondre", "état"…).
var typedVerbs = []string{
	"ouvrir", "statut", "detail", "repondre", "fait", "sans-objet", "rappel", "note", "point", "t0", "exporter", "brouillon", "clore", "chaine", "role", "confirmer", "releve", "message", "liste", "aide",
	"open", "status", "answer", "done", "na", "snooze", "export", "draft", "close", "chain", "confirm", "handover", "list", "help",
}

// LooksLikeCommand says whether line starts like a command: a verb, after
// an optional #ID. A surface asking for a field's value asks before taking
// such a line as the value: it is more likely a command typed at the wrong
// prompt than a reason.
func LooksLikeCommand(line string) bool {
	words := strings.Fields(line)
	if len(words) > 0 && strings.HasPrefix(words[0], "#") {
		words = words[1:]
	}
	if len(words) == 0 {
		return false
	}
	_, ok := verbs[strings.ToLower(words[0])]
	return ok
}

// Complete returns what the last word of line, as typed so far in channel,
// may become: whole words, each to replace that last word. The first word
// is a verb; after a verb that names a step come the step keys of the
// channel's open incident (those still pending for fait, sans-objet and
// rappel), then the verb's key= options and the means for via=; after
// repondre, the incident's question keys, then the values in the
// person's language; after detail, every step key and question (Q1 or
// its key).
func (b *Bot) Complete(ctx context.Context, channel, line string, lang Lang) []string {
	if lang == "" {
		lang = b.cfg.Lang
	}
	words := strings.Fields(line)
	if line == "" || strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
		words = append(words, "")
	}
	id := ""
	if len(words) > 1 && strings.HasPrefix(words[0], "#") {
		id, words = strings.TrimPrefix(words[0], "#"), words[1:]
	}
	last := words[len(words)-1]
	if len(words) == 1 {
		return withPrefix(typedVerbs, last)
	}
	verb := verbs[strings.ToLower(words[0])]
	pos := len(words) - 1 // 1: the word after the verb
	if k, _, ok := strings.Cut(last, "="); ok {
		return withPrefix(optionValues(verb, strings.ToLower(k), lang), last)
	}
	var cands []string
	switch verb {
	case "done", "na", "snooze":
		if pos == 1 {
			cands = b.stepKeys(ctx, channel, id)
		} else if verb == "done" {
			cands = optionNames(verb)
		}
	case "answer":
		switch pos {
		case 1:
			cands = b.questionKeys(ctx, channel, id)
		case 2:
			for _, v := range []flows.Value{flows.Yes, flows.No, flows.Unknown} {
				cands = append(cands, typedValue(v, lang))
			}
		}
	case "detail":
		if pos == 1 {
			cands = b.detailRefs(ctx, channel, id)
		}
	case "export":
		if pos == 1 {
			cands = report.ExportFormats
		}
	case "draft":
		if pos == 1 {
			cands = []string{"cnil", "cert-sante", "anssi"}
		}
	case "message":
		if pos == 1 {
			cands = notice.Typed(lang)
		}
	case "chain":
		if pos == 1 {
			cands = b.cat.IDs()
		}
	case "close":
		if pos == 1 {
			cands = []string{"confirmer"}
			if lang == flows.EN {
				cands = []string{"confirm"}
			}
		}
	case "open", "point":
		cands = optionNames(verb)
	}
	return withPrefix(cands, last)
}

// optionNames are a verb's key= options as they are typed, "via=".
func optionNames(verb string) []string {
	var out []string
	for _, k := range optionKeys[verb] {
		switch k {
		case "masquer", "mask", "forcer", "force", "channel", "needs", "exercise":
			continue // the screen's answers and English aliases: not offered
		}
		out = append(out, k+"=")
	}
	return out
}

// optionValues are the values offered after key= of a verb, written whole
// ("via=portail").
func optionValues(verb, key string, lang Lang) []string {
	var vals []string
	switch {
	case verb == "done" && key == "via":
		vals = incident.Means
	case verb == "open" && key == "exercice":
		vals = []string{"oui", "non"}
	case verb == "open" && key == "flow":
		return nil // chain ids hold a slash; the chain verb completes them
	case verb == "draft" && slices.Contains(draft.Options, key):
		return nil
	}
	out := make([]string, len(vals))
	for i, v := range vals {
		out[i] = key + "=" + v
	}
	return out
}

// openIncident is the incident a completion is about: #id, or the only
// open incident of channel; nil when there is none.
func (b *Bot) openIncident(ctx context.Context, channel, id string) *incident.Incident {
	if id != "" {
		inc, err := b.store.Incident(ctx, id)
		if err != nil {
			return nil
		}
		return inc
	}
	open, err := b.store.Open(ctx, channel)
	if err != nil || len(open) != 1 {
		return nil
	}
	return open[0]
}

// stepKeys are the keys of the incident's steps still to settle, in the
// chain's order.
func (b *Bot) stepKeys(ctx context.Context, channel, id string) []string {
	inc, c := b.openChain(ctx, channel, id)
	if c == nil {
		return nil
	}
	plan := flows.Evaluate(c, inc.Inputs())
	var out []string
	for _, p := range plan.Steps {
		if st := inc.Steps[p.Step.ID]; st == nil || st.Status == incident.StepPending {
			out = append(out, p.Step.ID)
		}
	}
	return out
}

// openChain is the open incident completions are about, and its chain;
// a nil chain when there is none.
func (b *Bot) openChain(ctx context.Context, channel, id string) (*incident.Incident, *flows.Chain) {
	inc := b.openIncident(ctx, channel, id)
	if inc == nil {
		return nil, nil
	}
	return inc, b.chainOrNil(inc)
}

// detailRefs are what "detail" names in the incident's chain: every step
// by its key, then every question by its number (Q1) and by its key.
func (b *Bot) detailRefs(ctx context.Context, channel, id string) []string {
	_, c := b.openChain(ctx, channel, id)
	if c == nil {
		return nil
	}
	var out []string
	for _, s := range c.Steps {
		out = append(out, s.ID)
	}
	for _, q := range c.Questions {
		out = append(out, "Q"+strconv.Itoa(questionNo(c, q)))
	}
	for _, q := range c.Questions {
		out = append(out, q.ID)
	}
	return out
}

// questionKeys are the keys of the questions the incident's chain asks
// now, then of those answered (an answer can be revised).
func (b *Bot) questionKeys(ctx context.Context, channel, id string) []string {
	inc, c := b.openChain(ctx, channel, id)
	if c == nil {
		return nil
	}
	var out []string
	for _, q := range flows.Evaluate(c, inc.Inputs()).Questions {
		out = append(out, q.ID)
	}
	for _, q := range c.Questions {
		if _, ok := inc.Answer(q.ID); ok && !slices.Contains(out, q.ID) && b.asked(c, inc, q) {
			out = append(out, q.ID)
		}
	}
	return out
}

// withPrefix keeps the candidates that start with prefix, ignoring case.
func withPrefix(cands []string, prefix string) []string {
	var out []string
	p := strings.ToLower(prefix)
	for _, c := range cands {
		if strings.HasPrefix(strings.ToLower(c), p) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
