// Package i18ntest checks a room's message catalogue from its tests: both
// languages with every key and the same verbs, no shared word redefined,
// every key the room's code asks for present, and every message rendered
// in both languages without the other language's marks.
//
// It is for tests only; it imports i18n and flows (the languages) and
// nothing else of ours.
package i18ntest

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// asked finds the keys code asks for: the first string argument of tr,
// uerr, msg, word and i18n.T.
var asked = regexp.MustCompile(`(?:\btr|\buerr|\bmsg|\bword|\bT)\([^"{}]*"([a-z0-9_.-]+)"`)

// literal finds the string literals of Go code that look like keys.
var literal = regexp.MustCompile(`"([a-z0-9_.-]+)"`)

// used reports whether the code names key: as a literal, or by a prefix
// ending with a dot that it completes at run time ("via." + means).
func used(key string, named map[string]bool) bool {
	if named[key] {
		return true
	}
	for i := len(key) - 1; i > 0; i-- {
		if key[i] == '.' && named[key[:i+1]] {
			return true
		}
	}
	return false
}

// Check checks c, the catalogue of the package whose tests run (its files
// are read from the current directory): every key asked for exists, and
// every key is named by the code, whole or by a prefix that ends with a
// dot, completed at run time.
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
	named := map[string]bool{} // every string literal that could be a key
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
		for _, m := range literal.FindAllStringSubmatch(string(src), -1) {
			named[m[1]] = true
		}
	}
	for _, k := range c.Keys() {
		if !used(k, named) {
			t.Errorf("%s: no code of the package names it (a key left behind?)", k)
		}
	}
	for _, p := range Render(c) {
		t.Error(p)
	}
}

// Marks of one language that must not show in the other's messages.
var (
	// frenchMarks: guillemets, a space before a colon, semicolon, question
	// or exclamation mark (French typography), and French small words.
	frenchMarks = regexp.MustCompile(`[«»]|[\p{L}\p{N})\]»"…] [:;?!](\s|$)|\b(?:le|la|les|des|du|une|est|et|pour|avec|sur|dans|aucun|aucune)\b`)
	// englishMarks: a word glued to its colon or semicolon, straight
	// quotes opening a word, English small words.
	englishMarks = regexp.MustCompile(`\p{L}[:;] |(?:^|[\s(])"\p{L}|\b(?:the|and|of|is|with|for|to|not)\b`)
)

// Render renders every message of c in both languages with sample
// arguments, each plural form included, and returns what is wrong, one
// line a problem: arguments fmt could not print, or the other language's
// marks (« » or " :" in English, "the" or "x: y" in French).
func Render(c i18n.Catalogue) []string {
	var out []string
	for _, key := range c.Keys() {
		counts := []int{2}
		if c.Plural(key) {
			counts = []int{0, 1, 2}
		}
		for _, n := range counts {
			args := Sample(c.T(flows.FR, key), c.Plural(key), n)
			for _, lang := range []flows.Lang{flows.FR, flows.EN} {
				s := c.T(lang, key, args...)
				if strings.Contains(s, "%!") {
					out = append(out, fmt.Sprintf("%s (%s): bad arguments: %q", key, lang, s))
				}
				marks := frenchMarks
				if lang == flows.FR {
					marks = englishMarks
				}
				if m := marks.FindString(s); m != "" {
					out = append(out, fmt.Sprintf("%s (%s): %q looks like the other language in %q", key, lang, m, s))
				}
			}
		}
	}
	return out
}

// Sample returns arguments for the verbs of a message: 'X' for a string,
// n for an integer, so that a plural message shows its count; a plural
// message whose verbs print no integer gets n as one more argument.
func Sample(msg string, plural bool, n int) []any {
	var args []any
	set := func(i int, v any) {
		for len(args) <= i {
			args = append(args, nil)
		}
		if args[i] == nil {
			args[i] = v
		}
	}
	next, hasInt := 0, false
	for _, v := range i18n.Verbs(msg) {
		if v == "%%" {
			continue
		}
		i := next
		if open := strings.IndexByte(v, '['); open >= 0 {
			k, _ := strconv.Atoi(v[open+1 : strings.IndexByte(v, ']')])
			i = k - 1
		}
		next = i + 1
		switch v[len(v)-1] {
		case 'd':
			set(i, n)
			hasInt = true
		case 'f', 'g', 'e':
			set(i, 2.5)
		case 't':
			set(i, true)
		default:
			set(i, "X")
		}
	}
	if plural && !hasInt {
		args = append(args, n)
	}
	for i := range args {
		if args[i] == nil {
			args[i] = "X"
		}
	}
	return args
}
