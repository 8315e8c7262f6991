package mattermost

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// Every click and every command naming an incident asks whether the
// person is a member of the incident's channel (bot.MemberChecker). Asking
// the server each time doubled the calls an action makes; so a "yes" is
// kept for memberTTL. A removal is seen at once: the server tells the bot,
// a member of the incident's channel, on its WebSocket (user_removed), and
// the kept answer is forgotten. The TTL bounds what a missed event costs
// (the WebSocket down while someone is removed). A "no" is never kept: a
// person just added may act at once.
const memberTTL = time.Minute

func memberKey(channel, userID string) string { return channel + "\x00" + userID }

// IsMember implements bot.MemberChecker. The events that ask about the
// same person and channel at once share one question to the server, which
// no single event's cancellation ends.
func (a *Adapter) IsMember(ctx context.Context, channel, userID string) (bool, error) {
	key := memberKey(channel, userID)
	if _, ok := a.members.Get(key, a.now()); ok {
		return true, nil
	}
	v, err, _ := a.flights.Do("member\x00"+key, func() (any, error) {
		return a.askMember(context.WithoutCancel(ctx), channel, userID)
	})
	return v.(bool), err
}

// askMember asks the server whether userID is a member of channel, and
// keeps a yes.
func (a *Adapter) askMember(ctx context.Context, channel, userID string) (bool, error) {
	key, now := memberKey(channel, userID), a.now()
	removals := a.removals.Load()
	err := a.do(ctx, "get channel member", func() (*model.Response, error) {
		_, resp, err := a.api.GetChannelMember(ctx, channel, userID, "")
		return resp, err
	})
	var ae *apiError
	switch {
	case err == nil:
		// Unless a removal came while the server answered: then the
		// answer may predate it.
		if a.removals.Load() == removals {
			a.members.Put(key, struct{}{}, now.Add(memberTTL), now)
		}
		return true, nil
	case errors.As(err, &ae) && ae.status == http.StatusNotFound:
		return false, nil
	}
	return false, err
}

// memberRemoved forgets that a person removed from a channel (or who left
// it) was a member, from the server's user_removed event; ok is false for
// any other event.
func (a *Adapter) memberRemoved(ev *model.WebSocketEvent) bool {
	if ev == nil || ev.EventType() != model.WebsocketEventUserRemoved {
		return false
	}
	user, _ := ev.GetData()["user_id"].(string)
	channel := ev.GetBroadcast().ChannelId
	if channel == "" { // the copy sent to the removed person names it in its data
		channel, _ = ev.GetData()["channel_id"].(string)
	}
	if user == "" || channel == "" {
		return true
	}
	a.removals.Add(1)
	a.members.Delete(memberKey(channel, user))
	a.log.Info("mattermost: membership revoked", "channel", channel, "user", user)
	return true
}
