package cli_test

import (
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// screensIn runs, in lang, everything that shows the built-in chains'
// texts: the reflex sheet (Markdown and PDF), `flows show` and `flows
// eval` (text and JSON) of every chain in force, and a console session per
// chain (every question answered yes, the full status, the detail of every
// step, the drafts) with the exports of its incident in Markdown and PDF.
// It returns each output by name.
func screensIn(t *testing.T, lang string) map[string]string {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	words := map[string]map[string]string{
		"fr": {"open": "ouvrir Incident de test", "chain": "chaine", "answer": "repondre", "yes": "oui", "status": "statut complet", "draft": "brouillon"},
		"en": {"open": "open Test incident", "chain": "chain", "answer": "answer", "yes": "yes", "status": "status full", "draft": "draft"},
	}[lang]
	out := map[string]string{}
	l := []string{"--lang", lang}
	out["fiche --nis2"] = scanRun(t, "", append(l, "fiche", "--nis2")...)
	pdf := filepath.Join(t.TempDir(), "fiche.pdf")
	scanRun(t, "", append(l, "fiche", "--nis2", "-o", pdf)...)
	out["fiche --nis2 (PDF)"] = pdfText(t, pdf)
	for _, c := range cat.Chains(time.Now()) {
		out["flows show "+c.ID] = scanRun(t, "", append(l, "flows", "show", c.ID)...)
		args := append(l, "flows", "eval", c.ID, "--feature", "nis2", "--t0", "2026-03-28T10:00:00+01:00")
		for _, q := range c.Questions {
			args = append(args, q.ID+"=yes")
		}
		out["flows eval "+c.ID] = scanRun(t, "", args...)
		out["flows eval "+c.ID+" --format json"] = scanRun(t, "", append(args, "--format", "json")...)

		db := filepath.Join(t.TempDir(), "vigie.db")
		var script strings.Builder
		script.WriteString(words["open"] + "\n" + words["chain"] + " " + c.ID + "\n")
		for _, q := range c.Questions {
			script.WriteString(words["answer"] + " " + q.ID + " " + words["yes"] + "\n")
		}
		script.WriteString(words["status"] + "\n")
		for _, s := range c.Steps {
			script.WriteString("detail " + s.ID + "\n")
		}
		for _, d := range []string{"cert-sante", "cnil", "anssi"} {
			script.WriteString(words["draft"] + " " + d + "\n")
		}
		out["console "+c.ID] = scanRun(t, script.String(), "--db", db, "--lang", lang, "console", "--nis2", "--sweep", "0")
		out["export md "+c.ID] = scanRun(t, "", "--db", db, "--lang", lang, "export", "2026-0001", "--format", "md")
		pdf := filepath.Join(t.TempDir(), "export.pdf")
		scanRun(t, "", "--db", db, "--lang", lang, "export", "2026-0001", "-o", pdf)
		out["export pdf "+c.ID] = pdfText(t, pdf)
	}
	return out
}

// frenchInEnglish are texts of the built-in chain and contacts files that
// were once written in French only (sources, channels described in words,
// the chains' source documents), each with words of its English version:
// an English screen must show the second, never the first.
var frenchInEnglish = []struct{ fr, en string }{
	{"Instance régionale du ROR", "Regional ROR instance"},
	{"Canaux propres de la structure", "The structure's own channels"},
	{"Registre des violations tenu par le DPO", "Breach register kept by the structure's DPO"},
	{"Se présenter au commissariat", "Go to the police station"},
	{"Coordonnées de déclaration de sinistre", "claim"},
	{"Cadence de rappel choisie par Vigie", "Reminder cadence chosen by Vigie"},
	{"rédaction issue du décret", "as worded by decree"},
	{"ajouté par Vigie, hors schéma", "added by Vigie, not on the chart"},
	{"Code des assurances", "Insurance code"},
	{"mars 2025", "March 2025"},
}

// frenchTypography is the French spacing of punctuation and its quotes,
// which an English line shows only inside the quoted title of a French
// document (“Incident de cybersécurité : …”).
var frenchTypography = regexp.MustCompile(`[«»]|\S ;( |$)|\S :( |$)`)

// quotedTitle is the title of a French document quoted in English.
var quotedTitle = regexp.MustCompile(`“[^”]*”`)

// TestEnglishScreensShowNoFrenchChainText: with --lang en, the texts of
// the built-in chains that were French only reach the screens, the reflex
// sheet and the exports in English, with English punctuation around them.
func TestEnglishScreensShowNoFrenchChainText(t *testing.T) {
	screens := screensIn(t, "en")
	var all strings.Builder
	for where, text := range screens {
		all.WriteString(text)
		for i, line := range strings.Split(text, "\n") {
			for _, p := range frenchInEnglish {
				if strings.Contains(line, p.fr) {
					t.Errorf("%s, line %d: French %q in %q", where, i+1, p.fr, strings.TrimSpace(line))
				}
			}
			// A PDF line may cut a quoted title in two: the Markdown twin is read.
			if m := frenchTypography.FindString(quotedTitle.ReplaceAllString(line, "“”")); m != "" && !strings.Contains(where, "PDF") {
				t.Errorf("%s, line %d: French typography %q in %q", where, i+1, m, strings.TrimSpace(line))
			}
		}
	}
	for _, p := range frenchInEnglish {
		if !strings.Contains(all.String(), p.en) {
			t.Errorf("no English screen shows %q (the English of %q)", p.en, p.fr)
		}
	}
}

// TestScreensShowChainTextsInTheirLanguage: every text of the built-in
// chains and contacts reaches a screen in the screen's language only. For
// each language, the texts of the other one (those that differ from their
// translation and are not part of a text of this language, as "CNIL" is
// of "CNIL (French data protection authority)") must appear nowhere; a
// text printed whole, as Go prints a struct, would show both.
func TestScreensShowChainTextsInTheirLanguage(t *testing.T) {
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	texts := chainTexts(cat)
	for _, tc := range []struct{ lang, other flows.Lang }{{flows.EN, flows.FR}, {flows.FR, flows.EN}} {
		t.Run(string(tc.lang), func(t *testing.T) {
			var own strings.Builder
			for _, x := range texts {
				own.WriteString(x.In(tc.lang) + "\n")
			}
			var foreign []string
			seen := map[string]bool{}
			for _, x := range texts {
				s := x.In(tc.other)
				if x.FR != x.EN && x.EN != "" && len(s) >= 8 && !seen[s] && !strings.Contains(own.String(), s) {
					foreign = append(foreign, s)
					seen[s] = true
				}
			}
			if len(foreign) < 300 {
				t.Fatalf("only %d texts to look for: the walk of the catalog misses some", len(foreign))
			}
			screens := screensIn(t, string(tc.lang))
			names := make([]string, 0, len(screens))
			for where := range screens {
				names = append(names, where)
			}
			sort.Strings(names)
			found := 0
			for _, where := range names {
				// PDF text is broken into lines: join them back.
				text := strings.Join(strings.Fields(screens[where]), " ")
				for _, s := range foreign {
					if strings.Contains(text, strings.Join(strings.Fields(s), " ")) {
						if found++; found <= 20 {
							t.Errorf("%s: %s text %q", where, tc.other, s)
						}
					}
				}
			}
			if found > 20 {
				t.Errorf("%d more", found-20)
			}
		})
	}
}

// chainTexts are every text of every version of the catalog's chains and
// of its contacts.
func chainTexts(cat *flows.Catalog) []flows.Text {
	var out []flows.Text
	add := func(ts ...flows.Text) { out = append(out, ts...) }
	means := func(ms []flows.Means) {
		for _, m := range ms {
			add(m.Value, m.Label, m.Source)
		}
	}
	contact := func(ct *flows.Contact) {
		add(ct.Name, ct.About, ct.Source)
		means(ct.Means)
	}
	for _, id := range cat.IDs() {
		for _, c := range cat.Versions(id) {
			add(c.Structure, c.Title, c.Description, c.End, c.Source.Document, c.Source.Ref, c.Source.Note)
			for _, q := range c.Questions {
				add(q.Text, q.Help, q.Source)
			}
			for _, s := range c.Steps {
				add(s.Group, s.Title, s.Action, s.Basis, s.Source, s.Note, s.Remind.Source)
				for _, r := range s.NotRequired {
					add(r)
				}
				for _, r := range s.Recipients {
					contact(r.Contact)
					means(r.Means)
				}
			}
		}
	}
	for _, scope := range cat.Scopes() {
		for _, ct := range cat.Contacts(scope) {
			contact(ct)
		}
	}
	return out
}
