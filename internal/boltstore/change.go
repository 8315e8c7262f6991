package boltstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// optimisticTries is how many times Change runs fn outside the write
// transaction before running it inside, where it cannot go stale.
const optimisticTries = 4

// Update implements bot.Store: Change with nothing more.
func (s *Store) Update(ctx context.Context, id string, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error) {
	return s.Change(ctx, id, incident.Change{}, fn)
}

// Change implements bot.Store. It is optimistic: fn runs in the caller's
// goroutine on a copy read in a read transaction (or on ch.Seen while it
// is current), and what fn made is sealed and encoded there too; the write
// transaction only checks that the incident's revision is still the one
// read, then writes. When it is not, fn runs again on a fresh copy; after
// optimisticTries, inside the write transaction, as Update always did.
// So the decoding, deciding and encoding of many actions run at once, on
// every core, and only their writes wait for one another: an incident
// record decoded inside the single writer made every action wait for all
// the others' decoding. Changes to the same incident take turns in its
// lane (lane.go), each starting from what the one before it made, so that
// they do not go stale behind one another.
func (s *Store) Change(ctx context.Context, id string, ch incident.Change, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: update %s: %w", id, err)
	}
	if err := s.broken.get(id); err != nil {
		return nil, err
	}
	// The first append since Open verifies the whole chain: nothing is
	// appended after a break, even one Audit has not reached yet.
	if !s.broken.isVerified(id) {
		if err := s.VerifyChain(ctx, id); err != nil && !errors.Is(err, incident.ErrNotFound) {
			return nil, err
		}
	}
	l := s.lanes.take(id)
	defer s.lanes.leave(id, l)
	seen := ch.Seen
	for range optimisticTries {
		out, stale, err := s.tryLane(l, id, ch, seen, fn)
		if !stale {
			return out, s.changeError(id, err)
		}
		seen = nil
	}
	l.forget(nil)
	return s.lockedChange(id, ch, fn)
}

// lockedChange runs fn inside the write transaction: it never goes stale.
func (s *Store) lockedChange(id string, ch incident.Change, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, error) {
	var out *incident.Incident
	var written *made
	err := s.write(func(tx *bolt.Tx) error {
		out, written = nil, nil
		inc, err := s.readForChange(tx, id, ch, nil)
		if err != nil {
			return err
		}
		m, err := callerPanics(func() (*made, error) { return prepare(id, inc, fn) })
		if err != nil {
			return err
		}
		s.decoded.made(m)
		if err := m.write(tx, ch); err != nil {
			return err
		}
		out = m.inc
		written = m
		return nil
	})
	if err == nil && written != nil {
		s.wrote(written)
	}
	return out, s.changeError(id, err)
}

// changeError returns fn's error as is, raises its panic again in the
// caller, remembers a broken chain, and names the operation otherwise.
func (s *Store) changeError(id string, err error) error {
	if fe, ok := errors.AsType[*fnError](err); ok {
		return fe.err
	}
	if cp, ok := errors.AsType[*callerPanic](err); ok {
		panic(cp.value) // in the caller's goroutine, as if fn had run there
	}
	if be, ok := errors.AsType[*incident.BrokenError](err); ok {
		s.broken.set(id, be)
		return be
	}
	if err != nil {
		return wrap(fmt.Sprintf("update %s", id), err)
	}
	return nil
}

// readForChange reads what a change starts from: the incident (seen
// itself while its revision is current), checked against the tail of its
// main courante, and refuses a repeated click.
func (s *Store) readForChange(tx *bolt.Tx, id string, ch incident.Change, seen *incident.Incident) (*incident.Incident, error) {
	inc := seen
	if rev := getRev(tx, id); inc == nil || inc.ID != id || inc.Rev != rev || tx.Bucket(bucketIncidents).Get([]byte(id)) == nil {
		var err error
		if inc, err = s.getIncident(tx, id); err != nil {
			return nil, err
		}
	}
	if lb := tx.Bucket(bucketLog).Bucket([]byte(id)); lb != nil {
		if err := s.checkTail(lb, id, inc.Head); err != nil {
			return nil, &incident.BrokenError{Where: s.path, Incident: id, Err: err}
		}
	}
	if repeats(tx, id, ch) {
		return nil, &fnError{incident.ErrRepeatClick}
	}
	return inc, nil
}

// made is what fn made of an incident, sealed and encoded, ready to write.
type made struct {
	inc     *incident.Incident
	rev     uint64 // the revision fn started from
	channel string // before fn: the indexes' old keys
	status  incident.Status
	wake    time.Time
	entries []incident.Entry
	values  [][]byte // the entries' records
	search  [][]byte // the entries' search/ values (past.go), nil for none
	record  []byte   // the incident's
	summary []byte   // the incident's past/ record
	after   []byte   // the record the change started from, when it was not read from the store (lane.go)
	line    uint64   // its line in the lane: the change it started from, or from the store
	click   incident.Click
}

// current says whether the stored incident is still the one the change
// started from, in the write transaction: the same revision, and the same
// record when it started from a change not yet written.
func (m *made) current(tx *bolt.Tx) bool {
	if getRev(tx, m.inc.ID) != m.rev {
		return false
	}
	return m.after == nil || bytes.Equal(tx.Bucket(bucketIncidents).Get([]byte(m.inc.ID)), m.after)
}

// prepare runs fn on inc, then seals and encodes what it made.
func prepare(id string, inc *incident.Incident, fn func(*incident.Incident) ([]incident.Entry, error)) (*made, error) {
	m := &made{inc: inc, rev: inc.Rev, channel: inc.Channel, status: inc.Status, wake: inc.Wake}
	head := inc.Head
	entries, err := fn(inc)
	if err != nil {
		return nil, &fnError{err}
	}
	if inc.ID != id {
		return nil, fmt.Errorf("fn changed the ID to %q", inc.ID)
	}
	if err := checkChannel(inc.Channel); err != nil {
		return nil, err
	}
	m.entries = append([]incident.Entry(nil), entries...)
	inc.Head = incident.Seal(head, id, m.entries)
	inc.Rev = m.rev + 1
	if m.values, err = encodeEntries(m.entries); err != nil {
		return nil, err
	}
	if m.record, err = encodeIncident(inc); err != nil {
		return nil, err
	}
	m.summary, m.search = encodeSummary(inc), searchValues(m.entries)
	return m, nil
}

// write writes what was made, the indexes, the new revision and the click.
func (m *made) write(tx *bolt.Tx, ch incident.Change) error {
	id := m.inc.ID
	lb := tx.Bucket(bucketLog).Bucket([]byte(id))
	if lb == nil {
		return corrupt("the main courante of %s is missing", id)
	}
	if err := putEncoded(lb, m.entries, m.values); err != nil {
		return err
	}
	if err := putSearch(tx, id, m.entries, m.search); err != nil {
		return err
	}
	if err := tx.Bucket(bucketIncidents).Put([]byte(id), m.record); err != nil {
		return err
	}
	if err := repast(tx, true, m.channel, m.inc, m.summary); err != nil {
		return err
	}
	if err := reindex(tx, m.channel, m.status, m.inc); err != nil {
		return err
	}
	if err := rewake(tx, m.wake, m.inc); err != nil {
		return err
	}
	if err := reowe(tx, m.inc); err != nil {
		return err
	}
	if err := putRev(tx, id, m.rev+1); err != nil {
		return err
	}
	return putClick(tx, id, ch)
}
