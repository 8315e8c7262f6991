package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// This file holds the main courante: one entry per key of log/<id>/, keyed
// by 8-byte big-endian sequence number.

// logFillPercent packs main-courante pages: keys only ever grow, so the
// half-empty pages of bbolt's default split would just waste space.
const logFillPercent = 0.9

// entryRecord is the stored form of an entry: {"v":1,"entry":{…}}.
type entryRecord struct {
	V     int             `json:"v"`
	Entry *incident.Entry `json:"entry"`
}

// Entries implements bot.Store. It seeks straight to seq after+1, so paging
// through a long main courante reads only the page asked for.
func (s *Store) Entries(ctx context.Context, id string, after uint64, limit int) ([]incident.Entry, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: entries %s: %w", id, err)
	}
	var out []incident.Entry
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		out, err = readEntries(ctx, tx, id, after, limit)
		return err
	})
	if err != nil {
		return nil, wrap(fmt.Sprintf("entries %s", id), err)
	}
	return out, nil
}

// readEntries reads the entries of incident id after seq after, at most
// limit (≤ 0: all), in tx.
func readEntries(ctx context.Context, tx *bolt.Tx, id string, after uint64, limit int) ([]incident.Entry, error) {
	var out []incident.Entry
	if tx.Bucket(bucketIncidents).Get([]byte(id)) == nil {
		return nil, incident.ErrNotFound
	}
	lb := tx.Bucket(bucketLog).Bucket([]byte(id))
	if lb == nil {
		return nil, corrupt("the main courante of %s is missing", id)
	}
	if after == math.MaxUint64 {
		return nil, nil
	}
	c := lb.Cursor()
	for k, v := c.Seek(seqKey(after + 1)); k != nil; k, v = c.Next() {
		if limit > 0 && len(out) >= limit {
			break
		}
		if len(out)%1024 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		var e incident.Entry // Unmarshal copies: nothing refers to mmap'd bytes
		if err := decodeEntry(v, &e); err != nil {
			return nil, corrupt("entry %x of %s cannot be read: %v", k, id, err)
		}
		out = append(out, e)
	}
	return out, nil
}

func decodeEntry(v []byte, e *incident.Entry) error {
	rec := entryRecord{Entry: e}
	if err := json.Unmarshal(v, &rec); err != nil {
		return err
	}
	if rec.V != recordVersion {
		return fmt.Errorf("unknown record version %d", rec.V)
	}
	if rec.Entry == nil {
		return errors.New("no entry in the record")
	}
	return nil
}

// putEntries writes sealed entries under their sequence numbers.
func putEntries(lb *bolt.Bucket, es []incident.Entry) error {
	vs, err := encodeEntries(es)
	if err != nil {
		return err
	}
	return putEncoded(lb, es, vs)
}

// encodeEntries returns the records of sealed entries.
func encodeEntries(es []incident.Entry) ([][]byte, error) {
	vs := make([][]byte, len(es))
	for i := range es {
		v, err := json.Marshal(entryRecord{V: recordVersion, Entry: &es[i]})
		if err != nil {
			return nil, fmt.Errorf("encode entry %d: %w", es[i].Seq, err)
		}
		vs[i] = v
	}
	return vs, nil
}

// putEncoded writes the records vs of entries es under their sequence
// numbers.
func putEncoded(lb *bolt.Bucket, es []incident.Entry, vs [][]byte) error {
	lb.FillPercent = logFillPercent
	for i := range es {
		if err := lb.Put(seqKey(es[i].Seq), vs[i]); err != nil {
			return fmt.Errorf("entry %d: %w", es[i].Seq, err)
		}
	}
	return nil
}

func seqKey(seq uint64) []byte {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, seq)
	return k
}
