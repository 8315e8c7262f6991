package console

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot"
)

// maxDialogs bounds the dialogs that follow one another after a command.
const maxDialogs = 10

// errInterrupt is Ctrl-C at a prompt.
var errInterrupt = errors.New("interrupted")

// lines reads what the person types, a line at a time, after a prompt.
// form says the line is a dialog field's: it is not a command to keep in
// the history, and Tab completes with choices instead of commands.
type lines interface {
	readLine(prompt string, form *formField) (string, error)
}

// Run reads commands until EOF, quitter or ctx ends, hands each to h and
// prints the reply. A button's key typed alone clicks it.
func (c *Console) Run(ctx context.Context, h Handler) error {
	in, done, err := c.open(ctx, h)
	if err != nil {
		return err
	}
	left := false // by Ctrl-D or Ctrl-C: the cursor is still on the prompt's line
	defer func() {
		done()
		if left {
			// The shell's prompt comes on a line of its own.
			c.mu.Lock()
			c.write("\n")
			c.mu.Unlock()
		}
	}()
	if c.opt.TTY {
		c.println(c.tr("banner") + "\n")
	}
	interrupted := false
	for {
		if ctx.Err() != nil {
			return nil
		}
		line, err := in.readLine("vigie> ", nil)
		if errors.Is(err, errInterrupt) {
			// Ctrl-C clears the line; twice in a row, it leaves.
			if interrupted {
				left = c.opt.TTY
				return nil
			}
			interrupted = true
			c.println(c.tr("interrupt"))
			continue
		}
		interrupted = false
		if errors.Is(err, io.EOF) {
			if line == "" {
				left = c.opt.TTY
				return nil
			}
		} else if err != nil {
			return err
		}
		line = strings.TrimSpace(line)
		if isWord(quitWords, line) {
			return nil
		}
		if line != "" && !strings.HasPrefix(line, "//") {
			c.dispatch(ctx, h, in, line)
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// open returns how lines are read: a line editor on a terminal, else
// standard input as it comes, echoed.
func (c *Console) open(ctx context.Context, h Handler) (lines, func(), error) {
	if c.opt.TTY {
		return c.openTerminal(ctx, h)
	}
	return &plain{c: c, r: bufio.NewReader(c.opt.In)}, func() {}, nil
}

// plain reads lines from a stream that is not a terminal. Each line read is
// echoed after its prompt, so that a transcript shows what was typed.
type plain struct {
	c *Console
	r *bufio.Reader
}

func (p *plain) readLine(prompt string, _ *formField) (string, error) {
	line, err := p.r.ReadString('\n')
	if strings.TrimSpace(line) != "" {
		p.c.mu.Lock()
		p.c.write(prompt + visible(strings.TrimRight(line, "\r\n")) + "\n")
		p.c.mu.Unlock()
	}
	return strings.TrimRight(line, "\r\n"), err
}

// command strips the trigger from a typed line: "/incident note x" is
// "note x", but "/incidents" is not "s".
func (c *Console) command(line string) string {
	if rest, ok := strings.CutPrefix(line, c.opt.Trigger); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
		return strings.TrimSpace(rest)
	}
	return line
}

// dispatch runs one typed line: a click when it is a button's key, else a
// command; a dialog in answer is asked field by field, then submitted.
// What the bot changes meanwhile is printed with the reply, folded to fit.
func (c *Console) dispatch(ctx context.Context, h Handler, in lines, typed string) {
	ev := bot.Event{Channel: Channel, User: c.opt.User, Dialogs: c.opt.TTY}
	c.mu.Lock()
	action, refusal := c.click(typed)
	c.mu.Unlock()
	switch {
	case refusal != "":
		c.println(refusal + "\n")
		return
	case action != "":
		ev.Text, ev.Click = action, true
	default:
		ev.Text = c.command(typed)
	}
	reply := c.handle(ctx, h, ev)
	// A submitted dialog may be answered by the next one (a declaration
	// draft asks its missing facts a few at a time).
	for asked := 0; reply.Dialog != nil && asked < maxDialogs; asked++ {
		fields, ok := c.ask(ctx, h, in, reply.Dialog)
		if !ok {
			c.println(c.tr("cancelled") + "\n")
			return
		}
		// The submission may be answered by the next dialog (Dialogs): the
		// facts a draft still lacks are asked now, not left to a button.
		reply = c.handle(ctx, h, bot.Event{Channel: Channel, User: c.opt.User, Text: reply.Dialog.Action, Fields: fields, Dialogs: c.opt.TTY})
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.screen
	c.screen = nil
	if s == nil {
		s = &screen{}
	}
	if reply.Dialog == nil {
		s.reply = c.replyLines(reply)
	}
	c.print(c.layout(s))
}

// handle hands ev to h, holding back what the bot prints meanwhile to lay
// it out with the reply. When the answer is a dialog, what was held back is
// printed first, and nothing more is held while the person fills it: a
// reminder due meanwhile shows at once.
func (c *Console) handle(ctx context.Context, h Handler, ev bot.Event) bot.Reply {
	c.mu.Lock()
	if c.screen == nil {
		c.screen = &screen{}
	}
	c.mu.Unlock()
	reply := h.Handle(ctx, ev)
	if reply.Dialog != nil {
		c.mu.Lock()
		if s := c.screen; s != nil && len(s.cards) > 0 {
			c.print(c.layout(s))
		}
		c.screen = nil
		c.mu.Unlock()
	}
	return reply
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
