package incident_test

import (
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

func TestSummary(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	who := incident.User{ID: "u1", Name: "rssi"}
	inc := &incident.Incident{ID: "2026-0007", Title: "Rançongiciel sur le PACS", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
		T0: t0, OpenedBy: who, OpenedAt: t0.Add(5 * time.Minute), Channel: "crise", Status: incident.StatusClosed,
		ClosedBy: who, ClosedAt: t0.Add(48 * time.Hour), Points: 3, Facts: map[string]string{"dpo": "Mme Martin"}, Exercise: true}
	want := incident.Summary{ID: "2026-0007", Title: "Rançongiciel sur le PACS", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
		T0: t0, OpenedAt: t0.Add(5 * time.Minute), Channel: "crise", Status: incident.StatusClosed, ClosedAt: t0.Add(48 * time.Hour), Exercise: true}
	if got := inc.Summary(); got != want {
		t.Errorf("Summary() = %+v, want %+v", got, want)
	}
}

// TestSearchable checks which texts of an entry a search of past
// incidents looks at: what people wrote (a note, a situation point's
// parts, a proof's reference and note), never what Vigie wrote around it
// ("Point de situation n° 2", the step's title), nor other kinds.
func TestSearchable(t *testing.T) {
	for _, tt := range []struct {
		e    incident.Entry
		want []string
	}{
		{incident.Entry{Kind: incident.KindNote, Text: "PACS isolé du réseau"}, []string{"PACS isolé du réseau"}},
		{incident.Entry{Kind: incident.KindPoint, Text: "Point de situation n° 2 — Conditions : PACS arrêté — Besoins : renfort",
			Data: map[string]string{"n": "2", "conditions": "PACS arrêté", "besoins": "renfort"}}, []string{"PACS arrêté", "renfort"}},
		{incident.Entry{Kind: incident.KindPoint, Text: "Point de situation n° 1 — Actions : bascule papier",
			Data: map[string]string{"n": "1", "actions": "bascule papier"}}, []string{"bascule papier"}},
		{incident.Entry{Kind: incident.KindPoint, Text: "point écrit par une version sans data"}, []string{"point écrit par une version sans data"}},
		{incident.Entry{Kind: incident.KindDone, Text: "Fait : Déclarer l'incident au CERT Santé, par portail, réf. CS-1234",
			Data: map[string]string{"step": "cert-sante", "means": "portail", "ref": "CS-1234", "note": "appelé le standard"}}, []string{"CS-1234", "appelé le standard"}},
		{incident.Entry{Kind: incident.KindDone, Text: "Fait : ARS, par e-mail", Data: map[string]string{"step": "ars", "means": "email"}}, nil},
		{incident.Entry{Kind: incident.KindAnswer, Text: "Réponse : oui"}, nil},
		{incident.Entry{Kind: incident.KindNote, Text: ""}, nil},
	} {
		if got := tt.e.Searchable(); !slices.Equal(got, tt.want) {
			t.Errorf("%s %q: Searchable() = %q, want %q", tt.e.Kind, tt.e.Text, got, tt.want)
		}
	}
}
