// Package pdfw writes PDF documents as they are set, a page at a time:
// each page is compressed and written out when it ends, and what every
// page refers to (the fonts, the page tree, the page count) at the end.
// Memory stays bounded whatever the number of pages, where the PDF
// libraries we know build the whole document in memory first (a main
// courante of 100 000 entries took 450 MB that way).
//
// It does what Vigie's reports need and no more: A4 pages, text in
// embedded TrueType fonts (subset to the glyphs used, with the Unicode
// mapping that lets readers copy and search the text), coloured text,
// lines and filled rectangles (the modules of a QR code), and a page count
// printed before it is known. Coordinates are in points from the top left
// of the page.
//
// It imports nothing of Vigie's.
package pdfw

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Info is what the document says about itself.
type Info struct {
	Title, Creator, Producer string
	Lang                     string    // "fr"
	Created                  time.Time // also the modification date
}

// Fixed object numbers; pages and their contents follow.
const (
	objCatalog = 1 + iota
	objPages
	objInfo
	objTotal // the page count, a form drawn on pages before it is known
	objFonts // five objects per face
)

// Writer writes one PDF document.
type Writer struct {
	w       *bufio.Writer
	at      int64   // bytes written so far
	offsets []int64 // of each object, by number; 0: not written yet
	next    int     // the next free object number
	err     error

	info  Info
	faces []*Face
	used  []usage // per face

	pages   []int // page objects, in order
	page    *bytes.Buffer
	pageW   float64
	pageH   float64
	total   bool // the current page draws the page count
	totalAt struct {
		face int
		size float64
	}
	zbuf bytes.Buffer
	zw   *zlib.Writer
}

// New starts a document on w, with its fonts: text names a face by its
// index in faces.
func New(w io.Writer, info Info, faces ...*Face) *Writer {
	p := &Writer{w: bufio.NewWriterSize(w, 64<<10), info: info, faces: faces, next: objFonts + 5*len(faces)}
	p.offsets = make([]int64, p.next)
	for _, f := range faces {
		p.used = append(p.used, make(usage, len(f.widths)))
	}
	p.zw, _ = zlib.NewWriterLevel(&p.zbuf, zlib.BestSpeed) // a valid level: no error
	p.printf("%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n")
	return p
}

func (p *Writer) printf(format string, args ...any) {
	if p.err != nil {
		return
	}
	n, err := fmt.Fprintf(p.w, format, args...)
	p.at += int64(n)
	p.err = err
}

func (p *Writer) write(b []byte) {
	if p.err != nil {
		return
	}
	n, err := p.w.Write(b)
	p.at += int64(n)
	p.err = err
}

// object starts object n, noting where it is.
func (p *Writer) object(n int) {
	for len(p.offsets) <= n {
		p.offsets = append(p.offsets, 0)
	}
	p.offsets[n] = p.at
	p.printf("%d 0 obj\n", n)
}

func (p *Writer) alloc() int {
	p.next++
	return p.next - 1
}

// stream writes object n as a compressed stream of data, with extra
// dictionary entries.
func (p *Writer) stream(n int, extra string, data []byte) {
	p.zbuf.Reset()
	p.zw.Reset(&p.zbuf)
	p.zw.Write(data)
	p.zw.Close()
	p.object(n)
	p.printf("<< /Length %d /Filter /FlateDecode%s >>\nstream\n", p.zbuf.Len(), extra)
	p.write(p.zbuf.Bytes())
	p.printf("\nendstream\nendobj\n")
}

// StartPage starts a page of width by height points, ending the one
// before if need be.
func (p *Writer) StartPage(width, height float64) {
	if p.page != nil {
		p.EndPage()
	}
	p.page = &bytes.Buffer{}
	p.pageW, p.pageH = width, height
	p.total = false
}

// EndPage writes the current page out.
func (p *Writer) EndPage() {
	if p.page == nil {
		return
	}
	content, page := p.alloc(), p.alloc()
	p.stream(content, "", p.page.Bytes())
	p.object(page)
	p.printf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %s %s] /Contents %d 0 R /Resources << /Font <<",
		objPages, num(p.pageW), num(p.pageH), content)
	for i := range p.faces {
		p.printf(" /F%d %d 0 R", i, objFonts+5*i)
	}
	p.printf(" >>")
	if p.total {
		p.printf(" /XObject << /N %d 0 R >>", objTotal)
	}
	p.printf(" >> >>\nendobj\n")
	p.pages = append(p.pages, page)
	p.page = nil
}

// Pages is the number of pages started so far.
func (p *Writer) Pages() int {
	n := len(p.pages)
	if p.page != nil {
		n++
	}
	return n
}

// Color is a colour of text and lines, each part from 0 to 1.
type Color struct{ R, G, B float64 }

// Text sets s on one line in face at size points, its baseline at y from
// the top of the page, starting at x.
func (p *Writer) Text(face int, size float64, c Color, x, y float64, s string) {
	if p.page == nil || s == "" {
		return
	}
	fmt.Fprintf(p.page, "BT /F%d %s Tf %s %s %s rg %s %s Td <", face, num(size), num(c.R), num(c.G), num(c.B), num(x), num(p.pageH-y))
	var g [256]byte
	hexOf(p.page, p.faces[face].encode(g[:0], s, p.used[face]))
	p.page.WriteString("> Tj ET\n")
}

// Line draws a straight line width points thick.
func (p *Writer) Line(c Color, width, x1, y1, x2, y2 float64) {
	if p.page == nil {
		return
	}
	fmt.Fprintf(p.page, "%s %s %s RG %s w %s %s m %s %s l S\n", num(c.R), num(c.G), num(c.B), num(width),
		num(x1), num(p.pageH-y1), num(x2), num(p.pageH-y2))
}

// Rect is a rectangle: its top left corner at X, Y from the top left of
// the page, W wide and H high, in points.
type Rect struct{ X, Y, W, H float64 }

// FillRects fills rectangles in one colour. They make one path filled at
// once, so that rectangles that touch (the modules of a QR code) show no
// seam between them, as separate fills may when a reader smooths edges.
func (p *Writer) FillRects(c Color, rects ...Rect) {
	if p.page == nil || len(rects) == 0 {
		return
	}
	fmt.Fprintf(p.page, "q %s %s %s rg\n", num(c.R), num(c.G), num(c.B))
	for _, r := range rects {
		fmt.Fprintf(p.page, "%s %s %s %s re\n", num(r.X), num(p.pageH-r.Y-r.H), num(r.W), num(r.H))
	}
	p.page.WriteString("f Q\n")
}

// Rect fills one rectangle of width w and height h points whose top left
// corner is at x, y: the shading behind a table's header row.
func (p *Writer) Rect(c Color, x, y, w, h float64) {
	p.FillRects(c, Rect{X: x, Y: y, W: w, H: h})
}

// PageCount sets the number of pages the document will have, once it is
// known, at x, y in face at size (the same for every page).
func (p *Writer) PageCount(face int, size float64, c Color, x, y float64) {
	if p.page == nil {
		return
	}
	p.total = true
	p.totalAt.face, p.totalAt.size = face, size
	fmt.Fprintf(p.page, "q %s %s %s rg 1 0 0 1 %s %s cm /N Do Q\n", num(c.R), num(c.G), num(c.B), num(x), num(p.pageH-y))
}

// Close ends the document: the last page, the fonts with the glyphs the
// pages used, the page tree, the page count and the cross-reference
// table. It does not close the writer the document was written to.
func (p *Writer) Close() error {
	p.EndPage()
	if len(p.pages) == 0 {
		p.StartPage(595.28, 841.89) // a PDF has at least one page
		p.EndPage()
	}
	// The page count: a form all pages may draw.
	var count bytes.Buffer
	fmt.Fprintf(&count, "BT /F%d %s Tf 0 0 Td <", p.totalAt.face, num(p.totalAt.size))
	if len(p.faces) > 0 {
		hexOf(&count, p.faces[p.totalAt.face].encode(nil, strconv.Itoa(len(p.pages)), p.used[p.totalAt.face]))
	}
	count.WriteString("> Tj ET\n")
	fonts := ""
	for i := range p.faces {
		fonts += fmt.Sprintf(" /F%d %d 0 R", i, objFonts+5*i)
	}
	p.stream(objTotal, " /Type /XObject /Subtype /Form /BBox [0 -10 100 100] /Resources << /Font <<"+fonts+" >> >>", count.Bytes())

	for i, f := range p.faces {
		p.font(objFonts+5*i, f, p.used[i])
	}
	p.object(objPages)
	p.printf("<< /Type /Pages /Count %d /Kids [", len(p.pages))
	for i, n := range p.pages {
		if i%10 == 0 {
			p.printf("\n")
		}
		p.printf("%d 0 R ", n)
	}
	p.printf("] >>\nendobj\n")
	p.object(objCatalog)
	p.printf("<< /Type /Catalog /Pages %d 0 R /ViewerPreferences << /DisplayDocTitle true >>", objPages)
	if p.info.Lang != "" {
		p.printf(" /Lang %s", textString(p.info.Lang))
	}
	p.printf(" >>\nendobj\n")
	date := "D:" + p.info.Created.UTC().Format("20060102150405") + "Z"
	p.object(objInfo)
	p.printf("<< /Title %s /Creator %s /Producer %s /CreationDate %s /ModDate %s >>\nendobj\n",
		textString(p.info.Title), textString(p.info.Creator), textString(p.info.Producer), textString(date), textString(date))

	xref := p.at
	p.printf("xref\n0 %d\n0000000000 65535 f \n", len(p.offsets))
	for _, off := range p.offsets[1:] {
		p.printf("%010d 00000 n \n", off)
	}
	id := sha256.Sum256([]byte(fmt.Sprint(p.info, len(p.pages), xref)))
	p.printf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%x> <%x>] >>\nstartxref\n%d\n%%%%EOF\n",
		len(p.offsets), objCatalog, objInfo, id[:16], id[:16], xref)
	if p.err == nil {
		p.err = p.w.Flush()
	}
	return p.err
}

// num writes a number as PDF wants it: no exponent, at most 3 decimals.
func num(v float64) string {
	s := strings.TrimSuffix(strings.TrimRight(strconv.FormatFloat(v, 'f', 3, 64), "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

const hexDigits = "0123456789ABCDEF"

func hexOf(w *bytes.Buffer, b []byte) {
	for _, c := range b {
		w.WriteByte(hexDigits[c>>4])
		w.WriteByte(hexDigits[c&15])
	}
}

// textString writes s as a PDF text string: UTF-16 with its byte order
// mark, in hexadecimal, which carries any character.
func textString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, r := range s {
		if r > 0xFFFF {
			r -= 0x10000
			fmt.Fprintf(&b, "%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}
