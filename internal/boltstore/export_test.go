package boltstore

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot"
)

// Unexported pieces the external tests reach.
var (
	FormatID = formatID
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
			es := make([]bot.Entry, k)
			for i := range es {
				es[i] = bot.Entry{Time: at, Actor: "@seed", Kind: bot.KindNote, Text: fmt.Sprintf("seed %d", done+i+1)}
			}
			inc.Head = bot.Seal(inc.Head, id, es)
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
