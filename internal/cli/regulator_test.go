package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// draftScript asks a CNIL draft in the terminal, gives what is missing,
// then tries to log a patient's NIR.
const draftScript = `ouvrir Rançongiciel sur le PACS t0=02:10
chaine nouvelle-aquitaine/es-esms
repondre personal_data_breach oui
brouillon cnil
brouillon cnil declarant="Jean Martin, RSSI" contact="06 00 00 00 02" nature="chiffrement, exfiltration possible" donnees="dossiers patients" personnes="patients, environ 12 000" enregistrements="environ 40 000 examens" consequences="divulgation de données de santé" mesures="PACS isolé" attenuation="aucune à ce stade" information_personnes="prévue"
note patient 1 85 05 78 006 084 91 transféré
note masquer=oui patient 1 85 05 78 006 084 91 transféré
exporter pdf
`

func TestConsoleDraftGuardAndPDF(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	saved := now
	now = func() time.Time { return time.Date(2026, 11, 23, 1, 40, 0, 0, time.UTC) }
	t.Cleanup(func() { now = saved })
	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader(draftScript), Stdout: &out, Stderr: &errs, Getenv: func(k string) string {
		return map[string]string{"USER": "rssi", "VIGIE_ORG_NAME": "CH Exemple", "VIGIE_ORG_SIREN": "263300007",
			"VIGIE_ORG_DPO": "Mme Dupont, dpo@ch-exemple.fr", "VIGIE_SLACK_MODE": "not read by the console"}[k]
	}}
	if code := Run(context.Background(), env, []string{"--db", db, "console", "--sweep", "0"}); code != ExitOK || errs.Len() > 0 {
		t.Fatalf("console: exit %d, stderr:\n%s\nstdout:\n%s", code, errs.String(), out.String())
	}
	got := out.String()
	for _, w := range []string{
		"il manque 10 informations",
		"• nature= Nature de la violation",
		"NOTIFICATION DE VIOLATION DE DONNÉES À CARACTÈRE PERSONNEL — CNIL",
		"Structure (raison sociale) : CH Exemple",
		"N° SIREN : 263300007",
		"Délégué à la protection des données (DPO) ou autre point de contact : Mme Dupont, dpo@ch-exemple.fr",
		"Rien n'a été enregistré : le texte semble contenir un numéro de sécurité sociale (NIR)",
		"main courante exportée (pdf)",
	} {
		if !strings.Contains(got, w) {
			t.Errorf("console output lacks %q:\n%s", w, got)
		}
	}

	st, err := boltstore.Open(db, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	es, err := st.Entries(context.Background(), "2026-0001", 0, 0)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, e := range es {
		kinds = append(kinds, e.Kind)
		if guard.MaskNIRs(e.Text, "fr") != e.Text {
			t.Errorf("entry %d holds a NIR: %q", e.Seq, e.Text)
		}
	}
	if strings.Join(kinds, ",") != "opened,chain,answer,facts,draft,note,export" {
		t.Errorf("main courante kinds %v", kinds)
	}

	// The PDF the console wrote, read back.
	pdfs, _ := filepath.Glob(filepath.Join(filepath.Dir(db), "exports", "*.pdf"))
	if len(pdfs) != 1 {
		t.Fatalf("exports: %v", pdfs)
	}
	pdf, err := os.ReadFile(pdfs[0])
	if err != nil {
		t.Fatal(err)
	}
	text := bottest.PDFText(t, pdf)
	for _, w := range []string{"Rançongiciel sur le PACS", "patient [NIR masqué] transféré", "Brouillon de déclaration CNIL produit", es[len(es)-2].Hash} {
		if !strings.Contains(squeezeSpace(text), squeezeSpace(w)) {
			t.Errorf("PDF lacks %q", w)
		}
	}
}

func squeezeSpace(s string) string { return strings.Join(strings.Fields(s), "") }

// TestExportPDFCommand: vigie export --format pdf, and -o x.pdf alone.
func TestExportPDFCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC)
	inc, err := s.Create(context.Background(), &incident.Incident{Title: "Fuite « cœur » à l'hôpital", T0: at, OpenedBy: incident.User{Name: "rssi"}, OpenedAt: at, Channel: "crise"},
		[]incident.Entry{{Time: at, Actor: "@rssi", Kind: incident.KindOpened, Text: "Ouverture : ça commence, très tôt"}})
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := keyfile.Load(filepath.Dir(db)); err != nil { // as the first console or serve does
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "mc.pdf")
	if out := mustRun(t, "--db", db, "export", inc.ID, "-o", file); !strings.Contains(out, "→ "+file) {
		t.Errorf("stdout %q", out)
	}
	pdf, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	stdout := mustRun(t, "--db", db, "export", inc.ID, "--format", "pdf")
	if !strings.HasPrefix(stdout, "%PDF-") {
		t.Fatal("--format pdf did not write a PDF")
	}
	text := bottest.PDFText(t, pdf)
	for _, w := range []string{"Fuite « cœur » à l'hôpital", "ça commence, très tôt", inc.Head.Hash} {
		if !strings.Contains(squeezeSpace(text), squeezeSpace(w)) {
			t.Errorf("PDF lacks %q:\n%s", w, text)
		}
	}
}
