package boltstore_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// createIn opens the store at path, creates one incident (an exercise or
// not) with its opening entry, closes the store, and returns the ID.
func createIn(t *testing.T, path string, exercise bool) string {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	in := storetest.NewIncident("C", t0)
	in.Exercise = exercise
	e := storetest.Entry(incident.KindOpened, "ouverture", t0)
	if exercise {
		e.Data["exercise"] = "yes"
	}
	inc, err := s.Create(context.Background(), in, []incident.Entry{e})
	if err != nil {
		t.Fatal(err)
	}
	return inc.ID
}

// TestExerciseCounterBesideOldOne: a database made before exercises holds
// only the year's counter; reopened, its incidents go on from it and its
// first exercise starts its own, with no new bucket.
func TestExerciseCounterBesideOldOne(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	var got []string
	for _, ex := range []bool{false, false, true, false, true} {
		got = append(got, createIn(t, path, ex))
	}
	want := "2026-0001 2026-0002 EX-2026-0001 2026-0003 EX-2026-0002"
	if strings.Join(got, " ") != want {
		t.Errorf("IDs across reopenings = %v, want %s", got, want)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var keys []string
	db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("seq")).ForEach(func(k, _ []byte) error { keys = append(keys, string(k)); return nil })
	})
	if strings.Join(keys, " ") != "2026 EX-2026" {
		t.Errorf("counters %v, want 2026 and EX-2026", keys)
	}
}

// TestExerciseMarkEdited: an exercise's mark dropped from its record in
// the file (so that it would count in the statistics and read as a real
// incident) is found, and the incident refuses new entries.
func TestExerciseMarkEdited(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigie.db")
	id := createIn(t, path, true)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("incidents"))
		var rec struct {
			V        int            `json:"v"`
			Incident map[string]any `json:"incident"`
		}
		json.Unmarshal(b.Get([]byte(id)), &rec)
		delete(rec.Incident, "exercise")
		v, _ := json.Marshal(rec)
		return b.Put([]byte(id), v)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Update(ctx, id, func(*incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{storetest.Entry(incident.KindNote, "suite", t0)}, nil
	})
	if !errors.Is(err, boltstore.ErrBroken) || !strings.Contains(err.Error(), `exercise is "no" but entry 1 says "yes"`) {
		t.Fatalf("Update = %v; want the dropped mark named", err)
	}
}
