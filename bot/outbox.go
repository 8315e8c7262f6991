package bot

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// The outbox: what the bot owes a channel, the card and checklist of an
// incident that changed (the closing report once it is closed, and, for
// an incident opened in a channel of its own, the link from the channel
// of opening), is recorded by the store in the transaction that
// appends the entries (Incident.Head past Incident.Shown), and delivered
// from there. While RunOutbox runs (serve), an action's acknowledgement
// never waits on the chat: changes are delivered in the background,
// coalesced to the latest state, retried with backoff honouring
// Retry-After, and whatever was owed at a crash is delivered at start.
// Without it (the terminal, tests), each change is delivered at once, and
// what fails stays owed for the next delivery.

// outboxWorkers bounds the incidents delivered at once.
const outboxWorkers = 8

// outboxGap is the least time between two deliveries of one incident. A
// lone change shows at once; a burst of changes to one incident (a cell
// answering the card's questions, a load test) makes a delivery per gap
// instead of one per change, each costing the platform two edits and the
// store a commit: at 400 actions a second on 50 incidents, deliveries took
// a third of Vigie's CPU. (The Mattermost adapter spaced its edits so,
// EditGap, before the outbox made them.)
const outboxGap = 500 * time.Millisecond

// owe delivers the card and checklist of incident id, or has the outbox
// deliver them.
func (b *Bot) owe(ctx context.Context, id string) {
	if b.outboxOn.Load() {
		select {
		case b.owedCh <- struct{}{}:
		default: // a pass is already coming; it lists every incident owed
		}
		return
	}
	if err := b.deliver(ctx, id); err != nil {
		b.log.Warn("card not delivered; it stays owed", "incident", id, "err", err)
	}
}

// temporary reports whether a platform error is worth retrying.
func temporary(err error) bool {
	var ra RetryAfter
	return errors.Is(err, ErrTemporary) || errors.As(err, &ra) || errors.Is(err, context.DeadlineExceeded)
}

// deliver renders incident id's card and checklist as stored now, edits
// them in place (posting them the first time), and records what it showed
// and where. A failed post is returned, and the incident stays owed; an
// edit refused for good (a message deleted by hand) posts a new message.
func (b *Bot) deliver(ctx context.Context, id string) error {
	mu := b.refreshLock(id)
	mu.Lock()
	defer mu.Unlock()
	inc, err := b.store.Incident(ctx, id)
	if err != nil {
		return err
	}
	if inc.Head.Seq <= inc.Shown && inc.Messages[RoleCard] != "" && inc.LinkFrom == "" && inc.HandoverOwed == 0 {
		return nil // delivered meanwhile
	}
	c, err := b.chainOf(inc)
	if err != nil {
		return err
	}
	lang, now := b.cfg.Lang, b.now().UTC()
	msgs := map[string]Message{RoleCard: b.Card(inc, c, now, lang)}
	if c != nil {
		msgs[RoleChecklist] = b.Checklist(inc, c, now, lang)
	}
	refs := map[string]string{}
	var failed error
	for _, role := range []string{RoleCard, RoleChecklist} {
		m, ok := msgs[role]
		if !ok || failed != nil {
			continue // after a temporary failure, the rest waits: the card stays above its checklist
		}
		if ref := inc.Messages[role]; ref != "" {
			err := b.chat.Update(ctx, inc.Channel, ref, m)
			if err == nil {
				continue
			}
			b.cfg.Observer.PlatformError(OpUpdate)
			if temporary(err) {
				failed = err
				continue
			}
			b.log.Warn("card: update refused, posting anew", "incident", id, "role", role, "err", err)
		}
		ref, err := b.chat.Post(ctx, inc.Channel, m)
		if err != nil {
			// Retried, whatever the cause: the card stays owed, and the
			// outbox's oldest age shows a channel that refuses it.
			b.cfg.Observer.PlatformError(OpPost)
			failed = err
			continue
		}
		refs[role] = ref
		// Where it was posted is kept at once: a crash before the next post
		// must not make the next Vigie post the card a second time.
		if _, err := b.store.Update(ctx, id, func(inc *incident.Incident) ([]incident.Entry, error) {
			if inc.Messages == nil {
				inc.Messages = map[string]string{}
			}
			inc.Messages[role] = ref
			return nil, nil
		}); err != nil {
			return err
		}
	}
	if failed == nil && inc.Status == incident.StatusClosed && inc.Messages[RoleClosing] == "" {
		failed = b.postClosing(ctx, inc, c)
	}
	if failed == nil && inc.LinkFrom != "" {
		failed = b.link(ctx, inc)
	}
	if failed == nil && inc.HandoverOwed != 0 {
		failed = b.postHandover(ctx, inc) // below the card it updates
	}
	shown := inc.Head.Seq
	if failed == nil {
		// From the first change this delivery shows to now: what the
		// channel waited for.
		if es, err := b.store.Entries(ctx, id, inc.Shown, 1); err == nil && len(es) == 1 {
			b.cfg.Observer.CardDelivered(b.now().Sub(es[0].Time))
		}
	}
	// From the copy read above, unless a post recorded its message since.
	_, err = b.store.Change(ctx, id, incident.Change{Seen: inc}, func(inc *incident.Incident) ([]incident.Entry, error) {
		if inc.Messages == nil && len(refs) > 0 {
			inc.Messages = map[string]string{}
		}
		for role, ref := range refs {
			inc.Messages[role] = ref
		}
		if failed == nil && shown > inc.Shown {
			inc.Shown = shown
		}
		return nil, nil
	})
	if err != nil {
		return err
	}
	return failed
}

// link posts, in the channel incident inc was opened from, the message
// leading to the incident's own channel (canal=nouveau), after its first
// card, and records that it is done. A temporary failure is returned: the
// link stays owed with the cards. A refusal for good (the bot may not post
// in that channel) is logged and the link given up: the people in the
// cell were added to the new channel, and retrying would keep the
// incident owed forever.
func (b *Bot) link(ctx context.Context, inc *incident.Incident) error {
	m := Message{Blocks: []Block{{Text: exerciseTitle(inc, b.cfg.Lang, tr(b.cfg.Lang, "open.linked", inc.ID, inc.Title, ChannelMention(inc.Channel)))}}}
	if _, err := b.chat.Post(ctx, inc.LinkFrom, m); err != nil {
		b.cfg.Observer.PlatformError(OpPost)
		if temporary(err) {
			return err
		}
		b.log.Warn("link to the incident channel refused; given up", "incident", inc.ID, "channel", inc.LinkFrom, "err", err)
	}
	_, err := b.store.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.LinkFrom = ""
		return nil, nil
	})
	return err
}

// Flush delivers now everything owed, for the terminal and for tests.
func (b *Bot) Flush(ctx context.Context) error {
	os, ok := b.store.(OutboxStore)
	if !ok {
		return nil
	}
	ids, err := os.Owed(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range ids {
		if err := b.deliver(ctx, id); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RunOutbox delivers what channels are owed until ctx ends: at once
// everything owed at start, then each change as it is stored. Up to
// outboxWorkers incidents are delivered at once, each by one worker at a
// time, so that a slow channel holds up no other; an incident changed
// while being delivered is delivered again with its latest state.
func (b *Bot) RunOutbox(ctx context.Context) {
	store, ok := b.store.(OutboxStore)
	if !ok {
		return
	}
	b.outboxOn.Store(true)
	defer b.outboxOn.Store(false)
	type result struct {
		id  string
		err error
	}
	var (
		workers  sync.WaitGroup
		results  = make(chan result)
		inflight = map[string]bool{}
		failures = map[string]int{}
		notAfter = map[string]time.Time{} // retry not before
	)
	defer workers.Wait()
	timer := time.NewTimer(0) // the first pass: what was owed at start
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			for len(inflight) > 0 { // let deliveries under way record what they did
				r := <-results
				delete(inflight, r.id)
			}
			return
		case <-b.owedCh:
		case <-timer.C:
		case r := <-results:
			delete(inflight, r.id)
			if r.err == nil {
				delete(failures, r.id)
				notAfter[r.id] = time.Now().Add(outboxGap)
			} else {
				failures[r.id]++
				b.cfg.Observer.OutboxRetry(retryCause(r.err))
				d := outboxBackoff(failures[r.id], r.err)
				notAfter[r.id] = time.Now().Add(d)
				b.log.Warn("card not delivered; retrying", "incident", r.id, "in", d, "err", r.err)
			}
		}
		ids, err := store.Owed(ctx)
		if err != nil {
			if ctx.Err() == nil {
				b.log.Error("outbox: list what is owed", "err", err)
				timer.Reset(time.Second)
			}
			continue
		}
		now, next := time.Now(), time.Duration(0)
		for id, at := range notAfter {
			if !now.Before(at) {
				delete(notAfter, id)
			}
		}
		for _, id := range ids {
			if inflight[id] || len(inflight) >= outboxWorkers {
				continue
			}
			if at, ok := notAfter[id]; ok && now.Before(at) {
				if d := at.Sub(now); next == 0 || d < next {
					next = d
				}
				continue
			}
			inflight[id] = true
			workers.Go(func() {
				results <- result{id, b.deliver(context.WithoutCancel(ctx), id)}
			})
		}
		if next > 0 {
			timer.Reset(next)
		}
	}
}

// retryCause names why a delivery failed, for metrics.
func retryCause(err error) string {
	var ra RetryAfter
	switch {
	case errors.As(err, &ra) && ra.RetryAfter() > 0:
		return CauseRateLimited
	case temporary(err):
		return CauseTemporary
	}
	return CauseOther
}

// outboxBackoff is how long to wait after the failures-th failure in a
// row: 1 s doubling to a minute, or what the platform asked for.
func outboxBackoff(failures int, err error) time.Duration {
	d := min(time.Second<<min(failures-1, 6), time.Minute)
	var ra RetryAfter
	if errors.As(err, &ra) && ra.RetryAfter() > d {
		d = ra.RetryAfter()
	}
	return d
}
