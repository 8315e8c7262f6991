package report

import (
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot/report/pdfw"
)

// This file holds what every page of Vigie's PDF documents carries around
// its text: the footer with the page number and, for an exercise, the
// banner at the top.

// newPage ends the page (its footer) and starts the next.
func (d *pdfDoc) newPage() {
	if d.p.Pages() > 0 {
		d.drawFooter()
	}
	d.p.StartPage(pageW*ptPerMM, pageH*ptPerMM)
	d.y = pdfMargin
	d.drawBanner()
}

// bannerRed is the colour of the banner: a warning, read at a glance.
var bannerRed = pdfw.Color{R: 0.75}

// drawBanner prints the banner, bold and centred, in the top margin.
func (d *pdfDoc) drawBanner() {
	if d.banner == "" {
		return
	}
	face := pdfFaces()[faceBold]
	size := pdfBody
	x := (pageW*ptPerMM - face.Width(d.banner, size)) / 2
	y := (pdfMargin - 4) * ptPerMM
	d.p.Text(faceBold, size, bannerRed, x, y, d.banner)
}

// drawFooter prints "footer — page n/N", centred, N drawn once known.
func (d *pdfDoc) drawFooter() {
	face := pdfFaces()[faceRegular]
	text := d.footer + " — " + tr(d.lang, "pdf.page", d.p.Pages())
	text, _ = strings.CutSuffix(text, "{nb}")
	size := pdfSmall
	// The count is as wide as the page number, most of the time.
	width := face.Width(text, size) + face.Width(strconv.Itoa(d.p.Pages()), size)
	x := (pageW*ptPerMM - width) / 2
	y := (pageH - pdfMargin + pdfSmallLn/2 + 0.3*size*mmPerPt) * ptPerMM
	d.p.Text(faceRegular, size, light, x, y, text)
	d.p.PageCount(faceRegular, size, light, x+face.Width(text, size), y)
}
