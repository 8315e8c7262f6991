package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/vigie-sante/vigie/bot/draft"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds the conversation about declaration drafts:
// "/incident brouillon cnil|cert-sante|anssi" answers with the text to
// paste into the regulator's form, which package draft writes from what the
// incident already knows and from the facts the crisis cell gives. What is
// missing is asked: a dialog where the platform has them, else a message
// naming the key=value options to type. Facts are kept on the incident
// (Incident.Facts) so that the next draft reuses them, and each draft is
// logged in the main courante with the SHA-256 of its text.

// maxDialogFields bounds the fields of one dialog; what is still missing
// after it is asked by the next.
const maxDialogFields = 5

// draft writes a declaration draft, or asks what it lacks.
func (b *Bot) draft(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) == 0 {
		return Reply{}, uerr(EInvalid, r.lang, "err.draft_usage")
	}
	tg := draft.TargetOf(r.cmd.args[0])
	if tg == nil {
		return Reply{}, uerr(EInvalid, r.lang, "err.draft_target", echo(r.cmd.args[0]))
	}
	if extra := r.cmd.rest(1); extra != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.draft_extra", echo(extra))
	}
	given := map[string]string{}
	for k, v := range r.cmd.opts {
		key, ok := draft.FactKey(k)
		if !ok {
			continue
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if len([]rune(v)) > maxNote {
			return Reply{}, uerr(EInvalid, r.lang, "err.fact_long", key, maxNote)
		}
		if err := checkFact(key, v, r.lang); err != nil {
			return Reply{}, err
		}
		v = draft.Normalize(key, v)
		if _, dup := given[key]; dup { // perimetre= and scope=
			return Reply{}, uerr(EInvalid, r.lang, "err.dup_option", key)
		}
		given[key] = v
	}
	partial := yes(r.cmd.opts["incomplet"]) || yes(r.cmd.opts["partial"])

	target, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	if target.Status == incident.StatusClosed {
		return Reply{}, uerr(EConflict, r.lang, "err.closed", target.ID)
	}
	missing := b.drafts.Missing(tg, target, given, r.now)
	if len(missing) > 0 && !partial {
		// Keep what was given, then ask the rest.
		var stored []string
		if len(given) > 0 {
			inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
				e, changed := b.storeFacts(r, inc, given)
				stored = changed
				if e == nil {
					return nil, nil
				}
				return []incident.Entry{*e}, nil
			})
			if err != nil {
				return Reply{}, err
			}
			target = inc
			missing = b.drafts.Missing(tg, inc, nil, r.now)
		}
		if r.ev.Dialogs {
			return Reply{Dialog: b.factsDialog(tg, target, missing, r)}, nil
		}
		return b.askFacts(tg, target, missing, stored, r), nil
	}
	return b.writeDraft(ctx, r, tg, given)
}

// writeDraft stores the facts given, renders the draft and logs it, in one
// transaction.
func (b *Bot) writeDraft(ctx context.Context, r *request, tg *draft.Target, given map[string]string) (Reply, error) {
	var (
		text, hash string
		missing    []string
		required   bool
	)
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		var entries []incident.Entry
		if e, _ := b.storeFacts(r, inc, given); e != nil {
			entries = append(entries, *e)
		}
		missing = b.drafts.Missing(tg, inc, nil, r.now)
		text = b.drafts.Render(tg, inc, c, r.now, b.cfg.Lang)
		sum := sha256.Sum256([]byte(text))
		hash = hex.EncodeToString(sum[:])
		required = draft.Required(tg, c, inc)
		data := map[string]string{"target": tg.ID, "sha256": hash, "facts": strings.Join(b.drafts.Used(tg, inc), ",")}
		if len(missing) > 0 {
			data["missing"] = strings.Join(missing, ",")
		}
		entries = append(entries, r.entry(incident.KindDraft, tr(b.cfg.Lang, "log.draft", tg.Name(b.cfg.Lang), hash[:12]), data))
		return entries, nil
	})
	if err != nil {
		return Reply{}, err
	}
	name := tg.Name(r.lang)
	blocks := []Block{{Text: text}}
	var notes []string
	if len(missing) > 0 {
		notes = append(notes, tr(r.lang, "draft.incomplete", b.missingList(missing, r.lang)))
	}
	if !required {
		notes = append(notes, tr(r.lang, "draft.not_required", name))
	}
	notes = append(notes, tr(r.lang, "draft.logged", hash[:12], inc.Head.Seq))
	if url := b.drafts.URL(tg, b.chainOrNil(inc)); url != "" {
		notes = append(notes, tr(r.lang, "draft.paste_into", url))
	}
	blocks = append(blocks, Block{Text: strings.Join(notes, "\n")})
	return Reply{
		Text:    tr(r.lang, "draft.ok", name, inc.ID, hash[:12]),
		Message: &Message{Title: exerciseTitle(inc, r.lang, tr(r.lang, "draft.title", name, inc.ID)), Blocks: blocks},
	}, nil
}

// checkFact refuses an identifier that is not well formed (draft.Valid),
// saying what is expected.
func checkFact(key, v string, lang Lang) error {
	switch {
	case draft.Valid(key, v):
		return nil
	case key == "siren":
		return uerr(EInvalid, lang, "err.fact_siren", echo(v))
	default:
		return uerr(EInvalid, lang, "err.fact_finess", echo(v))
	}
}

// storeFacts records on inc the facts given that differ from what it has,
// and returns the entry that logs them (nil when nothing changed) and
// their keys.
func (b *Bot) storeFacts(r *request, inc *incident.Incident, given map[string]string) (*incident.Entry, []string) {
	var changed []string
	for _, k := range draft.Facts() {
		if v, ok := given[k]; ok && inc.Facts[k] != v {
			changed = append(changed, k)
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	if inc.Facts == nil {
		inc.Facts = map[string]string{}
	}
	data := map[string]string{}
	parts := make([]string, len(changed))
	for i, k := range changed {
		inc.Facts[k] = given[k]
		data[k] = given[k]
		parts[i] = tr(b.cfg.Lang, "log.fact", draft.Label(k, b.cfg.Lang), given[k])
	}
	e := r.entry(incident.KindFacts, tr(b.cfg.Lang, "log.facts", strings.Join(parts, tr(b.cfg.Lang, "log.facts_sep"))), data)
	return &e, changed
}

// factsDialog asks the first missing facts in a dialog.
func (b *Bot) factsDialog(tg *draft.Target, inc *incident.Incident, missing []string, r *request) *Dialog {
	if len(missing) > maxDialogFields {
		missing = missing[:maxDialogFields]
	}
	d := &Dialog{
		Title:  tr(r.lang, "draft.dialog_title", tg.Short(r.lang)),
		Submit: tr(r.lang, "draft.dialog_submit"),
		Action: "#" + inc.ID + " brouillon " + tg.ID,
	}
	for _, k := range missing {
		kind := "text"
		if draft.Long(k) {
			kind = "textarea"
		}
		field := DialogField{Name: k, Label: draft.Label(k, r.lang), Kind: kind, Help: draft.Help(k, r.lang)}
		switch k {
		case "declarant":
			field.Default = r.ev.User.Name
		case "description":
			field.Default = inc.Title
		}
		d.Fields = append(d.Fields, field)
	}
	return d
}

// askFacts says what is missing and how to give it, with buttons that open
// the dialog (where there are dialogs) or write the draft with blanks.
func (b *Bot) askFacts(tg *draft.Target, inc *incident.Incident, missing, stored []string, r *request) Reply {
	name := tg.Name(r.lang)
	var text strings.Builder
	if len(stored) > 0 {
		typed := make([]string, len(stored))
		for i, k := range stored {
			typed[i] = draft.TypedKey(k, r.lang)
		}
		text.WriteString(tr(r.lang, "draft.stored", inc.ID, strings.Join(typed, ", ")) + "\n")
	}
	text.WriteString(tr(r.lang, "draft.missing", name, inc.ID, len(missing)) + "\n")
	text.WriteString(b.missingList(missing, r.lang) + "\n")
	example := make([]string, 0, 2)
	for _, k := range missing[:min(2, len(missing))] {
		example = append(example, draft.TypedKey(k, r.lang)+`="…"`)
	}
	text.WriteString(tr(r.lang, "draft.how", b.prefix(), inc.ID, tg.ID, strings.Join(example, " ")) + "\n")
	text.WriteString(tr(r.lang, "draft.partial_how", b.prefix(), inc.ID, tg.ID))
	msg := text.String()
	return Reply{Text: msg, Message: &Message{Blocks: []Block{{
		Text: msg,
		Buttons: []Button{
			{Label: tr(r.lang, "button.draft_complete"), Action: "#" + inc.ID + " brouillon " + tg.ID, Style: StylePrimary},
			{Label: tr(r.lang, "button.draft_partial"), Action: "#" + inc.ID + " brouillon " + tg.ID + " incomplet=oui"},
		},
	}}}}
}

// missingList writes one line per missing fact: how to type it and what
// it is.
func (b *Bot) missingList(missing []string, lang Lang) string {
	lines := make([]string, len(missing))
	for i, k := range missing {
		lines[i] = "• " + draft.TypedKey(k, lang) + "= " + draft.Label(k, lang) + " — " + draft.Help(k, lang)
	}
	return strings.Join(lines, "\n")
}

// yes reads a yes/no option: oui, yes, true, 1.
func yes(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "oui", "yes", "o", "y", "true", "1":
		return true
	}
	return false
}
