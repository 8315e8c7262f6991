package mattermost

import (
	"context"
	"sync"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
)

// Vigie answers each person in the language of their Mattermost (Settings,
// Display, Language: model.User.Locale, such as "fr", "en" or "pt-br") when
// it speaks it, else in the deployment's. Only the answers to the person
// change: the cards and the main courante, which the whole cell reads, stay
// in the deployment's language. A user's locale and username are read with
// GetUser and kept a while, so that an event costs no extra call; a failed
// look-up is not tried again for a minute, and never fails the event.
const (
	personTTL   = 10 * time.Minute // a changed language shows within this
	personMiss  = time.Minute      // how long a failed look-up is remembered
	personWait  = 2 * time.Second  // the longest an event waits for GetUser
	maxPersons  = 4096             // the cache's bound
	personsKeep = maxPersons * 3 / 4
)

// person is what the adapter knows of a user.
type person struct {
	name  string   // username; empty when the server did not say
	lang  bot.Lang // empty: a locale Vigie does not speak, or unknown
	until time.Time
}

// persons caches persons by user id, for a bounded time and number.
type persons struct {
	mu sync.Mutex // guards m
	m  map[string]person
}

func (c *persons) get(id string, now time.Time) (person, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.m[id]
	if !ok || now.After(p.until) {
		return person{}, false
	}
	return p, true
}

func (c *persons) put(id string, p person, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]person{}
	}
	if len(c.m) >= maxPersons {
		for k, q := range c.m {
			if now.After(q.until) {
				delete(c.m, k)
			}
		}
		for k := range c.m { // still full: drop some at random
			if len(c.m) < personsKeep {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[id] = p
}

// person returns what the server says of user id, from the cache when it
// is fresh. A failed look-up is logged and gives a zero person.
func (a *Adapter) person(ctx context.Context, id string) person {
	now := a.now()
	if p, ok := a.people.get(id, now); ok {
		return p
	}
	ctx, cancel := context.WithTimeout(ctx, personWait)
	defer cancel()
	var u *model.User
	err := a.do(ctx, "get user", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		u, resp, err = a.api.GetUser(ctx, id, "")
		return resp, err
	})
	if err != nil || u == nil {
		a.log.Warn("mattermost: user", "user", id, "err", err)
		a.people.put(id, person{until: now.Add(personMiss)}, now)
		return person{}
	}
	p := person{name: u.Username, until: now.Add(personTTL)}
	if l, ok := flows.ParseLang(u.Locale); ok {
		p.lang = l
	}
	a.people.put(id, p, now)
	return p
}

// userName returns a user's username, empty when the server does not say.
func (a *Adapter) userName(ctx context.Context, id string) string {
	return a.person(ctx, id).name
}

// userLang returns the language to answer user id in: theirs when Vigie
// speaks it, else empty (the deployment's).
func (a *Adapter) userLang(ctx context.Context, id string) bot.Lang {
	return a.person(ctx, id).lang
}
