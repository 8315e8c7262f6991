package bot

import (
	"context"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// Store keeps incidents and their main courante. It is declared here, where
// it is used; internal/boltstore implements it on bbolt and bottest in
// memory, and internal/storetest checks both behave alike.
//
// Every method that changes state is durable when it returns nil: the bot
// acknowledges an action only after that, so nothing acknowledged is lost.
type Store interface {
	// Create allocates the incident's ID (year of OpenedAt, then a sequence
	// number: 2026-0001, 2026-0002…; an exercise's from a sequence of its
	// own: EX-2026-0001, incident.FormatID), stores it and appends entries,
	// sealed after an empty head, in one transaction. It returns the stored
	// incident, ID and Head set.
	Create(ctx context.Context, inc *incident.Incident, entries []incident.Entry) (*incident.Incident, error)
	// Incident returns the incident with that ID, or ErrNotFound.
	Incident(ctx context.Context, id string) (*incident.Incident, error)
	// Update reads the incident, calls fn on it, and if fn returns no error
	// stores the changed incident and appends the entries fn returned
	// (sealed after the incident's head, which it then advances), all in
	// one transaction. If fn returns an error nothing changes and Update
	// returns it as is. fn may run more than once (batched transactions
	// retry), each time on a fresh copy: it must have no other effect.
	Update(ctx context.Context, id string, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error)
	// Change is Update with what an action adds (incident.Change): the
	// copy it read already, so that fn may run on it, and the click that
	// makes the change, recorded in the same transaction, a repeat of it
	// refused with incident.ErrRepeatClick.
	Change(ctx context.Context, id string, ch incident.Change, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error)
	// Entries returns up to limit entries of the incident's main courante
	// with a sequence number above after, in order (limit ≤ 0: all).
	Entries(ctx context.Context, id string, after uint64, limit int) ([]incident.Entry, error)
	// Open returns the open incidents bound to channel, oldest first; with
	// channel "", every open incident.
	Open(ctx context.Context, channel string) ([]*incident.Incident, error)
}

// PastStore is a Store that lists the incidents of a channel, open and
// closed (liste), from the summaries it keeps beside each incident, so
// that a channel of many past incidents is listed without decoding them.
type PastStore interface {
	// Past returns the summaries of the incidents bound to channel, open
	// and closed, latest T0 first, then highest ID; with channel "", every
	// incident.
	Past(ctx context.Context, channel string) ([]incident.Summary, error)
}

// OutboxStore is what the outbox needs beyond Store: the incidents whose
// channel is owed their card and checklist, those whose Head is past
// Shown. Stores index them in the transaction that appends the entries,
// so that what is owed survives a crash.
type OutboxStore interface {
	Store
	// Owed returns the ids of the incidents owed their card, in ID order.
	Owed(ctx context.Context) ([]string, error)
}

// ReminderStore is what the reminder sweep needs beyond Store: the
// incidents whose Wake has come. Stores keep an index of Incident.Wake,
// updated in the transaction that changes it.
type ReminderStore interface {
	Store
	// Due returns the ids of open incidents whose Wake is at or before now,
	// earliest first, at most limit (limit ≤ 0: all).
	Due(ctx context.Context, now time.Time, limit int) ([]string, error)
}
