package boltstore

import (
	"bytes"
	"sync"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// An action reads its incident once to find it (by channel or id), the
// outbox reads it again to draw the card, and a change queued behind
// another starts from the record that one encoded: decoding the JSON
// record was a twelfth of the CPU of BenchmarkAnswerOpenLoop on
// Mattermost. The incidents decoded last are kept with their stored
// bytes: when the bytes read are the same, a clone of the kept copy is
// the decoded record (incident.Clone, a tenth of the cost), and the kept
// copy itself is never handed out. Other bytes are decoded.

// maxDecoded bounds the incidents kept; beyond, all are forgotten. A
// crisis cell works on a few incidents at once; a start sweep reading a
// thousand must not keep them all.
const maxDecoded = 256

// decodedRecord is an incident as decoded from its stored bytes.
type decodedRecord struct {
	raw []byte
	inc *incident.Incident
}

// decoded are the incidents decoded last, by id.
type decoded struct {
	mu sync.Mutex // guards m
	m  map[string]decodedRecord
}

// get returns a clone of the incident decoded from raw, if kept.
func (d *decoded) get(id string, raw []byte) *incident.Incident {
	d.mu.Lock()
	r, ok := d.m[id]
	d.mu.Unlock()
	if !ok || !bytes.Equal(r.raw, raw) {
		return nil
	}
	return r.inc.Clone()
}

// keep remembers inc, decoded from raw (which it copies); inc must not be
// changed afterwards.
func (d *decoded) keep(id string, raw []byte, inc *incident.Incident) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil || len(d.m) >= maxDecoded {
		d.m = map[string]decodedRecord{}
	}
	d.m[id] = decodedRecord{raw: bytes.Clone(raw), inc: inc}
}

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
