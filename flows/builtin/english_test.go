package builtin_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/flows"
)

// TestBuiltinInBothLanguages: every text of the built-in chain and
// contacts files that a screen shows exists in French and in English —
// sources, the chains' documents, the channels described in words, as
// well as the titles and notes the compiler already requires — so that
// an English screen never shows a French sentence. A text left in French
// only is a warning of `vigie flows validate`; here it fails.
func TestBuiltinInBothLanguages(t *testing.T) {
	for _, w := range mustCatalog(t).Warnings() {
		t.Errorf("flows/builtin/%s", w)
	}
}

var (
	// quotedOrURL are what an English text may keep in French: the title
	// of a French document, in quotes, a French term glossed in brackets,
	// and addresses.
	quotedOrURL = regexp.MustCompile(`“[^”]*”|\([^()]*\)|https?://\S+`)
	// frenchNames are names of French bodies that English keeps.
	frenchNames = strings.NewReplacer("Agence du numérique en santé", "", "Commission nationale de l'informatique et des libertés", "", "Pays de la Loire", "")
	// frenchMarks are French typography (guillemets, a space before ; or
	// :) and words that English does not use.
	frenchMarks = regexp.MustCompile(`[«»]|\S ;|\S : |\b(?:du|des|aux|selon|rédaction|décret|arrêté|en vigueur|n° \d|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|et|ou|le|la|les|pour|avec|sans|sur|dans)\b`)
)

// TestBuiltinEnglishIsEnglish: the English of every built-in text is
// written in English, with English typography; French stays only in the
// quoted titles of French documents, the terms glossed in brackets, the
// names of French bodies and the addresses.
func TestBuiltinEnglishIsEnglish(t *testing.T) {
	cat := mustCatalog(t)
	seen := map[string]bool{}
	check := func(x flows.Text) {
		if x.EN == "" || seen[x.EN] {
			return
		}
		seen[x.EN] = true
		s := frenchNames.Replace(x.EN)
		for range 2 { // brackets within brackets
			s = quotedOrURL.ReplaceAllString(s, "Q")
		}
		if m := frenchMarks.FindString(s); m != "" {
			t.Errorf("%q is French, in %q", m, x.EN)
		}
	}
	for _, id := range cat.IDs() {
		for _, c := range cat.Versions(id) {
			for _, x := range []flows.Text{c.Structure, c.Title, c.Description, c.End, c.Source.Document, c.Source.Ref, c.Source.Note} {
				check(x)
			}
			for _, q := range c.Questions {
				for _, x := range []flows.Text{q.Text, q.Help, q.Source} {
					check(x)
				}
			}
			for _, s := range c.Steps {
				for _, x := range []flows.Text{s.Group, s.Title, s.Action, s.Basis, s.Source, s.Note, s.Remind.Source} {
					check(x)
				}
				for _, r := range s.NotRequired {
					check(r)
				}
			}
		}
	}
	for _, scope := range cat.Scopes() {
		for _, ct := range cat.Contacts(scope) {
			for _, x := range []flows.Text{ct.Name, ct.About, ct.Source} {
				check(x)
			}
			for _, m := range ct.Means {
				for _, x := range []flows.Text{m.Value, m.Label, m.Source} {
					check(x)
				}
			}
		}
	}
	if len(seen) < 400 {
		t.Errorf("only %d English texts read: the walk misses some", len(seen))
	}
}
