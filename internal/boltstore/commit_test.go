package boltstore

import (
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

func newCommitter(t *testing.T) *committer {
	t.Helper()
	db, err := bolt.Open(filepath.Join(t.TempDir(), "c.db"), 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("k")); return err }); err != nil {
		t.Fatal(err)
	}
	return &committer{db: db}
}

// state is what the committer is doing: calls queued, and whether a leader
// is committing.
func (c *committer) state() (queued int, running bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.queue), c.running
}

// TestCommitterGroups checks that the calls queued behind a running commit
// all go in the next transaction, and that a lone call goes at once.
func TestCommitterGroups(t *testing.T) {
	c := newCommitter(t)
	release := make(chan struct{})
	var mu sync.Mutex
	txs := map[int]int{} // transaction ID → calls in it
	put := func(key string, wait bool) func(*bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			if wait {
				<-release
			}
			mu.Lock()
			txs[tx.ID()]++
			mu.Unlock()
			return tx.Bucket([]byte("k")).Put([]byte(key), nil)
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := c.write(put("first", true)); err != nil {
			t.Error(err)
		}
	})
	for q, r := c.state(); q != 0 || !r; q, r = c.state() { // the first call leads
		time.Sleep(time.Millisecond)
	}
	const n = 30
	for i := range n {
		wg.Go(func() {
			if err := c.write(put(fmt.Sprint("k", i), false)); err != nil {
				t.Error(err)
			}
		})
	}
	for q, _ := c.state(); q != n; q, _ = c.state() {
		time.Sleep(time.Millisecond)
	}
	close(release)
	wg.Wait()
	if len(txs) != 2 {
		t.Errorf("calls per transaction: %v; want the first alone, then the %d queued together", txs, n)
	}
	if q, r := c.state(); r || q != 0 {
		t.Errorf("after the last commit: running %v, queue %d", r, q)
	}
	if err := c.write(put("lone", false)); err != nil {
		t.Fatal(err)
	}
}

// TestCommitterFailures checks that a failing or panicking fn in a group
// gets its own error or panic, changes nothing, and does not stop the others.
func TestCommitterFailures(t *testing.T) {
	c := newCommitter(t)
	const n = 40
	var wg sync.WaitGroup
	errs := make([]error, n)
	panics := make([]any, n)
	want := func(i int) error {
		if i%5 == 1 {
			return fmt.Errorf("call %d refused", i)
		}
		return nil
	}
	sentinels := make([]error, n)
	for i := range n {
		sentinels[i] = want(i)
		wg.Go(func() {
			defer func() { panics[i] = recover() }()
			errs[i] = c.write(func(tx *bolt.Tx) error {
				if err := tx.Bucket([]byte("k")).Put([]byte(fmt.Sprint("k", i)), nil); err != nil {
					return err
				}
				if i%7 == 3 {
					panic(fmt.Sprint("call ", i))
				}
				return sentinels[i]
			})
		})
	}
	wg.Wait()
	err := c.db.View(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("k"))
		for i := range n {
			failing := i%5 == 1 || i%7 == 3
			if got := b.Get([]byte(fmt.Sprint("k", i))) != nil; got == failing {
				t.Errorf("call %d (failing %v): key written %v", i, failing, got)
			}
			switch {
			case i%7 == 3:
				if panics[i] != fmt.Sprint("call ", i) {
					t.Errorf("call %d: panic %v, want its own", i, panics[i])
				}
			case !errors.Is(errs[i], sentinels[i]) || errs[i] != sentinels[i] || panics[i] != nil:
				t.Errorf("call %d: error %v panic %v, want %v", i, errs[i], panics[i], sentinels[i])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if q, r := c.state(); r || q != 0 {
		t.Errorf("after the last commit: running %v, queue %d", r, q)
	}
}

// TestCommitterGathersUnderLoad: after a commit of several calls, the next
// leader waits a moment so that the calls arriving meanwhile share its
// commit; after a lone call, it does not wait.
func TestCommitterGathersUnderLoad(t *testing.T) {
	c := newCommitter(t)
	var mu sync.Mutex
	txs := map[int]int{} // transaction ID → calls in it
	put := func(key string) func(*bolt.Tx) error {
		return func(tx *bolt.Tx) error {
			mu.Lock()
			txs[tx.ID()]++
			mu.Unlock()
			return tx.Bucket([]byte("k")).Put([]byte(key), nil)
		}
	}
	var wg sync.WaitGroup
	waited := 0
	c.gather = func(time.Duration) { // three calls arrive while the leader waits
		waited++
		for i := range 3 {
			wg.Go(func() {
				if err := c.write(put(fmt.Sprint("late", i))); err != nil {
					t.Error(err)
				}
			})
		}
		for q, _ := c.state(); q != 4; q, _ = c.state() {
			runtime.Gosched()
		}
	}
	c.last = 1 // a lone call before: no wait
	if err := c.write(put("alone")); err != nil {
		t.Fatal(err)
	}
	if waited != 0 {
		t.Fatal("the leader waited after a lone call")
	}
	c.last = gatherFrom // a busy commit before
	if err := c.write(put("leader")); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if waited != 1 || len(txs) != 2 {
		t.Errorf("waited %d times, calls per transaction %v; want one wait, then the leader and the three late calls in one", waited, txs)
	}
}
