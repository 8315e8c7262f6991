package storetest

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// The tests of Change: the copy read already, and one effect per click.

func testChangeSeen(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base), Entry(incident.KindOpened, "ouverture", base))
	seen, err := s.Incident(ctx, inc.ID)
	if err != nil {
		t.Fatal(err)
	}
	var ran *incident.Incident
	got, err := s.Change(ctx, inc.ID, incident.Change{Seen: seen}, func(i *incident.Incident) ([]incident.Entry, error) {
		ran = i
		i.Points++
		return []incident.Entry{Entry(incident.KindNote, "n1", base)}, nil
	})
	if err != nil || got.Points != 1 || got.Head.Seq != 2 {
		t.Fatalf("Change on a fresh copy: %v, points %d, head %+v", err, got.Points, got.Head)
	}
	if ran != seen {
		t.Errorf("fn ran on another copy than Seen, though nothing had changed")
	}
	// A copy read before another change is stale: fn must run on a copy
	// with that change.
	stale, _ := s.Incident(ctx, inc.ID)
	if _, err := s.Update(ctx, inc.ID, func(i *incident.Incident) ([]incident.Entry, error) { i.Points = 10; return nil, nil }); err != nil {
		t.Fatal(err)
	}
	_, err = s.Change(ctx, inc.ID, incident.Change{Seen: stale}, func(i *incident.Incident) ([]incident.Entry, error) {
		if i == stale || i.Points != 10 || i.Head.Seq != 2 {
			t.Errorf("fn ran on a stale copy: points %d, head %+v", i.Points, i.Head)
		}
		i.Points++
		return nil, nil
	})
	if stored, _ := s.Incident(ctx, inc.ID); err != nil || stored.Points != 11 {
		t.Errorf("after a stale Seen: %v, points %d, want 11", err, stored.Points)
	}
}

func testChangeClick(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base))
	const window = time.Minute
	click := func(where, what string, at time.Time) error {
		ch := incident.Change{Click: incident.Click{Where: where, What: what, At: at}, ClickWindow: window}
		_, err := s.Change(ctx, inc.ID, ch, appendFn(Entry(incident.KindAnswer, where+" "+what, at)))
		return err
	}
	tests := []struct {
		where, what string
		after       time.Duration
		repeat      bool
	}{
		{"mm:u1:m1", "yes", 0, false},
		{"mm:u1:m1", "yes", 5 * time.Millisecond, true},   // a double click
		{"mm:u1:m1", "yes", 60 * time.Millisecond, true},  // Mattermost's second request
		{"mm:u2:m1", "yes", 70 * time.Millisecond, false}, // another person
		{"mm:u1:m2", "yes", 80 * time.Millisecond, false}, // another message
		{"mm:u1:m1", "no", time.Second, false},            // changes their mind
		{"mm:u1:m1", "yes", 2 * time.Second, false},       // and back: three answers
		{"mm:u1:m1", "yes", 3 * time.Second, true},
		{"mm:u1:m1", "yes", 2*time.Second + window, false}, // the window has passed
	}
	var want []string
	for _, tt := range tests {
		err := click(tt.where, tt.what, base.Add(tt.after))
		if tt.repeat != errors.Is(err, incident.ErrRepeatClick) || !tt.repeat && err != nil {
			t.Errorf("click %s %s at +%v: %v, want repeat %v", tt.where, tt.what, tt.after, err, tt.repeat)
		}
		if !tt.repeat {
			want = append(want, tt.where+" "+tt.what)
		}
	}
	if got := texts(VerifyChain(t, s, inc.ID)); !slices.Equal(got, want) {
		t.Errorf("entries %q, want %q", got, want)
	}
	// A failed change records no click: the person may click again.
	boom := errors.New("boom")
	ch := incident.Change{Click: incident.Click{Where: "mm:u3:m1", What: "yes", At: base}, ClickWindow: window}
	if _, err := s.Change(ctx, inc.ID, ch, func(*incident.Incident) ([]incident.Entry, error) { return nil, boom }); err != boom { //nolint:errorlint // as is
		t.Fatalf("failing fn: %v", err)
	}
	if _, err := s.Change(ctx, inc.ID, ch, appendFn()); err != nil {
		t.Errorf("the click of a failed change was remembered: %v", err)
	}
}

func testConcurrentClicks(t *testing.T, s bot.Store) {
	ctx := context.Background()
	inc := mustCreate(t, s, NewIncident("C1", base))
	ch := incident.Change{Click: incident.Click{Where: "mm:u1:m1", What: "yes", At: base}, ClickWindow: time.Minute}
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			seen, _ := s.Incident(ctx, inc.ID)
			c := ch
			c.Seen = seen
			_, errs[i] = s.Change(ctx, inc.ID, c, appendFn(Entry(incident.KindAnswer, "yes", base)))
		})
	}
	wg.Wait()
	applied := 0
	for _, err := range errs {
		switch {
		case err == nil:
			applied++
		case !errors.Is(err, incident.ErrRepeatClick):
			t.Errorf("concurrent click: %v", err)
		}
	}
	if es := VerifyChain(t, s, inc.ID); applied != 1 || len(es) != 1 {
		t.Errorf("%d concurrent identical clicks: %d applied, %d entries, want 1 and 1", n, applied, len(es))
	}
}
