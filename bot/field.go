package bot

import (
	"context"
	"errors"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/draft"
	"github.com/vigie-sante/vigie/bot/incident"
)

// This file checks the fields of a dialog one at a time, for the surfaces
// that ask them one at a time (the terminal): a value is refused as it is
// typed, with the reason, instead of the whole form at the end. Each rule
// is the one the handler of the submitted dialog applies, by the same
// helpers and limits (parseWhen, normalizeMeans, maxRef, maxNote), so
// that a value accepted here is not refused there; field_test.go holds
// them to it.

// CheckField checks value, typed for the field name of dialog d by the
// person of ev, as the handler of the submitted dialog will, and returns
// it as that handler will read it (a select's option value for its label,
// the value trimmed). An empty value is refused when the field is
// required; the caller puts a field's default in first. The error is
// meant for the person (ErrorMessage).
func (b *Bot) CheckField(ctx context.Context, ev Event, d *Dialog, name, value string) (string, error) {
	lang := ev.Lang
	if lang == "" {
		lang = b.cfg.Lang
	}
	i := slices.IndexFunc(d.Fields, func(f DialogField) bool { return f.Name == name })
	if i < 0 {
		return "", Errorf(EInvalid, "unknown field %q", name) // a caller's mistake
	}
	f := d.Fields[i]
	v, err := cleanInput(value, name, lang)
	if err != nil {
		return "", err
	}
	v = strings.TrimSpace(v)
	if v == "" {
		if f.Optional {
			return "", nil
		}
		if cmd, err := parseCommand(d.Action, lang); err == nil && cmd.verb == "draft" && len(cmd.args) > 0 {
			// A fact not known yet: the draft can be had with blanks.
			return "", uerr(EInvalid, lang, "err.fact_required", f.Label, b.prefix(), cmd.incident, cmd.args[0])
		}
		return "", uerr(EInvalid, lang, "err.field_required", f.Label)
	}
	cmd, err := parseCommand(d.Action, lang)
	if err != nil {
		return "", err
	}
	if err := b.checkStep(ctx, cmd, lang); err != nil {
		return "", err
	}
	if len(f.Options) > 0 {
		typed := v
		if cmd.verb == "done" && name == "via" {
			typed = normalizeMeans(strings.ToLower(v))
		}
		o := slices.IndexFunc(f.Options, func(o Option) bool {
			return strings.EqualFold(typed, o.Value) || strings.EqualFold(v, o.Label)
		})
		if o < 0 {
			var accepted []string
			for _, o := range f.Options {
				accepted = append(accepted, o.Label)
			}
			return "", uerr(EInvalid, lang, "err.field_option", echo(v), f.Label, strings.Join(accepted, ", "))
		}
		return f.Options[o].Value, nil
	}
	tooLong := utf8.RuneCountInString(v) > maxNote
	switch {
	case cmd.verb == "done" && name == "ref" && utf8.RuneCountInString(v) > maxRef:
		err = uerr(EInvalid, lang, "err.ref_long", maxRef)
	case cmd.verb == "done" && name == "note" && tooLong:
		err = uerr(EInvalid, lang, "err.note_long", maxNote)
	case cmd.verb == "done" && name == "at":
		err = b.checkDeclared(ctx, cmd, v, lang)
	case cmd.verb == "na" && tooLong:
		err = uerr(EInvalid, lang, "err.reason_long", maxNote)
	case cmd.verb == "point" && tooLong:
		err = uerr(EInvalid, lang, "err.point_long", name, maxNote)
	case cmd.verb == "draft" && tooLong:
		err = uerr(EInvalid, lang, "err.fact_long", name, maxNote)
	case cmd.verb == "draft":
		if err = checkFact(name, v, lang); err == nil {
			v = draft.Normalize(name, v)
		}
	}
	if err != nil {
		return "", err
	}
	return v, nil
}

// checkStep refuses at the first field a dialog about a step the
// incident cannot act on, as its handler would at the end.
func (b *Bot) checkStep(ctx context.Context, cmd *command, lang Lang) error {
	if (cmd.verb != "done" && cmd.verb != "na") || cmd.incident == "" || len(cmd.args) == 0 {
		return nil
	}
	inc, err := b.store.Incident(ctx, cmd.incident)
	if errors.Is(err, incident.ErrNotFound) {
		return uerr(ENotFound, lang, "err.no_incident", echo(cmd.incident))
	}
	if err != nil {
		return err
	}
	c, err := b.chainOf(inc)
	if err != nil {
		return err
	}
	_, _, err = b.stepInPlan(&request{lang: lang}, inc, c, cmd.args[0])
	return err
}

// checkDeclared checks the time a notification was made as done does: a
// time that happened, not before the incident's T0.
func (b *Bot) checkDeclared(ctx context.Context, cmd *command, v string, lang Lang) error {
	now := b.now().UTC()
	t, err := parseWhen(v, now, lang)
	if err != nil {
		return err
	}
	if cmd.incident == "" {
		return nil
	}
	inc, err := b.store.Incident(ctx, cmd.incident)
	if errors.Is(err, incident.ErrNotFound) {
		return uerr(ENotFound, lang, "err.no_incident", echo(cmd.incident))
	}
	if err != nil {
		return err
	}
	if t.Before(inc.T0) {
		// A form has no at=: say what to type in the field instead.
		return uerr(EInvalid, lang, "err.before_t0_field", b.when(t, lang), b.when(inc.T0, lang), b.prefix())
	}
	return nil
}
