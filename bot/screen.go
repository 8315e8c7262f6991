package bot

import (
	"context"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/bot/incident"
)

// This file screens for patient identifiers (package guard) the commands
// whose text reaches the main courante. A command whose text looks like it
// holds a NIR or an IPP is not recorded: the reply says so and offers the
// same command with the identifiers masked (a button, and the typed
// option masquer=oui). forcer=oui records the text as typed; that choice is
// itself written in the main courante and in the operators' log.

// guardedVerbs are the commands whose free text is recorded: a title, a
// note, a situation point, a proof (reference, note), a reason, the facts
// of a declaration.
var guardedVerbs = []string{"open", "note", "point", "done", "na", "draft"}

func init() {
	for _, v := range guardedVerbs {
		optionKeys[v] = append(slices.Clip(optionKeys[v]), "masquer", "mask", "forcer", "force")
	}
}

// ipp is the deployment's IPP pattern, DefaultIPP unless configured.
func (b *Bot) ipp() *regexp.Regexp {
	if b.cfg.IPP != nil {
		return b.cfg.IPP
	}
	return guard.DefaultIPP
}

// guarded runs h on r unless r's text looks like it holds a patient
// identifier and the person did not say what to do with it.
func (b *Bot) guarded(ctx context.Context, r *request, h handler) (Reply, error) {
	if !slices.Contains(guardedVerbs, r.cmd.verb) {
		return h(b, ctx, r)
	}
	o := r.cmd.opts
	mask := yes(o["masquer"]) || yes(o["mask"])
	force := yes(o["forcer"]) || yes(o["force"])
	for _, k := range []string{"masquer", "mask", "forcer", "force"} {
		delete(o, k)
	}
	if mask && force {
		return Reply{}, uerr(EInvalid, r.lang, "err.guard_both")
	}
	nir, ipp := false, false
	for _, s := range guardedTexts(r.cmd) {
		n, i := guard.Found(s, b.ipp())
		nir, ipp = nir || n, ipp || i
	}
	if !nir && !ipp {
		return h(b, ctx, r)
	}
	what := guardWhat(nir, ipp, r.lang)
	switch {
	case mask:
		b.maskCommand(r.cmd)
		return h(b, ctx, r)
	case force:
		// Info, not a warning: the person chose it, the main courante
		// records it (KindGuard), and the terminal, which shows warnings
		// to the person typing, must not print a log line in the middle
		// of the conversation.
		b.log.Info("patient identifier recorded as typed (forcer=oui)", "verb", r.cmd.verb, "user", r.ev.User.ID,
			"channel", r.ev.Channel, "nir", nir, "ipp", ipp)
		reply, err := h(b, ctx, r)
		if err != nil || reply.Error || reply.Dialog != nil {
			return reply, err
		}
		b.logForced(ctx, r, nir, ipp)
		reply.Text = "⚠️ " + tr(r.lang, "guard.forced", what) + "\n" + reply.Text
		return reply, nil
	}
	masked := &command{incident: r.cmd.incident, verb: r.cmd.verb, word: r.cmd.word, opts: map[string]string{}}
	masked.args = slices.Clone(r.cmd.args)
	for k, v := range r.cmd.opts {
		masked.opts[k] = v
	}
	b.maskCommand(masked)
	action := commandLine(masked)
	if len(action) > maxMaskedAction {
		// Too long for a button (Slack cuts button values at 2000
		// bytes, and a cut note must not be recorded): typed only.
		msg := tr(r.lang, "guard.refused", what) + "\n" + tr(r.lang, "guard.how_long")
		return Reply{Error: true, Text: "⚠️ " + msg}, nil
	}
	msg := tr(r.lang, "guard.refused", what) + "\n" + tr(r.lang, "guard.how", b.prefix(), action)
	return Reply{Error: true, Text: "⚠️ " + msg, Message: &Message{Blocks: []Block{{
		Text:    "⚠️ " + msg,
		Buttons: []Button{{Label: tr(r.lang, "button.record_masked"), Action: action, Style: StylePrimary}},
	}}}}, nil
}

// maxMaskedAction bounds the command a "record masked" button carries.
const maxMaskedAction = 1900

// guardedTexts are the words and option values of c a person wrote.
func guardedTexts(c *command) []string {
	out := []string{strings.Join(c.args, " ")}
	for _, v := range c.opts {
		out = append(out, v)
	}
	return out
}

// maskCommand masks the identifiers in c's words and option values. Args
// are masked joined, as handlers read them (a NIR typed with spaces spans
// several words), then split again.
func (b *Bot) maskCommand(c *command) {
	lang := b.cfg.Lang
	if len(c.args) > 0 {
		// The first word of done, na, draft is a step or a target, never
		// text: keep it apart so that it stays the first word.
		first := 0
		if c.verb == "done" || c.verb == "na" || c.verb == "draft" {
			first = 1
		}
		head := c.args[:first]
		joined := guard.Mask(strings.Join(c.args[first:], " "), b.ipp(), lang)
		c.args = append(slices.Clone(head), strings.Fields(joined)...)
	}
	for k, v := range c.opts {
		c.opts[k] = guard.Mask(v, b.ipp(), lang)
	}
}

// logForced writes in the main courante that an identifier was recorded as
// typed, after the command did.
func (b *Bot) logForced(ctx context.Context, r *request, nir, ipp bool) {
	var id string
	if r.cmd.verb == "open" {
		open, err := b.store.Open(ctx, r.ev.Channel)
		if err != nil || len(open) == 0 {
			return // opened elsewhere (canal=nouveau): the log above is all
		}
		id = open[len(open)-1].ID
	} else {
		inc, err := b.target(ctx, r)
		if err != nil {
			return
		}
		id = inc.ID
	}
	var kinds []string
	if nir {
		kinds = append(kinds, "nir")
	}
	if ipp {
		kinds = append(kinds, "ipp")
	}
	_, err := b.store.Update(ctx, id, func(inc *incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{r.entry(incident.KindGuard, tr(b.cfg.Lang, "log.guard_forced", guardWhat(nir, ipp, b.cfg.Lang), r.cmd.word),
			map[string]string{"identifier": strings.Join(kinds, ","), "command": r.cmd.verb})}, nil
	})
	if err != nil {
		b.log.Error("log forced identifier", "incident", id, "err", err)
	}
}

func guardWhat(nir, ipp bool, lang Lang) string {
	switch {
	case nir && ipp:
		return tr(lang, "guard.what_both")
	case nir:
		return tr(lang, "guard.what_nir")
	}
	return tr(lang, "guard.what_ipp")
}

// commandLine writes c back as a typed command: "#ID word args… key=value".
// A value with spaces is quoted; the tokenizer has no escape for quotes,
// so quotes inside a value (only a dialog can submit them) become their
// single-angle or straight equivalents. An option the verb does not take
// as key=value (the reason a dialog submits for "na") is written as words.
func commandLine(c *command) string {
	var parts []string
	if c.incident != "" {
		parts = append(parts, "#"+c.incident)
	}
	parts = append(parts, c.word)
	for _, a := range c.args {
		parts = append(parts, quoteWord(a))
	}
	keys := make([]string, 0, len(c.opts))
	for k := range c.opts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if contains(optionKeys[c.verb], k) {
			parts = append(parts, k+"="+quoteWord(c.opts[k]))
		} else if v := strings.TrimSpace(c.opts[k]); v != "" {
			parts = append(parts, quoteWord(v))
		}
	}
	return strings.Join(parts, " ")
}

var quoteReplacer = strings.NewReplacer(`"`, "'", "«", "‹", "»", "›", "“", "'", "”", "'")

func quoteWord(s string) string {
	s = quoteReplacer.Replace(s)
	if s == "" || strings.IndexFunc(s, unicode.IsSpace) >= 0 {
		return `"` + s + `"`
	}
	return s
}
