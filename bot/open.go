package bot

import (
	"context"
	"strings"

	"github.com/vigie-sante/vigie/flows"
)

// maxTitle bounds an incident title: it is shown on every card.
const maxTitle = 200

func (b *Bot) open(ctx context.Context, r *request) (Reply, error) {
	if r.cmd.incident != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.open_with_id")
	}
	title := strings.TrimSpace(r.cmd.rest(0))
	if title == "" {
		title = tr(b.cfg.Lang, "open.default_title")
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
		c, err := b.cat.Current(chainID, r.now)
		if err != nil {
			return Reply{}, uerr(EInvalid, r.lang, "err.unknown_chain", chainID, strings.Join(b.cat.IDs(), ", "))
		}
		chain = c
	}
	if v, ok := r.cmd.opts["canal"]; ok || r.cmd.opts["channel"] != "" {
		if v == "" {
			v = r.cmd.opts["channel"]
		}
		return Reply{}, uerr(EInvalid, r.lang, "err.no_new_channel", v)
	}
	open, err := b.store.Open(ctx, r.ev.Channel)
	if err != nil {
		return Reply{}, err
	}
	if len(open) > 0 {
		return Reply{}, uerr(EConflict, r.lang, "err.already_open", open[0].ID)
	}
	inc := &Incident{
		Title: title, T0: t0, OpenedBy: r.ev.User, OpenedAt: r.now, Channel: r.ev.Channel,
		Status: StatusOpen, Features: copyFeatures(b.cfg.Features), Wake: r.now,
	}
	data := map[string]string{"title": title, "t0": t0.Format(rfc3339)}
	if chain != nil {
		inc.Chain, inc.Version = chain.ID, chain.Version
		data["chain"], data["version"] = chain.ID, chain.Version
	}
	entries := []Entry{r.entry(KindOpened, tr(b.cfg.Lang, "log.opened", title, b.when(t0, b.cfg.Lang)), data)}
	inc, err = b.store.Create(ctx, inc, entries)
	if err != nil {
		return Reply{}, err
	}
	b.log.Info("incident opened", "incident", inc.ID, "flow", inc.Chain, "channel", inc.Channel)
	b.refresh(ctx, inc.ID)
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
	chain, err := b.cat.Current(id, r.now)
	if err != nil {
		return Reply{}, uerr(EInvalid, r.lang, "err.unknown_chain", id, strings.Join(b.cat.IDs(), ", "))
	}
	inc, err := b.change(ctx, r, func(inc *Incident, c *flows.Chain) ([]Entry, error) {
		if c != nil {
			if c.ID == chain.ID {
				return nil, uerr(EConflict, r.lang, "err.chain_same", inc.ID, c.ID)
			}
			return nil, uerr(EConflict, r.lang, "err.chain_pinned", inc.ID, c.ID, c.Version)
		}
		inc.Chain, inc.Version = chain.ID, chain.Version
		return []Entry{r.entry(KindChain, tr(b.cfg.Lang, "log.chain", chain.Title.In(b.cfg.Lang), chain.ID, chain.Version),
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
	inc, err := b.change(ctx, r, func(inc *Incident, c *flows.Chain) ([]Entry, error) {
		if inc.T0.Equal(t0) {
			return nil, uerr(EConflict, r.lang, "err.t0_same", b.when(t0, r.lang))
		}
		old := inc.T0
		inc.T0 = t0
		return []Entry{r.entry(KindT0, tr(b.cfg.Lang, "log.t0", b.when(old, b.cfg.Lang), b.when(t0, b.cfg.Lang)),
			map[string]string{"old": old.Format(rfc3339), "new": t0.Format(rfc3339)})}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "t0.ok", inc.ID, b.when(t0, r.lang))}, nil
}
