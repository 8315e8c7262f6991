package storetest

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// The tests of the listing of past incidents (bot.PastStore).

func testPast(t *testing.T, s bot.Store) {
	p, ok := s.(bot.PastStore)
	if !ok {
		t.Skip("store lists no past incidents")
	}
	ctx := context.Background()
	a := mustCreate(t, s, NewIncident("A", base))
	b := mustCreate(t, s, NewIncident("B", base.Add(time.Hour)))
	// Opened later, but known earlier: T0 orders the listing.
	c := NewIncident("A", base.Add(2*time.Hour))
	c.T0 = base.Add(-24 * time.Hour).UTC()
	c = mustCreate(t, s, c)
	d := mustCreate(t, s, NewIncident("AB", base.Add(3*time.Hour))) // "A" is a prefix of "AB"
	e := mustCreate(t, s, NewIncident("A", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)))
	check := func(when, channel string, want ...string) []incident.Summary {
		t.Helper()
		got, err := p.Past(ctx, channel)
		if err != nil {
			t.Fatalf("%s: Past(%q): %v", when, channel, err)
		}
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		if !slices.Equal(ids, want) {
			t.Errorf("%s: Past(%q) = %v, want %v", when, channel, ids, want)
		}
		return got
	}
	check("fresh", "A", a.ID, c.ID, e.ID)
	check("fresh", "", d.ID, b.ID, a.ID, c.ID, e.ID)
	check("fresh", "nobody", []string{}...)

	// A closed incident stays listed, closed; one moved to another
	// channel leaves the first one's listing.
	setStatus(t, s, a.ID, incident.StatusClosed, "")
	setStatus(t, s, c.ID, incident.StatusOpen, "B")
	got := check("after changes", "A", a.ID, e.ID)
	inc, err := s.Incident(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if want := inc.Summary(); len(got) == 0 || !sameSummary(got[0], want) {
		t.Errorf("Past(A)[0] = %+v, want %+v", got[0], want)
	}
	check("after changes", "B", b.ID, c.ID)

	// Ties of T0 go to the highest ID.
	for range 10 {
		mustCreate(t, s, NewIncident("T", base))
	}
	all := check("ties", "T", "2026-0014", "2026-0013", "2026-0012", "2026-0011", "2026-0010", "2026-0009", "2026-0008", "2026-0007", "2026-0006", "2026-0005")
	all[0].Title = "changed" // a copy: the store is not changed
	if again, _ := p.Past(ctx, "T"); again[0].Title == "changed" {
		t.Errorf("Past returns the store's own summaries")
	}

	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := p.Past(ctx2, "A"); err == nil {
		t.Errorf("Past on a canceled context: no error")
	}
}

// sameSummary compares summaries by their instants' values, not their
// locations.
func sameSummary(a, b incident.Summary) bool {
	eq := a.T0.Equal(b.T0) && a.OpenedAt.Equal(b.OpenedAt) && a.ClosedAt.Equal(b.ClosedAt)
	a.T0, a.OpenedAt, a.ClosedAt = b.T0, b.OpenedAt, b.ClosedAt
	return eq && a == b
}
