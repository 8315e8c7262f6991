package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestExportNotInForce: an incident whose T0 comes before its chain's
// first version (a T0 in November 2024 on the March 2025 chart) says so
// at the top of the first page of the PDF and of the Markdown report, in
// the incident's language, in the card's words (i18n.NotInForce); an
// incident within the chain's dates says nothing of the kind.
func TestExportNotInForce(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	// The same incident, a year and four months earlier: T0 as opened and
	// as corrected, and the opening time.
	early := *inc
	early.T0 = at("2024-11-28T01:10:00Z")
	earlyEntries := make([]incident.Entry, len(entries))
	copy(earlyEntries, entries)
	earlyEntries[0].Data = map[string]string{"title": inc.Title, "t0": "2024-11-28T02:15:00+01:00",
		"chain": inc.Chain, "version": inc.Version}
	earlyEntries[1].Data = map[string]string{"old": "2024-11-28T02:15:00+01:00", "new": "2024-11-28T02:10:00+01:00"}
	early.Head = incident.Seal(incident.Head{}, early.ID, earlyEntries)

	chain, err := x.Catalog.Version(inc.Chain, inc.Version)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []flows.Lang{flows.FR, flows.EN} {
		warning := i18n.NotInForce(chain, early.T0, lang)
		if warning == "" {
			t.Fatalf("%s: i18n.NotInForce gives no warning for T0 %s on %s %s", lang, early.T0, chain.ID, chain.Version)
		}
		// pdftotext lays the warning out over several lines: compare
		// words, the emoji left out (the PDF font has no colour glyph).
		words := strings.Fields(strings.TrimPrefix(warning, "⚠️ "))
		for _, c := range []struct {
			name    string
			inc     *incident.Incident
			entries []incident.Entry
			want    bool
		}{{"before", &early, earlyEntries, true}, {"in force", inc, entries, false}} {
			t.Run(string(lang)+"/"+c.name, func(t *testing.T) {
				var md bytes.Buffer
				if _, err := x.Export(&md, "md", lang, c.inc, report.Slice(c.entries), reportNow); err != nil {
					t.Fatal(err)
				}
				// The header: what comes before the structure's table.
				header, _, _ := strings.Cut(md.String(), "\n## ")
				if got := strings.Contains(header, warning); got != c.want {
					t.Errorf("Markdown header shows the warning: %v, want %v\n%s", got, c.want, header)
				}
				_, pdf, err := report.PDFLines(x, c.inc, c.entries, lang, testKey, reportNow)
				if err != nil {
					t.Fatal(err)
				}
				if c.want {
					if png := firstPagePNG(t, pdf, artefacts(t), "report-not-in-force-"+string(lang)); png != "" {
						t.Logf("first page: %s", png)
					}
				}
				page1, _, _ := strings.Cut(pdfLayout(t, pdf), "\f")
				got := strings.Contains(strings.Join(strings.Fields(page1), " "), strings.Join(words, " "))
				if got != c.want {
					t.Errorf("PDF first page shows the warning: %v, want %v\n%s", got, c.want, page1)
				}
			})
		}
	}
}
