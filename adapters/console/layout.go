package console

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file measures and wraps text for a screen of fixed width: a
// terminal cuts a long line anywhere, in the middle of a word or a phone
// number; the console breaks it between words, and indents what follows
// under the line's text.

// runeWidth is the number of columns r takes on a terminal: 2 for the
// emoji and wide symbols the bot uses (🔴, ✅, ⬜, ❓, ⏰…), 0 for
// combining marks and variation selectors, 1 otherwise.
func runeWidth(r rune) int {
	switch {
	case r == 0xFE0F || r == 0x200D || unicode.Is(unicode.Mn, r):
		return 0
	case r >= 0x1F000 && r <= 0x1FAFF, // pictographs, emoji
		r >= 0x2E80 && r <= 0xA4CF, r >= 0xAC00 && r <= 0xD7A3, r >= 0xF900 && r <= 0xFAFF, r >= 0xFF00 && r <= 0xFF60,
		r == 0x231A || r == 0x231B || r == 0x23F0 || r == 0x23F3 || r >= 0x23E9 && r <= 0x23EC,
		r == 0x2705 || r == 0x274C || r == 0x274E || r >= 0x2753 && r <= 0x2755 || r == 0x2757,
		r >= 0x2795 && r <= 0x2797 || r == 0x27B0 || r == 0x27BF || r == 0x2B1B || r == 0x2B1C || r == 0x2B50 || r == 0x2B55,
		r == 0x26D4 || r == 0x26A1 || r == 0x26AA || r == 0x26AB || r == 0x26BD || r == 0x26BE || r == 0x26C4 || r == 0x26C5 || r == 0x26CE || r == 0x26EA || r == 0x26F2 || r == 0x26F3 || r == 0x26F5 || r == 0x26FA || r == 0x26FD,
		r == 0x2614 || r == 0x2615 || r >= 0x2648 && r <= 0x2653 || r == 0x267F || r == 0x2693:
		return 2
	}
	return 1
}

// width is the number of columns s takes, ANSI sequences left out.
func width(s string) int {
	w := 0
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i = skipEscape(s, i)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		w += runeWidth(r)
		i += size
	}
	return w
}

// skipEscape returns the index after the escape sequence at s[i].
func skipEscape(s string, i int) int {
	i++
	if i < len(s) && s[i] == '[' {
		i++
		for i < len(s) && (s[i] < 0x40 || s[i] > 0x7e) {
			i++
		}
	}
	return i + 1
}

// rows is how many rows of a screen cols wide line takes.
func rows(line string, cols int) int {
	w := width(line)
	if w == 0 || cols <= 0 {
		return 1
	}
	return (w + cols - 1) / cols
}

// wrap breaks line into rows of at most cols columns, between words; the
// rows after the first are indented two columns further than the line.
// A word longer than a row is cut.
func wrap(line string, cols int) []string {
	if cols <= 0 || width(line) <= cols {
		return []string{line}
	}
	indent := len(line) - len(strings.TrimLeft(line, " "))
	pad := strings.Repeat(" ", min(indent+2, cols/2))
	var out []string
	cur := line[:indent]
	curW := indent
	empty := true
	for _, word := range strings.FieldsFunc(line[indent:], breaks) {
		ww := width(word)
		switch {
		case empty:
		case curW+1+ww <= cols:
			cur += " "
			curW++
		default:
			out = append(out, cur)
			cur, curW = pad, len(pad)
		}
		for curW+ww > cols { // a word longer than a row
			cut, cw := cutWidth(word, cols-curW)
			if cw == 0 {
				break
			}
			out = append(out, cur+cut)
			word, ww = word[len(cut):], ww-cw
			cur, curW = pad, len(pad)
		}
		cur += word
		curW += ww
		empty = false
	}
	return append(out, cur)
}

// nbsp joins words that wrap keeps on one row (a button's key and its
// label); print writes it as a space.
const nbsp = "\u00a0"

// breaks reports whether a line may be broken at r: a space, but not a
// no-break space.
func breaks(r rune) bool { return unicode.IsSpace(r) && r != '\u00a0' }

// cutWidth returns the longest prefix of s at most cols wide, and its
// width.
func cutWidth(s string, cols int) (string, int) {
	w := 0
	for i, r := range s {
		rw := runeWidth(r)
		if w+rw > cols {
			return s[:i], w
		}
		w += rw
	}
	return s, w
}
