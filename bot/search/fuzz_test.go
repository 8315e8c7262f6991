package search_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/search"
)

// FuzzSearch checks, on any text and query, that the three ways of
// finding a query agree: Matcher.Match on the text's bytes, Index, and the
// folded text containing the folded query; that Index returns a range of
// whole characters whose folding holds the query; and that Excerpt holds
// the match.
func FuzzSearch(f *testing.F) {
	for _, s := range [][2]string{
		{"Rançongiciel sur le PACS", "rancon"},
		{"Œdème cæcum", "edeme"},
		{"l’hôpital", "l'ho"},
		{"e\u0301te\u0301", "ete"},
		{"\xff\xfeabc", "abc"},
		{"ß", "ss"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, text, query string) {
		q := search.Fold(query)
		if q == "" {
			return
		}
		want := strings.Contains(search.Fold(text), q)
		if got := search.NewMatcher(query).Match([]byte(text)); got != want {
			t.Fatalf("Match(%q, %q) = %v, Fold contains: %v", text, query, got, want)
		}
		i, j := search.Index(text, q)
		if (i >= 0) != want {
			t.Fatalf("Index(%q, %q) = %d, %d; Fold contains: %v", text, q, i, j, want)
		}
		if i < 0 {
			return
		}
		if i >= j || j > len(text) || !boundary(text, i) || !boundary(text, j) {
			t.Fatalf("Index(%q, %q) = %d, %d: not a range of whole characters", text, q, i, j)
		}
		if !strings.Contains(search.Fold(text[i:j]), q) {
			t.Fatalf("Index(%q, %q) = %q, which does not hold the query", text, q, text[i:j])
		}
		if e := search.Excerpt(text, q, 30); !strings.Contains(search.Fold(e), search.Fold(text[i:j])) {
			t.Fatalf("Excerpt(%q, %q) = %q lacks the match %q", text, q, e, text[i:j])
		}
	})
}

// boundary says whether k is where a character of s starts or s ends, as
// range reads it (an invalid byte is a character of its own).
func boundary(s string, k int) bool {
	if k == len(s) {
		return true
	}
	for at := range s {
		if at == k {
			return true
		}
	}
	return false
}
