package i18n

import "testing"

// TestWords: the shared words have both languages with the same verbs.
func TestWords(t *testing.T) {
	for _, p := range words.Lint() {
		t.Error(p)
	}
}

// TestLint: a message missing a language or whose verbs differ is named.
func TestLint(t *testing.T) {
	c := Catalogue{
		"ok":        {FR: "%d étapes", EN: "%d steps"},
		"no_en":     {FR: "oui"},
		"verbs":     {FR: "%s à %d", EN: "%d at %s"},
		"value.yes": {FR: "oui", EN: "yes"},
	}
	got := c.Lint()
	want := []string{"no_en: missing a language", "verbs: verbs differ: fr [%s %d], en [%d %s]"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Lint = %q, want %q", got, want)
	}
	if sh := c.Shadowed(); len(sh) != 1 || sh[0] != "value.yes" {
		t.Errorf("Shadowed = %q, want [value.yes]", sh)
	}
	if c.T("fr", "value.no") != "Non" || c.T("en", "missing.key") != "missing.key" {
		t.Error("T must fall back on the shared words, then on the key")
	}
}
