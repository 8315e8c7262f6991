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

// SheetQR is where the reflex sheet drew a QR code: its page (from 1),
// the top left corner and side of the symbol and its light margin, in
// millimetres from the top left of the page, and the modules drawn.
type SheetQR struct {
	Page              int
	URL               string
	X, Y, Side, Quiet float64
	Modules           [][]bool
}

// SheetLayout is how the PDF reflex sheet was set: its pages, the body
// size of each chain's page, in points, and the QR codes.
type SheetLayout struct {
	Pages int
	Body  []float64
	QRs   []SheetQR
}

// SheetPDF returns the PDF reflex sheet of chains and how it was set.
func SheetPDF(cat *flows.Catalog, chains []*flows.Chain, opt SheetOptions) ([]byte, SheetLayout, error) {
	if opt.Lang == "" {
		opt.Lang = flows.FR
	}
	sheets := make([]*sheet, len(chains))
	for i, c := range chains {
		sheets[i] = newSheet(cat, c, opt)
	}
	var buf bytes.Buffer
	l, err := sheetPDF(&buf, sheets, opt)
	out := SheetLayout{Pages: l.pages}
	for _, s := range l.styles {
		out.Body = append(out.Body, sheetStyles[s].body)
	}
	for _, q := range l.qrs {
		out.QRs = append(out.QRs, SheetQR{Page: q.page, URL: q.url, X: q.x, Y: q.y, Side: q.side, Quiet: q.quiet, Modules: q.modules})
	}
	return buf.Bytes(), out, err
}

// SheetMinBody is the smallest body size, in points, a sheet may be set in
// when its chain has more to say than the others.
var SheetMinBody = sheetStyles[len(sheetStyles)-1].body

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
