package boltstore

import (
	"bytes"
	"sync"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// An action read its incident's JSON record to find it (by channel or
// id), the outbox read it again to draw the card, and a change queued
// behind another decoded the record that one encoded: 8 % of the CPU of
// the Mattermost open-loop benchmark at 4 000 req/s. The store now keeps,
// for each incident, the record it decoded or encoded last with the
// incident it is: when the bytes read are the same, a clone of the kept
// incident is the decoded record (incident.Clone, a tenth of the cost),
// and the kept incident itself is never handed out. Other bytes, such as
// a record edited in the file, are decoded.

// maxDecoded bounds the incidents kept; beyond, all are forgotten. A
// crisis cell works on a few incidents at once; a start sweep reading a
// thousand must not keep them all.
const maxDecoded = 256

// decodedRecord is an incident as decoded from its stored bytes.
type decodedRecord struct {
	raw []byte
	inc *incident.Incident
}

// decodedPair holds two records of an incident: under load, the one
// stored, which actions and the outbox read, and the one the last change
// queued made, which the change queued behind it starts from. One alone
// would be replaced by each in turn.
type decodedPair struct {
	r    [2]decodedRecord
	next int // the slot keep fills next
}

// decoded are the incidents decoded last, by id.
type decoded struct {
	mu sync.Mutex // guards m
	m  map[string]*decodedPair
}

// get returns a clone of the incident decoded from raw, if kept.
func (d *decoded) get(id string, raw []byte) *incident.Incident {
	d.mu.Lock()
	var inc *incident.Incident
	if p := d.m[id]; p != nil {
		for _, r := range p.r {
			if r.inc != nil && bytes.Equal(r.raw, raw) {
				inc = r.inc
				break
			}
		}
	}
	d.mu.Unlock()
	return inc.Clone() // outside the lock; the kept incident never changes
}

// keep remembers inc, decoded from raw (which it copies); inc must not be
// changed afterwards.
func (d *decoded) keep(id string, raw []byte, inc *incident.Incident) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil || len(d.m) >= maxDecoded {
		d.m = map[string]*decodedPair{}
	}
	p := d.m[id]
	if p == nil {
		p = &decodedPair{}
		d.m[id] = p
	}
	p.r[p.next] = decodedRecord{raw: bytes.Clone(raw), inc: inc}
	p.next = 1 - p.next
}

// made keeps the incident a change made with the record it encoded, so
// that neither the change queued behind it nor the reads after its commit
// decode what was encoded a moment ago. A change that is not written
// leaves bytes no read finds.
func (d *decoded) made(m *made) { d.keep(m.inc.ID, m.record, m.inc.Clone()) }

// decode is decodeIncident for the record raw of incident id.
func (s *Store) decode(id string, raw []byte) (*incident.Incident, error) {
	if inc := s.decoded.get(id, raw); inc != nil {
		return inc, nil
	}
	inc, err := decodeIncident(raw)
	if err != nil {
		return nil, err
	}
	s.decoded.keep(id, raw, inc.Clone())
	return inc, nil
}

// getIncident is getIncident through the incidents decoded last.
func (s *Store) getIncident(tx *bolt.Tx, id string) (*incident.Incident, error) {
	v := tx.Bucket(bucketIncidents).Get([]byte(id))
	if v == nil {
		return nil, incident.ErrNotFound
	}
	inc, err := s.decode(id, v)
	if err != nil {
		return nil, corrupt("incident %s cannot be read: %v", id, err)
	}
	inc.Rev = getRev(tx, id)
	return inc, nil
}
