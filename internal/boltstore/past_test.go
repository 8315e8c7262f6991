package boltstore_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// pastNight fills s with two incidents whose main courantes hold notes, a
// situation point, proofs and other entries, as a night of the crisis
// cell leaves them.
func pastNight(t *testing.T, s *boltstore.Store) {
	t.Helper()
	ctx := context.Background()
	at := func(m int) time.Time { return t0.Add(time.Duration(m) * time.Minute) }
	a, err := s.Create(ctx, storetest.NewIncident("crise", t0), []incident.Entry{storetest.Entry(incident.KindOpened, "ouverture", t0)})
	if err != nil {
		t.Fatal(err)
	}
	b := storetest.NewIncident("crise", at(60))
	b.Title = "Messagerie compromise"
	if b, err = s.Create(ctx, b, nil); err != nil {
		t.Fatal(err)
	}
	add := func(id string, es ...incident.Entry) {
		t.Helper()
		if _, err := s.Update(ctx, id, func(*incident.Incident) ([]incident.Entry, error) { return es, nil }); err != nil {
			t.Fatal(err)
		}
	}
	add(a.ID,
		incident.Entry{Time: at(5), Actor: "@rssi", Kind: incident.KindNote, Text: "PACS isolé du réseau"},
		incident.Entry{Time: at(6), Actor: "@rssi", Kind: incident.KindAnswer, Text: "Réponse : PACS touché → oui"},
		incident.Entry{Time: at(15), Actor: "@rssi", Kind: incident.KindDone, Text: "Fait : CERT Santé, par portail, réf. CS-1234",
			Data: map[string]string{"step": "cert-sante", "means": "portail", "ref": "CS-1234", "note": "appel au standard du PACS"}})
	add(b.ID,
		incident.Entry{Time: at(70), Actor: "@dsi", Kind: incident.KindPoint, Text: "Point de situation n° 1 — Conditions : messagerie coupée",
			Data: map[string]string{"n": "1", "conditions": "messagerie coupée", "actions": "réinitialisation des mots de passe"}})
}

// found writes what a search found, one line each.
func found(fs []boltstore.Found) string {
	var b strings.Builder
	for _, f := range fs {
		fmt.Fprintf(&b, "%s #%d %s %s %q\n", f.ID, f.Seq, f.Time.UTC().Format("15:04"), f.Kind, f.Texts)
	}
	return b.String()
}

func contains(q string) func([]byte) bool {
	return func(text []byte) bool { return bytes.Contains(text, []byte(q)) }
}

func TestSearch(t *testing.T) {
	s := MustOpen(t)
	pastNight(t, s)
	ctx := context.Background()
	for _, tt := range []struct{ q, want string }{
		// The title, at the opening; notes and proofs; never Vigie's own
		// words around them ("Réponse", "Fait", "Point de situation").
		{"PACS", `2026-0001 #0 01:10 title ["Rançongiciel sur le PACS"]
2026-0001 #2 01:15 note ["PACS isolé du réseau"]
2026-0001 #4 01:25 done ["CS-1234" "appel au standard du PACS"]
`},
		{"CS-12", `2026-0001 #4 01:25 done ["CS-1234" "appel au standard du PACS"]
`},
		{"mots de passe", `2026-0002 #1 02:20 point ["messagerie coupée" "réinitialisation des mots de passe"]
`},
		{"Messagerie", `2026-0002 #0 02:10 title ["Messagerie compromise"]
`},
		{"Réponse", ""},
		{"Point de situation", ""},
		{"portail", ""},
	} {
		fs, err := s.Search(ctx, contains(tt.q))
		if err != nil {
			t.Fatal(err)
		}
		if got := found(fs); got != tt.want {
			t.Errorf("Search(%q) =\n%swant\n%s", tt.q, got, tt.want)
		}
	}
	// The latest opened incident first, whatever its ID: an exercise
	// (EX-2026-0001, after 2026-0002 in the order of IDs) opened between
	// the two incidents comes between them.
	drill := storetest.NewIncident("crise", t0.Add(30*time.Minute))
	drill.Exercise, drill.Title = true, "Exercice messagerie"
	if _, err := s.Create(ctx, drill, nil); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Search(ctx, contains("e"))
	var order []string
	for _, f := range fs {
		if len(order) == 0 || order[len(order)-1] != f.ID {
			order = append(order, f.ID)
		}
	}
	if got := strings.Join(order, " "); err != nil || got != "2026-0002 EX-2026-0001 2026-0001" {
		t.Errorf("Search(e): %v, incidents in the order %s\n%s", err, got, found(fs))
	}
	// The texts given to match are those of one record, apart: a query
	// never matches across two of them.
	fs, _ = s.Search(ctx, contains("CS-1234appel"))
	if len(fs) != 0 {
		t.Errorf("a match across two texts: %s", found(fs))
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.Search(cctx, contains("PACS")); err == nil {
		t.Error("Search on a canceled context: no error")
	}
}

// TestPastOfAnOlderFile opens a file written before the listing and search
// indexes: read-only, the listing and the search read the records
// themselves; read-write, the indexes are built once, and say the same.
func TestPastOfAnOlderFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pastNight(t, s)
	ctx := context.Background()
	look := func(s *boltstore.Store) string {
		t.Helper()
		past, err := s.Past(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		fs, err := s.Search(ctx, contains("PACS"))
		if err != nil {
			t.Fatal(err)
		}
		return mustJSON(t, past) + found(fs)
	}
	want := look(s)
	// What an older Vigie wrote: no past/ and search/ buckets.
	if err := s.DB().Update(func(tx *bolt.Tx) error {
		for _, name := range []string{"past", "search"} {
			if err := tx.DeleteBucket([]byte(name)); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	s.Close()

	ro, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := look(ro); got != want {
		t.Errorf("read-only, without the indexes:\n%s\nwant\n%s", got, want)
	}
	ro.Close()

	rw := MustOpenAt(t, path)
	if got := look(rw); got != want {
		t.Errorf("read-write, the indexes rebuilt:\n%s\nwant\n%s", got, want)
	}
	var names []string
	rw.DB().View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error { names = append(names, string(name)); return nil })
	})
	if !slices.Contains(names, "past") || !slices.Contains(names, "search") {
		t.Errorf("buckets after a read-write open: %v", names)
	}
}

// TestPastFollowsChanges checks the indexes after the changes that move
// them: a note appended is found, a closing shows in the listing.
func TestPastFollowsChanges(t *testing.T) {
	s := MustOpen(t)
	pastNight(t, s)
	ctx := context.Background()
	if _, err := s.Update(ctx, "2026-0002", func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Status, inc.ClosedAt = incident.StatusClosed, t0.Add(3*time.Hour)
		return []incident.Entry{{Time: t0.Add(3 * time.Hour), Actor: "@dsi", Kind: incident.KindNote, Text: "retour du PACS"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	fs, err := s.Search(ctx, contains("retour"))
	if err != nil || found(fs) != "2026-0002 #2 04:10 note [\"retour du PACS\"]\n" {
		t.Errorf("Search after a note: %v\n%s", err, found(fs))
	}
	past, err := s.Past(ctx, "crise")
	if err != nil || len(past) != 2 || past[0].ID != "2026-0002" || past[0].Status != incident.StatusClosed || !past[0].ClosedAt.Equal(t0.Add(3*time.Hour)) {
		t.Errorf("Past after a closing: %v, %+v", err, past)
	}
}
