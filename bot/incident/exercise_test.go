package incident_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// TestExerciseIDs: exercises are numbered apart, EX-2026-0001, from their
// own counter, and sort after the year's incidents; a long year keeps
// numbers in order.
func TestExerciseIDs(t *testing.T) {
	for _, c := range []struct {
		year     int
		n        uint64
		exercise bool
		id, key  string
	}{
		{2026, 1, false, "2026-0001", "2026"},
		{2026, 1, true, "EX-2026-0001", "EX-2026"},
		{2027, 12345, true, "EX-2027-12345", "EX-2027"},
	} {
		if got := incident.FormatID(c.year, c.n, c.exercise); got != c.id {
			t.Errorf("FormatID(%d, %d, %v) = %q, want %q", c.year, c.n, c.exercise, got, c.id)
		}
		if got := incident.SeqKey(c.year, c.exercise); got != c.key {
			t.Errorf("SeqKey(%d, %v) = %q, want %q", c.year, c.exercise, got, c.key)
		}
		if incident.IsExerciseID(c.id) != c.exercise {
			t.Errorf("IsExerciseID(%q) = %v", c.id, !c.exercise)
		}
	}
	ids := []string{"EX-2026-0002", "2027-0001", "2026-10000", "EX-2026-0001", "2026-9999", "2026-0001", "EX-2025-0003"}
	slices.SortFunc(ids, incident.CompareIDs)
	want := []string{"EX-2025-0003", "2026-0001", "2026-9999", "2026-10000", "EX-2026-0001", "EX-2026-0002", "2027-0001"}
	if !slices.Equal(ids, want) {
		t.Errorf("sorted IDs = %v, want %v", ids, want)
	}
}

// exerciseEntries is the opening of an exercise, sealed.
func exerciseEntries(id string, exercise bool) []incident.Entry {
	at := time.Date(2026, 3, 28, 1, 12, 0, 0, time.UTC)
	data := map[string]string{"title": "Exercice rançongiciel", "t0": at.Format(time.RFC3339)}
	if exercise {
		data["exercise"] = "yes"
	}
	es := []incident.Entry{{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Ouverture", Data: data}}
	incident.Seal(incident.Head{}, id, es)
	return es
}

// TestCheckRecordExercise: the exercise mark is given by the opening
// entry, which the hash chain covers: a record that drops it (so that an
// exercise would count and read as a real incident) or adds it (so that a
// real one would be left out of the statistics) is found.
func TestCheckRecordExercise(t *testing.T) {
	at := time.Date(2026, 3, 28, 1, 12, 0, 0, time.UTC)
	rec := func(id string, exercise bool) *incident.Incident {
		return &incident.Incident{ID: id, Title: "Exercice rançongiciel", T0: at, OpenedBy: incident.User{Name: "rssi"},
			OpenedAt: at, Status: incident.StatusOpen, Exercise: exercise}
	}
	ex := exerciseEntries("EX-2026-0001", true)
	if err := incident.CheckRecord(rec("EX-2026-0001", true), ex); err != nil {
		t.Fatalf("intact exercise: %v", err)
	}
	err := incident.CheckRecord(rec("EX-2026-0001", false), ex)
	if err == nil || !strings.Contains(err.Error(), `exercise is "no" but entry 1 says "yes"`) {
		t.Errorf("mark dropped from the record: %v", err)
	}
	real := exerciseEntries("2026-0001", false)
	if err := incident.CheckRecord(rec("2026-0001", false), real); err != nil {
		t.Fatalf("intact incident: %v", err)
	}
	err = incident.CheckRecord(rec("2026-0001", true), real)
	if err == nil || !strings.Contains(err.Error(), `exercise is "yes" but entry 1 says "no"`) {
		t.Errorf("mark added to the record: %v", err)
	}
}
