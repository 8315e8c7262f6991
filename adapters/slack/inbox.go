package slack

import (
	"container/list"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// inbox is the adapter's own bbolt file: requests acknowledged to Slack and
// not yet handled (inbox/<seq BE>), and the ids seen lately (seen/<key> →
// time), so that a retry arriving after a restart is still known.
type inbox struct {
	db *bolt.DB
}

var (
	bucketInbox = []byte("inbox")
	bucketSeen  = []byte("seen")
)

// seenFor is how long an id is remembered: Slack retries an event for
// about 5 minutes, and a Socket Mode redelivery comes within seconds.
const seenFor = time.Hour

// inboxFile is the inbox's name in the data directory.
const inboxFile = "slack-inbox.db"

func openInbox(dir string) (*inbox, error) {
	path := filepath.Join(dir, inboxFile)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("slack inbox %s is in use by another Vigie (run one per data directory)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("slack inbox: %w", err)
	}
	// Many requests at once share one commit; a lone one waits 2 ms.
	db.MaxBatchDelay = 2 * time.Millisecond
	err = db.Update(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bucketInbox, bucketSeen} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("slack inbox: %w", err)
	}
	return &inbox{db: db}, nil
}

// put records in durably unless its key was seen, and says whether it was
// new. It sets in.seq. Concurrent callers share a commit (bolt Batch): the
// function may run twice, so it only reads and writes the transaction,
// and hands claim, when set, the key it is about to write: the caller
// marks it held before any rescan can read it.
func (b *inbox) put(in *inbound, now time.Time, claim func(seq uint64)) (bool, error) {
	data, err := json.Marshal(in)
	if err != nil {
		return false, err
	}
	var fresh bool
	var seq uint64
	err = b.db.Batch(func(tx *bolt.Tx) error {
		fresh, seq = false, 0
		seen := tx.Bucket(bucketSeen)
		if in.Key != "" {
			if seen.Get([]byte(in.Key)) != nil {
				return nil
			}
			var t [8]byte
			binary.BigEndian.PutUint64(t[:], uint64(now.UnixNano()))
			if err := seen.Put([]byte(in.Key), t[:]); err != nil {
				return err
			}
		}
		q := tx.Bucket(bucketInbox)
		n, err := q.NextSequence()
		if err != nil {
			return err
		}
		fresh, seq = true, n
		if claim != nil {
			claim(n)
		}
		return q.Put(seqKey(n), data)
	})
	if err != nil {
		return false, fmt.Errorf("slack inbox: %w", err)
	}
	in.seq = seq
	return fresh, nil
}

// known says whether key was recorded within seenFor (and not yet
// pruned): a request seen before a restart.
func (b *inbox) known(key string) bool {
	var found bool
	b.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketSeen).Get([]byte(key)) != nil
		return nil
	})
	return found
}

// holds says whether request seq is still to be handled: a handler that
// forgot it (done) did so before releasing it.
func (b *inbox) holds(seq uint64) bool {
	var found bool
	b.db.View(func(tx *bolt.Tx) error {
		found = tx.Bucket(bucketInbox).Get(seqKey(seq)) != nil
		return nil
	})
	return found
}

// done removes a handled request.
func (b *inbox) done(seq uint64) error {
	return b.db.Batch(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketInbox).Delete(seqKey(seq))
	})
}

// pending returns the requests not yet handled, oldest first, at most n.
func (b *inbox) pending(n int) ([]*inbound, error) {
	var out []*inbound
	err := b.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bucketInbox).Cursor()
		for k, v := c.First(); k != nil && len(out) < n; k, v = c.Next() {
			in := &inbound{}
			if err := json.Unmarshal(v, in); err != nil {
				continue // written by us; unreadable means a newer format
			}
			in.seq = binary.BigEndian.Uint64(k)
			out = append(out, in)
		}
		return nil
	})
	return out, err
}

// prune forgets the ids seen before now-seenFor.
func (b *inbox) prune(now time.Time) (int, error) {
	limit := uint64(now.Add(-seenFor).UnixNano())
	n := 0
	err := b.db.Update(func(tx *bolt.Tx) error {
		seen := tx.Bucket(bucketSeen)
		var old [][]byte
		err := seen.ForEach(func(k, v []byte) error {
			if len(v) != 8 || binary.BigEndian.Uint64(v) < limit {
				old = append(old, append([]byte(nil), k...))
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, k := range old {
			if err := seen.Delete(k); err != nil {
				return err
			}
		}
		n = len(old)
		return nil
	})
	return n, err
}

func (b *inbox) close() error { return b.db.Close() }

func seqKey(n uint64) []byte {
	var k [8]byte
	binary.BigEndian.PutUint64(k[:], n)
	return k[:]
}

// lru remembers the last ids seen in memory, so that a retry is dropped
// without a transaction. It is bounded: the inbox's seen bucket is the
// durable record.
type lru struct {
	mu    sync.Mutex // guards the fields below
	max   int
	order *list.List // front: most recent
	items map[string]*list.Element
}

func newLRU(max int) *lru {
	return &lru{max: max, order: list.New(), items: map[string]*list.Element{}}
}

// add records key and says whether it was already there.
func (l *lru) add(key string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		l.order.MoveToFront(e)
		return true
	}
	l.items[key] = l.order.PushFront(key)
	if l.order.Len() > l.max {
		old := l.order.Back()
		l.order.Remove(old)
		delete(l.items, old.Value.(string))
	}
	return false
}

// forget removes key, when its request could not be recorded and Slack
// must be allowed to send it again.
func (l *lru) forget(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if e, ok := l.items[key]; ok {
		l.order.Remove(e)
		delete(l.items, key)
	}
}
