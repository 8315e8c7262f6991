package cli

import (
	"slices"
	"testing"

	"github.com/vigie-sante/vigie/internal/metrics"
)

// TestPlatformsMetered: every platform serve can run is one whose answers
// the metrics list at zero from the start.
func TestPlatformsMetered(t *testing.T) {
	for name := range platforms {
		if !slices.Contains(metrics.Platforms, name) {
			t.Errorf("platform %q is not in metrics.Platforms", name)
		}
	}
}
