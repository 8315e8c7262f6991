package boltstore

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// FuzzDecodeRecords: what is read back from a file anyone may have edited
// decodes or is an error, never a panic; a record decoded is the version
// this store writes.
func FuzzDecodeRecords(f *testing.F) {
	e := incident.Entry{Incident: "2026-0001", Seq: 1, Time: time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC), Actor: "@rssi", Kind: "note", Text: "x", Data: map[string]string{"k": "v"}}
	eb, _ := json.Marshal(entryRecord{V: recordVersion, Entry: &e})
	inc := &incident.Incident{ID: "2026-0001", Title: "t", Status: incident.StatusOpen, Steps: map[string]*incident.StepState{"cnil": {Status: incident.StepDone, Proof: &incident.Proof{Means: "email"}}}}
	ib, _ := json.Marshal(incidentRecord{V: recordVersion, Incident: inc})
	for _, b := range [][]byte{eb, ib, []byte(`{"v":2,"entry":{}}`), []byte(`{"v":1,"incident":null}`), []byte(`{"v":1,"entry":{"seq":-1}}`), []byte("\x00\xff")} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var e incident.Entry
		if err := decodeEntry(b, &e); err == nil {
			var rec struct{ V int }
			_ = json.Unmarshal(b, &rec)
			if rec.V != recordVersion {
				t.Fatalf("decodeEntry accepted version %d", rec.V)
			}
		}
		if inc, err := decodeIncident(b); err == nil && inc == nil {
			t.Fatal("decodeIncident returned no incident and no error")
		}
	})
}

// FuzzPastRecords: the listing and search records read back from a file
// anyone may have edited decode or are refused, never a panic; a record
// this store writes decodes to what it was made from.
func FuzzPastRecords(f *testing.F) {
	at := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	inc := &incident.Incident{ID: "2026-0001", Title: "Rançongiciel sur le PACS", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1",
		T0: at, OpenedAt: at.Add(time.Minute), Channel: "crise", Status: incident.StatusClosed, ClosedAt: at.Add(48 * time.Hour), Exercise: true}
	sum := encodeSummary(inc)
	if got, err := decodeSummary(sum); err != nil || got != inc.Summary() {
		f.Fatalf("decodeSummary(encodeSummary) = %+v, %v; want %+v", got, err, inc.Summary())
	}
	open := *inc
	open.Status, open.ClosedAt, open.Chain, open.Version, open.Exercise = incident.StatusOpen, time.Time{}, "", "", false
	osum := encodeSummary(&open)
	if got, err := decodeSummary(osum); err != nil || got != open.Summary() {
		f.Fatalf("decodeSummary(encodeSummary) = %+v, %v; want %+v", got, err, open.Summary())
	}
	sv := searchValue(at, incident.KindDone, []string{"CS-1234", "appel"})
	if gotAt, kind, texts, ok := decodeSearch(sv); !ok || !gotAt.Equal(at) || kind != incident.KindDone || string(texts) != "CS-1234\x1fappel" {
		f.Fatalf("decodeSearch(searchValue) = %v %q %q %v", gotAt, kind, texts, ok)
	}
	for _, b := range [][]byte{sum, osum, sv, {}, {1}, {2, 0, 0}, []byte(`{"v":1,"summary":{}}`)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = decodeSummary(b)
		if _, _, texts, ok := decodeSearch(b); ok && len(texts) > len(b) {
			t.Fatal("texts longer than the record")
		}
	})
}
