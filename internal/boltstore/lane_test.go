package boltstore

import (
	"context"
	"path/filepath"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
)

// note is a change appending one note, text.
func note(text string) func(*incident.Incident) ([]incident.Entry, error) {
	return func(inc *incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{{Time: time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC), Actor: "@rssi", Kind: "note", Text: text}}, nil
	}
}

// queued waits until n writes wait for the commit under way.
func queued(s *Store, n int) {
	for {
		s.commit.mu.Lock()
		k := len(s.commit.queue)
		s.commit.mu.Unlock()
		if k >= n {
			return
		}
		runtime.Gosched()
	}
}

// TestLaneAfterUnwrittenChange: a change that started from a change not
// yet written (B after A) must not be written when A was not, even though
// another change (Y, run inside the write transaction after the optimistic
// tries) took the revision number A would have made. Written, B would carry
// A's state, and its entry would follow one the main courante does not
// hold: a chain broken by the store itself.
func TestLaneAfterUnwrittenChange(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "vigie.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inc, err := s.Create(ctx, &incident.Incident{Title: "lane", Channel: "C1", Chain: "x", OpenedAt: time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	id := inc.ID
	// A commit under way holds the others in the queue.
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s.write(func(*bolt.Tx) error { <-release; return nil })
	})
	queued(s, 0)
	for { // the blocking write leads: nothing queued, a commit running
		s.commit.mu.Lock()
		running := s.commit.running
		s.commit.mu.Unlock()
		if running {
			break
		}
		runtime.Gosched()
	}
	wg.Go(func() { // Y: from the stored copy, inside the transaction
		if _, err := s.lockedChange(id, incident.Change{}, note("Y")); err != nil {
			t.Errorf("Y: %v", err)
		}
	})
	queued(s, 1)
	wg.Go(func() { // A: from the stored copy, read before Y is written
		if _, err := s.Change(ctx, id, incident.Change{}, note("A")); err != nil {
			t.Errorf("A: %v", err)
		}
	})
	queued(s, 2)
	wg.Go(func() { // B: from A, not yet written
		if _, err := s.Change(ctx, id, incident.Change{}, note("B")); err != nil {
			t.Errorf("B: %v", err)
		}
	})
	queued(s, 3)
	close(release)
	wg.Wait()

	if err := s.VerifyChain(ctx, id); err != nil {
		t.Fatalf("main courante broken: %v", err)
	}
	es, err := s.Entries(ctx, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range es {
		texts = append(texts, e.Text)
	}
	slices.Sort(texts)
	if !slices.Equal(texts, []string{"A", "B", "Y"}) {
		t.Errorf("entries %q, want A, B and Y once each", texts)
	}
	got, err := s.Incident(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Head.Seq != uint64(len(es)) || got.Head.Hash != es[len(es)-1].Hash {
		t.Errorf("head #%d %.12s, want the last entry #%d", got.Head.Seq, got.Head.Hash, len(es))
	}
}

// TestLaneConcurrentChanges: many changes to one incident at once, some of
// them run inside the write transaction as after failed tries, each
// written once, in a chain that verifies.
func TestLaneConcurrentChanges(t *testing.T) {
	ctx := context.Background()
	s, err := Open(filepath.Join(t.TempDir(), "vigie.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	inc, err := s.Create(ctx, &incident.Incident{Title: "lane", Channel: "C1", Chain: "x", OpenedAt: time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const workers, each = 8, 40
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for k := range each {
				var err error
				if k%7 == w%7 {
					_, err = s.lockedChange(inc.ID, incident.Change{}, note("x"))
				} else {
					_, err = s.Change(ctx, inc.ID, incident.Change{}, note("x"))
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err := s.VerifyChain(ctx, inc.ID); err != nil {
		t.Fatalf("main courante broken: %v", err)
	}
	es, err := s.Entries(ctx, inc.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(es) != workers*each {
		t.Errorf("%d entries, want %d", len(es), workers*each)
	}
}
