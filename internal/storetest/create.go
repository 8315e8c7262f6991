package storetest

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// The tests of Create: ID allocation and the first entries.

func testIDsPerYear(t *testing.T, s bot.Store) {
	y2027 := time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC)
	// 00:30 in Paris on New Year's Day is still 2026 in UTC.
	newYearParis := time.Date(2027, 1, 1, 0, 30, 0, 0, incident.Paris)
	steps := []struct {
		at   time.Time
		want string
	}{
		{base, "2026-0001"},
		{base.Add(time.Hour), "2026-0002"},
		{y2027, "2027-0001"},
		{newYearParis, "2026-0003"},
		{y2027, "2027-0002"},
	}
	for _, st := range steps {
		in := NewIncident("C1", st.at)
		got := mustCreate(t, s, in)
		if got.ID != st.want {
			t.Errorf("Create at %v: ID %q, want %q", st.at, got.ID, st.want)
		}
		if in.ID != "" {
			t.Errorf("Create changed the caller's incident: ID %q", in.ID)
		}
	}
}

// testExerciseIDs: exercises are numbered apart, from their own counter
// per year, so that the incidents keep theirs without gaps; All lists a
// year's incidents before its exercises.
func testExerciseIDs(t *testing.T, s bot.Store) {
	y2027 := time.Date(2027, 1, 2, 9, 0, 0, 0, time.UTC)
	steps := []struct {
		at       time.Time
		exercise bool
		want     string
	}{
		{base, false, "2026-0001"},
		{base.Add(time.Hour), true, "EX-2026-0001"},
		{base.Add(2 * time.Hour), false, "2026-0002"},
		{base.Add(3 * time.Hour), true, "EX-2026-0002"},
		{y2027, true, "EX-2027-0001"},
		{y2027, false, "2027-0001"},
	}
	for _, st := range steps {
		in := NewIncident("C"+st.want, st.at)
		in.Exercise = st.exercise
		got := mustCreate(t, s, in)
		if got.ID != st.want || got.Exercise != st.exercise {
			t.Errorf("Create at %v, exercise %v: ID %q (exercise %v), want %q", st.at, st.exercise, got.ID, got.Exercise, st.want)
		}
	}
	if l, ok := s.(Lister); ok {
		all, err := l.All(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"2026-0001", "2026-0002", "EX-2026-0001", "EX-2026-0002", "2027-0001", "EX-2027-0001"}
		if got := ids(all); !slices.Equal(got, want) {
			t.Errorf("All = %v, want %v", got, want)
		}
	}
}

func testCreateSeals(t *testing.T, s bot.Store) {
	ctx := context.Background()
	e1 := Entry(incident.KindOpened, "ouverture", base)
	e1.Data = map[string]string{"chain": "nouvelle-aquitaine/es-esms"}
	in := []incident.Entry{e1, Entry(incident.KindChain, "chaîne", base), Entry(incident.KindNote, "PACS isolé", base.Add(time.Minute))}
	got := mustCreate(t, s, NewIncident("C1", base), in...)
	if in[0].Seq != 0 || in[0].Hash != "" {
		t.Errorf("Create sealed the caller's entries: %+v", in[0])
	}
	es := VerifyChain(t, s, got.ID)
	if len(es) != 3 || got.Head.Seq != 3 || got.Head.Hash != es[2].Hash {
		t.Fatalf("after Create: %d entries, head %+v", len(es), got.Head)
	}
	if es[0].Prev != "" || es[0].Data["chain"] != "nouvelle-aquitaine/es-esms" || es[2].Text != "PACS isolé" {
		t.Errorf("entries not stored as given: %+v", es)
	}
	if !es[2].Time.Equal(base.Add(time.Minute)) || es[2].Time.Location() != time.UTC {
		t.Errorf("entry time %v, want %v in UTC", es[2].Time, base.Add(time.Minute))
	}
	stored, err := s.Incident(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := mustJSON(t, stored), mustJSON(t, got); a != b {
		t.Errorf("stored incident differs from Create's result:\n%s\n%s", a, b)
	}
	if stored.Status != incident.StatusOpen || stored.Title != "Rançongiciel sur le PACS" || !stored.OpenedAt.Equal(base) {
		t.Errorf("stored incident: %+v", stored)
	}
}

func testCreateWithoutEntries(t *testing.T, s bot.Store) {
	in := NewIncident("C1", base)
	in.Status = "" // unset: the store opens it
	got := mustCreate(t, s, in)
	if got.Head != (incident.Head{}) || got.Status != incident.StatusOpen {
		t.Errorf("Create without entries: head %+v status %q", got.Head, got.Status)
	}
	if es := VerifyChain(t, s, got.ID); len(es) != 0 {
		t.Errorf("entries: %+v", es)
	}
	if open, _ := s.Open(context.Background(), "C1"); len(open) != 1 {
		t.Errorf("Open(C1) = %v, want the new incident", ids(open))
	}
}

func testCreateRejects(t *testing.T, s bot.Store) {
	ctx := context.Background()
	if _, err := s.Create(ctx, NewIncident("C1", time.Time{}), nil); err == nil {
		t.Error("Create with no OpenedAt: no error")
	}
	if _, err := s.Create(ctx, NewIncident("C\x001", base), nil); err == nil {
		t.Error("Create with a NUL in the channel: no error")
	}
	if got := mustCreate(t, s, NewIncident("C1", base)); got.ID != "2026-0001" {
		t.Errorf("a rejected Create consumed an ID: next is %s", got.ID)
	}
}

func testConcurrentCreates(t *testing.T, s bot.Store) {
	const n = 20
	var wg sync.WaitGroup
	got := make([]string, n)
	for i := range n {
		wg.Go(func() {
			inc, err := s.Create(context.Background(), NewIncident("C"+strconv.Itoa(i%3), base),
				[]incident.Entry{Entry(incident.KindOpened, "ouverture "+strconv.Itoa(i), base)})
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = inc.ID
			if inc.Head.Seq != 1 {
				t.Errorf("Create %d: head %+v", i, inc.Head)
			}
		})
	}
	wg.Wait()
	slices.Sort(got)
	for i, id := range got {
		if want := fmt.Sprintf("2026-%04d", i+1); id != want {
			t.Fatalf("IDs %v: want 2026-0001…2026-%04d, each once", got, n)
		}
		if es := VerifyChain(t, s, id); len(es) != 1 {
			t.Errorf("%s: %d entries", id, len(es))
		}
	}
	open, err := s.Open(context.Background(), "")
	if err != nil || len(open) != n {
		t.Errorf("Open: %d incidents, %v; want %d", len(open), err, n)
	}
}
