package pdfw

import (
	"bytes"
	"crypto/sha256"
	"fmt"
)

// font writes face as objects n to n+4: the composite font pages refer
// to, its one descendant (TrueType glyphs, numbered as in the font), its
// descriptor, the subset font file and the map from glyphs back to
// characters that lets readers copy and search the text.
func (p *Writer) font(n int, f *Face, used usage) {
	var gids []uint16
	for g, r := range used {
		if r != 0 {
			gids = append(gids, uint16(g))
		}
	}
	ttf, err := subset(f.ttf, gids)
	if err != nil {
		if p.err == nil {
			p.err = fmt.Errorf("font %s: %w", f.name, err)
		}
		return
	}
	// A subset is named with a tag of six capitals that differs with the
	// glyphs it holds, as the PDF specification asks (9.6.4).
	sum := sha256.Sum256(fmt.Append(nil, gids))
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	name := string(tag) + "+" + f.name

	p.object(n)
	p.printf("<< /Type /Font /Subtype /Type0 /BaseFont /%s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>\nendobj\n",
		name, n+1, n+4)

	var w bytes.Buffer
	for _, g := range gids {
		fmt.Fprintf(&w, "%d [%d] ", g, f.widths[g])
	}
	p.object(n + 1)
	p.printf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /%s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /CIDToGIDMap /Identity /DW 0 /W [%s] >>\nendobj\n",
		name, n+2, w.String())

	p.object(n + 2)
	p.printf("<< /Type /FontDescriptor /FontName /%s /Flags 32 /FontBBox [%d %d %d %d] /ItalicAngle 0 /Ascent %d /Descent %d /CapHeight %d /StemV 80 /FontFile2 %d 0 R >>\nendobj\n",
		name, f.bbox[0], f.bbox[1], f.bbox[2], f.bbox[3], f.ascent, f.descent, f.capHeight, n+3)

	p.stream(n+3, fmt.Sprintf(" /Length1 %d", len(ttf)), ttf)
	p.stream(n+4, "", toUnicode(gids, used))
}

// toUnicode is the CMap from glyphs to the characters they show.
func toUnicode(gids []uint16, used usage) []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	for len(gids) > 0 {
		chunk := gids[:min(100, len(gids))] // at most 100 a block
		gids = gids[len(chunk):]
		fmt.Fprintf(&b, "%d beginbfchar\n", len(chunk))
		for _, g := range chunk {
			r := used[g]
			if r > 0xFFFF {
				r -= 0x10000
				fmt.Fprintf(&b, "<%04X> <%04X%04X>\n", g, 0xD800+(r>>10), 0xDC00+(r&0x3FF))
				continue
			}
			fmt.Fprintf(&b, "<%04X> <%04X>\n", g, r)
		}
		b.WriteString("endbfchar\n")
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
