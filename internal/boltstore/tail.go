package boltstore

import (
	"bytes"
	"encoding/binary"
	"sync"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// Before each append, the tail of the main courante is checked against
// the incident's head (checkTail): its last entry decoded and its hash
// computed again, a twentieth of an action's CPU. The bytes of a last
// entry this process wrote or checked are kept: when the stored bytes are
// the same and the head still names them, they are the entry that was
// checked, and the check is a comparison. Any other bytes (edited in the
// file by a tool that ignores the lock) get the whole check.

// maxTails bounds the tails kept; beyond, all are forgotten.
const maxTails = 4096

// tail is a last entry known good: its sequence number, its hash (the
// head that names it) and its stored bytes.
type tail struct {
	seq  uint64
	hash string
	val  []byte
}

// tails are the last entries known good, by incident.
type tails struct {
	mu sync.Mutex // guards m
	m  map[string]tail
}

// keep remembers t for incident id, unless a later tail is known already.
func (ts *tails) keep(id string, t tail) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if old, ok := ts.m[id]; ok && old.seq > t.seq {
		return
	}
	if ts.m == nil || len(ts.m) >= maxTails {
		ts.m = map[string]tail{}
	}
	ts.m[id] = t
}

func (ts *tails) get(id string) (tail, bool) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	t, ok := ts.m[id]
	return t, ok
}

// checkTail is checkTail, a comparison when the tail is one known good.
func (s *Store) checkTail(lb *bolt.Bucket, id string, head incident.Head) error {
	if head.Seq == 0 {
		return nil
	}
	k, v := lb.Cursor().Last()
	if t, ok := s.tails.get(id); ok && t.seq == head.Seq && t.hash == head.Hash &&
		len(k) == 8 && binary.BigEndian.Uint64(k) == head.Seq && bytes.Equal(v, t.val) {
		return nil
	}
	if err := checkTail(lb, head); err != nil {
		return err
	}
	s.tails.keep(id, tail{seq: head.Seq, hash: head.Hash, val: bytes.Clone(v)})
	return nil
}

// wrote remembers the last entry m appended, once its commit is done.
func (s *Store) wrote(m *made) {
	if n := len(m.entries); n > 0 {
		s.tails.keep(m.inc.ID, tail{seq: m.entries[n-1].Seq, hash: m.entries[n-1].Hash, val: m.values[n-1]})
	}
}
