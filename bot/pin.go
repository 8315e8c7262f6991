package bot

import (
	"context"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/bot/incident"
)

// Pin is a channel message someone marked for the main courante, with a
// 📌 reaction (:pushpin:).
type Pin struct {
	Channel   string
	MessageID string        // the platform's id of the message, for dedup
	By        incident.User // who reacted
	Author    incident.User // who wrote the message
	Text      string
	Link      string // permalink, when the platform gives one
}

// LogPin writes a pinned message in the main courante of the channel's open
// incident. A message pinned twice is logged once; a pin in a channel with
// no open incident is ignored (reported false).
func (b *Bot) LogPin(ctx context.Context, p Pin) (bool, error) {
	open, err := b.store.Open(ctx, p.Channel)
	if err != nil || len(open) == 0 {
		return false, err
	}
	text := scrub(p.Text)
	// Identifier screen (screen.go): nobody can be asked about a pin, so a
	// patient identifier in it is masked.
	text = guard.Mask(text, b.ipp(), b.cfg.Lang)
	if utf8.RuneCountInString(text) > maxNote {
		text = string([]rune(text)[:maxNote]) + "…"
	}
	logged := false
	_, err = b.store.Update(ctx, open[0].ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		if inc.Pinned[p.MessageID] {
			return nil, nil
		}
		if inc.Pinned == nil {
			inc.Pinned = map[string]bool{}
		}
		inc.Pinned[p.MessageID] = true
		logged = true
		data := map[string]string{"message": p.MessageID, "author": p.Author.String()}
		if p.Link != "" {
			data["link"] = p.Link
		}
		return []incident.Entry{{Time: b.now().UTC(), Actor: p.By.String(), Kind: incident.KindNote,
			Text: tr(b.cfg.Lang, "log.pin", p.Author.String(), text), Data: data}}, nil
	})
	if err != nil {
		return false, err
	}
	if logged {
		b.owe(ctx, open[0].ID)
	}
	return logged, nil
}
