package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestExportLeftOutReason: a step the answers leave out carries, in the
// Markdown and the PDF, the rule the chain gives for that answer (its
// not_required text), as the card, detail and flows eval give it, not the
// basis of the step required.
func TestExportLeftOutReason(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	for _, tc := range []struct {
		lang       flows.Lang
		rule, base string
	}{
		{flows.FR, "risque non élevé — RGPD art. 34.1", "RGPD art. 34 ; chaîne d'alerte ARS NA, mars 2025"},
		{flows.EN, "risk not high — GDPR art. 34(1)", "GDPR art. 34; ARS NA alert chain, March 2025"},
	} {
		for _, format := range []string{"md", "pdf"} {
			var buf bytes.Buffer
			if _, err := x.Export(&buf, format, tc.lang, inc, report.Slice(entries), reportNow); err != nil {
				t.Fatal(err)
			}
			got := buf.String()
			if format == "pdf" { // the text as drawn, each cell whole
				lines, _, err := report.PDFLines(x, inc, entries, tc.lang, testKey, reportNow)
				if err != nil {
					t.Fatal(err)
				}
				got = strings.Join(lines, "\n")
			}
			_, section, _ := strings.Cut(got, map[flows.Lang]string{flows.FR: "Étapes non requises par les réponses", flows.EN: "Steps the answers do not require"}[tc.lang])
			if !strings.Contains(section, tc.rule) {
				t.Errorf("%s %s: the left-out step lacks its rule %q:\n%s", tc.lang, format, tc.rule, section)
			}
			if strings.Contains(section, tc.base) {
				t.Errorf("%s %s: the left-out step gives the basis of the required step %q", tc.lang, format, tc.base)
			}
		}
	}
}
