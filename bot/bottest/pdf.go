package bottest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"
)

// PDFText returns the text of a PDF as pdftotext (poppler-utils) reads it
// back, in reading order. Without pdftotext the test is skipped with a
// message, except in CI (CI=true), where it fails: .ci/run installs it.
func PDFText(t testing.TB, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: CI must install poppler-utils (see .ci/run)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils): the PDF is not read back")
	}
	file := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(file, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
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
