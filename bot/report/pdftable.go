package report

import (
	"strings"

	"github.com/vigie-sante/vigie/bot/report/pdfw"
)

// This file draws tables on a pdfDoc, on top of the pdfw primitives (text,
// lines, filled rectangles): columns of fixed widths, a bold header on a
// shaded band, cells wrapped at word boundaries, rows ruled. A table is
// set a row at a time and holds nothing but the row it sets, so that a
// timeline of 100 000 entries prints in bounded memory.

// Table sizes, in millimetres and points.
const (
	tableSize  = 7.2 // points
	tableLine  = 3.3 // a line of a cell
	tablePadX  = 1.2 // inside a cell, left and right
	tablePadY  = 0.9 // inside a row, above and below
	tableWidth = pageW - 2*pdfMargin
)

var (
	shade     = pdfw.Color{R: 232. / 255, G: 234. / 255, B: 238. / 255}
	tableRule = pdfw.Color{R: 175. / 255, G: 175. / 255, B: 175. / 255}
)

// cell is the text of a table cell: runs set one after the other, "\n"
// breaking lines. A no-break space (U+00A0) holds its two sides on one
// line (a phone number, a date and its time) and prints as a space.
type cell []run

// text is a cell of regular text.
func text(s string) cell { return cell{{face: faceRegular, text: s}} }

// bold is a cell of bold text.
func bold(s string) cell { return cell{{face: faceBold, text: s}} }

// String is the cell's text, for the transcript.
func (c cell) String() string {
	var b strings.Builder
	for _, r := range c {
		b.WriteString(r.text)
	}
	return strings.ReplaceAll(b.String(), nbsp, " ")
}

// nbsp holds two words on one line.
const nbsp = "\u00a0"

// keep joins the words of s with no-break spaces: s never wraps.
func keep(s string) string { return strings.ReplaceAll(s, " ", nbsp) }

// pdfTable is a table being set on a pdfDoc.
type pdfTable struct {
	d      *pdfDoc
	widths []float64 // of the columns, in millimetres
	header []cell
	page   int // the page the header was last drawn on
	rows   int // rows set under the header on this page
	// detailFrom is the column a row's detail line starts under.
	detailFrom int
	// headerLines is the height of the header, in lines (its padding
	// counted as one).
	headerLines int
}

// table starts a table of columns widths (millimetres, summing to the
// width between the margins) under header, drawn now and again at the top
// of each page the table continues on.
func (d *pdfDoc) table(widths []float64, header ...string) *pdfTable {
	t := &pdfTable{d: d, widths: widths}
	for _, h := range header {
		t.header = append(t.header, bold(h))
	}
	if len(header) > 0 {
		t.headerLines = len(t.layCells(0, widths, t.header, black)) + 1
	}
	d.y += 1
	return t
}

// band is one line of a row across the table: the pieces of each cell
// set on it, at their column's left edge.
type band struct {
	cols  []float64 // the left edge of each piece's column, in mm from the margin
	lines [][]piece
	color pdfw.Color
}

// layCells wraps each cell of a row into the width of its column, the
// first starting x0 millimetres from the margin, and returns the row's
// bands, top to bottom.
func (t *pdfTable) layCells(x0 float64, widths []float64, cells []cell, c pdfw.Color) []band {
	var laid [][][]piece
	n := 0
	for i, cl := range cells {
		lines := layout(tableSize, (widths[i]-2*tablePadX)*ptPerMM, cl...)
		laid = append(laid, lines)
		n = max(n, len(lines))
	}
	bands := make([]band, n)
	for j := range bands {
		x := x0
		bands[j].color = c
		for i := range cells {
			if j < len(laid[i]) {
				bands[j].cols = append(bands[j].cols, x)
				bands[j].lines = append(bands[j].lines, laid[i][j])
			}
			x += widths[i]
		}
	}
	return bands
}

// row sets a row of cells, one a column, and under it, across the
// columns from detailFrom, the detail lines in grey (none when detail is
// empty). A row
// that does not fit on the page goes on the next, under the header; one
// taller than a page continues there.
func (t *pdfTable) row(detail cell, cells ...cell) {
	bands := t.layCells(0, t.widths, cells, black)
	if len(detail) > 0 {
		skip := 0.0
		for _, w := range t.widths[:t.detailFrom] {
			skip += w
		}
		bands = append(bands, t.layCells(skip, []float64{tableWidth - skip}, []cell{detail}, grey)...)
	}
	t.set(bands, true)
}

// set draws bands, breaking pages as needed; rule draws a line above them.
func (t *pdfTable) set(bands []band, rule bool) {
	d := t.d
	bottom := pageH - pdfBottom
	room := func() int { return int((bottom - d.y - 2*tablePadY) / tableLine) }
	// A row that fits on a page is kept whole: it starts the next page
	// rather than end this one. A taller one starts here if two of its
	// lines fit: its first line alone at the foot of a page would read as
	// a row of its own.
	page := pageH - pdfBottom - pdfMargin - 2*tablePadY
	full := int(page/tableLine) - t.headerLines
	if n := len(bands); room() < n && (n <= full || room() < 2) {
		d.newPage()
	}
	for len(bands) > 0 {
		if room() < min(2, len(bands)) {
			d.newPage()
		}
		if t.page != d.p.Pages() {
			t.drawHeader()
		}
		k := min(room(), len(bands))
		top := d.y
		if rule && t.rows > 0 {
			d.p.Line(tableRule, 0.15*ptPerMM, pdfMargin*ptPerMM, top*ptPerMM, (pageW-pdfMargin)*ptPerMM, top*ptPerMM)
		}
		for j, b := range bands[:k] {
			base := top + tablePadY + float64(j)*tableLine + tableLine/2 + 0.3*tableSize*mmPerPt
			for i, line := range b.lines {
				t.drawLine(line, b.cols[i], base, b.color)
			}
		}
		d.y = top + 2*tablePadY + float64(k)*tableLine
		t.rows++
		bands = bands[k:]
	}
}

// drawLine sets the pieces of one line of a cell whose column starts at
// col millimetres from the margin, on the baseline base.
func (t *pdfTable) drawLine(line []piece, col, base float64, c pdfw.Color) {
	x0 := (pdfMargin + col + tablePadX) * ptPerMM
	for _, p := range line {
		t.d.p.Text(p.face, tableSize, c, x0+p.x, base*ptPerMM, strings.ReplaceAll(strings.TrimRight(p.text, " "), nbsp, " "))
	}
}

// drawHeader draws the header row on a shaded band, at the top of the
// table on this page.
func (t *pdfTable) drawHeader() {
	d := t.d
	t.page, t.rows = d.p.Pages(), 0
	if len(t.header) == 0 {
		return
	}
	bands := t.layCells(0, t.widths, t.header, black)
	h := 2*tablePadY + float64(len(bands))*tableLine
	if d.y+h+2*tableLine > pageH-pdfBottom {
		d.newPage()
		t.page = d.p.Pages()
	}
	d.p.Rect(shade, pdfMargin*ptPerMM, d.y*ptPerMM, tableWidth*ptPerMM, h*ptPerMM)
	top := d.y
	for j, b := range bands {
		base := top + tablePadY + float64(j)*tableLine + tableLine/2 + 0.3*tableSize*mmPerPt
		for i, line := range b.lines {
			t.drawLine(line, b.cols[i], base, b.color)
		}
	}
	d.y = top + h
}

// end closes the table with a rule under its last row.
func (t *pdfTable) end() {
	d := t.d
	if t.rows > 0 {
		d.p.Line(tableRule, 0.15*ptPerMM, pdfMargin*ptPerMM, d.y*ptPerMM, (pageW-pdfMargin)*ptPerMM, d.y*ptPerMM)
	}
	d.y += 2
}
