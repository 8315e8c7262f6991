package bot

import (
	"context"
	"fmt"
	"strings"
)

// helpCommands are the commands "aide" shows, in order; each has its
// syntax (help.cmd.) and an example (help.ex.) in the catalogue.
var helpCommands = []string{"open", "status", "detail", "answer", "done", "na", "snooze", "note", "point", "t0", "export", "draft", "close", "chain", "role", "confirm", "handover", "message", "list", "help"}

func (b *Bot) help(ctx context.Context, r *request) (Reply, error) {
	if r.cmd.incident != "" && r.cmd.word == "" {
		// "#ID" alone: show that incident.
		return b.status(ctx, r)
	}
	var lines []string
	for _, c := range helpCommands {
		lines = append(lines, fmt.Sprintf("%s%s\n    %s %s%s", b.prefix(), tr(r.lang, "help.cmd."+c), tr(r.lang, "help.example"), b.prefix(), tr(r.lang, "help.ex."+c)))
	}
	m := Message{Title: tr(r.lang, "help.title"), Blocks: []Block{
		{Text: strings.Join(lines, "\n")},
		{Text: tr(r.lang, "help.footer", strings.Join(meansTyped(r.lang), ", "))},
	}}
	return Reply{Message: &m}, nil
}
