package report_test

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestSheetComplaintChannels: on every sheet, the complaint step
// (plainte-assurance) offers only complaint channels — a police station
// or gendarmerie brigade, a letter to the prosecutor — never the 17 or
// 17Cyber, which take reports, not complaints (the chain's own note); no
// big number or QR code of the sheet is given for it (its channels have
// none). The 17 stays on the reporting step.
func TestSheetComplaintChannels(t *testing.T) {
	cat, _ := sheetCatalog(t)
	seen := 0
	for _, tc := range sheetCases(t) {
		s := tc.chain.Step("plainte-assurance")
		if s == nil || tc.nis2 {
			continue
		}
		seen++
		n := strconv.Itoa(s.Order)
		var md bytes.Buffer
		if err := report.ReflexSheet(&md, "md", cat, []*flows.Chain{tc.chain}, tc.options()); err != nil {
			t.Fatal(err)
		}
		pdf, _, err := report.SheetPDF(cat, []*flows.Chain{tc.chain}, tc.options())
		if err != nil {
			t.Fatal(err)
		}
		// Each document: the band of numbers and QR codes (up to the T0
		// line), and the complaint step's text, from its number to the
		// next step's.
		for name, doc := range map[string]string{"md": md.String(), "pdf": sheetLayout(t, pdf)} {
			band, steps, _ := strings.Cut(doc, "(T0)")
			if regexp.MustCompile(`(étapes?|steps?) [0-9, ]*\b` + n + `\b`).MatchString(band) {
				t.Errorf("%s %s: a number or QR code of the sheet is given for the complaint step %s:\n%s", tc, name, n, band)
			}
			i := strings.Index(steps, "\n"+n+". [")
			if name == "md" {
				i = strings.Index(steps, "**"+n+". [")
			}
			if i < 0 {
				t.Fatalf("%s %s: no step %s:\n%s", tc, name, n, steps)
			}
			step := steps[i+1:]
			if j := strings.Index(step, strconv.Itoa(s.Order+1)+". ["); j > 0 {
				step = step[:j]
			}
			step = strings.Join(strings.Fields(step), " ")
			if m := regexp.MustCompile(`(?i)17cyber|: 17\b`).FindString(step); m != "" {
				t.Errorf("%s %s: the complaint step offers %q: %s", tc, name, m, step)
			}
		}
		if r := tc.chain.Step("police-gendarmerie"); r != nil && tc.lang == flows.FR {
			var md bytes.Buffer
			_ = report.ReflexSheet(&md, "md", cat, []*flows.Chain{tc.chain}, tc.options())
			if !regexp.MustCompile(`\*\*17\*\*.*étapes? [0-9, ]*\b` + strconv.Itoa(r.Order) + `\b`).MatchString(md.String()) {
				t.Errorf("%s: the 17 is no longer given for the reporting step %d", tc, r.Order)
			}
		}
	}
	if seen == 0 {
		t.Fatal("no chain has a complaint step")
	}
}
