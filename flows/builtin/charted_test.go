package builtin_test

import (
	"testing"
)

// TestCharted: a chain is charted when it transcribes one document item
// by item, so that an item is on it or not (the ARS Nouvelle-Aquitaine
// charts; the 2016 text of D1111-16-3 for the authorities' own chains).
// The national chains built from the 2022 texts are not: every item cites
// the text it rests on, and none is "off the chart".
func TestCharted(t *testing.T) {
	cat := mustCatalog(t)
	for _, id := range cat.IDs() {
		for _, c := range cat.Versions(id) {
			want := c.Region != "" || c.Version < "2022"
			if got := c.Charted(); got != want {
				t.Errorf("%s %s: Charted() = %v, want %v", c.ID, c.Version, got, want)
			}
		}
	}
}
