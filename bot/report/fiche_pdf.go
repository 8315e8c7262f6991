package report

import (
	"io"
	"math"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/report/pdfw"
	"github.com/vigie-sante/vigie/flows"
)

// This file sets the reflex sheet of each chain on one A4 page: the title,
// then a band with the numbers to call in large type beside the portals'
// QR codes, the blanks for the structure's own numbers, the questions, the
// steps, a grid for the handwritten log that takes what is left of the
// page, and the contacts' sources. It tries sizes from the largest down and
// keeps the first that leaves room for the grid.

// sheetStyle is a set of sizes for the page.
type sheetStyle struct {
	title, head, body, small, phone float64 // points
	line, smallLine                 float64 // millimetres a line
	qr                              float64 // side of a QR symbol, millimetres
}

var sheetStyles = []sheetStyle{
	{title: 13, head: 9, body: 8, small: 6.5, phone: 16, line: 3.5, smallLine: 2.8, qr: 22},
	{title: 12, head: 8.5, body: 7.5, small: 6.3, phone: 15, line: 3.3, smallLine: 2.7, qr: 21},
	{title: 12, head: 8, body: 7, small: 6, phone: 14, line: 3.05, smallLine: 2.55, qr: 20},
	{title: 11, head: 7.8, body: 6.8, small: 5.8, phone: 13, line: 2.9, smallLine: 2.45, qr: 19},
	{title: 10.5, head: 7.5, body: 6.5, small: 5.5, phone: 12, line: 2.75, smallLine: 2.3, qr: 18},
}

// Layout of the sheet, in millimetres.
const (
	sheetMargin  = 10.0
	sheetWidth   = pageW - 2*sheetMargin
	sheetGap     = 3.0  // between blocks side by side
	sheetPhonesW = 58.0 // the column of numbers to call
	sheetQRMin   = 17.0 // the smallest side of a QR code
	sheetPad     = 1.8  // inside a box
	sheetLogRow  = 6.8  // a row of the handwritten log
	sheetLogHead = 4.5  // its header row
	sheetLogMin  = 5    // rows, at least
	sheetLogMax  = 16
)

var (
	boxFill = pdfw.Color{R: 0.93, G: 0.93, B: 0.93}
	boxLine = pdfw.Color{R: 0.55, G: 0.55, B: 0.55}
)

// sheetQR is where a QR code was set, for tests: its page (from 1), and
// the top left corner and side of the symbol without its quiet zone, in
// millimetres.
type sheetQR struct {
	page       int
	url        string
	x, y, side float64
	quiet      float64 // the light margin around it
	modules    qrMatrix
}

// sheetLayout is how the sheets were set, for tests.
type sheetLayout struct {
	pages  int
	styles []int // the index in sheetStyles of each sheet's
	qrs    []sheetQR
}

// sheetPDF writes the sheets as a PDF, one page each.
func sheetPDF(w io.Writer, sheets []*sheet, opt SheetOptions) (sheetLayout, error) {
	lang := opt.Lang
	doc := newPDF(w, tr(lang, "sheet.title"), tr(lang, "sheet.pdf_footer", formatDay(opt.Now, lang)), opt.Now, lang)
	var out sheetLayout
	for i, sh := range sheets {
		if i > 0 {
			doc.newPage()
		}
		p := &sheetPage{d: doc, lang: lang, codes: map[string]qrMatrix{}}
		for _, l := range sh.links {
			m, err := newQR(l.url)
			if err != nil {
				return out, err
			}
			p.codes[l.url] = m
		}
		out.styles = append(out.styles, p.set(sh))
		out.qrs = append(out.qrs, p.qrs...)
	}
	doc.fullWidth()
	out.pages = doc.p.Pages()
	return out, doc.output()
}

// sheetPage sets one sheet on the current page of d.
type sheetPage struct {
	d     *pdfDoc
	lang  flows.Lang
	st    sheetStyle
	codes map[string]qrMatrix
	qrs   []sheetQR
}

// set picks the largest style whose page leaves room for the log's
// minimum rows, then sets the sheet, the log taking what is left. It
// returns the style's index.
func (p *sheetPage) set(sh *sheet) int {
	d := p.d
	limit := pageH - pdfBottom
	style := 0
	for i, st := range sheetStyles {
		style, p.st = i, st
		d.y = sheetMargin
		h := d.measure(func() { p.render(sh, false) })
		if sheetMargin+h <= limit {
			break
		}
	}
	d.y = sheetMargin
	p.render(sh, true)
	d.fullWidth()
	return style
}

// render sets the sheet; fill lets the log take what is left of the page,
// else it has its minimum rows.
func (p *sheetPage) render(sh *sheet, fill bool) {
	d, st, lang := p.d, p.st, p.lang
	d.column(sheetMargin, sheetWidth)
	d.flow(st.title, st.title*0.42, black, run{face: faceBold, text: tr(lang, "sheet.title")})
	d.flow(st.head+1.5, (st.head+1.5)*0.45, black, run{face: faceBold, text: sh.title})
	for _, m := range sh.meta {
		d.flow(st.small, st.smallLine, grey, run{face: faceRegular, text: m})
	}
	d.y += 1.5

	p.band(sh)
	p.blanks(sh)

	d.column(sheetMargin, sheetWidth)
	p.label(tr(lang, "sheet.questions"))
	for _, q := range append([]string{sh.t0}, sh.questions...) {
		d.flow(st.body, st.line, black, run{face: faceRegular, text: q})
	}
	d.flow(st.small, st.smallLine, grey, run{face: faceRegular, text: tr(lang, "sheet.answers_hint")})

	p.label(tr(lang, "sheet.order"))
	for _, s := range sh.steps {
		runs := []run{{face: faceBold, text: s.head}, {face: faceRegular, text: " — "}}
		for _, sp := range s.body {
			runs = append(runs, run{face: faceRegular, text: sp.text, keep: sp.keep})
		}
		d.flow(st.body, st.line, black, runs...)
	}

	// The sources go at the foot of the page, under the log.
	sources := func() {
		d.column(sheetMargin, sheetWidth)
		d.y += 1.2
		text := strings.Join(sh.contacts, " · ")
		if sh.unchecked {
			text += ". " + tr(lang, "sheet.unchecked")
		}
		d.flow(st.small, st.smallLine, grey, run{face: faceBold, text: tr(lang, "sheet.sources") + i18n.T(lang, "sep.field")}, run{face: faceRegular, text: text})
	}
	p.label(tr(lang, "sheet.log"))
	d.flow(st.small, st.smallLine, grey, run{face: faceRegular, text: tr(lang, "sheet.log_hint")})
	rows := sheetLogMin
	if fill {
		left := pageH - pdfBottom - d.y - sheetLogHead - d.measure(sources) - 0.5
		rows = min(sheetLogMax, max(rows, int(math.Floor(left/sheetLogRow))))
	}
	p.grid(rows)
	sources()
}

// label writes the title of a block.
func (p *sheetPage) label(s string) {
	p.d.y += 1.4
	p.d.flow(p.st.head, p.st.head*0.47, black, run{face: faceBold, text: s})
	p.d.y += 0.3
}

// band sets the numbers to call, in large type in a grey column, beside
// the QR codes of the portals.
func (p *sheetPage) band(sh *sheet) {
	d, st, lang := p.d, p.st, p.lang
	top := d.y
	// The codes go side by side, with a light margin of qrQuiet modules
	// (of the largest modules) around each, shared between neighbours;
	// the numbers take the width the codes leave, so that each contact
	// holds on a line.
	n := len(sh.links)
	q := 0.0 // margin per millimetre of side
	for _, l := range sh.links {
		q = max(q, float64(qrQuiet)/float64(len(p.codes[l.url])))
	}
	pw := 0.0
	if len(sh.phones) > 0 {
		pw = sheetWidth
		if n > 0 {
			need := float64(n)*st.qr + float64(n+1)*st.qr*q
			pw = min(max(sheetPhonesW, sheetWidth-sheetGap-need), sheetWidth*0.55)
		}
		phones := func() {
			d.column(sheetMargin+sheetPad, pw-2*sheetPad)
			d.y += sheetPad * 0.6
			d.flow(st.head, st.head*0.47, black, run{face: faceBold, text: tr(lang, "sheet.offline")})
			for _, ph := range sh.phones {
				d.y += 0.6
				d.flow(st.phone, st.phone*0.42, black, run{face: faceBold, text: ph.number, keep: true})
				d.flow(st.small, st.smallLine, black, run{face: faceBold, text: ph.steps}, run{face: faceRegular, text: " — " + ph.who})
			}
			d.y += 0.8
			d.flow(st.small, st.smallLine, grey, run{face: faceRegular, text: tr(lang, "sheet.console")})
			d.y += sheetPad * 0.6
		}
		h := d.measure(phones)
		p.fill(boxFill, pdfw.Rect{X: sheetMargin, Y: top, W: pw, H: h})
		phones()
	}
	bottom := d.y
	if n == 0 {
		d.y = bottom + 1
		return
	}

	qx := sheetMargin
	if pw > 0 {
		qx += pw + sheetGap
	}
	qw := sheetMargin + sheetWidth - qx
	d.y = top
	d.column(qx, qw)
	d.flow(st.head, st.head*0.47, black, run{face: faceBold, text: tr(lang, "sheet.links")})
	// Smaller codes if need be, to hold on one row.
	side, perRow := st.qr, n
	if float64(n)*side+float64(n+1)*side*q > qw {
		side = max(sheetQRMin, qw/(float64(n)+float64(n+1)*q))
		perRow = max(1, int((qw-side*q)/(side*(1+q))))
	}
	quiet := side * q
	step := (qw - quiet) / float64(perRow)
	for i := 0; i < n; i += perRow {
		rowTop := d.y
		rowEnd := rowTop
		for j, l := range sh.links[i:min(i+perRow, n)] {
			m := p.codes[l.url]
			x, y := qx+quiet+float64(j)*step, rowTop+quiet
			if !d.dry {
				d.p.FillRects(black, m.rects(x*ptPerMM, y*ptPerMM, side*ptPerMM)...)
				p.qrs = append(p.qrs, sheetQR{page: d.p.Pages(), url: l.url, x: x, y: y, side: side, quiet: quiet, modules: m})
			}
			d.y = y + side + quiet*0.8
			d.column(x-pdfIndent, step-quiet/2)
			d.flow(st.small, st.smallLine, black, run{face: faceBold, text: l.who})
			d.flow(st.small, st.smallLine, black, run{face: faceRegular, text: l.steps})
			rowEnd = max(rowEnd, d.y)
			d.y = rowTop
		}
		d.y = rowEnd + 0.8
	}
	d.y = max(d.y, bottom) + 1
}

// blanks sets boxes for the structure's own numbers, to fill in by hand;
// the hints go under them, marked with asterisks.
func (p *sheetPage) blanks(sh *sheet) {
	d, st := p.d, p.st
	d.column(sheetMargin, sheetWidth)
	p.label(tr(p.lang, "sheet.own"))
	top := d.y
	n := float64(len(sh.blanks))
	w := (sheetWidth - (n-1)*sheetGap) / n
	var notes []string
	labels := make([]string, len(sh.blanks))
	for i, b := range sh.blanks {
		labels[i] = b.label
		if b.hint != "" {
			notes = append(notes, b.hint)
			labels[i] += " " + strings.Repeat("*", len(notes))
		}
	}
	text := func(i int) {
		d.column(sheetMargin+float64(i)*(w+sheetGap)+sheetPad, w-2*sheetPad)
		d.y = top + sheetPad*0.5
		d.flow(st.small, st.smallLine, black, run{face: faceBold, text: labels[i]})
	}
	h := 0.0
	for i := range sh.blanks {
		h = max(h, d.measure(func() { text(i) }))
	}
	h += sheetPad*0.5 + 6.5 // room to write
	for i := range sh.blanks {
		p.box(sheetMargin+float64(i)*(w+sheetGap), top, w, h)
		text(i)
	}
	d.y = top + h + 0.6
	d.column(sheetMargin, sheetWidth)
	for i, n := range notes {
		d.flow(st.small, st.smallLine, grey, run{face: faceRegular, text: strings.Repeat("*", i+1) + " " + n})
	}
}

// grid sets the handwritten log: a header row (time, who, what) and rows.
func (p *sheetPage) grid(rows int) {
	d, st := p.d, p.st
	d.room(sheetLogHead + float64(rows)*sheetLogRow)
	top := d.y + 0.5
	cols := strings.Split(tr(p.lang, "sheet.log_columns"), "|")
	widths := []float64{22, 48}
	x := sheetMargin
	var xs []float64
	for i := range cols {
		xs = append(xs, x)
		if i < len(widths) {
			x += widths[i]
		}
	}
	bottom := top + sheetLogHead + float64(rows)*sheetLogRow
	p.fill(boxFill, pdfw.Rect{X: sheetMargin, Y: top, W: sheetWidth, H: sheetLogHead})
	for i, c := range cols {
		end := sheetMargin + sheetWidth
		if i+1 < len(xs) {
			end = xs[i+1]
		}
		d.column(xs[i]+sheetPad, end-xs[i]-2*sheetPad)
		d.y = top + (sheetLogHead-st.smallLine)/2
		d.flow(st.small, st.smallLine, black, run{face: faceBold, text: c})
	}
	for r := 0; r <= rows+1; r++ {
		y := top
		if r > 0 {
			y = top + sheetLogHead + float64(r-1)*sheetLogRow
		}
		p.line(sheetMargin, y, sheetMargin+sheetWidth, y)
	}
	for _, x := range append(xs, sheetMargin+sheetWidth) {
		p.line(x, top, x, bottom)
	}
	d.y = bottom
	d.column(sheetMargin, sheetWidth)
}

// box draws a rectangle's outline.
func (p *sheetPage) box(x, y, w, h float64) {
	p.line(x, y, x+w, y)
	p.line(x, y+h, x+w, y+h)
	p.line(x, y, x, y+h)
	p.line(x+w, y, x+w, y+h)
}

// line draws a thin line, in millimetres.
func (p *sheetPage) line(x1, y1, x2, y2 float64) {
	if !p.d.dry {
		p.d.p.Line(boxLine, 0.25*ptPerMM, x1*ptPerMM, y1*ptPerMM, x2*ptPerMM, y2*ptPerMM)
	}
}

// fill fills a rectangle given in millimetres.
func (p *sheetPage) fill(c pdfw.Color, r pdfw.Rect) {
	if !p.d.dry {
		p.d.p.FillRects(c, pdfw.Rect{X: r.X * ptPerMM, Y: r.Y * ptPerMM, W: r.W * ptPerMM, H: r.H * ptPerMM})
	}
}
