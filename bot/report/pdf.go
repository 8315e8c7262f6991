package report

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/sfnt"

	"github.com/vigie-sante/vigie/bot/report/pdffont"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds what Vigie's PDF documents share: an A4 page with the
// embedded DejaVu Sans font, headings, paragraphs and label/value lines,
// laid out in one column so that the text reads back in order (pdftotext,
// screen readers, copy and paste). The main courante (export_pdf.go) and
// the reflex sheet (fiche.go) are written with it.

// pdfDoc is a PDF document being written.
type pdfDoc struct {
	f *fpdf.Fpdf
}

// Sizes, in millimetres and points.
const (
	pdfMargin   = 15.0
	pdfBody     = 9.5
	pdfSmall    = 7.5
	pdfLine     = 4.6
	pdfSmallLn  = 3.6
	pdfHeading1 = 15.0
	pdfHeading2 = 12.0
)

// newPDF starts a document. created is written as its creation date, so
// that the same input gives the same file. footer is printed at the
// bottom of every page, followed by the page number.
func newPDF(title, footer string, created time.Time, lang flows.Lang) *pdfDoc {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	f.SetAutoPageBreak(true, pdfMargin+5)
	f.SetCompression(true)
	f.SetCatalogSort(true)
	f.SetCreationDate(created.UTC())
	f.SetModificationDate(created.UTC())
	f.SetTitle(title, true)
	f.SetCreator("Vigie", true)
	f.SetProducer("Vigie", true)
	f.SetLang(string(lang))
	f.AddUTF8FontFromBytes(pdffont.Family, "", pdffont.Regular)
	f.AddUTF8FontFromBytes(pdffont.Family, "B", pdffont.Bold)
	f.AliasNbPages("{nb}")
	d := &pdfDoc{f: f}
	f.SetFooterFunc(func() {
		f.SetY(-pdfMargin)
		f.SetFont(pdffont.Family, "", pdfSmall)
		f.SetTextColor(90, 90, 90)
		f.CellFormat(0, pdfSmallLn, pdfText(footer)+" — "+tr(lang, "pdf.page", f.PageNo()), "", 0, "C", false, 0, "")
		f.SetTextColor(0, 0, 0)
	})
	f.AddPage()
	return d
}

// heading writes a title: level 1 for the document, 2 for a section.
func (d *pdfDoc) heading(level int, s string) {
	size := pdfHeading2
	if level == 1 {
		size = pdfHeading1
	}
	if level > 1 {
		d.f.Ln(2)
	}
	d.f.SetFont(pdffont.Family, "B", size)
	d.f.MultiCell(0, size*0.5, pdfText(s), "", "L", false)
	d.f.Ln(1.5)
}

// para writes a paragraph in the body font; bold sets it in bold.
func (d *pdfDoc) para(s string, bold bool) {
	style := ""
	if bold {
		style = "B"
	}
	d.f.SetFont(pdffont.Family, style, pdfBody)
	d.f.MultiCell(0, pdfLine, pdfText(s), "", "L", false)
}

// small writes a line in small grey type: hashes, data, sources.
func (d *pdfDoc) small(s string) {
	d.f.SetFont(pdffont.Family, "", pdfSmall)
	d.f.SetTextColor(70, 70, 70)
	d.f.MultiCell(0, pdfSmallLn, pdfText(s), "", "L", false)
	d.f.SetTextColor(0, 0, 0)
}

// field writes "label : value", the label in bold, the value wrapped
// under the full width.
func (d *pdfDoc) field(label, value string, lang flows.Lang) {
	d.f.SetFont(pdffont.Family, "B", pdfBody)
	sep := " : "
	if lang == "en" {
		sep = ": "
	}
	l := pdfText(label) + sep
	d.f.Write(pdfLine, l)
	d.f.SetFont(pdffont.Family, "", pdfBody)
	d.f.Write(pdfLine, pdfText(value))
	d.f.Ln(pdfLine)
}

// keep starts a new page unless h millimetres are left on this one, so
// that the head of a block is not left alone at the foot of a page.
func (d *pdfDoc) keep(h float64) {
	_, ph := d.f.GetPageSize()
	if d.f.GetY()+h > ph-pdfMargin-5 {
		d.f.AddPage()
	}
}

// gap leaves a little vertical space.
func (d *pdfDoc) gap() { d.f.Ln(1.8) }

// rule draws a thin line across the page, between entries.
func (d *pdfDoc) rule() {
	y := d.f.GetY() + 1
	d.f.SetDrawColor(200, 200, 200)
	w, _ := d.f.GetPageSize()
	d.f.Line(pdfMargin, y, w-pdfMargin, y)
	d.f.SetDrawColor(0, 0, 0)
	d.f.Ln(2)
}

// output writes the document to w.
func (d *pdfDoc) output(w io.Writer) error {
	var buf bytes.Buffer
	if err := d.f.Output(&buf); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// pdfText makes s printable with the embedded font: characters the font
// lacks (emoji, for one) become U+FFFD, shown as a replacement mark, since
// fpdf refuses what is outside the font; tabs become spaces and carriage
// returns are dropped (a "\r\n" is a line break).
func pdfText(s string) string {
	cov := fontCoverage()
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r == '\n':
			b.WriteRune(r)
		case r == '\r':
		case r == '\t':
			b.WriteByte(' ')
		case r < 0x20 || r == 0x7f:
			b.WriteRune('\uFFFD')
		case r > 0xFFFF || !cov.has(r):
			// A variation selector or joiner after an emoji is dropped
			// with it rather than shown as a second mark.
			if r == '\uFE0F' || r == '\u200D' {
				continue
			}
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// coverage is the set of characters of the Basic Multilingual Plane that
// both the regular and the bold font can draw.
type coverage [0x10000 / 64]uint64

func (c *coverage) has(r rune) bool {
	return r >= 0 && r < 0x10000 && c[r/64]&(1<<(uint(r)%64)) != 0
}

var (
	coverageOnce sync.Once
	coverageSet  *coverage
)

func fontCoverage() *coverage {
	coverageOnce.Do(func() {
		c := new(coverage)
		reg, err1 := sfnt.Parse(pdffont.Regular)
		bold, err2 := sfnt.Parse(pdffont.Bold)
		if err1 != nil || err2 != nil {
			panic(fmt.Sprintf("embedded fonts: %v %v", err1, err2)) // embedded: cannot fail
		}
		var buf sfnt.Buffer
		for r := rune(0x20); r < 0x10000; r++ {
			if r >= 0xD800 && r <= 0xDFFF {
				continue // surrogates are not characters
			}
			g1, err1 := reg.GlyphIndex(&buf, r)
			g2, err2 := bold.GlyphIndex(&buf, r)
			if err1 == nil && err2 == nil && g1 != 0 && g2 != 0 {
				c[r/64] |= 1 << (uint(r) % 64)
			}
		}
		coverageSet = c
	})
	return coverageSet
}
