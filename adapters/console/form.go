package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot"
)

// This file asks a dialog on the terminal, a field at a time. Each value is
// checked as it is typed, by the bot's own rules when the handler offers
// them (FieldChecker), and asked again with the reason: a bad time no
// longer throws away the whole form at the end. An empty line keeps the
// field's default; "annuler", "cancel" or Ctrl-C drops the form. A line
// that looks like a command is not taken as a value without a yes: typed
// at the wrong prompt, it would otherwise be written for good in the
// signed main courante.

// formField is the field being asked, for Tab.
type formField struct {
	field bot.DialogField
}

// ask fills d field by field and says whether the person went to the end.
func (c *Console) ask(ctx context.Context, h Handler, in lines, d *bot.Dialog) (map[string]string, bool) {
	c.println(c.style(bold, d.Title) + "\n" + c.style(dim, c.tr("form_how")))
	checker, _ := h.(FieldChecker)
	ev := bot.Event{Channel: Channel, User: c.opt.User}
	fields := map[string]string{}
	for _, f := range d.Fields {
		prompt := "  " + c.fieldPrompt(f) + c.colon()
		for {
			typed, err := in.readLine(prompt, &formField{f})
			v := strings.TrimSpace(typed)
			if errors.Is(err, errInterrupt) || (err != nil && v == "") || isWord(cancelWords, v) {
				return nil, false
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, false
			}
			if v == "" {
				v = f.Default
			} else if len(f.Options) > 0 {
				if n, err := strconv.Atoi(v); err == nil && n >= 1 && n <= len(f.Options) {
					v = f.Options[n-1].Value
				}
			} else if c.looksLikeCommand(v) {
				yes, ok := c.confirm(in, v, f.Label)
				if !ok {
					return nil, false
				}
				if !yes {
					c.println("  " + c.tr("confirm_no"))
					continue
				}
			}
			checked, problem := c.check(ctx, checker, ev, d, f, v)
			if problem != "" {
				c.println("  " + problem)
				if errors.Is(err, io.EOF) {
					return nil, false
				}
				continue
			}
			if checked != "" {
				fields[f.Name] = checked
			}
			break
		}
	}
	return fields, true
}

// fieldPrompt is a field's label with its choices numbered, its help and
// its default.
func (c *Console) fieldPrompt(f bot.DialogField) string {
	p := f.Label
	if len(f.Options) > 0 {
		var opts []string
		for i, o := range f.Options {
			opts = append(opts, fmt.Sprintf("%d=%s", i+1, o.Label))
		}
		p += " (" + strings.Join(opts, ", ") + ")"
	}
	if f.Help != "" {
		// The colon after the prompt ends the sentence: "portail :", not
		// "portail. :".
		p += " — " + strings.TrimSuffix(f.Help, ".")
	}
	if f.Default != "" {
		p += " [" + f.Default + "]"
	}
	return p
}

// check checks v for f, by the bot's rules when it has them, and returns
// the value to submit or why it is refused.
func (c *Console) check(ctx context.Context, checker FieldChecker, ev bot.Event, d *bot.Dialog, f bot.DialogField, v string) (string, string) {
	if checker != nil {
		checked, err := checker.CheckField(ctx, ev, d, f.Name, v)
		if err != nil {
			msg, ok := bot.ErrorMessage(err)
			if !ok {
				msg = err.Error()
			}
			return "", "⚠️ " + msg
		}
		return checked, ""
	}
	if v == "" {
		if f.Optional {
			return "", ""
		}
		return "", c.tr("required", f.Label)
	}
	if len(f.Options) > 0 {
		for _, o := range f.Options {
			if strings.EqualFold(v, o.Value) || strings.EqualFold(v, o.Label) {
				return o.Value, ""
			}
		}
		return "", c.tr("not_option", v)
	}
	return v, ""
}

// looksLikeCommand says whether a value typed at a field's prompt starts
// like a command: with the trigger or a verb.
func (c *Console) looksLikeCommand(v string) bool {
	if rest, ok := strings.CutPrefix(v, c.opt.Trigger); ok && (rest == "" || rest[0] == ' ') {
		return true
	}
	return bot.LooksLikeCommand(v)
}

// confirm asks whether v, which looks like a command, is the value of the
// field labelled label: yes, no, or (false ok) the form is dropped.
func (c *Console) confirm(in lines, v, label string) (yes, ok bool) {
	for {
		a, err := in.readLine("  "+c.tr("confirm", short(v), label), &formField{})
		switch {
		case errors.Is(err, errInterrupt), err != nil && strings.TrimSpace(a) == "", isWord(cancelWords, a):
			return false, false
		case isWord(yesWords, a):
			return true, true
		case isWord(noWords, a):
			return false, true
		}
		c.println("  " + c.tr("confirm_again"))
	}
}

// short cuts a value quoted back in a question.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}
