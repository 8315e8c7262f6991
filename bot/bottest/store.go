package bottest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

var (
	_ bot.ReminderStore = (*Store)(nil)
	_ bot.PastStore     = (*Store)(nil)
)

// Store is an in-memory bot.Store with the semantics of internal/boltstore
// (checked by internal/storetest): IDs per year, sealed entries, the open
// index, and failed updates that change nothing. It keeps incidents and
// entries as JSON, as bbolt does, so that a caller mutating what it passed
// in or got back never changes the store, and so that what a test reads
// back is exactly what a JSON round trip preserves.
type Store struct {
	// Replay, set before use, makes Update run fn twice on fresh copies and
	// keep only the second run, as boltstore's group commit may: a fn with
	// effects beyond the incident it is given shows up in tests.
	Replay bool

	mu        sync.Mutex          // guards all following fields
	incidents map[string][]byte   // ID → JSON of the incident
	logs      map[string][][]byte // ID → JSON of each entry; index = seq-1
	seq       map[string]uint64   // counter (incident.SeqKey) → last number allocated
	revs      map[string]uint64   // ID → revision, as Incident.Rev
	decodes   int                 // incidents decoded, for Decodes
	// clicks are the last click of each person on each message, by
	// incident ID, NUL, Click.Where (kept for ever: tests are short).
	clicks map[string]incident.Click
}

// NewStore returns an empty store.
func NewStore() *Store {
	return &Store{incidents: map[string][]byte{}, logs: map[string][][]byte{}, seq: map[string]uint64{},
		revs: map[string]uint64{}, clicks: map[string]incident.Click{}}
}

// Create implements bot.Store.
func (s *Store) Create(ctx context.Context, inc *incident.Incident, entries []incident.Entry) (*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bottest: create: %w", err)
	}
	if inc == nil {
		return nil, errors.New("bottest: create: nil incident")
	}
	if inc.OpenedAt.IsZero() {
		return nil, errors.New("bottest: create: incident has no OpenedAt (its year makes the ID)")
	}
	if err := checkChannel(inc.Channel); err != nil {
		return nil, fmt.Errorf("bottest: create: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	fresh, err := clone(inc)
	if err != nil {
		return nil, fmt.Errorf("bottest: create: %w", err)
	}
	year := fresh.OpenedAt.UTC().Year()
	key := incident.SeqKey(year, fresh.Exercise) // exercises are numbered apart
	fresh.ID = incident.FormatID(year, s.seq[key]+1, fresh.Exercise)
	if fresh.Status == "" {
		fresh.Status = incident.StatusOpen
	}
	es := append([]incident.Entry(nil), entries...)
	fresh.Head = incident.Seal(incident.Head{}, fresh.ID, es)
	raw, log, err := encode(fresh, es)
	if err != nil {
		return nil, fmt.Errorf("bottest: create: %w", err)
	}
	s.seq[key]++
	s.incidents[fresh.ID] = raw
	s.logs[fresh.ID] = log
	s.revs[fresh.ID] = 1
	fresh.Rev = 1
	return fresh, nil
}

// Incident implements bot.Store.
func (s *Store) Incident(ctx context.Context, id string) (*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bottest: incident %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	inc, err := s.get(id)
	if err != nil {
		return nil, fmt.Errorf("bottest: incident %s: %w", id, err)
	}
	return inc, nil
}

// Update implements bot.Store. fn runs with the store locked: like bbolt's
// write transaction, it must not call the store.
func (s *Store) Update(ctx context.Context, id string, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error) {
	return s.Change(ctx, id, incident.Change{}, fn)
}

// Change implements bot.Store, as Update does.
func (s *Store) Change(ctx context.Context, id string, ch incident.Change, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bottest: update %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch.Click.Where != "" {
		if last, ok := s.clicks[id+"\x00"+ch.Click.Where]; ok && last.What == ch.Click.What && ch.Click.At.Sub(last.At) < ch.ClickWindow {
			return nil, incident.ErrRepeatClick
		}
	}
	if s.Replay {
		if inc, err := s.get(id); err == nil {
			_, _ = fn(inc) // discarded, as a rolled-back batch attempt is
		}
	}
	inc := ch.Seen
	if inc == nil || inc.ID != id || inc.Rev != s.revs[id] {
		var err error
		if inc, err = s.get(id); err != nil {
			return nil, fmt.Errorf("bottest: update %s: %w", id, err)
		}
	}
	head := inc.Head
	entries, err := fn(inc)
	if err != nil {
		return nil, err
	}
	if inc.ID != id {
		return nil, fmt.Errorf("bottest: update %s: fn changed the ID to %q", id, inc.ID)
	}
	if err := checkChannel(inc.Channel); err != nil {
		return nil, fmt.Errorf("bottest: update %s: %w", id, err)
	}
	es := append([]incident.Entry(nil), entries...)
	inc.Head = incident.Seal(head, id, es)
	raw, log, err := encode(inc, es)
	if err != nil {
		return nil, fmt.Errorf("bottest: update %s: %w", id, err)
	}
	s.incidents[id] = raw
	s.logs[id] = append(s.logs[id], log...)
	s.revs[id]++
	inc.Rev = s.revs[id]
	if ch.Click.Where != "" {
		s.clicks[id+"\x00"+ch.Click.Where] = ch.Click
	}
	return inc, nil
}

// Decodes is how many incident records the store has decoded: what an
// action costs grows with it (boltstore decodes JSON as this store does).
func (s *Store) Decodes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.decodes
}

// Entries implements bot.Store.
func (s *Store) Entries(ctx context.Context, id string, after uint64, limit int) ([]incident.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bottest: entries %s: %w", id, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	log, ok := s.logs[id]
	if !ok {
		return nil, fmt.Errorf("bottest: entries %s: %w", id, incident.ErrNotFound)
	}
	var out []incident.Entry
	for i := after; i < uint64(len(log)); i++ {
		if limit > 0 && len(out) >= limit {
			break
		}
		var e incident.Entry
		if err := json.Unmarshal(log[i], &e); err != nil {
			return nil, fmt.Errorf("bottest: entries %s: %w", id, err)
		}
		out = append(out, e)
	}
	return out, nil
}

// Open implements bot.Store: open incidents of channel (all with ""),
// oldest first by OpenedAt then ID.
func (s *Store) Open(ctx context.Context, channel string) ([]*incident.Incident, error) {
	all, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	var out []*incident.Incident
	for _, inc := range all {
		if inc.Status == incident.StatusOpen && (channel == "" || inc.Channel == channel) {
			out = append(out, inc)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].OpenedAt.Equal(out[j].OpenedAt) {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return idLess(out[i].ID, out[j].ID)
	})
	return out, nil
}

// Past implements bot.PastStore: the summaries of channel's incidents (all
// with ""), latest T0 first, then highest ID.
func (s *Store) Past(ctx context.Context, channel string) ([]incident.Summary, error) {
	all, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	var out []incident.Summary
	for _, inc := range all {
		if channel == "" || inc.Channel == channel {
			out = append(out, inc.Summary())
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].T0.Equal(out[j].T0) {
			return out[i].T0.After(out[j].T0)
		}
		return idLess(out[j].ID, out[i].ID)
	})
	return out, nil
}

// All returns every incident in ID order, like boltstore's All.
func (s *Store) All(ctx context.Context) ([]*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("bottest: all incidents: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*incident.Incident, 0, len(s.incidents))
	for id := range s.incidents {
		inc, err := s.get(id)
		if err != nil {
			return nil, fmt.Errorf("bottest: all incidents: %w", err)
		}
		out = append(out, inc)
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out, nil
}

// get decodes a fresh copy of the incident; s.mu must be held.
func (s *Store) get(id string) (*incident.Incident, error) {
	raw, ok := s.incidents[id]
	if !ok {
		return nil, incident.ErrNotFound
	}
	s.decodes++
	inc := &incident.Incident{Rev: s.revs[id]}
	if err := json.Unmarshal(raw, inc); err != nil {
		return nil, err
	}
	return inc, nil
}

// encode returns the JSON of the incident and of each entry, all before
// anything is stored, so that a failure leaves the store as it was.
func encode(inc *incident.Incident, es []incident.Entry) ([]byte, [][]byte, error) {
	raw, err := json.Marshal(inc)
	if err != nil {
		return nil, nil, err
	}
	out := make([][]byte, 0, len(es))
	for i := range es {
		b, err := json.Marshal(&es[i])
		if err != nil {
			return nil, nil, err
		}
		out = append(out, b)
	}
	return raw, out, nil
}

func clone(inc *incident.Incident) (*incident.Incident, error) {
	raw, err := json.Marshal(inc)
	if err != nil {
		return nil, err
	}
	out := new(incident.Incident)
	return out, json.Unmarshal(raw, out)
}

func checkChannel(ch string) error {
	if strings.IndexByte(ch, 0) >= 0 {
		return fmt.Errorf("channel %q contains a NUL byte", ch)
	}
	return nil
}

// idLess orders IDs as boltstore does (incident.CompareIDs): by year,
// incidents before exercises, then number: 2026-9999 before 2026-10000.
func idLess(a, b string) bool { return incident.CompareIDs(a, b) < 0 }

// Due implements bot.ReminderStore by scanning every incident: the fake
// keeps no index, the semantics are boltstore's.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]string, error) {
	all, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	var due []*incident.Incident
	for _, inc := range all {
		if inc.Status == incident.StatusOpen && !inc.Wake.IsZero() && !inc.Wake.After(now) {
			due = append(due, inc)
		}
	}
	sort.SliceStable(due, func(i, j int) bool {
		if !due[i].Wake.Equal(due[j].Wake) {
			return due[i].Wake.Before(due[j].Wake)
		}
		return due[i].ID < due[j].ID
	})
	var ids []string
	for _, inc := range due {
		if limit > 0 && len(ids) == limit {
			break
		}
		ids = append(ids, inc.ID)
	}
	return ids, nil
}

// Owed implements bot.OutboxStore by scanning every incident: those whose
// head is past what their card last showed, in ID order.
func (s *Store) Owed(ctx context.Context) ([]string, error) {
	all, err := s.All(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, inc := range all {
		if inc.Head.Seq > inc.Shown {
			ids = append(ids, inc.ID)
		}
	}
	sort.Strings(ids)
	return ids, nil
}
