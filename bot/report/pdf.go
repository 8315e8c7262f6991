package report

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/report/pdffont"
	"github.com/vigie-sante/vigie/bot/report/pdfw"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds what Vigie's PDF documents share: an A4 page with the
// embedded DejaVu Sans font, headings, paragraphs and label/value lines,
// laid out in one column so that the text reads back in order (pdftotext,
// screen readers, copy and paste). The main courante (export_pdf.go) and
// the reflex sheet (fiche.go) are written with it, a page at a time.

// pdfDoc is a PDF document being written, a page at a time (package
// pdfw): a cursor going down the page, in millimetres, with the layout
// rules of the reports (margins, a footer with the page number, paragraphs
// wrapped at word boundaries, blocks kept together).
type pdfDoc struct {
	p      *pdfw.Writer
	y      float64 // top of the next line, from the top of the page
	footer string
	// banner is printed in the top margin of every page, in bold red:
	// the mark of an exercise, which no page may lack (one page of a
	// printed report can be read, or photocopied, alone).
	banner string
	lang   flows.Lang

	// col is the column text is set in: its left edge and width, from
	// the left of the page; zero is the page between the margins.
	col struct{ x, w float64 }
	// onePage keeps the text on the page it is on: what does not fit
	// sets overflow instead of starting a page (the reflex sheet, which
	// is measured before it is set).
	onePage, overflow bool
	// dry moves the cursor as text would be set, and sets nothing
	// (measure).
	dry bool
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

	pageW, pageH = 210.0, 297.0  // A4
	pdfBottom    = pdfMargin + 5 // no text below this, but the footer
	pdfIndent    = 1.0           // text starts this far inside the margin
	mmPerPt      = 25.4 / 72
	ptPerMM      = 72 / 25.4
)

// Faces, by their index in the writer.
const (
	faceRegular = iota
	faceBold
)

var (
	black = pdfw.Color{}
	grey  = pdfw.Color{R: 70. / 255, G: 70. / 255, B: 70. / 255}
	light = pdfw.Color{R: 90. / 255, G: 90. / 255, B: 90. / 255}
	rule  = pdfw.Color{R: 200. / 255, G: 200. / 255, B: 200. / 255}
)

// pdfFaces are the embedded fonts, read once.
var pdfFaces = sync.OnceValue(func() []*pdfw.Face {
	reg, err1 := pdfw.NewFace(pdffont.Family, pdffont.Regular)
	bold, err2 := pdfw.NewFace(pdffont.Family+"-Bold", pdffont.Bold)
	if err1 != nil || err2 != nil {
		panic(fmt.Sprintf("embedded fonts: %v %v", err1, err2)) // embedded: cannot fail
	}
	return []*pdfw.Face{reg, bold}
})

// newPDF starts a document on w. created is written as its creation date,
// so that the same input gives the same file. footer is printed at the
// bottom of every page, followed by the page number and count.
func newPDF(w io.Writer, title, footer string, created time.Time, lang flows.Lang) *pdfDoc {
	return newBannerPDF(w, title, "", footer, created, lang)
}

// newBannerPDF is newPDF with banner printed at the top of every page
// ("" for none).
func newBannerPDF(w io.Writer, title, banner, footer string, created time.Time, lang flows.Lang) *pdfDoc {
	p := pdfw.New(w, pdfw.Info{Title: title, Creator: "Vigie", Producer: "Vigie", Lang: string(lang), Created: created}, pdfFaces()...)
	d := &pdfDoc{p: p, footer: pdfText(footer), banner: pdfText(banner), lang: lang}
	d.newPage()
	return d
}

// run is a piece of text in one face. A run that keeps together is set
// on one line, never broken at its spaces: a phone number.
type run struct {
	face int
	text string
	keep bool
}

// column sets text between x and x+w millimetres from the left of the
// page, until fullWidth.
func (d *pdfDoc) column(x, w float64) { d.col.x, d.col.w = x, w }

// fullWidth sets text between the margins again.
func (d *pdfDoc) fullWidth() { d.col.x, d.col.w = 0, 0 }

// textBox is where lines start and how long they may be, in points.
func (d *pdfDoc) textBox() (x, w float64) {
	if d.col.w > 0 {
		return d.col.x * ptPerMM, d.col.w * ptPerMM
	}
	return (pdfMargin + pdfIndent) * ptPerMM, (pageW - 2*pdfMargin - 2*pdfIndent) * ptPerMM
}

// room makes sure h millimetres are left on the page: it starts the next
// page if not, or notes the overflow of a document kept on one page.
func (d *pdfDoc) room(h float64) {
	if d.y+h <= pageH-pdfBottom {
		return
	}
	if d.onePage {
		d.overflow = true
		return
	}
	d.newPage()
}

// flow sets runs one after the other, wrapped at word boundaries within
// the column, lh millimetres a line, breaking pages as needed.
func (d *pdfDoc) flow(size, lh float64, c pdfw.Color, runs ...run) {
	left, maxW := d.textBox()
	for _, line := range layout(size, maxW, runs...) {
		d.room(lh)
		base := (d.y + lh/2 + 0.3*size*mmPerPt) * ptPerMM
		for _, p := range line {
			if !d.dry {
				d.p.Text(p.face, size, c, left+p.x, base, strings.ReplaceAll(strings.TrimRight(p.text, " "), nbsp, " "))
			}
		}
		d.y += lh
	}
}

// measure is the height, in millimetres, that what set sets takes; it sets
// nothing, and leaves the cursor where it was.
func (d *pdfDoc) measure(set func()) float64 {
	y, over, dry, page := d.y, d.overflow, d.dry, d.onePage
	d.dry, d.onePage = true, true
	set()
	h := d.y - y
	d.y, d.overflow, d.dry, d.onePage = y, over, dry, page
	return h
}

// glue joins the words a line must not break between, as French sets
// them with a non-breaking space: "personnel ?", "« PACS »", "Note :".
func glue(words []string) []string {
	out := words[:0:0]
	for _, w := range words {
		switch t := strings.TrimRight(w, " "); {
		case len(out) > 0 && (t == "?" || t == "!" || t == ":" || t == ";" || t == "»"):
			out[len(out)-1] += w
		case len(out) > 0 && strings.TrimRight(out[len(out)-1], " ") == "«":
			out[len(out)-1] += w
		default:
			out = append(out, w)
		}
	}
	return out
}

// The tables of the main courante (pdftable.go) lay out their cells with
// layout, and its lists with bullet.

// piece is text set in one face on a line, x points from the line's
// start.
type piece struct {
	face int
	text string
	x    float64
}

// layout wraps runs at word boundaries into lines of at most maxW points
// at size, cutting a word longer than a line. "\n" breaks a line; a
// no-break space (U+00A0) does not, nor French punctuation from its word
// (glue), nor anything inside a run kept whole (a phone number).
func layout(size, maxW float64, runs ...run) [][]piece {
	faces := pdfFaces()
	var lines [][]piece
	var line []piece
	x := 0.0
	emit := func() {
		lines = append(lines, line)
		line, x = nil, 0
	}
	add := func(face int, word string) {
		w := faces[face].Width(strings.TrimRight(word, " "), size)
		if x+w > maxW && x > 0 {
			emit()
			word = strings.TrimLeft(word, " ")
			w = faces[face].Width(strings.TrimRight(word, " "), size)
		}
		for w > maxW { // a word longer than a line: cut it
			cut := 1
			for i := range word {
				if i > 0 && faces[face].Width(word[:i], size) > maxW {
					break
				}
				cut = max(cut, i)
			}
			line = append(line, piece{face, word[:cut], x})
			emit()
			word = word[cut:]
			w = faces[face].Width(strings.TrimRight(word, " "), size)
		}
		if n := len(line); n > 0 && line[n-1].face == face {
			line[n-1].text += word
		} else {
			line = append(line, piece{face, word, x})
		}
		x += faces[face].Width(word, size)
	}
	for _, r := range runs {
		if r.keep {
			add(r.face, pdfText(r.text))
			continue
		}
		for i, para := range strings.Split(pdfText(r.text), "\n") {
			if i > 0 {
				emit()
			}
			for _, word := range glue(strings.SplitAfter(para, " ")) {
				if word != "" {
					add(r.face, word)
				}
			}
		}
	}
	emit()
	return lines
}

// bullet writes an item of a list: a bullet, then s wrapped under its
// own first word (a hanging indent), a little smaller than the body.
func (d *pdfDoc) bullet(s string) {
	const size, lh, indent = pdfBody - 1, pdfLine - 0.5, 4.0
	maxW := (pageW - 2*pdfMargin - 2*pdfIndent - indent) * ptPerMM
	for i, line := range layout(size, maxW, run{face: faceRegular, text: s}) {
		if d.y+lh > pageH-pdfBottom {
			d.newPage()
		}
		base := (d.y + lh/2 + 0.3*size*mmPerPt) * ptPerMM
		if i == 0 {
			d.p.Text(faceRegular, size, black, (pdfMargin+pdfIndent)*ptPerMM, base, "•")
		}
		for _, p := range line {
			d.p.Text(p.face, size, black, (pdfMargin+pdfIndent+indent)*ptPerMM+p.x, base, strings.ReplaceAll(strings.TrimRight(p.text, " "), nbsp, " "))
		}
		d.y += lh
	}
	d.y += 0.6
}

// heading writes a title: level 1 for the document, 2 for a section.
func (d *pdfDoc) heading(level int, s string) {
	size := pdfHeading2
	if level == 1 {
		size = pdfHeading1
	}
	if level > 1 {
		d.y += 2
	}
	d.flow(size, size*0.5, black, run{face: faceBold, text: s})
	d.y += 1.5
}

// para writes a paragraph in the body font; bold sets it in bold.
func (d *pdfDoc) para(s string, bold bool) {
	face := faceRegular
	if bold {
		face = faceBold
	}
	d.flow(pdfBody, pdfLine, black, run{face: face, text: s})
}

// small writes a line in small grey type: hashes, data, sources.
func (d *pdfDoc) small(s string) {
	d.flow(pdfSmall, pdfSmallLn, grey, run{face: faceRegular, text: s})
}

// field writes "label : value", the label in bold, the value following it
// and wrapped under the full width.
func (d *pdfDoc) field(label, value string, lang flows.Lang) {
	sep := i18n.T(lang, "sep.field")
	d.flow(pdfBody, pdfLine, black, run{face: faceBold, text: label + sep}, run{face: faceRegular, text: value})
}

// keep starts a new page unless h millimetres are left on this one, so
// that the head of a block is not left alone at the foot of a page.
func (d *pdfDoc) keep(h float64) { d.room(h) }

// gap leaves a little vertical space.
func (d *pdfDoc) gap() { d.y += 1.8 }

// rule draws a thin line across the page, between entries.
func (d *pdfDoc) rule() {
	y := (d.y + 1) * ptPerMM
	d.p.Line(rule, 0.2*ptPerMM, pdfMargin*ptPerMM, y, (pageW-pdfMargin)*ptPerMM, y)
	d.y += 2
}

// output ends the document: the last footer, then what the pages refer to.
func (d *pdfDoc) output() error {
	d.drawFooter()
	if err := d.p.Close(); err != nil {
		return fmt.Errorf("pdf: %w", err)
	}
	return nil
}

// pdfText makes s printable with the embedded font: characters the font
// lacks (emoji, for one) become U+FFFD, shown as a replacement mark, since
// the font has no glyph for it; tabs become spaces and carriage
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

var fontCoverage = sync.OnceValue(func() *coverage {
	c := new(coverage)
	faces := pdfFaces()
	for r := rune(0x20); r < 0x10000; r++ {
		if r >= 0xD800 && r <= 0xDFFF {
			continue // surrogates are not characters
		}
		if faces[faceRegular].Has(r) && faces[faceBold].Has(r) {
			c[r/64] |= 1 << (uint(r) % 64)
		}
	}
	return c
})
