package boltstore_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// click makes a change with click where/what at at.
func click(s *boltstore.Store, id, where, what string, at time.Time) error {
	ch := incident.Change{Click: incident.Click{Where: where, What: what, At: at}, ClickWindow: time.Minute}
	_, err := s.Change(context.Background(), id, ch, func(*incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{storetest.Entry(incident.KindAnswer, what, at)}, nil
	})
	return err
}

// A click is remembered on disk: its repeat after a restart changes nothing.
func TestClickRepeatAfterRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := s.Create(context.Background(), storetest.NewIncident("C1", t0), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := click(s, inc.ID, "mm:u1:p1", "yes", t0); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = MustOpenAt(t, path)
	if err := click(s, inc.ID, "mm:u1:p1", "yes", t0.Add(20*time.Second)); !errors.Is(err, incident.ErrRepeatClick) {
		t.Errorf("repeat after a restart: %v, want ErrRepeatClick", err)
	}
}

// The clicks of a busy minute neither enlarge the incident record, which
// every change decodes, nor stay once their window has passed.
func TestClicksKeptApart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	s := MustOpenAt(t, path)
	inc, err := s.Create(context.Background(), storetest.NewIncident("C1", t0), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := click(s, inc.ID, "mm:u1:p0", "yes", t0); err != nil {
		t.Fatal(err)
	}
	first := recordSize(t, s, inc.ID)
	for i := 1; i < 300; i++ {
		if err := click(s, inc.ID, fmt.Sprintf("mm:u1:p%d", i), "yes", t0.Add(time.Duration(i)*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
	}
	if got := recordSize(t, s, inc.ID); got > first+16 { // the head's sequence number grows by a few digits
		t.Errorf("record %d bytes after 300 clicks, %d after one", got, first)
	}
	// A minute later, each click forgets several old ones.
	later := t0.Add(2 * time.Minute)
	for i := range 60 {
		if err := click(s, inc.ID, fmt.Sprintf("mm:u2:q%d", i), "no", later); err != nil {
			t.Fatal(err)
		}
	}
	if n := bucketLen(t, s, "clicks"); n != 60 {
		t.Errorf("%d clicks kept, want the 60 of the last minute", n)
	}
	if n := bucketLen(t, s, "clickexp"); n != 60 {
		t.Errorf("%d clicks in the expiry index, want 60", n)
	}
}

func recordSize(t *testing.T, s *boltstore.Store, id string) (n int) {
	t.Helper()
	err := s.DB().View(func(tx *bolt.Tx) error {
		n = len(tx.Bucket([]byte("incidents")).Get([]byte(id)))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func bucketLen(t *testing.T, s *boltstore.Store, name string) (n int) {
	t.Helper()
	err := s.DB().View(func(tx *bolt.Tx) error {
		n = tx.Bucket([]byte(name)).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
