package report

import (
	"bytes"
	"crypto/ed25519"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Hooks for the external tests of the regulator outputs (package
// bot_test): the lines of text a PDF sets, which the tests find again in
// what pdftotext reads back.

// PDFLines returns the PDF export of a main courante in lang and the lines
// of text it sets, in order.
func PDFLines(inc *incident.Incident, entries []incident.Entry, lang flows.Lang, key ed25519.PrivateKey, now time.Time) ([]string, []byte, error) {
	d, err := newExportDoc(inc, Slice(entries), key, now)
	if err != nil {
		return nil, nil, err
	}
	d.lang = lang
	var buf bytes.Buffer
	lines, err := renderPDF(&buf, d, true)
	return lines, buf.Bytes(), err
}

// SheetLines returns the PDF reflex sheet of chains and the lines of text
// it sets, in order.
func SheetLines(cat *flows.Catalog, chains []*flows.Chain, opt SheetOptions) ([]string, []byte, error) {
	var buf bytes.Buffer
	lines, err := sheetPDF(&buf, sheetItems(cat, chains, opt), opt, true)
	return lines, buf.Bytes(), err
}

// Span is a piece of a paragraph for FlowPDF; one that keeps together is
// set on one line.
type Span struct {
	Text string
	Keep bool
}

// FlowPDF sets each paragraph, in the body font, in a column width
// millimetres wide, and returns the PDF.
func FlowPDF(width float64, paras ...[]Span) []byte {
	var buf bytes.Buffer
	d := newPDF(&buf, "flow", "flow", time.Unix(0, 0), flows.FR)
	d.column(pdfMargin, width)
	for _, p := range paras {
		var runs []run
		for _, s := range p {
			runs = append(runs, run{face: faceRegular, text: s.Text, keep: s.Keep})
		}
		d.flow(pdfBody, pdfLine, black, runs...)
	}
	d.output()
	return buf.Bytes()
}
