package boltstore

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// recordVersion is the version field of incident and entry values.
const recordVersion = 1

// incidentRecord is the stored form of an incident: {"v":1,"incident":{…}},
// so that a later schema can change the incident's shape and still read
// the old records.
type incidentRecord struct {
	V        int                `json:"v"`
	Incident *incident.Incident `json:"incident"`
}

// fnError carries the error of the caller's fn through bbolt, so that Update
// can return it unwrapped while wrapping bbolt's own errors.
type fnError struct{ err error }

func (e *fnError) Error() string { return e.err.Error() }

// Create implements bot.Store: it allocates the ID from the year of
// inc.OpenedAt in UTC, stores the incident (status open if unset) and its
// first entries. The caller's inc and entries are not modified.
func (s *Store) Create(ctx context.Context, inc *incident.Incident, entries []incident.Entry) (*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: create: %w", err)
	}
	if err := checkNew(inc); err != nil {
		return nil, fmt.Errorf("boltstore: create: %w", err)
	}
	tmpl, err := json.Marshal(inc)
	if err != nil {
		return nil, fmt.Errorf("boltstore: create: %w", err)
	}
	var out *incident.Incident
	err = s.write(func(tx *bolt.Tx) error {
		fresh := new(incident.Incident) // a new copy per attempt: a group may be retried
		if err := json.Unmarshal(tmpl, fresh); err != nil {
			return err
		}
		id, err := allocateID(tx, fresh)
		if err != nil {
			return err
		}
		fresh.ID = id
		if fresh.Status == "" {
			fresh.Status = incident.StatusOpen
		}
		es := append([]incident.Entry(nil), entries...)
		fresh.Head = incident.Seal(incident.Head{}, id, es)
		lb, err := tx.Bucket(bucketLog).CreateBucket([]byte(id))
		if err != nil {
			return fmt.Errorf("main courante of %s: %w", id, err)
		}
		if err := putEntries(lb, es); err != nil {
			return err
		}
		if err := putSearch(tx, id, es, searchValues(es)); err != nil {
			return err
		}
		if err := putIncident(tx, fresh); err != nil {
			return err
		}
		if err := repast(tx, false, "", fresh, encodeSummary(fresh)); err != nil {
			return err
		}
		fresh.Rev = 1
		if err := putRev(tx, id, fresh.Rev); err != nil {
			return err
		}
		if err := reindex(tx, "", "", fresh); err != nil {
			return err
		}
		if err := rewake(tx, time.Time{}, fresh); err != nil {
			return err
		}
		if err := reowe(tx, fresh); err != nil {
			return err
		}
		out = fresh
		return nil
	})
	if err != nil {
		return nil, wrap("create", err)
	}
	s.broken.setVerified(out.ID)
	return out, nil
}

// checkNew rejects what would make an ID or the open index ambiguous.
func checkNew(inc *incident.Incident) error {
	if inc == nil {
		return errors.New("nil incident")
	}
	if inc.OpenedAt.IsZero() {
		return errors.New("incident has no OpenedAt (its year makes the ID)")
	}
	return checkChannel(inc.Channel)
}

// checkChannel keeps the open index unambiguous: NUL separates channel and
// ID in its keys.
func checkChannel(ch string) error {
	if strings.IndexByte(ch, 0) >= 0 {
		return fmt.Errorf("channel %q contains a NUL byte", ch)
	}
	return nil
}

// allocateID increments seq/<year> (seq/EX-<year> for an exercise, so
// that exercises never leave a gap in the incidents' numbers) and formats
// the ID. Databases made before exercises hold only seq/<year>, which
// goes on as it was.
func allocateID(tx *bolt.Tx, inc *incident.Incident) (string, error) {
	year := inc.OpenedAt.UTC().Year()
	b := tx.Bucket(bucketSeq)
	key := []byte(incident.SeqKey(year, inc.Exercise))
	var n uint64
	if v := b.Get(key); v != nil {
		if len(v) != 8 {
			return "", fmt.Errorf("corrupt counter seq/%s", key)
		}
		n = binary.BigEndian.Uint64(v)
	}
	n++
	if err := b.Put(key, seqKey(n)); err != nil {
		return "", fmt.Errorf("counter seq/%s: %w", key, err)
	}
	id := incident.FormatID(year, n, inc.Exercise)
	if tx.Bucket(bucketIncidents).Get([]byte(id)) != nil {
		return "", fmt.Errorf("counter seq/%s allocated %s, which exists", key, id)
	}
	return id, nil
}

// Incident implements bot.Store.
func (s *Store) Incident(ctx context.Context, id string) (*incident.Incident, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("boltstore: incident %s: %w", id, err)
	}
	var inc *incident.Incident
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		inc, err = s.getIncident(tx, id)
		return err
	})
	if err != nil {
		return nil, wrap(fmt.Sprintf("incident %s", id), err)
	}
	return inc, nil
}

// getIncident decodes incidents/<id>; incident.ErrNotFound if absent.
func getIncident(tx *bolt.Tx, id string) (*incident.Incident, error) {
	v := tx.Bucket(bucketIncidents).Get([]byte(id))
	if v == nil {
		return nil, incident.ErrNotFound
	}
	inc, err := decodeIncident(v)
	if err != nil {
		return nil, corrupt("incident %s cannot be read: %v", id, err)
	}
	inc.Rev = getRev(tx, id)
	return inc, nil
}

func decodeIncident(v []byte) (*incident.Incident, error) {
	rec := incidentRecord{Incident: new(incident.Incident)}
	if err := json.Unmarshal(v, &rec); err != nil {
		return nil, err
	}
	if rec.V != recordVersion {
		return nil, fmt.Errorf("unknown record version %d", rec.V)
	}
	if rec.Incident == nil {
		return nil, errors.New("no incident in the record")
	}
	return rec.Incident, nil
}

func putIncident(tx *bolt.Tx, inc *incident.Incident) error {
	v, err := encodeIncident(inc)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketIncidents).Put([]byte(inc.ID), v)
}

func encodeIncident(inc *incident.Incident) ([]byte, error) {
	v, err := json.Marshal(incidentRecord{V: recordVersion, Incident: inc})
	if err != nil {
		return nil, fmt.Errorf("encode incident %s: %w", inc.ID, err)
	}
	return v, nil
}
