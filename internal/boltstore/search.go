package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// This file holds search/, the texts people wrote (titles, notes,
// situation points, proofs) that vigie cherche scans (past.go has the
// listing's index, and how both are kept).

// textSep separates the texts of one search/ value. The conversation
// refuses control characters in what people type, so no text holds it,
// and a query never matches across two texts.
const textSep = 0x1f

// kindTitle is the kind of the search/ record of an incident's title,
// under sequence number 0.
const kindTitle = "title"

// searchKey is <id>\x00<seq BE>: an incident's records in order, its
// title (seq 0) first.
func searchKey(id string, seq uint64) []byte {
	k := make([]byte, 0, len(id)+9)
	k = append(k, id...)
	k = append(k, 0)
	return binary.BigEndian.AppendUint64(k, seq)
}

// searchValue is a search/ value: the version byte, the instant (8-byte
// big-endian Unix nanoseconds), the kind, a NUL, then the texts separated
// by textSep. It is not JSON so that a search reads the texts where they
// lie, without decoding ten thousand records.
func searchValue(at time.Time, kind string, texts []string) []byte {
	n := 10 + len(kind)
	for _, t := range texts {
		n += len(t) + 1
	}
	v := make([]byte, 0, n)
	v = append(v, pastVersion)
	v = binary.BigEndian.AppendUint64(v, uint64(nanos(at)))
	v = append(v, kind...)
	v = append(v, 0)
	for i, t := range texts {
		if i > 0 {
			v = append(v, textSep)
		}
		v = append(v, t...)
	}
	return v
}

// decodeSearch reads a search/ value: its instant, kind and texts (still
// joined by textSep, and valid only while v is).
func decodeSearch(v []byte) (at time.Time, kind string, texts []byte, ok bool) {
	if len(v) < 10 || v[0] != pastVersion {
		return at, "", nil, false
	}
	nul := bytes.IndexByte(v[9:], 0)
	if nul < 0 {
		return at, "", nil, false
	}
	return fromNanos(int64(binary.BigEndian.Uint64(v[1:9]))), string(v[9 : 9+nul]), v[10+nul:], true
}

// searchValues returns the search/ values of entries, nil for those
// without searchable text.
func searchValues(es []incident.Entry) [][]byte {
	var vs [][]byte
	for i := range es {
		if texts := es[i].Searchable(); len(texts) > 0 {
			if vs == nil {
				vs = make([][]byte, len(es))
			}
			vs[i] = searchValue(es[i].Time, es[i].Kind, texts)
		}
	}
	return vs
}

// putSearch writes the search/ values vs (searchValues) of entries es.
func putSearch(tx *bolt.Tx, id string, es []incident.Entry, vs [][]byte) error {
	if vs == nil {
		return nil
	}
	b := tx.Bucket(bucketSearch)
	for i, v := range vs {
		if v == nil {
			continue
		}
		if err := b.Put(searchKey(id, es[i].Seq), v); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// Found is a record a search matched: an incident's title (Seq 0, Kind
// "title", Time its opening) or the searchable texts of an entry
// (incident.Entry.Searchable).
type Found struct {
	ID    string
	Seq   uint64
	Time  time.Time
	Kind  string
	Texts []string
}

// Search returns the records whose texts match says hold what is
// searched: the latest opened incident first (an exercise, numbered
// apart, among the others), each incident's records in order. match is given the texts of
// one record separated by 0x1F, which no text holds; the bytes are valid
// only during the call. It reads search/, a few small values per
// incident, never the incidents or their entries; a file of an older Vigie
// opened read-only has no search/: then every entry is read.
func (s *Store) Search(ctx context.Context, match func(texts []byte) bool) ([]Found, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: search: %w", err)
	}
	var out []Found
	opened := map[string]time.Time{} // of the incidents found: their title's record says it
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketSearch)
		if b == nil {
			var err error
			out, err = searchRecords(ctx, tx, match, opened)
			return err
		}
		defer func() {
			for id := range opened {
				if at, _, _, ok := decodeSearch(b.Get(searchKey(id, 0))); ok {
					opened[id] = at
				}
			}
		}()
		c := b.Cursor()
		n := 0
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return err
				}
			}
			at, kind, texts, ok := decodeSearch(v)
			if !ok || len(k) < 9 {
				return corrupt("the search record %q cannot be read", k)
			}
			if !match(texts) {
				continue
			}
			f := Found{ID: string(k[:len(k)-9]), Seq: binary.BigEndian.Uint64(k[len(k)-8:]),
				Time: at, Kind: kind, Texts: strings.Split(string(texts), string(rune(textSep)))}
			opened[f.ID] = time.Time{}
			out = append(out, f)
		}
		return nil
	})
	if err != nil {
		return nil, wrap("search", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.ID == b.ID:
			return a.Seq < b.Seq
		case !opened[a.ID].Equal(opened[b.ID]):
			return opened[a.ID].After(opened[b.ID])
		}
		return idLess(b.ID, a.ID)
	})
	return out, nil
}

// searchRecords is Search on a file without search/: the title of every
// incident and the searchable texts of every entry, decoded. It notes in
// opened when each incident it found was opened.
func searchRecords(ctx context.Context, tx *bolt.Tx, match func([]byte) bool, opened map[string]time.Time) ([]Found, error) {
	var out []Found
	try := func(id string, seq uint64, at time.Time, kind string, texts []string) {
		if len(texts) > 0 && match([]byte(strings.Join(texts, string(rune(textSep))))) {
			out = append(out, Found{ID: id, Seq: seq, Time: at.UTC(), Kind: kind, Texts: texts})
		}
	}
	err := tx.Bucket(bucketIncidents).ForEach(func(k, v []byte) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		inc, err := decodeIncident(v)
		if err != nil {
			return corrupt("incident %s cannot be read: %v", k, err)
		}
		n := len(out)
		defer func() {
			if len(out) > n {
				opened[inc.ID] = inc.OpenedAt
			}
		}()
		try(inc.ID, 0, inc.OpenedAt, kindTitle, []string{inc.Title})
		es, err := readEntries(ctx, tx, inc.ID, 0, 0)
		if err != nil {
			return err
		}
		for _, e := range es {
			try(inc.ID, e.Seq, e.Time, e.Kind, e.Searchable())
		}
		return nil
	})
	return out, err
}
