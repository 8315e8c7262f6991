package pdfw

import (
	"fmt"
	"math"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Face is a TrueType font to set text with. It is read once and shared by
// every document (it does not change once made): which of its glyphs a
// document used, and so embeds, is kept by that document's Writer.
type Face struct {
	name string // the PostScript name the PDF gives it, without spaces
	ttf  []byte

	// Font metrics in thousandths of an em, as PDF wants them.
	ascent, descent, capHeight int
	bbox                       [4]int

	glyphs []uint16 // by character of the Basic Multilingual Plane; 0: the font lacks it
	widths []int32  // advance of each glyph, thousandths of an em
}

// NewFace reads a TrueType font, and the glyph and width of every
// character it draws in the Basic Multilingual Plane (characters beyond
// it are set as the font's missing glyph). name is how the PDF calls it
// ("DejaVuSans-Bold").
func NewFace(name string, ttf []byte) (*Face, error) {
	sf, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	var buf sfnt.Buffer
	upem := float64(sf.UnitsPerEm())
	ppem := fixed.Int26_6(sf.UnitsPerEm()) << 6 // one unit per pixel: sizes come back in font units
	k := func(v fixed.Int26_6) int { return int(math.Round(float64(v) / 64 * 1000 / upem)) }
	m, err := sf.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	b, err := sf.Bounds(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("font %s: %w", name, err)
	}
	f := &Face{name: name, ttf: ttf, glyphs: make([]uint16, 0x10000), widths: make([]int32, sf.NumGlyphs())}
	f.ascent, f.descent, f.capHeight = k(m.Ascent), -k(m.Descent), k(m.CapHeight)
	// sfnt's y axis points down; PDF's points up.
	f.bbox = [4]int{k(b.Min.X), -k(b.Max.Y), k(b.Max.X), -k(b.Min.Y)}
	for r := range rune(0x10000) {
		if g, err := sf.GlyphIndex(&buf, r); err == nil && int(g) < len(f.widths) {
			f.glyphs[r] = uint16(g)
		}
	}
	for g := range f.widths {
		adv, err := sf.GlyphAdvance(&buf, sfnt.GlyphIndex(g), ppem, font.HintingNone)
		if err != nil {
			return nil, fmt.Errorf("font %s: glyph %d: %w", name, g, err)
		}
		f.widths[g] = int32(k(adv))
	}
	return f, nil
}

// Has reports whether the font draws r.
func (f *Face) Has(r rune) bool { return f.glyph(r) != 0 }

func (f *Face) glyph(r rune) uint16 {
	if r < 0 || int(r) >= len(f.glyphs) {
		return 0
	}
	return f.glyphs[r]
}

// Width is the width of s set at size points, in points.
func (f *Face) Width(s string, size float64) float64 {
	total := 0
	for _, r := range s {
		total += int(f.widths[f.glyph(r)])
	}
	return float64(total) * size / 1000
}

// usage is which glyphs of a face a document used: for each glyph, the
// character it shows, 0 when unused.
type usage []rune

// encode writes s as the glyph numbers the page's text operators show (two
// bytes each: the font is set with the Identity-H encoding), and notes in
// used which glyphs it needs and the character each shows.
func (f *Face) encode(dst []byte, s string, used usage) []byte {
	for _, r := range s {
		g := f.glyph(r)
		if used[g] == 0 {
			used[g] = r
		}
		dst = append(dst, byte(g>>8), byte(g))
	}
	return dst
}
