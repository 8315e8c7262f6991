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
