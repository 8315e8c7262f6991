package cli

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// addExercises stores n exercises of 2026 in db, each answered, declared
// and closed like a real incident, as a rehearsal would leave them.
func addExercises(t *testing.T, db string, n int) []*incident.Incident {
	t.Helper()
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	who := incident.User{ID: "u1", Name: "rssi"}
	var out []*incident.Incident
	for i := range n {
		t0 := time.Date(2026, 6, 10+i, 9, 0, 0, 0, incident.Paris)
		inc := &incident.Incident{Title: "Exercice rançongiciel", Exercise: true, T0: t0, OpenedBy: who, OpenedAt: t0,
			Channel: "exercice", Chain: "nouvelle-aquitaine/ose", Version: "2025-03.1",
			Status: incident.StatusClosed, ClosedBy: who, ClosedAt: t0.Add(3 * time.Hour),
			Answers: map[string][]incident.AnswerRecord{"malicious": {{Value: flows.Yes, By: who, At: t0}}},
			Steps: map[string]*incident.StepState{"cert-sante": {Status: incident.StepDone, By: who, At: t0.Add(time.Hour),
				Proof: &incident.Proof{By: who, DeclaredAt: t0.Add(time.Hour), ServerAt: t0.Add(time.Hour), Means: "portail"}}}}
		opened := incident.Entry{Time: t0, Actor: "@rssi", Kind: incident.KindOpened, Text: "ouverture",
			Data: map[string]string{"title": inc.Title, "exercise": "yes", "chain": inc.Chain, "version": inc.Version}}
		closed := incident.Entry{Time: inc.ClosedAt, Actor: "@rssi", Kind: incident.KindClosed, Text: "clos"}
		got, err := s.Create(context.Background(), inc, []incident.Entry{opened, closed})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got)
	}
	return out
}

// TestStatsLeaveExercisesOut: exercises of the year change none of its
// figures; the statistics say how many were left out.
func TestStatsLeaveExercisesOut(t *testing.T) {
	db := statsYear(t)
	before := mustRun(t, "--db", db, "stats", "--year", "2026", "--format", "csv")
	addExercises(t, db, 2)
	after := mustRun(t, "--db", db, "stats", "--year", "2026", "--format", "csv")
	if after != before+"excluded,exercises,2,,,\n" {
		t.Errorf("stats csv with 2 exercises (- without, + with):\n%s", lineDiff(before, after))
	}
	md := mustRun(t, "--db", db, "stats", "--year", "2026")
	if !strings.Contains(md, "| Incidents | 120 |") || !strings.Contains(md, "2 exercices non comptés") {
		t.Errorf("stats md does not say the exercises were left out:\n%s", md)
	}
	if y27 := mustRun(t, "--db", db, "stats", "--year", "2027"); strings.Contains(y27, "exercice") {
		t.Errorf("2027 mentions 2026's exercises:\n%s", y27)
	}
}

// TestVerifyExercise: vigie verify says an export is an exercise's.
func TestVerifyExercise(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	inc := addExercises(t, db, 1)[0]
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Entries(context.Background(), inc.ID, 0, 0)
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	if err := report.Export(&buf, "json", flows.FR, inc, es, key, inc.ClosedAt); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "ex.json")
	if err := os.WriteFile(file, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out := mustRun(t, "verify", file)
	if !strings.Contains(out, "OK: incident EX-2026-0001") || !strings.Contains(out, "EXERCISE: the main courante of a crisis exercise") {
		t.Errorf("verify of an exercise:\n%s", out)
	}
}
