package slack

import (
	"context"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/expiring"
)

// Vigie answers each person in the language of their Slack (Preferences,
// Language & region: users.info with include_locale, such as "fr-FR" or
// "en-US") when it speaks it, else in the deployment's. Only the answers to
// the person change: the cards and the main courante, which the whole cell
// reads, stay in the deployment's language. A user's locale is read once
// and kept a while, so that an event costs no extra call; a failed look-up
// is not tried again for a minute, and never fails the event.
const (
	personTTL  = 10 * time.Minute // a changed language shows within this
	personMiss = time.Minute      // how long a failed look-up is remembered
	personWait = 1 * time.Second  // the longest an event waits for users.info (Slack's 3 s)
)

// person is what the adapter knows of a user's language.
type person struct {
	lang bot.Lang // empty: a locale Vigie does not speak, or unknown
}

// persons caches persons by user id, for a bounded time and number.
type persons = expiring.Map[string, person]

// userLang returns the language to answer user id in: theirs when Vigie
// speaks it, else empty (the deployment's). The locale comes from
// users.info (include_locale, which slack-go sends), from the cache while
// it is fresh; a failed look-up is logged and gives the deployment's.
// Events needing the same person at once share one look-up, which none of
// them giving up ends.
func (a *Adapter) userLang(ctx context.Context, id string) bot.Lang {
	if id == "" {
		return ""
	}
	if p, ok := a.people.Get(id, a.now()); ok {
		return p.lang
	}
	v, _, _ := a.flights.Do(id, func() (any, error) {
		return a.lookUp(context.WithoutCancel(ctx), id), nil
	})
	return v.(person).lang
}

// lookUp asks Slack about user id and keeps the answer.
func (a *Adapter) lookUp(ctx context.Context, id string) person {
	now := a.now()
	ctx, cancel := context.WithTimeout(ctx, personWait)
	defer cancel()
	u, err := a.api.GetUserInfoContext(ctx, id)
	if err != nil || u == nil {
		a.log.Warn("slack: users.info", "user", id, "err", err)
		a.people.Put(id, person{}, now.Add(personMiss), now)
		return person{}
	}
	var p person
	if l, ok := flows.ParseLang(u.Locale); ok {
		p.lang = l
	}
	a.people.Put(id, p, now.Add(personTTL), now)
	return p
}
