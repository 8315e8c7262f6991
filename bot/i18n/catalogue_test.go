package i18n

import (
	"slices"
	"testing"
	"testing/fstest"

	"github.com/vigie-sante/vigie/flows"
)

// TestWords: the shared words have both languages with the same verbs.
func TestWords(t *testing.T) {
	for _, p := range words.Lint() {
		t.Error(p)
	}
	if len(words.Keys()) == 0 {
		t.Error("no shared words loaded")
	}
}

// load builds a catalogue from the texts of fr.toml and en.toml.
func load(t *testing.T, fr, en string) Catalogue {
	t.Helper()
	c, err := Load(fstest.MapFS{"fr.toml": {Data: []byte(fr)}, "en.toml": {Data: []byte(en)}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestLint: a message missing a language, whose verbs differ, or whose
// plural forms are incomplete is named.
func TestLint(t *testing.T) {
	c := load(t, `
"ok" = "%d étapes"
"no_en" = "oui"
"verbs" = "%s à %d"
"value.yes" = "oui"
"n" = { one = "%d entrée", other = "%d entrées" }
"n_en_flat" = { one = "%d entrée", other = "%d entrées" }
"n_verbs" = { one = "une entrée", other = "%d entrées" }
`, `
"ok" = "%d steps"
"verbs" = "%d at %s"
"value.yes" = "yes"
"n" = { one = "%d entry", other = "%d entries" }
"n_en_flat" = "%d entries"
"n_verbs" = { one = "%d entry", other = "%d entries" }
`)
	got := c.Lint()
	want := []string{
		"n_en_flat: en plural forms lack one or other",
		"n_verbs: verbs differ: fr [%d], fr []",
		"no_en: missing a language",
		"verbs: verbs differ: fr [%s %d], en [%d %s]",
	}
	if !slices.Equal(got, want) {
		t.Errorf("Lint = %q\nwant %q", got, want)
	}
	if sh := c.Shadowed(); !slices.Equal(sh, []string{"value.yes"}) {
		t.Errorf("Shadowed = %q, want [value.yes]", sh)
	}
	if c.T("fr", "value.no") != "Non" || c.T("en", "missing.key") != "missing.key" {
		t.Error("T must fall back on the shared words, then on the key")
	}
}

// TestPlural: the count, the first integer argument, chooses the form by
// the CLDR rules: in French "one" covers 0 and 1, in English 1 only.
func TestPlural(t *testing.T) {
	c := load(t, `"n" = { one = "%[1]s : %[2]d entrée", other = "%[1]s : %[2]d entrées" }`,
		`"n" = { one = "%[1]s: %[2]d entry", other = "%[1]s: %[2]d entries" }`)
	for _, tc := range []struct {
		lang flows.Lang
		n    any
		want string
	}{
		{flows.FR, 0, "A : 0 entrée"},
		{flows.FR, 1, "A : 1 entrée"},
		{flows.FR, 2, "A : 2 entrées"},
		{flows.FR, int64(1000000), "A : 1000000 entrées"},
		{flows.EN, 0, "A: 0 entries"},
		{flows.EN, uint(1), "A: 1 entry"},
		{flows.EN, 2, "A: 2 entries"},
		{"", 1, "A : 1 entrée"},
	} {
		if got := c.T(tc.lang, "n", "A", tc.n); got != tc.want {
			t.Errorf("T(%s, n, %v) = %q, want %q", tc.lang, tc.n, got, tc.want)
		}
	}
	if !c.Plural("n") || c.Plural("value.no") {
		t.Error("Plural: n has plural forms, value.no has none")
	}
}

// TestLoadRefuses: a file that is not TOML, or missing, is an error.
func TestLoadRefuses(t *testing.T) {
	if _, err := Load(fstest.MapFS{"fr.toml": {Data: []byte(`"a" = `)}, "en.toml": {Data: []byte(``)}}); err == nil {
		t.Error("Load took a broken fr.toml")
	}
	if _, err := Load(fstest.MapFS{"fr.toml": {Data: []byte(`"a" = "b"`)}}); err == nil {
		t.Error("Load took a catalogue without en.toml")
	}
}
