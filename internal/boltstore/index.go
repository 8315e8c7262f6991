package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// This file holds the listings: the open/ index of open incidents by
// channel, and every incident for statistics and exports.

// Open implements bot.Store through the open/ index, so it reads only the
// open incidents however many closed ones the file holds.
func (s *Store) Open(ctx context.Context, channel string) ([]*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: open incidents: %w", err)
	}
	var prefix []byte
	if channel != "" {
		prefix = append([]byte(channel), 0)
	}
	var out []*incident.Incident
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketOpen).Cursor()
		for k, _ := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = c.Next() {
			i := bytes.LastIndexByte(k, 0)
			if i < 0 {
				return corrupt("bad index key %q", k)
			}
			inc, err := s.getIncident(tx, string(k[i+1:]))
			if errors.Is(err, incident.ErrNotFound) {
				return corrupt("the open index names %s, which is missing", k[i+1:])
			}
			if err != nil {
				return err
			}
			out = append(out, inc)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(fmt.Sprintf("open incidents of %q", channel), err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].OpenedAt.Equal(out[j].OpenedAt) {
			return out[i].OpenedAt.Before(out[j].OpenedAt)
		}
		return idLess(out[i].ID, out[j].ID)
	})
	return out, nil
}

// All returns every incident, open or closed, in ID order (for statistics
// and exports).
func (s *Store) All(ctx context.Context) ([]*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: all incidents: %w", err)
	}
	var out []*incident.Incident
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketIncidents).ForEach(func(k, v []byte) error {
			inc, err := decodeIncident(v)
			if err != nil {
				return fmt.Errorf("incident %s: %w", k, err)
			}
			out = append(out, inc)
			return nil
		})
	})
	if err != nil {
		return nil, wrap("all incidents", err)
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out, nil
}

// idLess orders IDs by year, a year's incidents before its exercises,
// then number: 2026-9999 before 2026-10000 (incident.CompareIDs).
func idLess(a, b string) bool { return incident.CompareIDs(a, b) < 0 }

// reindex keeps open/<channel>\x00<id> in step with the incident's status
// and channel; oldChannel and oldStatus are what was stored before ("" for
// a new incident).
func reindex(tx *bolt.Tx, oldChannel string, oldStatus incident.Status, inc *incident.Incident) error {
	var old, now []byte
	if oldStatus == incident.StatusOpen {
		old = openKey(oldChannel, inc.ID)
	}
	if inc.Status == incident.StatusOpen {
		now = openKey(inc.Channel, inc.ID)
	}
	if err := moveKey(tx.Bucket(bucketOpen), old, now); err != nil {
		return fmt.Errorf("open index: %w", err)
	}
	return nil
}

// moveKey replaces the index key old with now (either nil: none). Most
// changes leave an incident's keys as they were: then nothing is written,
// and the index's page stays out of the commit (bbolt writes every page
// a Put touches, even with the same key and value).
func moveKey(b *bolt.Bucket, old, now []byte) error {
	if old != nil && !bytes.Equal(old, now) {
		if err := b.Delete(old); err != nil {
			return err
		}
	}
	if now != nil && b.Get(now) == nil {
		return b.Put(now, nil)
	}
	return nil
}

func openKey(channel, id string) []byte {
	k := make([]byte, 0, len(channel)+1+len(id))
	k = append(k, channel...)
	k = append(k, 0)
	return append(k, id...)
}

// rewake keeps reminders/<wake BE><id> in step with the incident's Wake:
// the reminder sweep seeks to the start and reads only what is due, however
// many incidents wait further ahead. A closed incident has no wake.
func rewake(tx *bolt.Tx, old time.Time, inc *incident.Incident) error {
	var oldKey, now []byte
	if !old.IsZero() {
		oldKey = wakeKey(old, inc.ID)
	}
	if !inc.Wake.IsZero() && inc.Status == incident.StatusOpen {
		now = wakeKey(inc.Wake, inc.ID)
	}
	if err := moveKey(tx.Bucket(bucketReminders), oldKey, now); err != nil {
		return fmt.Errorf("reminder index: %w", err)
	}
	return nil
}

func wakeKey(t time.Time, id string) []byte {
	k := make([]byte, 8, 8+len(id))
	binary.BigEndian.PutUint64(k, uint64(t.UnixNano()))
	return append(k, id...)
}

// Due implements bot.ReminderStore: the incidents whose wake is at or before
// now, earliest first, at most limit (all when limit ≤ 0). It reads the
// index from its start and stops at the first key after now, so its cost
// depends on what is due, not on how many incidents are pending.
func (s *Store) Due(ctx context.Context, now time.Time, limit int) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: due: %w", err)
	}
	hi := make([]byte, 8)
	binary.BigEndian.PutUint64(hi, uint64(now.UnixNano()))
	var ids []string
	err := s.view(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketReminders).Cursor()
		for k, _ := c.First(); k != nil && len(k) >= 8 && bytes.Compare(k[:8], hi) <= 0; k, _ = c.Next() {
			ids = append(ids, string(k[8:]))
			if limit > 0 && len(ids) == limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("due", err)
	}
	return ids, nil
}
