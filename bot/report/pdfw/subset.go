package pdfw

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
)

// subset returns the TrueType font ttf with only the outlines of the
// glyphs used (and of the glyphs they are built from): a document
// embeds the few hundred glyphs it shows, not the 6 000 of DejaVu Sans.
// Glyph numbers are kept, so that the text and the widths need no
// renumbering; the glyphs left out are empty. Only the tables a PDF reader
// needs to draw the glyphs are kept (the character map, names and
// PostScript tables are for systems installing the font).
func subset(ttf []byte, used []uint16) ([]byte, error) {
	tables, err := readTables(ttf)
	if err != nil {
		return nil, err
	}
	head, maxp, loca, glyf := tables["head"], tables["maxp"], tables["loca"], tables["glyf"]
	if len(head) < 54 || len(maxp) < 6 || loca == nil || glyf == nil || tables["hhea"] == nil || tables["hmtx"] == nil {
		return nil, errors.New("not a TrueType font with outlines")
	}
	n := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offset := func(g int) (int, error) {
		var o int
		switch {
		case long && 4*g+4 <= len(loca):
			o = int(binary.BigEndian.Uint32(loca[4*g:]))
		case !long && 2*g+2 <= len(loca):
			o = 2 * int(binary.BigEndian.Uint16(loca[2*g:]))
		default:
			return 0, fmt.Errorf("glyph %d outside the loca table", g)
		}
		if o > len(glyf) {
			return 0, fmt.Errorf("glyph %d outside the glyf table", g)
		}
		return o, nil
	}
	outline := func(g int) ([]byte, error) {
		a, err := offset(g)
		if err != nil {
			return nil, err
		}
		b, err := offset(g + 1)
		if err != nil || b < a {
			return nil, fmt.Errorf("glyph %d: bad outline bounds", g)
		}
		return glyf[a:b], nil
	}

	keep := make([]bool, n)
	todo := []int{0} // .notdef, which readers show for a missing glyph
	for _, g := range used {
		todo = append(todo, int(g))
	}
	for len(todo) > 0 {
		g := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if g >= n || keep[g] {
			continue
		}
		keep[g] = true
		o, err := outline(g)
		if err != nil {
			return nil, err
		}
		todo = append(todo, components(o)...)
	}

	var newGlyf []byte
	newLoca := make([]byte, 0, 4*(n+1))
	for g := range n {
		newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
		if !keep[g] {
			continue
		}
		o, _ := outline(g) // read above
		newGlyf = append(newGlyf, o...)
		for len(newGlyf)%4 != 0 {
			newGlyf = append(newGlyf, 0)
		}
	}
	newLoca = binary.BigEndian.AppendUint32(newLoca, uint32(len(newGlyf)))
	newHead := slices.Clone(head)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long offsets
	out := map[string][]byte{"head": newHead, "loca": newLoca, "glyf": newGlyf,
		"hhea": tables["hhea"], "hmtx": tables["hmtx"], "maxp": maxp}
	for _, t := range []string{"cvt ", "fpgm", "prep"} { // hinting, used by some readers
		if b := tables[t]; b != nil {
			out[t] = b
		}
	}
	return writeTables(out), nil
}

// components returns the glyphs a composite outline is built from.
func components(o []byte) []int {
	if len(o) < 10 || int16(binary.BigEndian.Uint16(o)) >= 0 {
		return nil // empty or simple
	}
	var gs []int
	for p := 10; p+4 <= len(o); {
		flags := binary.BigEndian.Uint16(o[p:])
		gs = append(gs, int(binary.BigEndian.Uint16(o[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return gs
}

// readTables returns the tables of a TrueType font by tag.
func readTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("font too short")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	if 12+16*n > len(ttf) {
		return nil, errors.New("font table directory truncated")
	}
	tables := map[string][]byte{}
	for i := range n {
		rec := ttf[12+16*i:]
		off, size := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(size) > uint64(len(ttf)) {
			return nil, fmt.Errorf("font table %q outside the file", rec[:4])
		}
		tables[string(rec[:4])] = ttf[off : off+size]
	}
	return tables, nil
}

// writeTables writes a TrueType font of the given tables, in tag order,
// each padded to four bytes, with the checksums readers may check.
func writeTables(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	slices.Sort(tags)
	n := len(tags)
	pow := 1
	log := 0
	for pow*2 <= n {
		pow, log = pow*2, log+1
	}
	out := binary.BigEndian.AppendUint32(nil, 0x00010000)
	out = binary.BigEndian.AppendUint16(out, uint16(n))
	out = binary.BigEndian.AppendUint16(out, uint16(16*pow))
	out = binary.BigEndian.AppendUint16(out, uint16(log))
	out = binary.BigEndian.AppendUint16(out, uint16(16*(n-pow)))
	off := 12 + 16*n
	var body []byte
	headAt := -1
	for _, t := range tags {
		b := tables[t]
		if t == "head" {
			b = slices.Clone(b)
			binary.BigEndian.PutUint32(b[8:], 0) // checkSumAdjustment, set below
			headAt = off + len(body)
		}
		out = append(out, t...)
		out = binary.BigEndian.AppendUint32(out, checksum(b))
		out = binary.BigEndian.AppendUint32(out, uint32(off+len(body)))
		out = binary.BigEndian.AppendUint32(out, uint32(len(b)))
		body = append(body, b...)
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
	}
	out = append(out, body...)
	if headAt >= 0 {
		binary.BigEndian.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	}
	return out
}

func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
