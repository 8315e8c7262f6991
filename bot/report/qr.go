package report

import (
	"fmt"

	qrcode "github.com/piglig/go-qr"

	"github.com/vigie-sante/vigie/bot/report/pdfw"
)

// This file draws QR codes on the reflex sheet, so that a phone that still
// has a network reaches a portal without typing its address. The library
// makes the module matrix; the sheet draws each dark module as a filled
// square (pdfw.FillRects), with no image to embed.

// qrQuiet is the light margin around a symbol, in modules, that a reader
// needs to find it (ISO/IEC 18004: four modules).
const qrQuiet = 4

// qrMatrix is the module matrix of a QR code: dark[y][x].
type qrMatrix [][]bool

// newQR encodes text at error-correction level M (15 % of the symbol
// may be lost: a fold, a stain, a worn print).
func newQR(text string) (qrMatrix, error) {
	q, err := qrcode.EncodeText(text, qrcode.Medium)
	if err != nil {
		return nil, fmt.Errorf("qr code of %q: %w", text, err)
	}
	m := make(qrMatrix, q.Size())
	for y := range m {
		m[y] = make([]bool, q.Size())
		for x := range m[y] {
			m[y][x] = q.Module(x, y)
		}
	}
	return m, nil
}

// rects are the dark modules of m drawn side long at x, y (points, the top
// left of the symbol, without its quiet zone), a rectangle for each run of
// dark modules in a row.
func (m qrMatrix) rects(x, y, side float64) []pdfw.Rect {
	cell := side / float64(len(m))
	var out []pdfw.Rect
	for row, line := range m {
		for col := 0; col < len(line); col++ {
			if !line[col] {
				continue
			}
			end := col
			for end < len(line) && line[end] {
				end++
			}
			out = append(out, pdfw.Rect{X: x + float64(col)*cell, Y: y + float64(row)*cell, W: float64(end-col) * cell, H: cell})
			col = end
		}
	}
	return out
}
