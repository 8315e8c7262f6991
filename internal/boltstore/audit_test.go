package boltstore_test

import (
	"context"
	"encoding/binary"
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

// editLog changes the stored entries of incident id directly in the file,
// as someone with the file and a bbolt tool could.
func editLog(t *testing.T, path, id string, edit func(b *bolt.Bucket)) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		edit(tx.Bucket([]byte("log")).Bucket([]byte(id)))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func key(seq uint64) []byte { return binary.BigEndian.AppendUint64(nil, seq) }

// alterText rewrites the text of entry seq, keeping its stored hash.
func alterText(t *testing.T, b *bolt.Bucket, seq uint64) {
	var rec map[string]json.RawMessage
	if err := json.Unmarshal(b.Get(key(seq)), &rec); err != nil {
		t.Fatal(err)
	}
	var e map[string]any
	if err := json.Unmarshal(rec["entry"], &e); err != nil {
		t.Fatal(err)
	}
	e["text"] = "rien à signaler"
	rec["entry"], _ = json.Marshal(e)
	v, _ := json.Marshal(rec)
	if err := b.Put(key(seq), v); err != nil {
		t.Fatal(err)
	}
}

// TestBrokenChainRefusesEntries: an entry altered, removed in the middle or
// removed at the end inside the file is found, and the incident refuses
// the next entry instead of appending after the break.
func TestBrokenChainRefusesEntries(t *testing.T) {
	tests := []struct {
		name  string
		edit  func(t *testing.T, b *bolt.Bucket)
		audit bool // found only by Audit, not by the next append's tail check
		want  string
	}{
		{"middle entry altered", func(t *testing.T, b *bolt.Bucket) { alterText(t, b, 2) }, true, "entry 2: hash does not match"},
		{"middle entry removed", func(t *testing.T, b *bolt.Bucket) { _ = b.Delete(key(2)) }, true, "expected seq 2, found 3"},
		{"last entry altered", func(t *testing.T, b *bolt.Bucket) { alterText(t, b, 4) }, false, "entry 4: hash does not match"},
		{"last entry removed", func(t *testing.T, b *bolt.Bucket) { _ = b.Delete(key(4)) }, false, "the entries end at #3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			path := filepath.Join(t.TempDir(), "vigie.db")
			s, err := boltstore.Open(path, boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			incs := fill(t, s) // 3 incidents of 4 entries
			id := incs[1].ID
			s.Close()
			editLog(t, path, id, func(b *bolt.Bucket) { tt.edit(t, b) })

			s, err = boltstore.Open(path, boltstore.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if tt.audit {
				var found []string
				n, err := s.Audit(ctx, nil, func(be *incident.BrokenError) { found = append(found, be.Incident) })
				if err != nil || n != 3 || len(found) != 1 || found[0] != id {
					t.Fatalf("Audit = %d, %v, found %v; want %s of 3", n, err, found, id)
				}
			}
			note := func(*incident.Incident) ([]incident.Entry, error) {
				return []incident.Entry{storetest.Entry(incident.KindNote, "suite", t0)}, nil
			}
			_, err = s.Update(ctx, id, note)
			if !errors.Is(err, boltstore.ErrBroken) || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), id) {
				t.Fatalf("Update = %v; want ErrBroken naming %s and %q", err, id, tt.want)
			}
			if es, _ := s.Entries(ctx, id, 0, 0); len(es) > 4 {
				t.Fatal("an entry was appended after the break")
			}
			// The other incidents go on.
			if _, err := s.Update(ctx, incs[0].ID, note); err != nil {
				t.Fatalf("an intact incident refused an entry: %v", err)
			}
		})
	}
}

// TestRecordEditedRefusesEntries: the stored record's T0, which drives
// every legal deadline, edited in the file to say otherwise than the
// entries, is found, and the incident refuses new entries.
func TestRecordEditedRefusesEntries(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inc, err := s.Create(ctx, storetest.NewIncident("A", t0), []incident.Entry{
		func() incident.Entry {
			e := storetest.Entry(incident.KindOpened, "ouverture", t0)
			e.Data["t0"] = t0.Format(time.RFC3339)
			return e
		}()})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
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
		json.Unmarshal(b.Get([]byte(inc.ID)), &rec)
		rec.Incident["t0"] = t0.Add(13 * time.Hour).Format(time.RFC3339)
		v, _ := json.Marshal(rec)
		return b.Put([]byte(inc.ID), v)
	}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, err = s.Update(ctx, inc.ID, func(*incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{storetest.Entry(incident.KindNote, "suite", t0)}, nil
	})
	if !errors.Is(err, boltstore.ErrBroken) || !strings.Contains(err.Error(), "the incident's record: t0 is") {
		t.Fatalf("Update = %v; want the edited T0 named", err)
	}
}

// TestTailAlteredWhileOpen: the last entry altered while the store is open
// (after this process wrote it, with whatever tool ignores the lock) is
// found by the next append's tail check, as after a restart.
func TestTailAlteredWhileOpen(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	note := func(*incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{storetest.Entry(incident.KindNote, "suite", t0)}, nil
	}
	inc, err := s.Create(ctx, storetest.NewIncident("C1", t0), []incident.Entry{storetest.Entry(incident.KindOpened, "o", t0)})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := s.Update(ctx, inc.ID, note); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DB().Update(func(tx *bolt.Tx) error {
		alterText(t, tx.Bucket([]byte("log")).Bucket([]byte(inc.ID)), 3)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(ctx, inc.ID, note); !errors.Is(err, boltstore.ErrBroken) || !strings.Contains(err.Error(), "entry 3: hash does not match") {
		t.Fatalf("Update after the last entry was altered = %v; want ErrBroken", err)
	}
	if err := s.Check(); err != nil { // for the cleanup's own check
		t.Log(err)
	}
}
