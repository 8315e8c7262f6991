package slack

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// IsMember says whether user is a member of channel (conversations.members,
// cached for MemberTTL). A person just invited is refused until the cache
// is refreshed, so a miss re-reads a list older than a few seconds.
func (a *Adapter) IsMember(ctx context.Context, channel, user string) (bool, error) {
	ok, err := a.members.isMember(ctx, channel, user)
	if err != nil {
		var se slack.SlackErrorResponse
		if errors.As(err, &se) && (se.Err == "channel_not_found" || se.Err == "not_in_channel") {
			// The bot cannot see the channel: tell the person what to do.
			return false, bot.Errorf(bot.EConflict, "%s", word(a.opt.Lang, "invite_bot"))
		}
		return false, err
	}
	return ok, nil
}

// memberCache keeps the member lists of the channels acted in.
type memberCache struct {
	api slackAPI
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex // guards lists
	lists map[string]*memberList

	flights singleflight.Group // channels whose list is being read
}

type memberList struct {
	users map[string]bool
	at    time.Time
}

// maxCachedChannels bounds the cache; a crisis cell acts in few channels.
const maxCachedChannels = 256

// refreshMiss is the age past which a miss re-reads the list.
const refreshMiss = 5 * time.Second

func newMemberCache(api slackAPI, ttl time.Duration, now func() time.Time) *memberCache {
	return &memberCache{api: api, ttl: ttl, now: now, lists: map[string]*memberList{}}
}

func (c *memberCache) isMember(ctx context.Context, channel, user string) (bool, error) {
	now := c.now()
	c.mu.Lock()
	l := c.lists[channel]
	c.mu.Unlock()
	if l != nil {
		age := now.Sub(l.at)
		if age < c.ttl && (l.users[user] || age < refreshMiss) {
			return l.users[user], nil
		}
	}
	// Events asking at once share one reading of the list, which none
	// of them giving up ends.
	v, err, _ := c.flights.Do(channel, func() (any, error) {
		return c.fetch(context.WithoutCancel(ctx), channel)
	})
	if err != nil {
		return false, err
	}
	users := v.(map[string]bool)
	c.mu.Lock()
	if len(c.lists) >= maxCachedChannels {
		oldest := ""
		for ch, l := range c.lists {
			if oldest == "" || l.at.Before(c.lists[oldest].at) {
				oldest = ch
			}
		}
		delete(c.lists, oldest)
	}
	c.lists[channel] = &memberList{users: users, at: now}
	c.mu.Unlock()
	return users[user], nil
}

func (c *memberCache) fetch(ctx context.Context, channel string) (map[string]bool, error) {
	users := map[string]bool{}
	cursor := ""
	for page := 0; page < 100; page++ {
		ids, next, err := c.api.GetUsersInConversationContext(ctx, &slack.GetUsersInConversationParameters{ChannelID: channel, Cursor: cursor, Limit: 1000})
		if err != nil {
			return nil, fmt.Errorf("conversations.members %s: %w", channel, classify(err))
		}
		for _, id := range ids {
			users[id] = true
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return users, nil
}

// nameCache keeps users' display names for the pins of the main courante.
type nameCache struct {
	api   slackAPI
	mu    sync.Mutex // guards names
	names map[string]string
}

func newNameCache(api slackAPI) *nameCache { return &nameCache{api: api, names: map[string]string{}} }

// user returns the user id with its name, the id alone if Slack does not
// say.
func (c *nameCache) user(ctx context.Context, id string) incident.User {
	if id == "" {
		return incident.User{}
	}
	c.mu.Lock()
	name, ok := c.names[id]
	c.mu.Unlock()
	if ok {
		return incident.User{ID: id, Name: name}
	}
	u, err := c.api.GetUserInfoContext(ctx, id)
	if err != nil {
		return incident.User{ID: id}
	}
	name = u.Name
	c.mu.Lock()
	if len(c.names) > 4096 {
		clear(c.names)
	}
	c.names[id] = name
	c.mu.Unlock()
	return incident.User{ID: id, Name: name}
}
