// Package storetest is the conformance suite of bot.Store: Run checks that
// a store allocates IDs, seals the main courante, keeps the open index and
// rolls back failed updates exactly as the contract in bot/store.go says.
// It runs against internal/boltstore and the in-memory bot/bottest store,
// so that the bot's tests on the fake mean something for production.
//
// It imports the conversation (bot, whose Store it checks) and the domain;
// it must not import a store: each store's tests call Run.
package storetest

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// Lister is the optional listing of every incident (boltstore.Store.All).
type Lister interface {
	All(ctx context.Context) ([]*incident.Incident, error)
}

// base is 2026-03-28 02:10 in Paris, the night of design.md §1.
var base = time.Date(2026, 3, 28, 2, 10, 0, 0, incident.Paris)

// Run runs the suite; open returns a new, empty store for each subtest and
// arranges its cleanup.
func Run(t *testing.T, open func(t *testing.T) bot.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s bot.Store)
	}{
		{"IDsPerYear", testIDsPerYear},
		{"ExerciseIDs", testExerciseIDs},
		{"CreateSeals", testCreateSeals},
		{"CreateWithoutEntries", testCreateWithoutEntries},
		{"CreateRejects", testCreateRejects},
		{"ConcurrentCreates", testConcurrentCreates},
		{"UpdateAppends", testUpdateAppends},
		{"UpdateErrorChangesNothing", testUpdateErrorChangesNothing},
		{"UpdateRejectsIDChange", testUpdateRejectsIDChange},
		{"EntriesPaging", testEntriesPaging},
		{"OpenIndex", testOpenIndex},
		{"OpenOldestFirst", testOpenOldestFirst},
		{"NotFound", testNotFound},
		{"CanceledContext", testCanceledContext},
		{"ConcurrentUpdates", testConcurrentUpdates},
		{"ConcurrentUpdatesSomeFail", testConcurrentUpdatesSomeFail},
		{"Isolation", testIsolation},
		{"All", testAll},
		{"Past", testPast},
		{"WakeIndex", testWakeIndex},
		{"Outbox", testOutbox},
		{"ChangeSeen", testChangeSeen},
		{"ChangeClick", testChangeClick},
		{"ConcurrentClicks", testConcurrentClicks},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

// NewIncident returns an open incident of channel opened at openedAt, as
// the bot would pass it to Create.
func NewIncident(channel string, openedAt time.Time) *incident.Incident {
	return &incident.Incident{
		Title: "Rançongiciel sur le PACS", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03",
		T0: openedAt.UTC(), OpenedBy: incident.User{ID: "u1", Name: "rssi"}, OpenedAt: openedAt,
		Channel: channel, Status: incident.StatusOpen,
	}
}

// Entry returns an unsealed entry. An opening says, as the bot's does,
// the title, chain and version of NewIncident's incidents, which stores
// check the record against.
func Entry(kind, text string, at time.Time) incident.Entry {
	e := incident.Entry{Time: at, Actor: "@rssi", Kind: kind, Text: text}
	if kind == incident.KindOpened {
		e.Data = map[string]string{"title": "Rançongiciel sur le PACS", "chain": "nouvelle-aquitaine/es-esms", "version": "2025-03"}
	}
	return e
}

// VerifyChain checks the whole main courante of id: sequence numbers from 1
// without gaps, each entry linked to the previous one, each hash right, and
// the incident's Head on the last entry. It returns the entries.
func VerifyChain(t testing.TB, s bot.Store, id string) []incident.Entry {
	t.Helper()
	ctx := context.Background()
	es, err := s.Entries(ctx, id, 0, 0)
	if err != nil {
		t.Fatalf("Entries(%s): %v", id, err)
	}
	var head incident.Head
	for i, e := range es {
		if e.Incident != id || e.Seq != uint64(i+1) || e.Prev != head.Hash || e.Hash != e.ComputeHash() {
			t.Fatalf("entry %d of %s breaks the chain: incident %q seq %d prev %.12s (want %.12s) hash ok %v",
				i+1, id, e.Incident, e.Seq, e.Prev, head.Hash, e.Hash == e.ComputeHash())
		}
		head = incident.Head{Seq: e.Seq, Hash: e.Hash}
	}
	inc, err := s.Incident(ctx, id)
	if err != nil {
		t.Fatalf("Incident(%s): %v", id, err)
	}
	if inc.Head != head {
		t.Fatalf("Head of %s = %+v, last entry %+v", id, inc.Head, head)
	}
	return es
}

func mustCreate(t *testing.T, s bot.Store, inc *incident.Incident, entries ...incident.Entry) *incident.Incident {
	t.Helper()
	got, err := s.Create(context.Background(), inc, entries)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return got
}

// appendFn returns an Update fn that appends entries and changes nothing else.
func appendFn(entries ...incident.Entry) func(*incident.Incident) ([]incident.Entry, error) {
	return func(*incident.Incident) ([]incident.Entry, error) { return slices.Clone(entries), nil }
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func ids(incs []*incident.Incident) []string {
	out := make([]string, len(incs))
	for i, inc := range incs {
		out[i] = inc.ID
	}
	return out
}

func texts(es []incident.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Text
	}
	return out
}
