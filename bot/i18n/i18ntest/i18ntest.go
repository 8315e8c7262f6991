// Package i18ntest checks a room's message catalogue from its tests: both
// languages with the same verbs, no shared word redefined, and every key
// the room's code asks for present.
//
// It is for tests only; it imports i18n and nothing else of ours.
package i18ntest

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n"
)

// asked finds the keys code asks for: the first string argument of tr,
// uerr and i18n.T.
var asked = regexp.MustCompile(`(?:\btr|\buerr|\bT)\([^"]*"([a-z0-9_.-]+)"`)

// Check checks c, the catalogue of the package whose tests run (its files
// are read from the current directory). A key that ends with a dot is a
// prefix completed at run time, and is not checked.
func Check(t *testing.T, c i18n.Catalogue) {
	t.Helper()
	for _, p := range c.Lint() {
		t.Error(p)
	}
	for _, k := range c.Shadowed() {
		t.Errorf("%s: redefines a shared word of package i18n", k)
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range asked.FindAllStringSubmatch(string(src), -1) {
			if !c.Has(m[1]) && !strings.HasSuffix(m[1], ".") {
				t.Errorf("%s asks for %q, which the catalogue lacks", f, m[1])
			}
		}
	}
}
