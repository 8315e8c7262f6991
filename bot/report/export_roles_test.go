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
