package boltstore_test

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// sweepFixture is a store with `pending` open incidents waiting for a
// reminder in a week, and 10 of them due now.
type sweepFixture struct {
	store *boltstore.Store
	bot   *bot.Bot
	due   []string
	now   time.Time
}

func newSweepFixture(b *testing.B, pending int) *sweepFixture {
	b.Helper()
	st, err := boltstore.Open(filepath.Join(b.TempDir(), "vigie.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	cat, err := builtin.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	c, _ := cat.Current("nouvelle-aquitaine/es-esms", t0)
	tmpl := &incident.Incident{Title: "x", Chain: c.ID, Version: c.Version, T0: t0, OpenedAt: t0,
		OpenedBy: incident.User{ID: "u", Name: "u"}, Status: incident.StatusOpen}
	now := t0.Add(20 * time.Minute)
	ids, err := st.SeedIncidents(tmpl, pending, 10_000, func(i int) time.Time {
		if i%(pending/10) == 0 {
			return now.Add(-time.Minute) // 10 due, spread over the index
		}
		return now.Add(7 * 24 * time.Hour)
	})
	if err != nil {
		b.Fatal(err)
	}
	f := &sweepFixture{store: st, now: now}
	for i, id := range ids {
		if i%(pending/10) == 0 {
			f.due = append(f.due, id)
		}
	}
	f.bot = bot.New(bot.Config{Now: func() time.Time { return now }}, st, bottest.NewChat(), cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	return f
}

// rearm makes the 10 due again, as if their reminders had not been sent.
func (f *sweepFixture) rearm(b *testing.B) {
	for _, id := range f.due {
		_, err := f.store.Update(context.Background(), id, func(inc *incident.Incident) ([]incident.Entry, error) {
			inc.Wake, inc.Reminded = f.now.Add(-time.Minute), nil
			return nil, nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

func (f *sweepFixture) sweep(b *testing.B) {
	st, err := f.bot.Sweep(context.Background(), f.now)
	if err != nil || st.Incidents != 10 || st.Sent == 0 {
		b.Fatalf("sweep: %+v, %v", st, err)
	}
}

// BenchmarkSweep compares a sweep with 100 000 pending incidents and 10
// due with one with 100 pending and 10 due, alternating in one run (design
// §7: the ratio must stay ≤ 2, the index being read only up to now).
func BenchmarkSweep(b *testing.B) {
	small, large := newSweepFixture(b, 100), newSweepFixture(b, 100_000)
	var tSmall, tLarge time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range []*sweepFixture{small, large} {
			b.StopTimer()
			f.rearm(b)
			b.StartTimer()
			start := time.Now()
			f.sweep(b)
			if f == small {
				tSmall += time.Since(start)
			} else {
				tLarge += time.Since(start)
			}
		}
	}
	b.ReportMetric(float64(tSmall.Nanoseconds())/float64(b.N), "ns/sweep_100")
	b.ReportMetric(float64(tLarge.Nanoseconds())/float64(b.N), "ns/sweep_100k")
	b.ReportMetric(float64(tLarge)/float64(tSmall), "ratio_100k_vs_100")
}
