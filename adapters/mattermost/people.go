package mattermost

import (
	"context"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/expiring"
)

// Vigie answers each person in the language of their Mattermost (Settings,
// Display, Language: model.User.Locale, such as "fr", "en" or "pt-br") when
// it speaks it, else in the deployment's. Only the answers to the person
// change: the cards and the main courante, which the whole cell reads, stay
// in the deployment's language. A user's locale and username are read with
// GetUser and kept a while, so that an event costs no extra call; a failed
// look-up is not tried again for a minute, and never fails the event.
const (
	personTTL  = 10 * time.Minute // a changed language shows within this
	personMiss = time.Minute      // how long a failed look-up is remembered
	personWait = 2 * time.Second  // the longest an event waits for GetUser
)

// person is what the adapter knows of a user.
type person struct {
	name string   // username; empty when the server did not say
	lang bot.Lang // empty: a locale Vigie does not speak, or unknown
}

// persons caches persons by user id, for a bounded time and number.
type persons = expiring.Map[string, person]

// person returns what the server says of user id, from the cache when it
// is fresh. A failed look-up is logged and gives a zero person. Events
// that need the same person at once share one look-up, which no single
// event's cancellation ends: at a burst of clicks, a person not yet known
// costs one GetUser, not one per click.
func (a *Adapter) person(ctx context.Context, id string) person {
	if p, ok := a.people.Get(id, a.now()); ok {
		return p
	}
	v, _, _ := a.flights.Do("user\x00"+id, func() (any, error) {
		return a.lookUp(context.WithoutCancel(ctx), id), nil
	})
	return v.(person)
}

// lookUp asks the server about user id and keeps the answer.
func (a *Adapter) lookUp(ctx context.Context, id string) person {
	now := a.now()
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
		a.people.Put(id, person{}, now.Add(personMiss), now)
		return person{}
	}
	p := person{name: u.Username}
	if l, ok := flows.ParseLang(u.Locale); ok {
		p.lang = l
	}
	a.people.Put(id, p, now.Add(personTTL), now)
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
