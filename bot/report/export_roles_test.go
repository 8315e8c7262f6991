package report_test

import (
	"bytes"
	"testing"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestVerifyWithRoles: the export of an incident whose roles changed
// verifies: the header carries no roles, the entries alone say who held
// them, and the header check must not read their absence as an edit.
func TestVerifyWithRoles(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	closed := entries[len(entries)-1]
	entries = append(entries[:len(entries)-1],
		incident.Entry{Time: closed.Time.Add(-2), Actor: "@rssi", Kind: incident.KindRole, Text: "Rôle DPO : @jdupont",
			Data: map[string]string{"role": "dpo", "holder": "@jdupont", "holder_id": ""}},
		incident.Entry{Time: closed.Time.Add(-1), Actor: "@rssi", Kind: incident.KindRole, Text: "Suppléant du rôle DPO : @amartin",
			Data: map[string]string{"role": "dpo", "holder": "@amartin", "holder_id": "", "deputy": "yes"}},
		closed)
	inc.Roles = map[string]incident.User{"dpo": {Name: "jdupont"}}
	inc.Deputies = map[string]incident.User{"dpo": {Name: "amartin"}}
	inc.Head = incident.Seal(incident.Head{}, inc.ID, entries)
	for _, format := range []string{"json", "csv"} {
		got := exportWith(t, x, inc, entries, format, flows.FR)
		if _, err := report.Verify(bytes.NewReader(got), report.VerifyOptions{}); err != nil {
			t.Errorf("%s export with roles: %v", format, err)
		}
	}
}

// TestReplayRoles: replaying the main courante gives who holds each role
// and each deputy's place, a release included.
func TestReplayRoles(t *testing.T) {
	_, inc, entries := regulatorFixture(t)
	at := entries[len(entries)-1].Time
	role := func(data map[string]string) incident.Entry {
		return incident.Entry{Time: at, Actor: "@rssi", Kind: incident.KindRole, Data: data}
	}
	entries = append(entries,
		role(map[string]string{"role": "dpo", "holder": "@jdupont"}),
		role(map[string]string{"role": "dpo", "holder": "@amartin", "deputy": "yes"}),
		role(map[string]string{"role": "rssi", "holder": "@rssi", "holder_id": "u1"}),
		role(map[string]string{"role": "rssi", "previous": "@rssi"}))
	rec, err := report.Replay(&incident.Incident{ID: inc.ID}, report.Slice(entries))
	if err != nil {
		t.Fatal(err)
	}
	got := rec.Incident
	if len(got.Roles) != 1 || got.Roles["dpo"] != (incident.User{Name: "jdupont"}) || got.Deputies["dpo"] != (incident.User{Name: "amartin"}) {
		t.Errorf("replayed roles %v, deputies %v", got.Roles, got.Deputies)
	}
}
