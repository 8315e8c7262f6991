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
//
// A miss reads the channel's whole member list, one page of listPage, and
// keeps a "yes" for each member: a crisis cell's channel holds a few dozen
// people, and a cell acting in many channels at once (or a Vigie started
// in the middle of a crisis) costs one call per channel instead of one
// per person and channel. A channel larger than a page is asked person by
// person (GetChannelMember).
const (
	memberTTL = time.Minute
	listPage  = 200
)

func memberKey(channel, userID string) string { return channel + "\x00" + userID }

// IsMember implements bot.MemberChecker. The events that ask about the
// same channel at once share one reading of its members, which no single
// event's cancellation ends.
func (a *Adapter) IsMember(ctx context.Context, channel, userID string) (bool, error) {
	key := memberKey(channel, userID)
	if _, ok := a.members.Get(key, a.now()); ok {
		return true, nil
	}
	v, err, _ := a.flights.Do("members\x00"+channel, func() (any, error) {
		return a.readMembers(context.WithoutCancel(ctx), channel)
	})
	if err != nil {
		return false, err
	}
	if list := v.(map[string]bool); list != nil {
		return list[userID], nil
	}
	v, err, _ = a.flights.Do("member\x00"+key, func() (any, error) {
		return a.askMember(context.WithoutCancel(ctx), channel, userID)
	})
	return v.(bool), err
}

// readMembers reads channel's members and keeps a "yes" for each; nil when
// the channel holds more than a page.
func (a *Adapter) readMembers(ctx context.Context, channel string) (map[string]bool, error) {
	now := a.now()
	removals := a.removals.Load()
	var page model.ChannelMembers
	err := a.do(ctx, "get channel members", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		page, resp, err = a.api.GetChannelMembers(ctx, channel, 0, listPage, "")
		return resp, err
	})
	if err != nil {
		return nil, err
	}
	if len(page) >= listPage {
		return nil, nil
	}
	list := make(map[string]bool, len(page))
	for _, m := range page {
		list[m.UserId] = true
	}
	// Unless a removal came while the server answered: then the list may
	// predate it.
	if a.removals.Load() == removals {
		for user := range list {
			a.members.Put(memberKey(channel, user), struct{}{}, now.Add(memberTTL), now)
		}
	}
	return list, nil
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
