package boltstore

import (
	"context"
	"errors"
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

// laneStore is a store holding one incident, closed at the test's end.
func laneStore(t *testing.T) (*Store, *incident.Incident) {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "vigie.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	inc, err := s.Create(context.Background(), &incident.Incident{Title: "lane", Channel: "C1", Chain: "x",
		OpenedAt: time.Date(2026, 12, 6, 2, 0, 0, 0, time.UTC)}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, inc
}

// leading waits until a commit runs with nothing queued behind it.
func leading(s *Store) {
	for {
		s.commit.mu.Lock()
		running, n := s.commit.running, len(s.commit.queue)
		s.commit.mu.Unlock()
		if running && n == 0 {
			return
		}
		runtime.Gosched()
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
// yet written (B after A, C after B) must not be written when A was not, even though
// another change (Y, run inside the write transaction after the optimistic
// tries) took the revision number A would have made. Written, B would carry
// A's state, and its entry would follow one the main courante does not
// hold: a chain broken by the store itself.
func TestLaneAfterUnwrittenChange(t *testing.T) {
	ctx := context.Background()
	s, inc := laneStore(t)
	id := inc.ID
	// A commit under way holds the others in the queue.
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		s.write(func(*bolt.Tx) error { <-release; return nil })
	})
	leading(s)     // the blocking write
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
	for k, text := range []string{"B", "C"} { // from A, not yet written, then from B
		wg.Go(func() {
			if _, err := s.Change(ctx, id, incident.Change{}, note(text)); err != nil {
				t.Errorf("%s: %v", text, err)
			}
		})
		queued(s, 3+k)
	}
	close(release)
	wg.Wait()

	// A, B and C went stale once each: each starts again from the store
	// or from one that did, never from the line of A.
	if n := s.stale.Load(); n != 3 {
		t.Errorf("%d changes went stale, want 3 (A, B, C once each)", n)
	}

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
	if !slices.Equal(texts, []string{"A", "B", "C", "Y"}) {
		t.Errorf("entries %q, want A, B, C and Y once each", texts)
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
	s, inc := laneStore(t)
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

// TestLaneRepeatedClickNotQueued: a click repeating one still on its way
// to the disk is refused before it is queued, so that the changes queued
// after it are written without going stale; a click changing the answer
// is not a repeat.
func TestLaneRepeatedClickNotQueued(t *testing.T) {
	ctx := context.Background()
	s, inc := laneStore(t)
	at := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	click := func(what string, d time.Duration) incident.Change {
		return incident.Change{Click: incident.Click{Where: "mm\x00alice\x00post1", What: what, At: at.Add(d)}, ClickWindow: time.Minute}
	}
	release := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { s.write(func(*bolt.Tx) error { <-release; return nil }) })
	leading(s)
	errs := make([]error, 5)
	n := 0 // changes queued
	for k, c := range []struct {
		text string
		ch   incident.Change
	}{
		{"yes", click("yes", 0)},
		{"note", incident.Change{}},
		{"yes again", click("yes", 5*time.Millisecond)}, // refused: not queued
		{"no", click("no", 60*time.Millisecond)},
		{"note 2", incident.Change{}},
	} {
		done := make(chan struct{})
		wg.Go(func() { defer close(done); _, errs[k] = s.Change(ctx, inc.ID, c.ch, note(c.text)) })
		if k != 2 {
			n++
			queued(s, n)
			continue
		}
		for refused := false; !refused; { // at once, without waiting for the commit
			select {
			case <-done:
				refused = true
			default:
				s.commit.mu.Lock()
				q := len(s.commit.queue)
				s.commit.mu.Unlock()
				if q > n {
					close(release)
					t.Fatal("the repeated click was queued")
				}
				runtime.Gosched()
			}
		}
	}
	close(release)
	wg.Wait()
	for k, err := range errs {
		if want := k == 2; errors.Is(err, incident.ErrRepeatClick) != want || (!want && err != nil) {
			t.Errorf("change %d: %v", k, err)
		}
	}
	if n := s.stale.Load(); n != 0 {
		t.Errorf("%d changes went stale, want none", n)
	}
	es, err := s.Entries(ctx, inc.ID, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for _, e := range es {
		texts = append(texts, e.Text)
	}
	if want := []string{"yes", "note", "no", "note 2"}; !slices.Equal(texts, want) {
		t.Errorf("entries %q, want %q", texts, want)
	}
}

// TestLaneForgetLine: when a change is not written, the changes queued
// after it from its line will not be either: the next change starts from
// the store, not from them. A change of another line is kept.
func TestLaneForgetLine(t *testing.T) {
	a, c := &made{line: 1}, &made{line: 1}
	l := &lane{last: c}
	l.forget(a)
	if l.last != nil {
		t.Error("after A, not written, the next change starts from C, which started from A")
	}
	d := &made{line: 2}
	l.last = d
	l.forget(c)
	if l.last != d {
		t.Error("C, not written, made the next change forget D, which started from the store")
	}
}

// TestLanePanicReleases: a change whose fn panics (a bug in the bot) lets
// the change waiting behind it in the lane go on.
func TestLanePanicReleases(t *testing.T) {
	ctx := context.Background()
	s, inc := laneStore(t)
	inFn, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the caller")
			}
		}()
		s.Change(ctx, inc.ID, incident.Change{}, func(*incident.Incident) ([]incident.Entry, error) {
			close(inFn)
			<-release
			panic("a bug")
		})
	})
	<-inFn // the first change holds the lane
	done := make(chan error, 1)
	wg.Go(func() {
		_, err := s.Change(ctx, inc.ID, incident.Change{}, note("after"))
		done <- err
	})
	for { // the second waits in the lane
		s.lanes.mu.Lock()
		n := s.lanes.m[inc.ID].n
		s.lanes.mu.Unlock()
		if n == 2 {
			break
		}
		runtime.Gosched()
	}
	close(release)
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second): // a deadlock guard, not a timing
		t.Fatal("the change behind a panicking one never ran: the lane stayed held")
	}
	wg.Wait()
}
