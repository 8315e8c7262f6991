package storetest

import (
	"context"
	"errors"
	"math"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// The tests of reading: paging, the open index, missing incidents, and
// copies that do not alias the store.

func testEntriesPaging(t *testing.T, s bot.Store) {
	ctx := context.Background()
	var in []incident.Entry
	for i := 1; i <= 10; i++ {
		in = append(in, Entry(incident.KindNote, strconv.Itoa(i), base))
	}
	inc := mustCreate(t, s, NewIncident("C1", base), in...)
	for _, tc := range []struct {
		after uint64
		limit int
		want  []string
	}{
		{0, 3, []string{"1", "2", "3"}},
		{3, 3, []string{"4", "5", "6"}},
		{9, 3, []string{"10"}},
		{10, 3, nil},
		{7, 0, []string{"8", "9", "10"}},
		{7, -1, []string{"8", "9", "10"}},
		{0, 0, []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"}},
		{math.MaxUint64, 0, nil},
	} {
		es, err := s.Entries(ctx, inc.ID, tc.after, tc.limit)
		if err != nil {
			t.Fatalf("Entries(after %d, limit %d): %v", tc.after, tc.limit, err)
		}
		if got := texts(es); !slices.Equal(got, tc.want) {
			t.Errorf("Entries(after %d, limit %d) = %v, want %v", tc.after, tc.limit, got, tc.want)
		}
		for i, e := range es {
			if e.Seq != tc.after+uint64(i)+1 {
				t.Errorf("Entries(after %d)[%d].Seq = %d", tc.after, i, e.Seq)
			}
		}
	}
}

func setStatus(t *testing.T, s bot.Store, id string, st incident.Status, channel string) {
	t.Helper()
	_, err := s.Update(context.Background(), id, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Status = st
		if channel != "" {
			inc.Channel = channel
		}
		return []incident.Entry{Entry(incident.KindNote, string(st), base)}, nil
	})
	if err != nil {
		t.Fatalf("Update %s to %s: %v", id, st, err)
	}
}

func testOpenIndex(t *testing.T, s bot.Store) {
	ctx := context.Background()
	a1 := mustCreate(t, s, NewIncident("A", base))
	b1 := mustCreate(t, s, NewIncident("B", base.Add(time.Minute)))
	a2 := mustCreate(t, s, NewIncident("A", base.Add(2*time.Minute)))
	// "A" is a prefix of "AB": the index must not confuse them.
	ab := mustCreate(t, s, NewIncident("AB", base.Add(3*time.Minute)))
	check := func(when, channel string, want ...string) {
		t.Helper()
		got, err := s.Open(ctx, channel)
		if err != nil {
			t.Fatalf("%s: Open(%q): %v", when, channel, err)
		}
		if !slices.Equal(ids(got), want) && (len(got) != 0 || len(want) != 0) {
			t.Errorf("%s: Open(%q) = %v, want %v", when, channel, ids(got), want)
		}
		for _, inc := range got {
			if inc.Status != incident.StatusOpen || channel != "" && inc.Channel != channel {
				t.Errorf("%s: Open(%q) returned %s in %q, %s", when, channel, inc.ID, inc.Channel, inc.Status)
			}
		}
	}
	check("created", "A", a1.ID, a2.ID)
	check("created", "B", b1.ID)
	check("created", "", a1.ID, b1.ID, a2.ID, ab.ID)
	check("created", "nowhere")

	setStatus(t, s, a1.ID, incident.StatusClosed, "")
	check("a1 closed", "A", a2.ID)
	check("a1 closed", "", b1.ID, a2.ID, ab.ID)
	if inc, err := s.Incident(ctx, a1.ID); err != nil || inc.Status != incident.StatusClosed {
		t.Errorf("closed incident: %v, %v", inc, err)
	}
	setStatus(t, s, a1.ID, incident.StatusOpen, "")
	check("a1 reopened", "A", a1.ID, a2.ID)
	setStatus(t, s, a2.ID, incident.StatusOpen, "B")
	check("a2 moved", "A", a1.ID)
	check("a2 moved", "B", b1.ID, a2.ID)
	setStatus(t, s, a2.ID, incident.StatusClosed, "A")
	check("a2 closed and moved back", "A", a1.ID)
	check("a2 closed and moved back", "B", b1.ID)
}

func testOpenOldestFirst(t *testing.T, s bot.Store) {
	late := mustCreate(t, s, NewIncident("A", base.Add(time.Hour)))
	early := mustCreate(t, s, NewIncident("A", base))
	same := mustCreate(t, s, NewIncident("A", base))
	got, err := s.Open(context.Background(), "A")
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{early.ID, same.ID, late.ID}; !slices.Equal(ids(got), want) {
		t.Errorf("Open = %v, want oldest first %v", ids(got), want)
	}
}

func testNotFound(t *testing.T, s bot.Store) {
	ctx := context.Background()
	mustCreate(t, s, NewIncident("C1", base))
	if _, err := s.Incident(ctx, "2026-0099"); !errors.Is(err, incident.ErrNotFound) {
		t.Errorf("Incident: %v, want ErrNotFound", err)
	}
	called := false
	_, err := s.Update(ctx, "2026-0099", func(*incident.Incident) ([]incident.Entry, error) { called = true; return nil, nil })
	if !errors.Is(err, incident.ErrNotFound) || called {
		t.Errorf("Update: %v (fn called: %v), want ErrNotFound without calling fn", err, called)
	}
	if _, err := s.Entries(ctx, "2026-0099", 0, 0); !errors.Is(err, incident.ErrNotFound) {
		t.Errorf("Entries: %v, want ErrNotFound", err)
	}
	if _, err := s.Incident(ctx, ""); !errors.Is(err, incident.ErrNotFound) {
		t.Errorf("Incident(\"\"): %v, want ErrNotFound", err)
	}
}

func testIsolation(t *testing.T, s bot.Store) {
	ctx := context.Background()
	in := NewIncident("C1", base)
	in.Features = map[string]bool{"nis2": true}
	e := Entry(incident.KindOpened, "ouverture", base)
	e.Data = map[string]string{"k": "v"}
	created := mustCreate(t, s, in, e)
	id := created.ID
	var kept *incident.Incident
	updated, err := s.Update(ctx, id, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Answers = map[string][]incident.AnswerRecord{"malicious": {{Value: "yes", At: base}}}
		inc.Steps = map[string]*incident.StepState{"cert": {Status: incident.StepDone}}
		kept = inc
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := mustJSON(t, updated)

	// Mutate everything the caller ever held.
	for _, inc := range []*incident.Incident{in, created, updated, kept} {
		inc.Title = "mutated"
		inc.Features["nis2"] = false
		inc.Head.Seq = 99
	}
	updated.Answers["malicious"][0].Value = "no"
	kept.Steps["cert"].Status = incident.StepNA
	e.Data["k"] = "mutated"
	read, _ := s.Incident(ctx, id)
	read.Steps["cert"].Status = incident.StepNA
	read.Answers["malicious"] = nil
	es, _ := s.Entries(ctx, id, 0, 0)
	es[0].Data["k"] = "mutated"
	es[0].Text = "mutated"

	if got, _ := s.Incident(ctx, id); mustJSON(t, got) != want {
		t.Errorf("mutating returned incidents changed the store:\n%s\nwant %s", mustJSON(t, got), want)
	}
	if es := VerifyChain(t, s, id); es[0].Data["k"] != "v" || es[0].Text != "ouverture" {
		t.Errorf("mutating returned entries changed the store: %+v", es[0])
	}
}

func testAll(t *testing.T, s bot.Store) {
	l, ok := s.(Lister)
	if !ok {
		t.Skip("store has no All")
	}
	a := mustCreate(t, s, NewIncident("A", base))
	b := mustCreate(t, s, NewIncident("B", base.Add(-time.Hour)))
	c := mustCreate(t, s, NewIncident("A", time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)))
	setStatus(t, s, a.ID, incident.StatusClosed, "")
	got, err := l.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{c.ID, a.ID, b.ID}; !slices.Equal(ids(got), want) {
		t.Errorf("All = %v, want %v", ids(got), want)
	}
}
