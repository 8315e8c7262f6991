package boltstore

import (
	"fmt"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// Unexported pieces the external tests reach.
var (
	FormatID = func(year int, n uint64) string { return incident.FormatID(year, n, false) }
	IDLess   = idLess
)

// Write modes, for benchmarks that compare them and tests that run the
// conformance suite under each.
type WriteMode = writeMode

const (
	ModeGroup  = modeGroup
	ModeUpdate = modeUpdate
	ModeBatch  = modeBatch
)

// SetWriteMode changes how s commits; call it before s is shared.
func SetWriteMode(s *Store, m writeMode) { s.mode = m }

// SeedEntries appends n note entries to the main courante of id, sealed as
// Update seals them, in transactions of per entries: building a 100 000
// entry courante for a benchmark costs a few commits, not 100 000 fsyncs.
func (s *Store) SeedEntries(id string, n, per int, at time.Time) error {
	for done := 0; done < n; {
		k := min(per, n-done)
		err := s.db.Update(func(tx *bolt.Tx) error {
			inc, err := getIncident(tx, id)
			if err != nil {
				return err
			}
			es := make([]incident.Entry, k)
			for i := range es {
				es[i] = incident.Entry{Time: at, Actor: "@seed", Kind: incident.KindNote, Text: fmt.Sprintf("seed %d", done+i+1)}
			}
			inc.Head = incident.Seal(inc.Head, id, es)
			if err := putEntries(tx.Bucket(bucketLog).Bucket([]byte(id)), es); err != nil {
				return err
			}
			return putIncident(tx, inc)
		})
		if err != nil {
			return fmt.Errorf("seed %s: %w", id, err)
		}
		done += k
	}
	return nil
}

// SeedIncidents stores n copies of tmpl (IDs 9000-000001…, channel
// "seed-N", wake given by wake(i)) with the indexes Create keeps, in
// transactions of per incidents: a 100 000-incident store for a benchmark
// costs a few commits.
func (s *Store) SeedIncidents(tmpl *incident.Incident, n, per int, wake func(i int) time.Time) ([]string, error) {
	var ids []string
	for done := 0; done < n; {
		k := min(per, n-done)
		err := s.db.Update(func(tx *bolt.Tx) error {
			for i := done; i < done+k; i++ {
				inc := *tmpl
				inc.ID = fmt.Sprintf("9000-%06d", i+1)
				inc.Channel = fmt.Sprintf("seed-%d", i+1)
				inc.Wake = wake(i)
				if _, err := tx.Bucket(bucketLog).CreateBucketIfNotExists([]byte(inc.ID)); err != nil {
					return err
				}
				if err := putIncident(tx, &inc); err != nil {
					return err
				}
				if err := repast(tx, false, "", &inc, encodeSummary(&inc)); err != nil {
					return err
				}
				if err := reindex(tx, "", "", &inc); err != nil {
					return err
				}
				if err := rewake(tx, time.Time{}, &inc); err != nil {
					return err
				}
				ids = append(ids, inc.ID)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("seed incidents: %w", err)
		}
		done += k
	}
	return ids, nil
}

// DB is the store's bbolt database, for tests that look at its buckets.
func (s *Store) DB() *bolt.DB { return s.db }
