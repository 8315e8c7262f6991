package i18n

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCatalogue: every message has both languages with the same verbs, and
// every key the code asks for exists.
func TestCatalogue(t *testing.T) {
	verbs := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)
	for key, m := range catalogue {
		if m.FR == "" || m.EN == "" {
			t.Errorf("%s: missing a language", key)
		}
		fr, en := verbs.FindAllString(m.FR, -1), verbs.FindAllString(m.EN, -1)
		if strings.Join(fr, " ") != strings.Join(en, " ") {
			t.Errorf("%s: verbs differ: fr %v, en %v", key, fr, en)
		}
	}
	var files []string
	for _, glob := range []string{"*.go", "../*.go", "../*/*.go"} {
		more, _ := filepath.Glob(glob)
		files = append(files, more...)
	}
	used := regexp.MustCompile(`(?:\btr|\buerr|\bT)\([^"]*"([a-z0-9_.]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range used.FindAllStringSubmatch(string(src), -1) {
			if _, ok := catalogue[m[1]]; !ok && !strings.HasSuffix(m[1], ".") {
				t.Errorf("%s asks for %q, which the catalogue lacks", f, m[1])
			}
		}
	}
}
