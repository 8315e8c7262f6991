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
// of text it sets, in order; x gives the chain and the organisation (nil:
// neither).
func PDFLines(x *Exporter, inc *incident.Incident, entries []incident.Entry, lang flows.Lang, key ed25519.PrivateKey, now time.Time) ([]string, []byte, error) {
	d, err := newExportDoc(inc, Slice(entries), key, now)
	if err != nil {
		return nil, nil, err
	}
	d.lang = lang
	if x != nil {
		d.cat, d.org, d.features = x.Catalog, x.Org, inc.Features
	}
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
