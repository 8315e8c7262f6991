package cli

import (
	"crypto/ed25519"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

func TestFicheGolden(t *testing.T) {
	useTestClock(t)
	cat := mustCatalog(t)
	for _, id := range cat.IDs() {
		out := mustRun(t, "fiche", "--flow", id)
		checkGolden(t, "fiche-"+strings.ReplaceAll(id, "/", "_")+".md", out)

		// Every number and address the chain's steps name is on the
		// sheet; those of the region's and the nation's other contacts
		// are not, unless the steps' own words send to them (the CERT-FR
		// when the CERT Santé is saturated, 17Cyber).
		c, err := cat.Current(id, flowsTestNow)
		if err != nil {
			t.Fatal(err)
		}
		named := map[string]bool{}
		var words strings.Builder
		for _, s := range c.Steps {
			if s.Feature != "" {
				continue
			}
			words.WriteString(s.Action.FR + "\n" + s.Note.FR + "\n")
			for _, r := range s.Recipients {
				for _, m := range r.Means {
					named[m.Address()] = true
					if m.Kind == "other" || m.Kind == "post" {
						continue // a channel in words: the sheet gives its label
					}
					if !strings.Contains(out, m.Address()) {
						t.Errorf("%s: the sheet lacks %s's %s %q", id, r.Contact.ID, m.Kind, m.Address())
					}
				}
			}
		}
		scopes := []string{flows.ScopeNational}
		if c.Region != "" {
			scopes = append(scopes, c.Region)
		}
		for _, scope := range scopes {
			for _, ct := range cat.Contacts(scope) {
				for _, m := range ct.Means {
					v := m.Address()
					if named[v] || len(v) < 5 || strings.Contains(words.String(), v) {
						continue
					}
					if strings.Contains(out, v) {
						t.Errorf("%s: the sheet gives %s's %s %q, which the chain does not use", id, ct.ID, m.Kind, v)
					}
				}
			}
		}
	}

	// The structure from the environment, in English, NIS2 on.
	var out strings.Builder
	state := t.TempDir() // not the state directory of whoever runs the tests, which may hold a key
	env := Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: os.Stderr, Getenv: func(k string) string {
		return map[string]string{"VIGIE_ORG_NAME": "CH Exemple", "VIGIE_ORG_FINESS": "330000000", "VIGIE_MATTERMOST_URL": "not read", "XDG_STATE_HOME": state}[k]
	}}
	if code := Run(t.Context(), env, []string{"--lang", "en", "fiche", "--flow", "nouvelle-aquitaine/ose", "--nis2"}); code != ExitOK {
		t.Fatalf("fiche --lang en: exit %d", code)
	}
	checkGolden(t, "fiche-en-nouvelle-aquitaine_ose-nis2.md", out.String())
	if !strings.Contains(out.String(), "Structure: CH Exemple — FINESS 330000000") || !strings.Contains(out.String(), "NIS2") {
		t.Errorf("English sheet:\n%s", out.String())
	}

	// Every chain, one after the other.
	all := mustRun(t, "fiche")
	if n := strings.Count(all, "\n---\n"); n != len(cat.IDs())-1 {
		t.Errorf("%d separators for %d chains", n, len(cat.IDs()))
	}
	for _, c := range cat.Chains(flowsTestNow) {
		if !strings.Contains(all, "## "+c.Title.FR) {
			t.Errorf("the full sheet lacks %s", c.ID)
		}
	}
}

// TestFichePDF: -o with a .pdf name writes the PDF sheet, one page, its
// numbers whole and its French words readable; the Markdown and the PDF
// say the same (bot/report's tests check it for every chain).
func TestFichePDF(t *testing.T) {
	useTestClock(t)
	file := filepath.Join(t.TempDir(), "fiche.pdf")
	if out := mustRun(t, "fiche", "--flow", "nouvelle-aquitaine/es-esms", "-o", file); !strings.Contains(out, "fiche: 1 chain(s), pdf →") {
		t.Errorf("stdout %q", out)
	}
	pdf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(pdf), "%PDF-") {
		t.Fatal("not a PDF")
	}
	text := bottest.PDFText(t, pdf)
	for _, w := range []string{"09 72 43 91 25", "ars33-alerte@ars.sante.fr", "Fiche réflexe", "é", "è", "à", "«", "»", "page 1/1"} {
		if !strings.Contains(text, w) {
			t.Errorf("pdftotext output lacks %q:\n%s", w, text)
		}
	}
}

func TestFicheUsage(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"fiche", "--format", "docx"}, `unknown --format "docx" (accepted: md, pdf)`},
		{[]string{"fiche", "--flow", "nulle/part"}, `unknown chain "nulle/part"`},
		{[]string{"fiche", "x"}, `unknown chain "x"`},
		{[]string{"fiche", "national/ose", "national/es-esms"}, `unexpected argument "national/es-esms"`},
		{[]string{"fiche", "national/ose", "--flow", "national/es-esms"}, `the chain is given twice`},
	} {
		code, _, errs := runCLI(t, tt.args...)
		if code != ExitUsage || !strings.Contains(errs, tt.want) {
			t.Errorf("vigie %s: exit %d, %q; want %q", strings.Join(tt.args, " "), code, errs, tt.want)
		}
	}
}

// TestFicheKeyFingerprint: with a signing key in the data directory, the
// sheet prints its fingerprint and the command that checks an export; it
// never creates a key.
func TestFicheKeyFingerprint(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "vigie.db")
	out := mustRun(t, "--db", db, "fiche", "--flow", "nouvelle-aquitaine/es-esms")
	if strings.Contains(out, "--key") {
		t.Fatal("the sheet names a key before there is one")
	}
	if _, err := os.Stat(filepath.Join(dir, keyfile.Name)); err == nil {
		t.Fatal("fiche created a signing key")
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	fp := keyfile.Fingerprint(key.Public().(ed25519.PublicKey))
	out = mustRun(t, "--db", db, "fiche", "--flow", "nouvelle-aquitaine/es-esms")
	if !strings.Contains(out, "vigie verify FICHIER --key "+fp) {
		t.Errorf("the sheet lacks the key's fingerprint %s:\n%s", fp, out)
	}
}

// TestFicheChainArgument: the chain may be given as an argument, as flows
// show takes it, or with --flow.
func TestFicheChainArgument(t *testing.T) {
	useTestClock(t)
	if a, b := mustRun(t, "fiche", "national/es-esms"), mustRun(t, "fiche", "--flow", "national/es-esms"); a != b {
		t.Errorf("vigie fiche national/es-esms differs from vigie fiche --flow national/es-esms")
	}
}

// TestFicheConfigLang: the sheet is in the configuration's lang: unless
// --lang says otherwise, as the console.
func TestFicheConfigLang(t *testing.T) {
	useTestClock(t)
	conf := filepath.Join(t.TempDir(), "vigie.yaml")
	if err := os.WriteFile(conf, []byte("lang: en\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	en, fr := mustRun(t, "--lang", "en", "fiche", "national/ose"), mustRun(t, "fiche", "national/ose")
	if got := mustRun(t, "--config", conf, "fiche", "national/ose"); got != en {
		t.Errorf("with lang: en, the sheet is not the English one")
	}
	if got := mustRun(t, "--config", conf, "--lang", "fr", "fiche", "national/ose"); got != fr {
		t.Errorf("with lang: en and --lang fr, the sheet is not the French one")
	}
}
