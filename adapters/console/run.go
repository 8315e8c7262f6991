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

// Run reads commands until EOF or ctx ends, hands each to h and prints the
// reply. A number typed alone clicks the button shown with that key.
func (c *Console) Run(ctx context.Context, h Handler) error {
	if c.opt.TTY {
		fmt.Fprintf(c.opt.Out, "Vigie — console. Tapez « aide » pour les commandes, Ctrl-D pour quitter.\n\n")
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
		fmt.Fprint(c.opt.Out, prompt)
	}
	line, err := c.in.ReadString('\n')
	if !c.opt.TTY && strings.TrimSpace(line) != "" {
		c.mu.Lock()
		fmt.Fprintf(c.opt.Out, "%s%s\n", prompt, strings.TrimRight(line, "\r\n"))
		c.mu.Unlock()
	}
	return line, err
}

func (c *Console) dispatch(ctx context.Context, h Handler, line string, ev bot.Event) {
	c.mu.Lock()
	if action, ok := c.buttons[line]; ok {
		ev.Text = action
	} else if _, err := strconv.Atoi(line); err == nil {
		c.mu.Unlock()
		fmt.Fprintf(c.opt.Out, "⚠️ Aucun bouton [%s] affiché.\n\n", line)
		return
	} else {
		ev.Text = strings.TrimSpace(strings.TrimPrefix(line, c.opt.Trigger))
	}
	c.mu.Unlock()
	ev.Channel, ev.User, ev.Dialogs = Channel, c.opt.User, c.opt.TTY
	reply := h.Handle(ctx, ev)
	if reply.Dialog != nil {
		fields, ok := c.ask(reply.Dialog)
		if !ok {
			fmt.Fprint(c.opt.Out, "Annulé.\n\n")
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

// ask fills a dialog field by field on the terminal. An empty answer to an
// optional field leaves it out; "." cancels.
func (c *Console) ask(d *bot.Dialog) (map[string]string, bool) {
	fmt.Fprintf(c.opt.Out, "%s\n", c.style(bold, d.Title))
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
		for {
			v, err := c.readLine("  " + prompt + " : ")
			v = strings.TrimSpace(v)
			if v == "." || (err != nil && v == "") {
				return nil, false
			}
			if n, convErr := strconv.Atoi(v); convErr == nil && n >= 1 && n <= len(f.Options) {
				v = f.Options[n-1].Value
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
