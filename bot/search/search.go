// Package search finds text the way a person searching past incidents
// means it: without regard to case or accents ("hopital" finds
// "L'HÔPITAL"), a typographic apostrophe or a no-break space matching the
// plain one. It holds the folding, a matcher that tries one query on many
// texts in a row, and the excerpt shown around a match.
//
// It imports nothing of ours: the command line's vigie cherche uses it on
// what the store hands over, and the store does not know it.
package search

import (
	"bytes"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Fold returns s as searches compare it: lower case, letters without their
// accents (é → e, œ → oe, ß → ss), every space (line break, tab, no-break
// space) a plain space, and the typographic apostrophe the plain one. An
// invalid byte becomes U+FFFD.
func Fold(s string) string {
	var b []byte
	for _, r := range s {
		b = foldRune(b, r)
	}
	return string(b)
}

// appendFold appends the folding of text to dst.
func appendFold(dst, text []byte) []byte {
	for i := 0; i < len(text); {
		if c := text[i]; c < utf8.RuneSelf {
			dst = append(dst, ascii[c])
			i++
			continue
		}
		r, size := utf8.DecodeRune(text[i:])
		dst = foldRune(dst, r)
		i += size
	}
	return dst
}

// ascii is the folding of each ASCII byte.
var ascii = func() (t [utf8.RuneSelf]byte) {
	for c := range t {
		t[c] = byte(c)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c - 'A' + 'a')
	}
	for _, c := range "\t\n\v\f\r" {
		t[c] = ' '
	}
	return t
}()

// foldRune appends the folding of r to dst.
func foldRune(dst []byte, r rune) []byte {
	switch {
	case r < utf8.RuneSelf:
		return append(dst, ascii[r])
	case r < latinEnd:
		return append(dst, latin()[r]...)
	}
	return append(dst, foldOther(r)...)
}

// latinEnd ends the letters whose folding is kept in a table: Latin-1 and
// Latin Extended-A and B, where French and its neighbours write.
const latinEnd = 0x250

// latin returns the table of foldings below latinEnd, made at first use
// so that a process that never searches does not pay for it.
var latin = sync.OnceValue(func() *[latinEnd]string {
	var t [latinEnd]string
	for r := rune(utf8.RuneSelf); r < latinEnd; r++ {
		t[r] = foldOther(r)
	}
	return &t
})

// foldOther folds a rune outside ASCII: the few letters that are two in
// other writings, spaces, apostrophes, then the letter its canonical
// decomposition starts with (combining marks dropped), in lower case.
func foldOther(r rune) string {
	switch r {
	case 'œ', 'Œ':
		return "oe"
	case 'æ', 'Æ':
		return "ae"
	case 'ß', 'ẞ':
		return "ss"
	case 'ø', 'Ø':
		return "o"
	case 'đ', 'Đ':
		return "d"
	case 'ł', 'Ł':
		return "l"
	case '’', '‘', 'ʼ', '´', '`':
		return "'"
	}
	switch {
	case unicode.IsSpace(r):
		return " "
	case unicode.Is(unicode.Mn, r):
		return ""
	case r < 0x2000:
		// Latin, Greek and Cyrillic letters with marks; beyond, scripts
		// whose decomposition is not an accent (Hangul syllables).
		if d := norm.NFD.String(string(r)); d != string(r) {
			var b []byte
			for _, x := range d {
				if !unicode.Is(unicode.Mn, x) {
					b = utf8.AppendRune(b, unicode.ToLower(x))
				}
			}
			return string(b)
		}
	}
	return string(unicode.ToLower(r))
}

// Matcher tries one query on many texts. It keeps a buffer between calls:
// one goroutine at a time.
type Matcher struct {
	needle []byte
	buf    []byte
}

// NewMatcher returns a matcher of query, folded.
func NewMatcher(query string) *Matcher { return &Matcher{needle: []byte(Fold(query))} }

// Match reports whether text holds the query, folded both.
func (m *Matcher) Match(text []byte) bool {
	m.buf = appendFold(m.buf[:0], text)
	return bytes.Contains(m.buf, m.needle)
}

// Index returns where in s the first match of needle (already folded)
// is: s[i:j], whole characters; -1, -1 when there is none.
func Index(s, needle string) (i, j int) {
	var folded []byte
	var from, to []int32 // the character of s each folded byte comes from
	for k, r := range s {
		n := len(folded)
		folded = foldRune(folded, r)
		for range len(folded) - n {
			from = append(from, int32(k))
			to = append(to, int32(k+utf8.RuneLen(r)))
		}
		if r == utf8.RuneError {
			// An invalid byte is one byte of s, though U+FFFD is three.
			if _, size := utf8.DecodeRuneInString(s[k:]); size == 1 {
				to[len(to)-1], to[len(to)-2], to[len(to)-3] = int32(k+1), int32(k+1), int32(k+1)
			}
		}
	}
	at := bytes.Index(folded, []byte(needle))
	if at < 0 || needle == "" {
		return -1, -1
	}
	return int(from[at]), int(to[at+len(needle)-1])
}

// Excerpt returns the first match of needle (folded) in s with up to width
// characters on each side, cut between words where it can, "…" where s
// goes on, every space a plain space; "" when s does not hold needle.
func Excerpt(s, needle string, width int) string {
	i, j := Index(s, needle)
	if i < 0 {
		return ""
	}
	before, cutBefore := lastRunes(s[:i], width)
	after, cutAfter := firstRunes(s[j:], width)
	var b strings.Builder
	if cutBefore {
		b.WriteString("…")
	}
	b.WriteString(strings.TrimLeft(plain(before), " "))
	b.WriteString(plain(s[i:j]))
	b.WriteString(strings.TrimRight(plain(after), " "))
	if cutAfter {
		b.WriteString("…")
	}
	return b.String()
}

// lastRunes returns the end of s, at most n characters, starting at a
// word when it must cut, and whether it cut.
func lastRunes(s string, n int) (string, bool) {
	k := len(s)
	for ; n > 0 && k > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:k])
		k -= size
	}
	if k == 0 {
		return s, false
	}
	if r, _ := utf8.DecodeLastRuneInString(s[:k]); !unicode.IsSpace(r) {
		if sp := strings.IndexFunc(s[k:], unicode.IsSpace); sp >= 0 {
			k += sp
		}
	}
	return s[k:], true
}

// firstRunes returns the start of s, at most n characters, ending at a
// word when it must cut, and whether it cut.
func firstRunes(s string, n int) (string, bool) {
	k := 0
	for ; n > 0 && k < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[k:])
		k += size
	}
	if k == len(s) {
		return s, false
	}
	if r, _ := utf8.DecodeRuneInString(s[k:]); !unicode.IsSpace(r) {
		if sp := strings.LastIndexFunc(s[:k], unicode.IsSpace); sp >= 0 {
			k = sp
		}
	}
	return s[:k], true
}

// plain writes every space as a plain space and every invalid byte as
// U+FFFD, so that an excerpt holds on one line of a terminal.
func plain(s string) string {
	var b strings.Builder
	for k, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[k:]); size == 1 {
				b.WriteRune(utf8.RuneError)
				continue
			}
		}
		if unicode.IsSpace(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}
