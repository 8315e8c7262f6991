package bottest

import (
	"strings"
	"testing"
	"unicode"

	"github.com/vigie-sante/vigie/bot/report/pdfw/poppler"
)

// PDFText returns the text of a PDF as pdftotext (poppler-utils) reads it
// back, in reading order. Without pdftotext the test is skipped with a
// message, except in CI (CI=true), where it fails: .ci/run installs it.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	return poppler.Run(t, pdf, "pdftotext", "-enc", "UTF-8")
}

// MissingInOrder returns the first of want not found in text after the
// ones before it, white space ignored on both sides (a PDF wraps lines
// where it likes); "" when every one is there, in order.
func MissingInOrder(text string, want []string) string {
	hay := squeeze(text)
	at := 0
	for _, w := range want {
		n := squeeze(w)
		i := strings.Index(hay[at:], n)
		if i < 0 {
			return w
		}
		at += i + len(n)
	}
	return ""
}

func squeeze(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}
