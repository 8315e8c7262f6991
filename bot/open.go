package bot

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

func (b *Bot) open(ctx context.Context, r *request) (Reply, error) {
	if r.cmd.incident != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.open_with_id")
	}
	exercise, err := exerciseOption(r) // before the title: the word is not part of it
	if err != nil {
		return Reply{}, err
	}
	title := strings.TrimSpace(r.cmd.rest(0))
	if title == "" {
		title = tr(b.cfg.Lang, "open.default_title")
		if exercise {
			title = tr(b.cfg.Lang, "open.default_title_exercise")
		}
	}
	if len([]rune(title)) > maxTitle {
		return Reply{}, uerr(EInvalid, r.lang, "err.title_long", maxTitle)
	}
	t0 := r.now
	if s, ok := r.cmd.opts["t0"]; ok {
		t, err := parseWhen(s, r.now, r.lang)
		if err != nil {
			return Reply{}, err
		}
		t0 = t
	}
	var chain *flows.Chain
	chainID := b.cfg.Chain
	if s, ok := r.cmd.opts["flow"]; ok {
		chainID = s
	}
	if chainID != "" {
		// The chain in force when the incident became known, not when it
		// was opened in Vigie (a T0 of last night, typed this morning).
		c, err := b.cat.Current(chainID, t0)
		if err != nil {
			return Reply{}, uerr(EInvalid, r.lang, "err.unknown_chain", echo(chainID), strings.Join(b.cat.IDs(), ", "))
		}
		chain = c
	}
	channel := r.ev.Channel
	newChannel := false
	if v, ok := r.cmd.opts["canal"]; ok || r.cmd.opts["channel"] != "" {
		if v == "" {
			v = r.cmd.opts["channel"]
		}
		if v != "nouveau" && v != "new" {
			return Reply{}, uerr(EInvalid, r.lang, "err.channel_value", echo(v))
		}
		if _, ok := b.chat.(ChannelCreator); !ok {
			return Reply{}, uerr(EInvalid, r.lang, "err.no_new_channel", echo(v))
		}
		newChannel = true
	}
	// The check and the creation must not interleave with another opening:
	// a double click would open the incident twice.
	b.openMu.Lock()
	defer b.openMu.Unlock()
	if !newChannel {
		open, err := b.store.Open(ctx, channel)
		if err != nil {
			return Reply{}, err
		}
		if len(open) > 0 {
			if open[0].Exercise && !exercise {
				// A real incident while the cell rehearses: say how to
				// get the exercise out of the way.
				key := "err.exercise_open"
				if b.cfg.Bare {
					key = "err.exercise_open_console"
				}
				return Reply{}, uerr(EConflict, r.lang, key, open[0].ID, open[0].ID)
			}
			if b.cfg.Bare {
				// The terminal is one channel: another incident needs
				// another database, in another terminal.
				return Reply{}, uerr(EConflict, r.lang, "err.already_open_console", open[0].ID)
			}
			return Reply{}, uerr(EConflict, r.lang, "err.already_open", open[0].ID)
		}
	} else {
		name := channelName(r.now, title)
		id, err := b.chat.(ChannelCreator).CreateChannel(ctx, name, tr(b.cfg.Lang, "open.channel_title", title), r.ev.Channel, r.ev.User.ID)
		if err != nil {
			return Reply{}, fmt.Errorf("create channel %s: %w", name, err)
		}
		channel = id
	}
	inc := &incident.Incident{
		Title: title, T0: t0, OpenedBy: r.ev.User, OpenedAt: r.now, Channel: channel,
		Status: incident.StatusOpen, Features: copyFeatures(b.cfg.Features), Wake: r.now, Exercise: exercise,
	}
	if newChannel {
		// The channel of opening is owed a link to the new one, delivered
		// by the outbox with the first card (outbox.go).
		inc.LinkFrom = r.ev.Channel
	}
	data := map[string]string{"title": title, "t0": t0.Format(rfc3339)}
	opened := "log.opened"
	if exercise {
		// In the opening entry, so that the hash chain proves it
		// (incident.CheckRecord).
		data["exercise"] = "yes"
		opened = "log.opened_exercise"
	}
	if chain != nil {
		inc.Chain, inc.Version = chain.ID, chain.Version
		data["chain"], data["version"] = chain.ID, chain.Version
	}
	entries := []incident.Entry{r.entry(incident.KindOpened, tr(b.cfg.Lang, opened, title, b.when(t0, b.cfg.Lang)), data)}
	entries = append(entries, b.configuredHolders(inc, r)...)
	inc, err = b.store.Create(ctx, inc, entries)
	if err != nil {
		return Reply{}, err
	}
	r.exercise = inc.Exercise
	b.log.Info("incident opened", "incident", inc.ID, "flow", inc.Chain, "channel", inc.Channel, "exercise", inc.Exercise)
	b.owe(ctx, inc.ID)
	return Reply{Text: tr(r.lang, "open.ok", inc.ID, title)}, nil
}

func copyFeatures(f map[string]bool) map[string]bool {
	if len(f) == 0 {
		return nil
	}
	out := make(map[string]bool, len(f))
	for k, v := range f {
		out[k] = v
	}
	return out
}

// setChain pins the chain of an incident opened before the structure's
// type was known. A pinned chain is never changed: the history would lose
// its meaning.
func (b *Bot) setChain(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) != 1 {
		return Reply{}, uerr(EInvalid, r.lang, "err.chain_usage", strings.Join(b.cat.IDs(), ", "))
	}
	id := r.cmd.args[0]
	if _, err := b.cat.Current(id, r.now); err != nil {
		return Reply{}, uerr(EInvalid, r.lang, "err.unknown_chain", echo(id), strings.Join(b.cat.IDs(), ", "))
	}
	var chain *flows.Chain
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		// The version in force at the incident's T0.
		chain, _ = b.cat.Current(id, inc.T0)
		if c != nil {
			if c.ID == chain.ID {
				return nil, uerr(EConflict, r.lang, "err.chain_same", inc.ID, c.ID)
			}
			return nil, uerr(EConflict, r.lang, "err.chain_pinned", inc.ID, c.ID, c.Version)
		}
		inc.Chain, inc.Version = chain.ID, chain.Version
		return []incident.Entry{r.entry(incident.KindChain, tr(b.cfg.Lang, "log.chain", chain.Title.In(b.cfg.Lang), chain.ID, chain.Version),
			map[string]string{"chain": chain.ID, "version": chain.Version})}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "chain.ok", inc.ID, chain.Title.In(r.lang))}, nil
}

// setT0 corrects the moment of prise de connaissance. Every deadline
// counted from T0 moves with it; the old value stays in the main courante.
func (b *Bot) setT0(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) != 1 {
		return Reply{}, uerr(EInvalid, r.lang, "err.t0_usage")
	}
	t0, err := parseWhen(r.cmd.args[0], r.now, r.lang)
	if err != nil {
		return Reply{}, err
	}
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		if inc.T0.Equal(t0) {
			return nil, uerr(EConflict, r.lang, "err.t0_same", b.when(t0, r.lang))
		}
		// A proof declared before T0 would say the structure notified
		// before it knew: the T0 moves no later than the first proof.
		for id, st := range inc.Steps {
			if st.Status == incident.StepDone && st.Proof != nil && st.Proof.DeclaredAt.Before(t0) {
				name := id
				if c != nil && c.Step(id) != nil {
					name = c.Step(id).Title.In(r.lang)
				}
				return nil, uerr(EConflict, r.lang, "err.t0_after_proof", b.when(t0, r.lang), name, b.when(st.Proof.DeclaredAt, r.lang))
			}
		}
		old := inc.T0
		inc.T0 = t0
		return []incident.Entry{r.entry(incident.KindT0, tr(b.cfg.Lang, "log.t0", b.when(old, b.cfg.Lang), b.when(t0, b.cfg.Lang)),
			map[string]string{"old": old.Format(rfc3339), "new": t0.Format(rfc3339)})}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	text := tr(r.lang, "t0.ok", inc.ID, b.when(t0, r.lang))
	// The pinned chain never changes; say so when the new T0 falls under
	// another version of it, or before its first one.
	if c := b.chainOrNil(inc); c != nil {
		if cur, err := b.cat.Current(c.ID, t0); err == nil && !cur.Effective.Equal(c.Effective) {
			text += "\n" + tr(r.lang, "t0.other_version", cur.Version, c.ID, c.Version)
		}
		if w := i18n.NotInForce(c, t0, r.lang); w != "" {
			text += "\n" + w
		}
	}
	return Reply{Text: text}, nil
}

// ChannelCreator is a Chat that can open a channel dedicated to an
// incident (/incident ouvrir … canal=nouveau).
type ChannelCreator interface {
	// CreateChannel creates a channel named name (lower case, digits and
	// dashes) with that display name, in the team of the channel from, adds
	// the user opener, and returns its id.
	CreateChannel(ctx context.Context, name, display, from, opener string) (string, error)
}

// ChannelMention is how a message refers to a channel by id; adapters
// render "<#id>" as a link.
func ChannelMention(id string) string { return "<#" + id + ">" }

// channelName makes a channel name from the opening time and the title:
// "crise-20261123-0210-rancongiciel-sur-le-pacs".
func channelName(at time.Time, title string) string {
	var b strings.Builder
	b.WriteString("crise-" + at.In(incident.Paris).Format("20060102-1504") + "-")
	dash := false
	for _, r := range strings.ToLower(foldAccents(title)) {
		if b.Len() >= 60 {
			break
		}
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash:
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// foldAccents maps the accented letters of French to their base letter.
func foldAccents(s string) string {
	return strings.NewReplacer("à", "a", "â", "a", "ä", "a", "ç", "c", "é", "e", "è", "e", "ê", "e", "ë", "e",
		"î", "i", "ï", "i", "ô", "o", "ö", "o", "ù", "u", "û", "u", "ü", "u", "ÿ", "y", "œ", "oe", "æ", "ae",
		"À", "a", "Â", "a", "Ç", "c", "É", "e", "È", "e", "Ê", "e", "Î", "i", "Ô", "o", "Ù", "u", "Û", "u", "Œ", "oe").Replace(s)
}
