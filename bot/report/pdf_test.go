package report_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/report"
)

// TestFlowKeepsTogether: wherever a phone number falls on a line, it is
// set whole, on one line; and French punctuation that follows a space
// ("personnel ?", "« … »", "Note :") never starts or ends a line alone.
func TestFlowKeepsTogether(t *testing.T) {
	var paras [][]report.Span
	for n := range 40 {
		lead := strings.Repeat("x", n) + " Appeler le "
		paras = append(paras,
			[]report.Span{{Text: lead}, {Text: "09 72 43 91 25", Keep: true}, {Text: " puis noter la référence."}},
			[]report.Span{{Text: lead + "« PACS arrêté » ou les données à caractère personnel ? Réponse : oui ; suite !"}})
	}
	text := bottest.PDFText(t, report.FlowPDF(60, paras...))
	numbers := 0
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, "09") || strings.Contains(l, "91 25") {
			if !strings.Contains(l, "09 72 43 91 25") {
				t.Errorf("a phone number broken across lines: %q", l)
			}
			numbers++
		}
		for _, p := range []string{"?", ":", ";", "!", "»"} {
			if strings.HasPrefix(l, p) {
				t.Errorf("a line starts with %q: %q", p, l)
			}
		}
		if strings.HasSuffix(l, "«") {
			t.Errorf("a line ends with «: %q", l)
		}
	}
	if numbers != 40 {
		t.Errorf("%d phone numbers read back, want 40:\n%s", numbers, text)
	}
}
