package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// This file holds the indexes of past incidents: past/, the summary of
// every incident by channel, which vigie liste and the chat's liste read
// instead of decoding every incident; and search/ (search.go), the texts
// people wrote (titles, notes, situation points, proofs), which vigie
// cherche scans instead of decoding every entry. Both are written in the
// transaction that writes the incident or appends the entries, and are
// derived: a file of an older Vigie, which has neither, gets them at its
// first read-write open (rebuildPast), and a read-only open of it reads
// the records.

// pastVersion is the first byte of past/ and search/ values.
const pastVersion = 1

// The summary's header: the version, the flags and three instants.
const (
	summaryHeader = 2 + 3*8
	flagExercise  = 1
)

// encodeSummary is the past/ value of inc: the version byte, a byte of
// flags (1: an exercise), T0, opening and closing instants (8-byte
// big-endian Unix nanoseconds, 0 for none), then the id, title, chain,
// version, channel and status, each a uvarint length and its bytes. Not JSON: a listing decodes ten thousand of them,
// which took about 45 ms as JSON and take 6 so (2 shared cores, loaded).
func encodeSummary(inc *incident.Incident) []byte {
	strs := []string{inc.ID, inc.Title, inc.Chain, inc.Version, inc.Channel, string(inc.Status)}
	n := summaryHeader
	for _, s := range strs {
		n += len(s) + binary.MaxVarintLen16
	}
	v := make([]byte, 0, n)
	var flags byte
	if inc.Exercise {
		flags |= flagExercise
	}
	v = append(v, pastVersion, flags)
	for _, t := range []time.Time{inc.T0, inc.OpenedAt, inc.ClosedAt} {
		v = binary.BigEndian.AppendUint64(v, uint64(nanos(t)))
	}
	for _, s := range strs {
		v = binary.AppendUvarint(v, uint64(len(s)))
		v = append(v, s...)
	}
	return v
}

// decodeSummary reads a past/ value.
func decodeSummary(v []byte) (incident.Summary, error) {
	var sum incident.Summary
	if len(v) < summaryHeader || v[0] != pastVersion {
		return sum, errors.New("not a summary of this version")
	}
	sum.Exercise = v[1]&flagExercise != 0
	times := []*time.Time{&sum.T0, &sum.OpenedAt, &sum.ClosedAt}
	for i, t := range times {
		*t = fromNanos(int64(binary.BigEndian.Uint64(v[2+8*i:])))
	}
	rest := v[summaryHeader:]
	var status string
	for _, s := range []*string{&sum.ID, &sum.Title, &sum.Chain, &sum.Version, &sum.Channel, &status} {
		n, k := binary.Uvarint(rest)
		if k <= 0 || n > uint64(len(rest)-k) {
			return incident.Summary{}, errors.New("a text runs past the summary")
		}
		*s, rest = string(rest[k:k+int(n)]), rest[k+int(n):]
	}
	if len(rest) != 0 {
		return incident.Summary{}, errors.New("bytes after the summary")
	}
	sum.Status = incident.Status(status)
	return sum, nil
}

// nanos is t in Unix nanoseconds, 0 for the zero time.
func nanos(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

// fromNanos is the instant of Unix nanoseconds n, in UTC; the zero time
// for 0.
func fromNanos(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n).UTC()
}

func pastKey(channel, id string) []byte { return openKey(channel, id) }

// titleValue is the search/ value of an incident's title.
func titleValue(inc *incident.Incident) []byte {
	return searchValue(inc.OpenedAt, kindTitle, []string{inc.Title})
}

// repast keeps past/ and the title's search/ record in step with inc,
// whose summary record is rec; stored says it was stored before, in
// oldChannel. As with the other indexes, a record already right is not
// written again, so that most changes leave these pages out of the commit.
func repast(tx *bolt.Tx, stored bool, oldChannel string, inc *incident.Incident, rec []byte) error {
	b := tx.Bucket(bucketPast)
	key := pastKey(inc.Channel, inc.ID)
	if stored && oldChannel != inc.Channel {
		if err := b.Delete(pastKey(oldChannel, inc.ID)); err != nil {
			return fmt.Errorf("past index: %w", err)
		}
	}
	if !bytes.Equal(b.Get(key), rec) {
		if err := b.Put(key, rec); err != nil {
			return fmt.Errorf("past index: %w", err)
		}
	}
	sk, title := searchKey(inc.ID, 0), titleValue(inc)
	if sb := tx.Bucket(bucketSearch); !bytes.Equal(sb.Get(sk), title) {
		if err := sb.Put(sk, title); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// Past implements bot.PastStore from past/: one small record per
// incident, read under the channel's prefix. A file of an older Vigie
// opened read-only has no past/: then the incidents themselves are read.
func (s *Store) Past(ctx context.Context, channel string) ([]incident.Summary, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: past incidents: %w", err)
	}
	var prefix []byte
	if channel != "" {
		prefix = append([]byte(channel), 0)
	}
	var out []incident.Summary
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPast)
		if b == nil {
			return tx.Bucket(bucketIncidents).ForEach(func(k, v []byte) error {
				inc, err := decodeIncident(v)
				if err != nil {
					return corrupt("incident %s cannot be read: %v", k, err)
				}
				if channel == "" || inc.Channel == channel {
					out = append(out, inc.Summary())
				}
				return nil
			})
		}
		if channel == "" {
			out = make([]incident.Summary, 0, allocated(tx))
		}
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			if len(out)%1024 == 1023 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			sum, err := decodeSummary(v)
			if err != nil {
				return corrupt("the summary %q cannot be read: %v", k, err)
			}
			out = append(out, sum)
		}
		return nil
	})
	if err != nil {
		return nil, wrap(fmt.Sprintf("past incidents of %q", channel), err)
	}
	slices.SortFunc(out, latestFirst)
	return out, nil
}

// allocated is how many IDs the yearly counters gave, which is how many
// incidents the file holds: the room a listing of them all needs.
func allocated(tx *bolt.Tx) int {
	n := 0
	_ = tx.Bucket(bucketSeq).ForEach(func(_, v []byte) error {
		if len(v) == 8 {
			n += int(min(binary.BigEndian.Uint64(v), 1<<20))
		}
		return nil
	})
	return min(n, 1<<20)
}

// latestFirst orders summaries by T0, the latest first, then by ID, the
// highest first. (slices.SortFunc: sort.Slice's reflective swaps of
// summaries took half the time of a listing.)
func latestFirst(a, b incident.Summary) int {
	if c := b.T0.Compare(a.T0); c != 0 {
		return c
	}
	switch {
	case idLess(b.ID, a.ID):
		return -1
	case idLess(a.ID, b.ID):
		return 1
	}
	return 0
}

// rebuildPast writes past/ and search/ anew from the incidents and their
// entries, for a file of an older Vigie, once, at its first read-write
// open. A record that cannot be decoded is left out: the audit of the
// main courantes reports it where it matters, and the file still opens.
func rebuildPast(tx *bolt.Tx) error {
	for _, name := range [][]byte{bucketPast, bucketSearch} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	return tx.Bucket(bucketIncidents).ForEach(func(k, v []byte) error {
		inc, err := decodeIncident(v)
		if err != nil {
			return nil
		}
		if err := repast(tx, false, "", inc, encodeSummary(inc)); err != nil {
			return err
		}
		lb := tx.Bucket(bucketLog).Bucket(k)
		if lb == nil {
			return nil
		}
		return lb.ForEach(func(_, v []byte) error {
			var e incident.Entry
			if decodeEntry(v, &e) != nil {
				return nil
			}
			es := []incident.Entry{e}
			return putSearch(tx, inc.ID, es, searchValues(es))
		})
	})
}
