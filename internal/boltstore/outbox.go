package boltstore

import (
	"context"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
)

// reowe keeps outbox/<id> in step with what the channel is owed: present
// while the incident's head is past what its card last showed (Shown), in
// the transaction that appends the entries. A crash after the commit
// loses nothing: the outbox still names the incident at start.
func reowe(tx *bolt.Tx, inc *incident.Incident) error {
	b := tx.Bucket(bucketOutbox)
	if b == nil {
		return nil // a file opened read-only before the outbox existed
	}
	key := []byte(inc.ID)
	var err error
	if inc.Head.Seq > inc.Shown {
		err = moveKey(b, nil, key)
	} else {
		err = moveKey(b, key, nil)
	}
	if err != nil {
		return fmt.Errorf("outbox index: %w", err)
	}
	return nil
}

// Owed returns the ids of the incidents whose channel is owed their card
// and checklist, in key order.
func (s *Store) Owed(ctx context.Context) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, wrap("owed", err)
	}
	var out []string
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketOutbox)
		if b == nil {
			return nil
		}
		return b.ForEach(func(k, _ []byte) error {
			out = append(out, string(k))
			return nil
		})
	})
	if err != nil {
		return nil, wrap("owed", err)
	}
	return out, nil
}
