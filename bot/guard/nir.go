package guard

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/flows"
)

// This file finds patient identifiers: a note, a title, a
// situation point, a proof or a fact for a declaration that looks like it
// holds a French NIR (numéro de sécurité sociale) or a hospital patient
// identifier (IPP) is not recorded as is. The main courante is handed to
// regulators, insurers and courts; an identifier in it would turn the
// response to a breach into a second one. The crisis cell needs no patient
// data (design.md §8).
//
// The NIR, as service-public.fr (F33078) and the social-security
// identification rules describe it: 13 characters and a 2-digit key,
//
//	S  YY MM DD CCC OOO  KK
//	1  85 05 78 006 084  36
//
// S the sex (1 man, 2 woman; 7 and 8 are the provisional numbers, such as
// the NIA given while a person born abroad is identified, which is "formed
// as a NIR"); YY and MM the year and month of birth (MM from 20 up occurs
// for an incomplete civil record); DD the département (2A and 2B in
// Corsica, 97/98 overseas, 99 abroad); CCC the commune or country; OOO the
// order number; KK = 97 − (the 13-digit number mod 97), where 2A counts as
// 19 and 2B as 18. Groups may be separated by a space, a dot or a dash, as
// people type them. 3 and 4, which some pages give for foreigners being
// registered, are left out: no source we hold says so.
//
// The key makes a random 15-digit number pass one time in 97 at most, so
// phone numbers (10 digits), FINESS (9), SIRET (14), dates and ticket
// references are not taken for a NIR unless they happen to have its exact
// shape and a valid key.

// nirShape is a NIR's shape, anchored: the key is checked apart.
var nirShape = regexp.MustCompile(`^[1278][ .\-\x{00A0}\x{202F}]?\d{2}[ .\-\x{00A0}\x{202F}]?(?:0[1-9]|1[0-2]|[2-9]\d)[ .\-\x{00A0}\x{202F}]?(?:\d{2}|2[AaBb])[ .\-\x{00A0}\x{202F}]?\d{3}[ .\-\x{00A0}\x{202F}]?\d{3}[ .\-\x{00A0}\x{202F}]?\d{2}`)

// DefaultIPP matches "IPP" followed by a number, the usual way a patient's
// hospital identifier (identifiant permanent du patient) is written.
// Each structure numbers its patients its own way: Config.IPP replaces it.
var DefaultIPP = regexp.MustCompile(`(?i)\bIPP\s*(?:n°|no\.?|num(?:éro|ero)?\.?)?\s*[:=#]?\s*\d{4,}`)

// nirSpan is where a NIR was found in a text, in bytes.
type nirSpan struct{ start, end int }

// findNIRs returns the NIRs with a valid key in s, in order, not
// overlapping. A NIR must stand alone: no letter or digit right before or
// after it (a longer number is not a NIR).
func findNIRs(s string) []nirSpan {
	var out []nirSpan
	for i := 0; i < len(s); {
		c := s[i]
		if c != '1' && c != '2' && c != '7' && c != '8' || !boundaryBefore(s, i) {
			i++
			continue
		}
		loc := nirShape.FindStringIndex(s[i:])
		if loc == nil || !boundaryAfter(s, i+loc[1]) || !validNIRKey(s[i:i+loc[1]]) {
			i++
			continue
		}
		out = append(out, nirSpan{i, i + loc[1]})
		i += loc[1]
	}
	return out
}

// ValidNIR reports whether s, with its separators, is exactly one NIR with
// a valid key.
func ValidNIR(s string) bool {
	loc := nirShape.FindStringIndex(s)
	return loc != nil && loc[1] == len(s) && validNIRKey(s)
}

// validNIRKey checks the key of a string of nirShape: 97 minus the
// remainder of the 13-digit number by 97, 2A and 2B counted as 19 and 18.
func validNIRKey(s string) bool {
	var digits []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			digits = append(digits, c)
		case c == 'A' || c == 'a' || c == 'B' || c == 'b':
			digits = append(digits, c)
		}
	}
	if len(digits) != 15 {
		return false
	}
	// Corsica: the département is 2A or 2B, at positions 5 and 6.
	switch digits[6] {
	case 'A', 'a':
		digits[5], digits[6] = '1', '9'
	case 'B', 'b':
		digits[5], digits[6] = '1', '8'
	}
	var n uint64
	for _, c := range digits[:13] {
		if c < '0' || c > '9' {
			return false
		}
		n = n*10 + uint64(c-'0')
	}
	key := uint64(digits[13]-'0')*10 + uint64(digits[14]-'0')
	return key == 97-n%97
}

func boundaryBefore(s string, i int) bool {
	if i == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

func boundaryAfter(s string, i int) bool {
	if i >= len(s) {
		return true
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// Found says what patient identifiers s seems to hold: a NIR, a match of
// the IPP pattern ipp (nil: none).
func Found(s string, ipp *regexp.Regexp) (nir, ippFound bool) {
	return len(findNIRs(s)) > 0, ipp != nil && ipp.MatchString(s)
}

// maskIdentifiers replaces every IPP match of s by ippMask, then every NIR
// by nirMask. The NIRs go last: the masks hold no digit and every NIR
// stands between a non-alphanumeric character and another, so the result
// holds no NIR.
func maskIdentifiers(s string, ipp *regexp.Regexp, nirMask, ippMask string) string {
	if ipp != nil {
		s = ipp.ReplaceAllLiteralString(s, ippMask)
	}
	spans := findNIRs(s)
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	last := 0
	for _, sp := range spans {
		b.WriteString(s[last:sp.start])
		b.WriteString(nirMask)
		last = sp.end
	}
	b.WriteString(s[last:])
	return b.String()
}

// Mask replaces the identifiers of s, matches of the IPP pattern ipp
// (nil: none) and NIRs, by the words that say they were masked, in lang.
func Mask(s string, ipp *regexp.Regexp, lang flows.Lang) string {
	return maskIdentifiers(s, ipp, tr(lang, "guard.nir_mask"), tr(lang, "guard.ipp_mask"))
}

// MaskNIRs replaces every NIR of s by "[NIR masqué]" (or "[NIR masked]").
func MaskNIRs(s string, lang flows.Lang) string {
	return maskIdentifiers(s, nil, tr(lang, "guard.nir_mask"), "")
}

// NIRs returns the NIRs with a valid key in s, as written, in order.
func NIRs(s string) []string {
	var out []string
	for _, sp := range findNIRs(s) {
		out = append(out, s[sp.start:sp.end])
	}
	return out
}
