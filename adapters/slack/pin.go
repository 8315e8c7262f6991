package slack

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// errNoMessage is a pinned message Slack no longer has (deleted).
var errNoMessage = errors.New("message not found")

// pin logs the message a :pushpin: points at in the main courante of the
// channel's open incident. Only a member of the channel may pin. An error
// worth retrying (Slack or the store in trouble) is returned, so that the
// inbox keeps the pin; anything else is logged and dropped.
func (a *Adapter) pin(ctx context.Context, in *inbound) error {
	p := in.Pin
	if p == nil {
		return nil
	}
	member, err := a.IsMember(ctx, p.Channel, p.By)
	if err != nil {
		return a.retryable("pin: membership", err)
	}
	if !member {
		a.log.Warn("slack: pin refused: not a member of the channel", "channel", p.Channel, "user", p.By)
		return nil
	}
	msg, err := a.message(ctx, p.Channel, p.TS)
	if err != nil {
		return a.retryable("pin: read the message", err)
	}
	author := a.names.user(ctx, msg.User)
	if msg.User == "" {
		author = incident.User{ID: msg.BotID, Name: msg.Username}
	}
	link, err := a.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: p.Channel, Ts: p.TS})
	if err != nil {
		link = ""
	}
	logged, err := a.h.LogPin(ctx, bot.Pin{Channel: p.Channel, MessageID: p.Channel + "|" + p.TS, By: a.names.user(ctx, p.By),
		Author: author, Text: msg.Text, Link: link})
	if err != nil {
		return fmt.Errorf("pin: %w", err)
	}
	a.log.Info("slack: pin", "channel", p.Channel, "ts", p.TS, "logged", logged)
	return nil
}

// retryable returns err when trying again may help, and logs and drops it
// otherwise.
func (a *Adapter) retryable(what string, err error) error {
	if errors.Is(err, bot.ErrTemporary) {
		return fmt.Errorf("%s: %w", what, err)
	}
	a.log.Warn("slack: "+what, "err", err)
	return nil
}

// message reads one message of a channel: conversations.history, or
// conversations.replies for a message in a thread.
func (a *Adapter) message(ctx context.Context, channel, ts string) (slack.Message, error) {
	var h *slack.GetConversationHistoryResponse
	err := a.call(ctx, "conversations.history", func() (err error) {
		h, err = a.api.GetConversationHistoryContext(ctx, &slack.GetConversationHistoryParameters{
			ChannelID: channel, Latest: ts, Oldest: ts, Inclusive: true, Limit: 1})
		return err
	})
	if err != nil {
		return slack.Message{}, err
	}
	for _, m := range h.Messages {
		if m.Timestamp == ts {
			return m, nil
		}
	}
	var msgs []slack.Message
	err = a.call(ctx, "conversations.replies", func() (err error) {
		msgs, _, _, err = a.api.GetConversationRepliesContext(ctx, &slack.GetConversationRepliesParameters{
			ChannelID: channel, Timestamp: ts, Latest: ts, Oldest: ts, Inclusive: true, Limit: 10})
		return err
	})
	if err != nil {
		return slack.Message{}, err
	}
	for _, m := range msgs {
		if m.Timestamp == ts {
			return m, nil
		}
	}
	return slack.Message{}, errNoMessage
}
