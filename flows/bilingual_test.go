package flows_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/flows"
)

// bilingualContacts is a contacts file whose contact's source and means
// are given by the test case.
const bilingualContacts = `kind: contacts
scope: national
source: "test fixture"
contacts:
  - id: alpha
    name: {fr: "Alpha", en: "Alpha"}
    source: SOURCE
    checked: 2025-01-01
    means:
      - kind: KIND
        value: VALUE
`

// bilingualChain is a chain whose document and step source are given by
// the test case.
const bilingualChain = `kind: chain
id: test/bilingual
version: "1"
effective: 2025-01-01
title: {fr: "Chaîne", en: "Chain"}
source: {document: DOCUMENT}
end: {fr: "Fin", en: "End"}
steps:
  - id: declare
    order: 1
    title: {fr: "Déclarer", en: "Report"}
    recipients:
      - contact: alpha
    deadline: immediate
    remind: {every: 1h, source: REMIND}
    basis: {fr: "Le test", en: "The test"}
    source: STEP
`

// TestBilingualTexts: sources, chain documents and channels described in
// words are read as {fr, en} or as a plain string; a plain string is
// French only, which loads with a warning naming its line (an address is
// the same in both languages and is not warned about), and English alone
// is an error. The compiled texts give each language.
func TestBilingualTexts(t *testing.T) {
	both := `{fr: "Code de la santé publique", en: "Public health code"}`
	for _, tc := range []struct {
		name                                  string
		source, kind, value, doc, remind, stp string
		warns                                 []string // "file:line: message" prefixes, in file and line order
		err                                   string
	}{
		{name: "all in both languages", source: both, kind: "other", value: `{fr: "Registre interne", en: "Internal register"}`, doc: both, remind: both, stp: both},
		{name: "chart and addresses need no English", source: "chart", kind: "email", value: `"alpha@example.org"`, doc: both, remind: both, stp: "chart"},
		{name: "plain strings are French only", source: `"Code"`, kind: "other", value: `"Registre interne"`, doc: `"Schéma"`, remind: `"Rappel choisi"`, stp: `"Article"`,
			warns: []string{
				"chain.yaml:6: source.document at $.source.document is in French only",
				"chain.yaml:15: source at $.steps[0].remind.source is in French only",
				"chain.yaml:17: source at $.steps[0].source is in French only",
				"contacts.yaml:7: source at $.contacts[0].source is in French only",
				"contacts.yaml:11: the other channel, described in words, at $.contacts[0].means[0].value is in French only",
			}},
		{name: "a letter's words too", source: both, kind: "post", value: `"Lettre au procureur"`, doc: both, remind: both, stp: both,
			warns: []string{"contacts.yaml:11: the post channel, described in words, at $.contacts[0].means[0].value is in French only"}},
		{name: "English alone is refused", source: both, kind: "email", value: `"alpha@example.org"`, doc: both, remind: both, stp: `{en: "Article"}`,
			err: "chain.yaml:17: missing French text at $.steps[0].source"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			contacts := strings.NewReplacer("SOURCE", tc.source, "KIND", tc.kind, "VALUE", tc.value).Replace(bilingualContacts)
			chain := strings.NewReplacer("DOCUMENT", tc.doc, "REMIND", tc.remind, "STEP", tc.stp).Replace(bilingualChain)
			cat, err := flows.Compile([]flows.File{{Name: "contacts.yaml", Data: []byte(contacts)}, {Name: "chain.yaml", Data: []byte(chain)}})
			if tc.err != "" {
				var errs flows.Errors
				if !errors.As(err, &errs) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("Compile: %v, want an error %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Compile: %v", err)
			}
			var got []string
			for _, w := range cat.Warnings() {
				got = append(got, w.Error())
			}
			if len(got) != len(tc.warns) {
				t.Fatalf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.warns, "\n"))
			}
			for i, w := range tc.warns {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("warning %d = %q, want %q…", i, got[i], w)
				}
			}
			c := mustChain(t, cat, "test/bilingual")
			s := c.Step("declare")
			m := s.Recipients[0].Means[0]
			for _, lang := range []flows.Lang{flows.FR, flows.EN} {
				if s.Source.In(lang) == "" || c.Source.Document.In(lang) == "" || m.Value.In(lang) == "" || s.Remind.Source.In(lang) == "" {
					t.Errorf("%s: a text is empty: step source %q, document %q, means %q", lang, s.Source.In(lang), c.Source.Document.In(lang), m.Value.In(lang))
				}
			}
			if tc.stp == both && (s.Source.In(flows.EN) != "Public health code" || s.Source.In(flows.FR) != "Code de la santé publique") {
				t.Errorf("step source %+v", s.Source)
			}
			if s.FromChart() != (tc.stp == "chart") {
				t.Errorf("FromChart() = %v for source %s", s.FromChart(), tc.stp)
			}
		})
	}
}
