package bot

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// RetryAfter is implemented by platform errors that say when to try again
// (Slack's and Mattermost's 429 with Retry-After).
type RetryAfter interface {
	RetryAfter() time.Duration
}

// sweepBatch bounds how many incidents a sweep reads from the index at a
// time; it reads batches until nothing is due.
const sweepBatch = 500

// SweepStats says what a sweep did, for logs and metrics.
type SweepStats struct {
	Incidents int // incidents looked at
	Sent      int // nags posted
	Late      int // of which scheduled well before they were sent
	Failed    int // incidents whose posts failed (retried with backoff)
}

// Sweep sends the reminders due at now: for each incident whose wake has
// come, it re-reads the incident, drops what no longer applies (done, not
// applicable, snoozed, closed), skips what the sent-log already holds, posts
// the rest, then records them with the next wake in one transaction: dedup,
// send, record. A failed post leaves the nag due and retries it with
// backoff; a crash between post and record sends it again (at least once),
// never loses it. Overlapping sweeps are serialized.
func (b *Bot) Sweep(ctx context.Context, now time.Time) (SweepStats, error) {
	var st SweepStats
	rs, ok := b.store.(ReminderStore)
	if !ok {
		return st, errors.New("sweep: the store keeps no reminder index")
	}
	b.sweepMu.Lock()
	defer b.sweepMu.Unlock()
	now = now.UTC()
	defer func() { b.cfg.Observer.Swept(st) }()
	// Batch after batch until nothing is due: each incident swept moves
	// its wake past now. One whose sweep failed before that keeps it, and
	// is not taken twice; a batch of nothing new ends the sweep.
	seen := map[string]bool{}
	for {
		ids, err := rs.Due(ctx, now, sweepBatch)
		if err != nil {
			return st, fmt.Errorf("sweep: %w", err)
		}
		fresh := 0
		for _, id := range ids {
			if err := ctx.Err(); err != nil {
				return st, err
			}
			if seen[id] {
				continue
			}
			seen[id] = true
			fresh++
			st.Incidents++
			if err := b.sweepOne(ctx, id, now, &st); err != nil {
				b.log.Error("sweep", "incident", id, "err", err)
			}
		}
		if len(ids) < sweepBatch || fresh == 0 {
			return st, nil
		}
	}
}

func (b *Bot) sweepOne(ctx context.Context, id string, now time.Time, st *SweepStats) error {
	inc, err := b.store.Incident(ctx, id)
	if err != nil {
		return err
	}
	c, err := b.chainOf(inc)
	if err != nil {
		return err
	}
	nags, _ := Reminders(inc, c, now, b.cfg.Remind)
	var todo, sent []Nag
	for _, n := range nags {
		if n.At.After(inc.Reminded[n.Key]) { // dedup: not sent yet
			todo = append(todo, n)
		}
	}
	var failed error
	if len(todo) > 0 {
		// One message per incident and sweep, however many items are due:
		// a crisis channel must not be flooded.
		if _, err := b.chat.Post(ctx, inc.Channel, b.NagMessage(inc, c, todo, now, b.cfg.Lang)); err != nil {
			failed = err
		} else {
			sent = todo
			st.Sent += len(sent)
			for _, n := range sent {
				if b.isLate(inc, n, now) {
					st.Late++
				}
			}
		}
	}
	if failed != nil {
		st.Failed++
		b.cfg.Observer.PlatformError(OpPostReminder)
		b.log.Warn("reminder not posted; retrying", "incident", id, "err", failed)
	}
	_, err = b.store.Update(ctx, id, func(inc *incident.Incident) ([]incident.Entry, error) {
		var entries []incident.Entry
		if inc.Reminded == nil && len(sent) > 0 {
			inc.Reminded = map[string]time.Time{}
		}
		for _, n := range sent {
			if n.At.After(inc.Reminded[n.Key]) {
				inc.Reminded[n.Key] = n.At
			}
			if n.Escalate {
				entries = append(entries, incident.Entry{Time: now, Actor: "vigie", Kind: incident.KindReminder,
					Text: b.escalationText(inc, n, now, b.cfg.Lang), Data: map[string]string{"item": n.Key, "scheduled": n.At.Format(rfc3339)}})
			}
		}
		if failed != nil {
			inc.RemindFailures++
			inc.Wake = now.Add(backoff(inc.RemindFailures, failed))
			return entries, nil
		}
		inc.RemindFailures = 0
		inc.Wake = b.nextWake(inc, now)
		return entries, nil
	})
	return err
}

// nextWake is when the sweep must look at inc again: now if a nag is due
// and not sent (the state changed under the sweep), else the next
// occurrence.
func (b *Bot) nextWake(inc *incident.Incident, now time.Time) time.Time {
	c, err := b.chainOf(inc)
	if err != nil {
		return now.Add(time.Minute)
	}
	nags, next := Reminders(inc, c, now, b.cfg.Remind)
	for _, n := range nags {
		if n.At.After(inc.Reminded[n.Key]) {
			return now
		}
	}
	return next
}

// backoff grows from 30 s to 15 min with consecutive failures, and honours
// a platform's Retry-After.
func backoff(failures int, err error) time.Duration {
	d := 30 * time.Second << min(failures-1, 5)
	d = min(d, 15*time.Minute)
	var ra RetryAfter
	if errors.As(err, &ra) && ra.RetryAfter() > d {
		d = ra.RetryAfter()
	}
	return d
}

// isLate says whether nag n, sent at now, is late: it fell due while
// Vigie was not running (before this process started, the incident
// already open), or the platform refused it before. One scheduled before
// the incident was opened (a T0 hours earlier, the usual case) is not:
// Vigie did not know of it.
func (b *Bot) isLate(inc *incident.Incident, n Nag, now time.Time) bool {
	if now.Sub(n.At) <= b.lateAfter() {
		return false
	}
	if inc.RemindFailures > 0 {
		return true
	}
	// Fell due before this process started, the incident open and its
	// answers as they are now (an answer given since may have made the
	// step required, with reminder instants in the past it did not owe).
	return n.At.Before(b.started) && !n.At.Before(inc.OpenedAt) && !n.At.Before(lastAnswer(inc))
}

// lastAnswer is when the incident's answers were last given or revised.
func lastAnswer(inc *incident.Incident) time.Time {
	var last time.Time
	for key := range inc.Answers {
		if a, ok := inc.Answer(key); ok && a.At.After(last) {
			last = a.At
		}
	}
	return last
}

func (b *Bot) lateAfter() time.Duration {
	if b.cfg.LateAfter > 0 {
		return b.cfg.LateAfter
	}
	return 2 * time.Minute
}

// NagMessage renders the reminders due for an incident in one message:
// for each, what is pending, its deadline as a time and as a countdown, how
// to do it, and its buttons. The title says the most pressing: a deadline
// passed, an escalation, or a reminder.
func (b *Bot) NagMessage(inc *incident.Incident, c *flows.Chain, nags []Nag, now time.Time, lang Lang) Message {
	head, late, behind := "nag.title", time.Time{}, time.Duration(0)
	for _, n := range nags {
		switch {
		case n.Overdue:
			head = "nag.overdue_title"
		case n.Escalate && head == "nag.title":
			head = "nag.escalate_title"
		}
		if b.isLate(inc, n, now) && (late.IsZero() || n.At.Before(late)) {
			late = n.At
		}
		if due := n.Planned.Due; n.Kind == NagStep && inc.Reminded[n.Key].IsZero() && !due.IsZero() && due.Before(inc.OpenedAt.Add(-time.Minute)) {
			// First reminded, its legal deadline passed before the incident
			// was opened (by more than the minute an opening's answers
			// take): the cell needs to hear how far behind the law it
			// starts, not that Vigie was late.
			behind = max(behind, now.Sub(due))
		}
	}
	m := Message{Title: exerciseTitle(inc, lang, tr(lang, head, inc.ID))}
	var intro []string
	switch called, escalation := b.callees(inc, nags, lang, true); {
	case escalation && len(called) > 0:
		intro = append(intro, tr(lang, "nag.mention", strings.Join(called, ", ")))
	case len(called) > 0:
		intro = append(intro, tr(lang, "nag.call", strings.Join(called, ", ")))
	}
	if behind > 0 {
		intro = append(intro, tr(lang, "nag.behind", i18n.Span(behind, lang)))
	}
	if !late.IsZero() {
		intro = append(intro, tr(lang, "nag.late", b.when(late, lang)))
	}
	if len(intro) > 0 {
		m.Blocks = append(m.Blocks, Block{Text: strings.Join(intro, "\n")})
	}
	for _, n := range nags {
		switch n.Kind {
		case NagStep:
			m.Blocks = append(m.Blocks, b.stepBlock(inc, c, n.Planned, now, lang, true, false))
		case NagQuestion:
			q := n.Question
			blk := Block{Title: "❓ " + questionLabel(c, q) + " — " + q.Text.In(lang), Text: tr(lang, "nag.question")}
			for _, v := range q.Answers {
				if a, ok := inc.Answer(q.ID); ok && a.Value == v {
					continue
				}
				blk.Buttons = append(blk.Buttons, Button{Label: valueButton(v, lang), Action: fmt.Sprintf("#%s repondre %s %s", inc.ID, q.ID, v)})
			}
			m.Blocks = append(m.Blocks, blk)
		case NagPoint:
			last := inc.OpenedAt
			if inc.LastPointAt.After(last) {
				last = inc.LastPointAt
			}
			m.Blocks = append(m.Blocks, Block{Title: tr(lang, "nag.point", i18n.Span(now.Sub(last), lang)),
				Text:    tr(lang, "nag.point_how", b.prefix()),
				Buttons: []Button{{Label: tr(lang, "button.point"), Action: fmt.Sprintf("#%s point", inc.ID), Style: StylePrimary}}})
		}
	}
	return m
}

// mentions names who an escalation calls: the roles configured for it,
// else the whole channel.
func (b *Bot) mentions() string {
	if len(b.cfg.EscalateTo) > 0 {
		return strings.Join(b.cfg.EscalateTo, " ")
	}
	return "@channel"
}

func (b *Bot) escalationText(inc *incident.Incident, n Nag, now time.Time, lang Lang) string {
	called, _ := b.callees(inc, []Nag{n}, lang, false)
	who := strings.Join(called, ", ")
	what := n.Key
	if n.Step != nil {
		what = n.Step.Title.In(lang)
	}
	if n.Overdue {
		return tr(lang, "log.overdue", what, i18n.Span(now.Sub(n.Planned.Due), lang), who)
	}
	return tr(lang, "log.escalated", what, who)
}
