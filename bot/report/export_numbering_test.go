package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestExportAnswersNumbering: in the answers table of the Markdown and
// the PDF, the number column says it holds the main courante's entry
// number, and each question is named as everywhere else, "Q3", so that an
// entry number is not read as a question's or a step's.
func TestExportAnswersNumbering(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	for _, tc := range []struct {
		lang       flows.Lang
		head, row  string
		pdfHead    []string
		pdfRowCell string
	}{
		{flows.FR, "| Entrée n° | Heure (Paris) | Qui | Question | Réponse |",
			"| 4 | 28/03/2026 02:14:30 CET | @rssi | Q3 · L'incident est-il d'origine malveillante ? | Oui |",
			[]string{"Entrée n°"}, "Q3 · L'incident est-il d'origine malveillante ?"},
		{flows.EN, "| Entry # | Time (Paris) | Who | Question | Answer |",
			"| 4 | 2026-03-28 02:14:30 CET | @rssi | Q3 · Is the incident malicious? | Yes |",
			[]string{"Entry #"}, "Q3 · Is the incident malicious?"},
	} {
		var md bytes.Buffer
		if _, err := x.Export(&md, "md", tc.lang, inc, report.Slice(entries), reportNow); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tc.head, tc.row} {
			if !strings.Contains(md.String(), want) {
				t.Errorf("%s md lacks %q", tc.lang, want)
			}
		}
		lines, _, err := report.PDFLines(x, inc, entries, tc.lang, testKey, reportNow)
		if err != nil {
			t.Fatal(err)
		}
		pdf := strings.Join(lines, "\n")
		for _, want := range append(tc.pdfHead, tc.pdfRowCell) {
			if !strings.Contains(pdf, want) {
				t.Errorf("%s pdf lacks %q", tc.lang, want)
			}
		}
	}
}
