package console

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot"
)

// Run reads commands until EOF or ctx ends, hands each to h and prints the
// reply. A number typed alone clicks the button shown with that key.
func (c *Console) Run(ctx context.Context, h Handler) error {
	if c.opt.TTY {
		c.printf("%s\n\n", c.tr("banner"))
	}
	for {
		if ctx.Err() != nil {
			return nil
		}
		line, err := c.readLine("vigie> ")
		if errors.Is(err, io.EOF) {
			if line == "" {
				return nil
			}
		} else if err != nil {
			return err
		}
		line = strings.TrimSpace(line)
		if line != "" && !strings.HasPrefix(line, "//") {
			c.dispatch(ctx, h, line, bot.Event{Text: line})
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readLine prompts on a terminal and reads one line. Without a terminal the
// line read is echoed, so that a transcript shows what was typed.
func (c *Console) readLine(prompt string) (string, error) {
	if c.opt.TTY {
		c.printf("%s", prompt)
	}
	line, err := c.in.ReadString('\n')
	if !c.opt.TTY && strings.TrimSpace(line) != "" {
		c.printf("%s%s\n", prompt, visible(strings.TrimRight(line, "\r\n")))
	}
	return line, err
}

// printf writes to Out under mu: reminders are posted from another
// goroutine while the console talks with the person.
func (c *Console) printf(format string, args ...any) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.opt.Out, format, args...)
}

// command strips the trigger from a typed line: "/incident note x" is
// "note x", but "/incidents" is not "s".
func (c *Console) command(line string) string {
	if rest, ok := strings.CutPrefix(line, c.opt.Trigger); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
		return strings.TrimSpace(rest)
	}
	return line
}

func (c *Console) dispatch(ctx context.Context, h Handler, line string, ev bot.Event) {
	c.mu.Lock()
	if action, ok := c.buttons[line]; ok {
		ev.Text = action
	} else if _, err := strconv.Atoi(line); err == nil {
		fmt.Fprintf(c.opt.Out, "%s\n\n", c.tr("no_button", line))
		c.mu.Unlock()
		return
	} else {
		ev.Text = c.command(line)
	}
	c.mu.Unlock()
	ev.Channel, ev.User, ev.Dialogs = Channel, c.opt.User, c.opt.TTY
	reply := h.Handle(ctx, ev)
	if reply.Dialog != nil {
		fields, ok := c.ask(reply.Dialog)
		if !ok {
			c.printf("%s\n\n", c.tr("cancelled"))
			return
		}
		reply = h.Handle(ctx, bot.Event{Channel: Channel, User: c.opt.User, Text: reply.Dialog.Action, Fields: fields, Dialogs: false})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if reply.Message != nil {
		c.printMessage(*reply.Message)
	} else if reply.Text != "" {
		fmt.Fprintf(c.opt.Out, "%s\n\n", reply.Text)
	}
}

// ask fills a dialog field by field on the terminal. An empty answer takes
// the field's default, else leaves an optional field out; a select takes
// an option's number, value or label, and asks again otherwise; "."
// cancels.
func (c *Console) ask(d *bot.Dialog) (map[string]string, bool) {
	c.printf("%s\n", c.style(bold, d.Title))
	fields := map[string]string{}
	for _, f := range d.Fields {
		prompt := f.Label
		if len(f.Options) > 0 {
			var opts []string
			for i, o := range f.Options {
				opts = append(opts, fmt.Sprintf("%d=%s", i+1, o.Label))
			}
			prompt += " (" + strings.Join(opts, ", ") + ")"
		}
		if f.Help != "" {
			prompt += " — " + f.Help
		}
		if f.Default != "" {
			prompt += " [" + f.Default + "]"
		}
		for {
			v, err := c.readLine("  " + c.tr("prompt", prompt))
			v = strings.TrimSpace(v)
			if v == "." || (err != nil && v == "") {
				return nil, false
			}
			if v == "" {
				v = f.Default
			}
			if v != "" && len(f.Options) > 0 {
				var ok bool
				if v, ok = option(f.Options, v); !ok {
					continue
				}
			}
			if v == "" && !f.Optional {
				continue
			}
			if v != "" {
				fields[f.Name] = v
			}
			break
		}
	}
	return fields, true
}

// option returns the value of the option typed as its number, its value or
// its label.
func option(opts []bot.Option, typed string) (string, bool) {
	if n, err := strconv.Atoi(typed); err == nil && n >= 1 && n <= len(opts) {
		return opts[n-1].Value, true
	}
	for _, o := range opts {
		if strings.EqualFold(typed, o.Value) || strings.EqualFold(typed, o.Label) {
			return o.Value, true
		}
	}
	return "", false
}

// visible writes a line read back for the transcript with its control
// characters, bidi controls and invalid bytes escaped (\x1b, \u202e): the
// bot refuses them, and the terminal showing the transcript must not obey
// them either.
func visible(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, "\\x%02x", s[i])
		case r < 0x20 && r != '\t', r == 0x7f, r >= 0x80 && r < 0xa0:
			fmt.Fprintf(&b, "\\x%02x", r)
		case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}
