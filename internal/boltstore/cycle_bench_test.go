package boltstore_test

import (
	"context"
	"crypto/ed25519"
	"encoding/binary"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// These benchmarks put the whole bot on the bolt store: parsing, the chain
// evaluator, the store's transaction and fsync, and the card refresh that
// follows each change, as design.md §7 counts a durable action.

// cycleBot returns a bot on a bolt store in dir, for the chain of
// design.md §1, posting to a recording chat.
func cycleBot(tb testing.TB, dir string) *bot.Bot {
	tb.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		tb.Fatal(err)
	}
	_, key, err := ed25519.GenerateKey(nil)
	if err != nil {
		tb.Fatal(err)
	}
	s := MustOpenAt(tb, filepath.Join(dir, "vigie.db"))
	now := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	cfg := bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return now }}
	return bot.New(cfg, s, bottest.NewChat(), cat, key, nil)
}

// cycleHandle runs one typed command and fails the benchmark if the bot
// refused it.
func cycleHandle(b *testing.B, v *bot.Bot, channel, text string) {
	r := v.Handle(context.Background(), bot.Event{Channel: channel, User: incident.User{ID: "u1", Name: "rssi"}, Text: text})
	if r.Error {
		b.Fatalf("%s in %s: %s", text, channel, r.Text)
	}
}

// cycleActions is the number of durable actions in one incident cycle.
const cycleActions = 3

// cycle is one incident from opening to its first proof, in a channel of
// its own: the bot refuses a second open incident in a channel.
func cycle(b *testing.B, v *bot.Bot, n int) {
	ch := fmt.Sprintf("cellule-%d", n)
	cycleHandle(b, v, ch, "ouvrir Rançongiciel sur le PACS")
	cycleHandle(b, v, ch, "repondre malicious oui")
	cycleHandle(b, v, ch, fmt.Sprintf("fait cert-sante via=portail ref=CS-%d", n))
}

// cycleRawDB opens a bare bbolt file in dir, beside the store's, with the
// store's options and one bucket.
func cycleRawDB(b *testing.B, dir string) *bolt.DB {
	b.Helper()
	db, err := bolt.Open(filepath.Join(dir, "raw.db"), 0o600, &bolt.Options{Timeout: time.Second, FreelistType: bolt.FreelistMapType})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := db.Update(func(tx *bolt.Tx) error { _, err := tx.CreateBucket([]byte("raw")); return err }); err != nil {
		b.Fatal(err)
	}
	return db
}

// cycleRawPut is one raw db.Update putting one key of about an entry's size.
func cycleRawPut(b *testing.B, db *bolt.DB, n uint64) {
	err := db.Update(func(tx *bolt.Tx) error {
		k := binary.BigEndian.AppendUint64(nil, n)
		return tx.Bucket([]byte("raw")).Put(k, cycleRawValue[:])
	})
	if err != nil {
		b.Fatal(err)
	}
}

var cycleRawValue [300]byte

// BenchmarkCycleVsRawBolt measures, in the same run and on the same disk,
// one incident cycle through the bot (open, answer, done: three durable
// actions) and one raw bbolt db.Update putting one key, alternating which
// goes first so that neither always meets the disk after the other. It
// reports the cost of one action of the cycle over one raw update.
func BenchmarkCycleVsRawBolt(b *testing.B) {
	dir := b.TempDir()
	v := cycleBot(b, dir)
	raw := cycleRawDB(b, dir)
	var tCycle, tRaw time.Duration
	timed := func(d *time.Duration, f func()) {
		start := time.Now()
		f()
		*d += time.Since(start)
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timed(&tCycle, func() { cycle(b, v, i) })
			timed(&tRaw, func() { cycleRawPut(b, raw, uint64(i)) })
		} else {
			timed(&tRaw, func() { cycleRawPut(b, raw, uint64(i)) })
			timed(&tCycle, func() { cycle(b, v, i) })
		}
	}
	perAction := float64(tCycle.Nanoseconds()) / float64(b.N*cycleActions)
	rawNs := float64(tRaw.Nanoseconds()) / float64(b.N)
	b.ReportMetric(perAction/rawNs, "ratio_action_vs_raw_update")
	b.ReportMetric(perAction, "ns/cycle_action")
	b.ReportMetric(rawNs, "ns/raw_update")
}

// BenchmarkHandleAck is one note on an open incident through bot.Handle:
// what a person waits for between typing and the acknowledgement.
func BenchmarkHandleAck(b *testing.B) {
	v := cycleBot(b, b.TempDir())
	cycleHandle(b, v, "cellule", "ouvrir Rançongiciel sur le PACS")
	for b.Loop() {
		cycleHandle(b, v, "cellule", "note PACS isolé du réseau, bascule en mode dégradé")
	}
}

// TestCycleOpenOnceUnderDoubleClick is design.md §8, "duplicates (double
// clicks, Slack retries…) change nothing twice", for the first action of
// the cycle: the same "ouvrir" delivered several times at once in one
// channel must open one incident. bot.(*Bot).open reads Store.Open(channel)
// and then calls Store.Create in another transaction, so without its lock
// every concurrent open would see no incident and create one.
func TestCycleOpenOnceUnderDoubleClick(t *testing.T) {
	v := cycleBot(t, t.TempDir())
	const clicks = 8
	replies := make([]bot.Reply, clicks)
	var wg sync.WaitGroup
	for i := range replies {
		wg.Go(func() {
			replies[i] = v.Handle(context.Background(), bot.Event{Channel: "cellule", User: incident.User{ID: "u1", Name: "rssi"}, Text: "ouvrir Rançongiciel sur le PACS"})
		})
	}
	wg.Wait()
	var opened []string
	for _, r := range replies {
		if !r.Error {
			opened = append(opened, r.Text)
		}
	}
	if len(opened) != 1 {
		t.Errorf("%d deliveries of one ouvrir opened %d incidents in the channel:\n%s", clicks, len(opened), strings.Join(opened, "\n"))
	}
}

// BenchmarkActionAfterRevisions is one answer revision on an incident that
// already has 0 or 2 000 of them, through the whole bot on the bolt store:
// the record keeps the current answer only (revisions are entries), so the
// two cost the same. The ratio is reported by the 2000 case.
func BenchmarkActionAfterRevisions(b *testing.B) {
	per := map[int]float64{}
	for _, n := range []int{0, 2000} {
		b.Run(fmt.Sprintf("revisions=%d", n), func(b *testing.B) {
			v := cycleBot(b, b.TempDir())
			cycleHandle(b, v, "crise", "ouvrir Rançongiciel")
			values := []string{"oui", "non"}
			for i := range n {
				cycleHandle(b, v, "crise", "repondre malicious "+values[i%2])
			}
			i := n
			b.ResetTimer()
			for b.Loop() {
				cycleHandle(b, v, "crise", "repondre malicious "+values[i%2])
				i++
			}
			per[n] = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
			if n > 0 && per[0] > 0 {
				b.ReportMetric(per[n]/per[0], "x_vs_0")
			}
		})
	}
}
