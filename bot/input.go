package bot

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// This file keeps the text people type clean before it reaches the main
// courante, which others read later in terminals, spreadsheets and PDFs.
// A control character can rewrite what a terminal shows (ESC sequences),
// a bidi override can make "fait à 03:10" read otherwise, a NUL can cut a
// line short in one reader and not in another. Such text is refused, with
// the position of the first offending character, and nothing changes: the
// person types it again without it. Line breaks and tabs are text.

// Length limits of what people type, in characters. The command as a
// whole is bounded too (maxCommandLen).
const (
	maxTitle  = 200  // an incident's title
	maxNote   = 4000 // a note, a situation point's part, a fact, a reason
	maxRef    = 200  // a notification's reference
	maxEchoed = 40   // input quoted back in an error message
)

// badRune says why r, found in typed text, is refused; "" when it is fine.
func badRune(r rune, lang Lang) string {
	switch {
	case r == '\n' || r == '\t':
		return ""
	case r == 0:
		return "NUL"
	case r == 0x1b:
		return tr(lang, "input.esc")
	case r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0:
		return fmt.Sprintf("U+%04X (%s)", r, tr(lang, "input.control"))
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return fmt.Sprintf("U+%04X (%s)", r, tr(lang, "input.bidi"))
	}
	return ""
}

// cleanInput normalises line breaks (CR LF and lone CR, as browsers send
// textareas, become LF) and refuses the first character that is not text,
// naming its position (in characters, from 1) and what it is. field names
// where the text came from, "" for the command itself.
func cleanInput(s, field string, lang Lang) (string, error) {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	pos := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		pos++
		what := ""
		if r == utf8.RuneError && size == 1 {
			what = fmt.Sprintf("%s 0x%02X", tr(lang, "input.not_utf8"), s[i])
		} else {
			what = badRune(r, lang)
		}
		if what != "" {
			if field == "" {
				return "", uerr(EInvalid, lang, "err.bad_char", pos, what)
			}
			return "", uerr(EInvalid, lang, "err.bad_char_field", echo(field), pos, what)
		}
		i += size
	}
	return s, nil
}

// scrub replaces what cleanInput refuses by U+FFFD, for text nobody can be
// asked to type again: a platform's display name, a pinned message.
func scrub(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if badRune(r, "") != "" {
			return '\uFFFD'
		}
		return r
	}, s)
}

// echo cuts input quoted back in an error message: a 100 KB word must not
// come back whole.
func echo(s string) string {
	if utf8.RuneCountInString(s) <= maxEchoed {
		return s
	}
	return string([]rune(s)[:maxEchoed]) + "…"
}
