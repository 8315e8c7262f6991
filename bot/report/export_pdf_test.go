package report_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// pdfFixture is the export fixture with entries that carry every French
// character a printed report must render (é è à ç œ « ») and an emoji the
// font lacks.
func pdfFixture() (*incident.Incident, []incident.Entry) {
	inc, entries := fixture()
	more := []incident.Entry{
		{Time: at("2026-03-29T07:50:00Z"), Actor: "@dpo", Kind: incident.KindNote,
			Text: "Œuvre « à cœur » : l'équipe a déjà reçu ça, très précisément ; ÇA VA"},
		{Time: at("2026-03-29T07:55:00Z"), Actor: "@rssi", Kind: incident.KindNote,
			Text: "📌 @dg : bascule papier validée ✅", Data: map[string]string{"message": "m1"}},
		{Time: at("2026-03-29T07:58:00Z"), Actor: "@rssi", Kind: incident.KindDone,
			Text: "Fait : Alerter l'ARS Nouvelle-Aquitaine, par e-mail, réf. ARS-77, à 29/03/2026 09:57",
			Data: map[string]string{"step": "ars", "means": "email", "ref": "ARS-77", "declared_at": "2026-03-29T07:57:00Z", "note": "accusé reçu"}},
	}
	inc.Head = incident.Seal(inc.Head, inc.ID, more)
	return inc, append(entries, more...)
}

// footer matches the page footers pdftotext reads between the lines.
var footer = regexp.MustCompile(`Main courante de l'incident \S+, tête #\d+ [0-9a-f]{12} — page \d+/\d+`)

func TestExportPDF(t *testing.T) {
	inc, entries := pdfFixture()
	lines, pdf, err := report.PDFLines(nil, inc, entries, flows.FR, testKey, exportNow)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
		t.Fatalf("not a PDF: %q", pdf[:min(20, len(pdf))])
	}

	// The text set, as a golden file: what the report says, whatever the
	// PDF reader.
	got := strings.Join(lines, "\n") + "\n"
	bottest.Golden(t, filepath.Join("testdata", "export.pdf.txt.golden"), []byte(got))

	// Export writes the same file, and the same input the same bytes.
	var buf bytes.Buffer
	if err := report.Export(&buf, "pdf", flows.FR, inc, entries, testKey, exportNow); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), pdf) {
		t.Error("Export pdf differs from a second rendering of the same main courante")
	}

	head := entries[len(entries)-1].Hash
	for _, w := range []string{
		"Main courante — incident 2026-0001",
		"Rançongiciel sur le PACS",
		"Œuvre « à cœur » : l'équipe a déjà reçu ça, très précisément ; ÇA VA",
		"CS-1234", "ARS-77", "Note : accusé reçu",
		"Empreinte (SHA-256) | " + head,
		"\uFFFD @dg : bascule papier validée \uFFFD",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("PDF text lacks %q", w)
		}
	}

	// Read back: every line outside the tables is in the PDF, in order,
	// accents included; a table's cells are read column by column.
	text := bottest.PDFText(t, pdf)
	stripped := footer.ReplaceAllString(text, "")
	var prose []string
	for _, l := range lines {
		if !strings.Contains(l, " | ") && !strings.HasPrefix(l, "[") && !strings.HasPrefix(l, "  ↳ ") {
			prose = append(prose, l)
		}
	}
	if m := bottest.MissingInOrder(stripped, prose); m != "" {
		t.Errorf("pdftotext does not find %q (in order) in:\n%s", m, text)
	}
	for _, w := range []string{"é", "è", "à", "ç", "œ", "Œ", "«", "»", "Ç", head, "page 1/"} {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext output lacks %q", w)
		}
	}
}

// TestExportPDFBroken: a PDF export is refused like the others when the
// chain does not verify.
func TestExportPDFBroken(t *testing.T) {
	inc, entries := pdfFixture()
	entries[2].Text = "réécrit"
	if err := report.Export(&bytes.Buffer{}, "pdf", flows.FR, inc, entries, testKey, exportNow); err == nil || !strings.Contains(err.Error(), "hash does not match") {
		t.Fatalf("Export pdf of a broken chain: %v", err)
	}
}
