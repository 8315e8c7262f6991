package boltstore_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// The targets of design.md §7 are ratios measured in one run, so that the
// disk's speed cancels out: each ratio benchmark interleaves the two sides.

// seeded opens a store holding one incident with n entries, written in large
// transactions (SeedEntries) rather than n fsyncs.
func seeded(b *testing.B, n int) (*boltstore.Store, string) {
	b.Helper()
	s := MustOpen(b)
	inc, err := s.Create(context.Background(), storetest.NewIncident("bench", t0), nil)
	if err != nil {
		b.Fatal(err)
	}
	if err := s.SeedEntries(inc.ID, n, 10_000, t0); err != nil {
		b.Fatal(err)
	}
	return s, inc.ID
}

// appendOne is one durable action: an Update that appends one entry. It
// may run on any goroutine, hence b.Error.
func appendOne(b *testing.B, s *boltstore.Store, id string) {
	_, err := s.Update(context.Background(), id, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Points++
		return []incident.Entry{{Time: t0, Actor: "@rssi", Kind: incident.KindNote, Text: "PACS isolé du réseau, sauvegardes vérifiées"}}, nil
	})
	if err != nil {
		b.Error(err)
	}
}

// rawDB opens a bare bbolt file with the store's options and one bucket.
func rawDB(b *testing.B) *bolt.DB {
	b.Helper()
	db, err := bolt.Open(filepath.Join(b.TempDir(), "raw.db"), 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("raw")); return err }); err != nil {
		b.Fatal(err)
	}
	return db
}

// rawValue is about the size of an encoded entry.
var rawValue = []byte(strings.Repeat("x", 300))

var rawKey atomic.Uint64

func rawPutFn(tx *bolt.Tx) error {
	k := make([]byte, 8)
	binary.BigEndian.PutUint64(k, rawKey.Add(1))
	return tx.Bucket([]byte("raw")).Put(k, rawValue)
}

// BenchmarkAppend is one append to a main courante of 10 and of 100 000
// entries.
func BenchmarkAppend(b *testing.B) {
	for _, n := range []int{10, 100_000} {
		b.Run(fmt.Sprintf("entries=%d", n), func(b *testing.B) {
			s, id := seeded(b, n)
			for b.Loop() {
				appendOne(b, s, id)
			}
		})
	}
}

// BenchmarkAppendRatio measures both sizes in the same run, alternating, and
// reports the cost at 100 000 over the cost at 10 (target ≤ 1.5).
func BenchmarkAppendRatio(b *testing.B) {
	small, sid := seeded(b, 10)
	large, lid := seeded(b, 100_000)
	var ts, tl time.Duration
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			ts += timed(func() { appendOne(b, small, sid) })
			tl += timed(func() { appendOne(b, large, lid) })
		} else {
			tl += timed(func() { appendOne(b, large, lid) })
			ts += timed(func() { appendOne(b, small, sid) })
		}
	}
	b.ReportMetric(float64(tl)/float64(ts), "ratio_100k_vs_10")
	b.ReportMetric(float64(ts.Nanoseconds())/float64(b.N), "ns/append_at_10")
	b.ReportMetric(float64(tl.Nanoseconds())/float64(b.N), "ns/append_at_100k")
}

// BenchmarkUpdateVsRawBolt compares one Store.Update appending one entry
// with one raw bbolt db.Update putting one key, in the same run.
func BenchmarkUpdateVsRawBolt(b *testing.B) {
	s, id := seeded(b, 10)
	db := rawDB(b)
	var tStore, tRaw time.Duration
	for i := 0; b.Loop(); i++ {
		raw := func() {
			if err := db.Update(rawPutFn); err != nil {
				b.Error(err)
			}
		}
		if i%2 == 0 {
			tStore += timed(func() { appendOne(b, s, id) })
			tRaw += timed(raw)
		} else {
			tRaw += timed(raw)
			tStore += timed(func() { appendOne(b, s, id) })
		}
	}
	b.ReportMetric(float64(tStore)/float64(tRaw), "ratio_store_vs_raw")
	b.ReportMetric(float64(tStore.Nanoseconds())/float64(b.N), "ns/store_update")
	b.ReportMetric(float64(tRaw.Nanoseconds())/float64(b.N), "ns/raw_update")
}

// Concurrency of the burst benchmarks: the design's 200 concurrent clients
// act on a hundred incidents at most.
const (
	burstClients = 100
	burstEach    = 10
)

// burst runs burstClients goroutines doing burstEach calls of do each and
// returns the wall time.
func burst(do func(client int)) time.Duration {
	var wg sync.WaitGroup
	start := time.Now()
	for c := range burstClients {
		wg.Go(func() {
			for range burstEach {
				do(c)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// burstIncidents creates one incident per client.
func burstIncidents(b *testing.B, s *boltstore.Store) []string {
	b.Helper()
	ids := make([]string, burstClients)
	for c := range ids {
		inc, err := s.Create(context.Background(), storetest.NewIncident(fmt.Sprint("C", c), t0), nil)
		if err != nil {
			b.Fatal(err)
		}
		ids[c] = inc.ID
	}
	return ids
}

// BenchmarkConcurrentUpdates measures durable actions per second with 100
// clients updating distinct incidents, against raw bbolt db.Batch with as
// many clients putting one key each, in the same run (target ≥ 0.5).
func BenchmarkConcurrentUpdates(b *testing.B) {
	s := MustOpen(b)
	ids := burstIncidents(b, s)
	db := rawDB(b)
	var tStore, tRaw time.Duration
	store := func() time.Duration { return burst(func(c int) { appendOne(b, s, ids[c]) }) }
	raw := func() time.Duration {
		return burst(func(int) {
			if err := db.Batch(rawPutFn); err != nil {
				b.Error(err)
			}
		})
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			tStore += store()
			tRaw += raw()
		} else {
			tRaw += raw()
			tStore += store()
		}
	}
	ops := float64(b.N * burstClients * burstEach)
	b.ReportMetric(ops/tStore.Seconds(), "store_actions/s")
	b.ReportMetric(ops/tRaw.Seconds(), "raw_batch_puts/s")
	b.ReportMetric(tRaw.Seconds()/tStore.Seconds(), "ratio_store_vs_raw_batch")
}

// BenchmarkWriteModes is why the store has its own group commit. It
// measures the three ways to commit in the same run, interleaved: a lone
// caller under db.Batch waits MaxBatchDelay (10 ms) for company that never
// comes, and db.Update under load pays one fsync per action.
func BenchmarkWriteModes(b *testing.B) {
	modes := []struct {
		name string
		mode boltstore.WriteMode
	}{{"group", boltstore.ModeGroup}, {"update", boltstore.ModeUpdate}, {"batch", boltstore.ModeBatch}}
	b.Run("lone", func(b *testing.B) {
		stores, ids := make([]*boltstore.Store, len(modes)), make([]string, len(modes))
		for i, m := range modes {
			stores[i], ids[i] = seeded(b, 10)
			boltstore.SetWriteMode(stores[i], m.mode)
		}
		d := make([]time.Duration, len(modes))
		for n := 0; b.Loop(); n++ {
			for k := range modes {
				i := (n + k) % len(modes) // rotate the order
				d[i] += timed(func() { appendOne(b, stores[i], ids[i]) })
			}
		}
		for i, m := range modes {
			b.ReportMetric(float64(d[i].Nanoseconds())/float64(b.N), "ns/"+m.name)
		}
	})
	b.Run("concurrent", func(b *testing.B) {
		stores, ids := make([]*boltstore.Store, len(modes)), make([][]string, len(modes))
		for i, m := range modes {
			stores[i] = MustOpen(b)
			boltstore.SetWriteMode(stores[i], m.mode)
			ids[i] = burstIncidents(b, stores[i])
		}
		d := make([]time.Duration, len(modes))
		for n := 0; b.Loop(); n++ {
			for k := range modes {
				i := (n + k) % len(modes)
				d[i] += burst(func(c int) { appendOne(b, stores[i], ids[i][c]) })
			}
		}
		for i, m := range modes {
			b.ReportMetric(float64(b.N*burstClients*burstEach)/d[i].Seconds(), m.name+"_actions/s")
		}
	})
}

func timed(f func()) time.Duration {
	start := time.Now()
	f()
	return time.Since(start)
}
