package flows_test

import (
	"testing"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/config"
)

// TestRegionName: every region region: accepts has a name in plain words;
// an unknown id is shown as it is.
func TestRegionName(t *testing.T) {
	for _, id := range config.Regions {
		if flows.RegionName(id) == id {
			t.Errorf("region %q has no name", id)
		}
	}
	for id, want := range map[string]string{"nouvelle-aquitaine": "Nouvelle-Aquitaine", "provence-alpes-cote-d-azur": "Provence-Alpes-Côte d'Azur", "atlantide": "atlantide", "": ""} {
		if got := flows.RegionName(id); got != want {
			t.Errorf("RegionName(%q) = %q, want %q", id, got, want)
		}
	}
}
