package bot

import (
	"context"
	"errors"
	"fmt"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Which incident a command acts on, whether the person may act on it, and
// the chain it follows.

// target finds the incident a command is about: the one named with #ID, or
// the open incident of the channel.
func (b *Bot) target(ctx context.Context, r *request) (*incident.Incident, error) {
	if id := r.cmd.incident; id != "" {
		inc, err := b.store.Incident(ctx, id)
		if errors.Is(err, incident.ErrNotFound) {
			return nil, uerr(ENotFound, r.lang, "err.no_incident", echo(id))
		}
		if err != nil {
			return nil, err
		}
		if err := b.authorize(ctx, r, inc); err != nil {
			return nil, err
		}
		r.exercise = inc.Exercise
		return inc, nil
	}
	if err := b.authorize(ctx, r, &incident.Incident{Channel: r.ev.Channel}); err != nil {
		return nil, err
	}
	open, err := b.store.Open(ctx, r.ev.Channel)
	if err != nil {
		return nil, err
	}
	switch len(open) {
	case 0:
		return nil, uerr(ENotFound, r.lang, "err.none_open", b.prefix())
	case 1:
		r.exercise = open[0].Exercise
		return open[0], nil
	}
	ids := ""
	for i, inc := range open {
		if i > 0 {
			ids += ", "
		}
		ids += "#" + inc.ID
	}
	return nil, uerr(EInvalid, r.lang, "err.several_open", ids)
}

// MemberChecker is a Chat that can tell whether a user is a member of a
// channel. Platforms where anyone can reach a button or a command in a
// channel they do not belong to (Mattermost's public channels, a forged
// callback naming another incident) implement it, and the bot refuses
// whoever is not a member of the incident's channel.
type MemberChecker interface {
	IsMember(ctx context.Context, channel, userID string) (bool, error)
}

// authorize refuses a person who is not a member of the incident's channel.
func (b *Bot) authorize(ctx context.Context, r *request, inc *incident.Incident) error {
	mc, ok := b.chat.(MemberChecker)
	if !ok {
		return nil
	}
	member, err := mc.IsMember(ctx, inc.Channel, r.ev.User.ID)
	if err != nil {
		return fmt.Errorf("membership of %s in %s: %w", r.ev.User.ID, inc.Channel, err)
	}
	if !member {
		b.log.Warn("refused: not a member of the incident's channel", "incident", inc.ID, "user", r.ev.User.ID, "channel", inc.Channel)
		return uerr(EConflict, r.lang, "err.not_member")
	}
	return nil
}

// chainOf returns the pinned chain of an incident, or nil when the
// structure's type has not been chosen yet.
func (b *Bot) chainOf(inc *incident.Incident) (*flows.Chain, error) {
	if inc.Chain == "" {
		return nil, nil
	}
	c, err := b.cat.Version(inc.Chain, inc.Version)
	if err != nil {
		return nil, fmt.Errorf("incident %s: pinned chain: %w", inc.ID, err)
	}
	return c, nil
}

// chainOrNil is the incident's chain, or nil when it has none or its
// chain cannot be had.
func (b *Bot) chainOrNil(inc *incident.Incident) *flows.Chain {
	c, err := b.chainOf(inc)
	if err != nil {
		return nil
	}
	return c
}
