package bot

import (
	"context"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
)

// listMax is how many incidents liste shows in the chat: the last ones,
// those a crisis cell looks back to; vigie liste on the server shows every
// one, with filters.
const listMax = 20

// list shows the incidents of the channel, open and closed, latest T0
// first (liste). It reads the store's summaries (PastStore), changes
// nothing and writes nothing in any main courante: looking back is not an
// action of the crisis.
func (b *Bot) list(ctx context.Context, r *request) (Reply, error) {
	if r.cmd.incident != "" || len(r.cmd.args) > 0 {
		return Reply{}, uerr(EInvalid, r.lang, "err.list_usage")
	}
	ps, ok := b.store.(PastStore)
	if !ok {
		return Reply{}, uerr(EConflict, r.lang, "err.no_list")
	}
	if err := b.authorize(ctx, r, &incident.Incident{Channel: r.ev.Channel}); err != nil {
		return Reply{}, err
	}
	past, err := ps.Past(ctx, r.ev.Channel)
	if err != nil {
		return Reply{}, err
	}
	if len(past) == 0 {
		return Reply{Text: tr(r.lang, "list.none", b.prefix())}, nil
	}
	lines := make([]string, 0, min(len(past), listMax))
	for _, s := range past[:min(len(past), listMax)] {
		lines = append(lines, b.listLine(s, r.lang))
	}
	blocks := []Block{{Text: strings.Join(lines, "\n")}}
	if more := len(past) - listMax; more > 0 {
		blocks = append(blocks, Block{Text: tr(r.lang, "list.more", more)})
	}
	blocks = append(blocks, Block{Text: tr(r.lang, "list.footer", b.prefix(), past[0].ID)})
	return Reply{Message: &Message{Title: tr(r.lang, "list.title", len(past)), Blocks: blocks}}, nil
}

// listLine is one incident of the listing: "#2026-0003 · ouvert · T0
// 24/11/2026 03:10 · ouverture 24/11/2026 03:10 · Messagerie compromise ·
// nouvelle-aquitaine/es-esms".
func (b *Bot) listLine(s incident.Summary, lang Lang) string {
	state := tr(lang, "list.open")
	if s.Status == incident.StatusClosed {
		state = tr(lang, "list.closed")
	}
	title := strings.Join(strings.Fields(s.Title), " ")
	if s.Exercise {
		title = markTitle(lang, title) // as on its card: 🧪 EXERCICE — …
	}
	parts := []string{"#" + s.ID, state, tr(lang, "list.t0", b.when(s.T0, lang)), tr(lang, "list.opened", b.when(s.OpenedAt, lang)), title}
	if s.Chain != "" {
		parts = append(parts, s.Chain)
	}
	return strings.Join(parts, " · ")
}
