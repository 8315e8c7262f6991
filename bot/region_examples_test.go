package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
)

// TestNationalARSNoOtherRegion: on a national chain with no region
// configured, the ARS step names no region's alert address, not even as
// an example — at 3 a.m. an example is an address someone sends to — and
// says to use the deployment's configured ARS contact, which vigie doctor
// tells how to set.
func TestNationalARSNoOtherRegion(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "national/es-esms"})
	h.ok("ouvrir Rançongiciel")
	for _, cmd := range []string{"statut complet", "detail ars"} {
		got := render(*h.ok(cmd).Message)
		if m := regexp.MustCompile(`[\w.-]+@ars\.sante\.fr|Nouvelle-Aquitaine|Bourgogne`).FindString(got); m != "" {
			t.Errorf("%s names %q on a chain with no region:\n%s", cmd, m, got)
		}
		if !strings.Contains(got, "vigie doctor") {
			t.Errorf("%s does not say how to configure the ARS contact:\n%s", cmd, got)
		}
	}
}
