package boltstore

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// Revisions and clicks: what Change keeps beside the incident record, so
// that neither makes it larger.

// getRev is the revision of incidents/<id>: 0 when none was written yet (a
// file of an older Vigie, or a reader of one).
func getRev(tx *bolt.Tx, id string) uint64 {
	b := tx.Bucket(bucketRevs)
	if b == nil {
		return 0
	}
	v := b.Get([]byte(id))
	if len(v) != 8 {
		return 0
	}
	return binary.BigEndian.Uint64(v)
}

func putRev(tx *bolt.Tx, id string, rev uint64) error {
	if err := tx.Bucket(bucketRevs).Put([]byte(id), seqKey(rev)); err != nil {
		return fmt.Errorf("revision of %s: %w", id, err)
	}
	return nil
}

// clickForget is how many expired clicks a click forgets at most: more
// than one, so that the bucket shrinks when clicks slow down.
const clickForget = 8

func clickKey(id, where string) []byte {
	return append(append([]byte(id), 0), where...)
}

// repeats reports whether ch's click is the person's last click on that
// message, taken within the window.
func repeats(tx *bolt.Tx, id string, ch incident.Change) bool {
	b := tx.Bucket(bucketClicks)
	if ch.Click.Where == "" || b == nil {
		return false
	}
	v := b.Get(clickKey(id, ch.Click.Where))
	if len(v) < 8 || string(v[8:]) != ch.Click.What {
		return false
	}
	at := time.Unix(0, int64(binary.BigEndian.Uint64(v)))
	return ch.Click.At.Sub(at) < ch.ClickWindow
}

// putClick records ch's click as the person's last on that message, and
// forgets a few clicks older than the window.
func putClick(tx *bolt.Tx, id string, ch incident.Change) error {
	if ch.Click.Where == "" {
		return nil
	}
	clicks, exp := tx.Bucket(bucketClicks), tx.Bucket(bucketClickExp)
	key := clickKey(id, ch.Click.Where)
	if old := clicks.Get(key); len(old) >= 8 {
		if err := exp.Delete(append(append([]byte(nil), old[:8]...), key...)); err != nil {
			return err
		}
	}
	at := seqKey(uint64(ch.Click.At.UnixNano()))
	if err := clicks.Put(key, append(at, ch.Click.What...)); err != nil {
		return fmt.Errorf("click: %w", err)
	}
	if err := exp.Put(append(at[:8:8], key...), nil); err != nil {
		return fmt.Errorf("click: %w", err)
	}
	return forgetClicks(clicks, exp, ch.Click.At.Add(-ch.ClickWindow))
}

// forgetClicks deletes up to clickForget clicks taken before cutoff.
func forgetClicks(clicks, exp *bolt.Bucket, cutoff time.Time) error {
	end := seqKey(uint64(cutoff.UnixNano()))
	c := exp.Cursor()
	var gone [][]byte
	for k, _ := c.First(); k != nil && len(gone) < clickForget && bytes.Compare(k[:min(8, len(k))], end) < 0; k, _ = c.Next() {
		gone = append(gone, append([]byte(nil), k...))
	}
	for _, k := range gone {
		if err := exp.Delete(k); err != nil {
			return err
		}
		if len(k) > 8 {
			if v := clicks.Get(k[8:]); len(v) >= 8 && bytes.Equal(v[:8], k[:8]) {
				if err := clicks.Delete(k[8:]); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
