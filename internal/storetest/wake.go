package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// testWakeIndex: Due lists the open incidents whose Wake has come, earliest
// first, follows every change of Wake, forgets closed incidents and
// honours its limit.
func testWakeIndex(t *testing.T, s bot.Store) {
	rs, ok := s.(bot.ReminderStore)
	if !ok {
		t.Skip("store keeps no reminder index")
	}
	ctx := context.Background()
	var ids []string
	for i, wake := range []time.Duration{3 * time.Hour, time.Hour, 0, 2 * time.Hour} {
		inc := NewIncident("c"+string(rune('a'+i)), base)
		if wake > 0 {
			inc.Wake = base.Add(wake).UTC()
		}
		got, err := s.Create(ctx, inc, nil)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, got.ID)
	}
	due := func(at time.Duration, limit int) []string {
		t.Helper()
		got, err := rs.Due(ctx, base.Add(at), limit)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := due(30*time.Minute, 0); len(got) != 0 {
		t.Fatalf("Due before any wake = %v", got)
	}
	if got, want := due(2*time.Hour, 0), []string{ids[1], ids[3]}; !slices.Equal(got, want) {
		t.Fatalf("Due at +2h = %v, want %v (earliest first, wake ≤ now)", got, want)
	}
	if got, want := due(5*time.Hour, 2), []string{ids[1], ids[3]}; !slices.Equal(got, want) {
		t.Fatalf("Due with limit 2 = %v, want %v", got, want)
	}
	// Moving a wake moves it in the index; the old key is gone.
	if _, err := s.Update(ctx, ids[1], func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Wake = base.Add(4 * time.Hour).UTC()
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := due(2*time.Hour, 0), []string{ids[3]}; !slices.Equal(got, want) {
		t.Fatalf("Due after moving a wake = %v, want %v", got, want)
	}
	// Clearing a wake, or closing, takes the incident out.
	if _, err := s.Update(ctx, ids[3], func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Wake = time.Time{}
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, ids[0], func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Status = incident.StatusClosed
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	if got, want := due(10*time.Hour, 0), []string{ids[1]}; !slices.Equal(got, want) {
		t.Fatalf("Due after clearing and closing = %v, want %v", got, want)
	}
	// A failed update leaves the index as it was.
	_, err := s.Update(ctx, ids[1], func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Wake = base.UTC()
		return nil, errRefused
	})
	if err == nil {
		t.Fatal("update error lost")
	}
	if got := due(time.Hour, 0); len(got) != 0 {
		t.Fatalf("a failed update moved the wake: %v", got)
	}
}

var errRefused = errors.New("refused")

// testOutbox: an incident is owed its card from the transaction that
// appends entries until Shown reaches its head, and not before nor after.
func testOutbox(t *testing.T, s bot.Store) {
	ob, ok := s.(bot.OutboxStore)
	if !ok {
		t.Skip("store keeps no outbox")
	}
	ctx := context.Background()
	owed := func() []string {
		t.Helper()
		got, err := ob.Owed(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	a, err := s.Create(ctx, NewIncident("a", base), []incident.Entry{Entry(incident.KindOpened, "ouverture", base)})
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Create(ctx, NewIncident("b", base), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := owed(); !slices.Equal(got, []string{a.ID}) {
		t.Fatalf("Owed after creation = %v, want [%s] (b has no entry)", got, a.ID)
	}
	show := func(id string, seq uint64) {
		t.Helper()
		if _, err := s.Update(ctx, id, func(inc *incident.Incident) ([]incident.Entry, error) {
			inc.Shown = seq
			return nil, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	note := func(id string) {
		t.Helper()
		if _, err := s.Update(ctx, id, func(*incident.Incident) ([]incident.Entry, error) {
			return []incident.Entry{Entry(incident.KindNote, "note", base)}, nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	show(a.ID, 1)
	if got := owed(); len(got) != 0 {
		t.Fatalf("Owed after the card showed the head = %v", got)
	}
	note(b.ID)
	note(a.ID)
	if got := owed(); !slices.Equal(got, []string{a.ID, b.ID}) {
		t.Fatalf("Owed after two notes = %v, want both, in ID order", got)
	}
	show(a.ID, 1) // a card rendered before the note: still owed
	if got := owed(); !slices.Equal(got, []string{a.ID, b.ID}) {
		t.Fatalf("Owed after showing an older head = %v", got)
	}
	// A failed update changes nothing, the index included.
	_, _ = s.Update(ctx, b.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Shown = 99
		return nil, errors.New("no")
	})
	show(a.ID, 2)
	if got := owed(); !slices.Equal(got, []string{b.ID}) {
		t.Fatalf("Owed = %v, want [%s]", got, b.ID)
	}
}
