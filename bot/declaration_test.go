package bot_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
)

var org = incident.Organisation{Name: "CH Exemple", FINESS: "330000000", SIREN: "263300007", DPO: "Mme Dupont, dpo@ch-exemple.fr, 05 00 00 00 01"}

// draftNight opens the incident of the night, answers the chain's
// questions and records the CERT Santé declaration.
func draftNight(t *testing.T, cfg bot.Config) *harness {
	t.Helper()
	cfg.Chain = "nouvelle-aquitaine/es-esms"
	h := newHarness(t, cfg)
	h.ok("ouvrir Rançongiciel sur le PACS")
	h.now = t0.Add(10 * time.Minute)
	for _, a := range []string{"capacity_impact oui", "malicious oui", "personal_data_breach oui", "high_risk inconnu"} {
		h.ok("repondre " + a)
	}
	h.now = t0.Add(20 * time.Minute)
	h.ok("fait cert-sante via=portail ref=CS-1234 at=02:25")
	h.now = t0.Add(30 * time.Minute)
	return h
}

// draftText is the draft a reply shows, and the hash of the text.
func draftText(t *testing.T, r bot.Reply) (string, string) {
	t.Helper()
	if r.Error || r.Message == nil || len(r.Message.Blocks) < 2 {
		t.Fatalf("no draft in %+v", r)
	}
	text := r.Message.Blocks[0].Text
	sum := sha256.Sum256([]byte(text))
	return text, hex.EncodeToString(sum[:])
}

// update rewrites the golden files under testdata (bottest.Golden reads it).
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

func golden(t *testing.T, name, got string) {
	t.Helper()
	bottest.Golden(t, filepath.Join("testdata", name), []byte(got))
}

const cnilFacts = `declarant="Jean Martin, RSSI" contact="06 00 00 00 02, rssi@ch-exemple.fr" ` +
	`nature="Disponibilité et confidentialité : dossiers chiffrés, exfiltration possible" ` +
	`donnees="Dossiers patients, imagerie (données de santé)" personnes="patients, environ 12 000" ` +
	`enregistrements="examens d'imagerie, environ 40 000" consequences="divulgation de données de santé ; hameçonnage ciblé" ` +
	`mesures="PACS isolé, restauration depuis les sauvegardes hors ligne, mots de passe réinitialisés" ` +
	`attenuation="vigilance renforcée sur l'hameçonnage signalée aux patients par voie d'affichage" ` +
	`information_personnes="prévue dès que le périmètre sera établi"`

func TestDraftCNIL(t *testing.T) {
	h := draftNight(t, bot.Config{Organisation: org})
	before := h.snapshot("2026-0001")

	// Nothing given: the reply says what is missing and how to give it;
	// nothing is logged.
	r := h.ok("brouillon cnil")
	for _, w := range []string{"il manque 10 informations :", "• declarant= Déclarant (nom, fonction)",
		"• attenuation= Mesures pour atténuer les éventuelles conséquences négatives pour les personnes",
		"• information_personnes= Personnes concernées informées —",
		"• personnes= Catégories et nombre approximatif de personnes concernées", "/incident #2026-0001 brouillon cnil declarant=\"…\" contact=\"…\"",
		"incomplet=oui"} {
		if !strings.Contains(r.Text, w) {
			t.Errorf("missing-facts reply lacks %q:\n%s", w, r.Text)
		}
	}
	for _, k := range []string{"structure=", "siren=", "dpo="} {
		if strings.Contains(r.Text, "• "+k) {
			t.Errorf("%s is asked although the organisation gives it:\n%s", k, r.Text)
		}
	}
	if got := bottestButtons(*r.Message); !contains(got, "#2026-0001 brouillon cnil") || !contains(got, "#2026-0001 brouillon cnil incomplet=oui") {
		t.Errorf("buttons %v", got)
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("asking for the missing facts changed the incident")
	}

	// Some facts: kept, the rest asked.
	r = h.ok(`brouillon cnil declarant="Jean Martin, RSSI" contact="06 00 00 00 02, rssi@ch-exemple.fr"`)
	if !strings.Contains(r.Text, "informations gardées pour les déclarations : declarant, contact") || !strings.Contains(r.Text, "il manque 8") {
		t.Fatalf("reply %s", r.Text)
	}
	inc := h.incident("2026-0001")
	if inc.Facts["declarant"] != "Jean Martin, RSSI" {
		t.Fatalf("facts %v", inc.Facts)
	}
	es := h.entries("2026-0001")
	if last := es[len(es)-1]; last.Kind != incident.KindFacts || last.Data["contact"] != "06 00 00 00 02, rssi@ch-exemple.fr" {
		t.Fatalf("facts entry %+v", last)
	}

	// Everything: the draft, logged with its hash.
	r = h.ok("brouillon cnil " + cnilFacts)
	text, hash := draftText(t, r)
	golden(t, "draft-cnil.golden", text+"\n")
	es = h.entries("2026-0001")
	last := es[len(es)-1]
	if last.Kind != incident.KindDraft || last.Data["target"] != "cnil" || last.Data["sha256"] != hash || last.Data["missing"] != "" {
		t.Fatalf("draft entry %+v, want sha256 %s", last, hash)
	}
	if es[len(es)-2].Kind != incident.KindFacts {
		t.Errorf("the new facts were not logged before the draft: %+v", es[len(es)-2])
	}
	// The first facts are not logged again.
	if strings.Contains(es[len(es)-2].Text, "Jean Martin") {
		t.Errorf("unchanged facts logged again: %s", es[len(es)-2].Text)
	}
	notes := r.Message.Blocks[1].Text
	if !strings.Contains(notes, "https://notifications.cnil.fr/notifications/index") || !strings.Contains(notes, hash[:12]) {
		t.Errorf("notes %q", notes)
	}

	// The same draft again: same text, logged again (each draft produced
	// is in the main courante), no facts entry.
	n := len(es)
	h.now = h.now.Add(time.Minute)
	r = h.ok("brouillon cnil")
	if _, hash2 := draftText(t, r); hash2 == "" {
		t.Fatal("no draft")
	}
	if es = h.entries("2026-0001"); len(es) != n+1 || es[n].Kind != incident.KindDraft {
		t.Fatalf("second draft logged %d entries", len(es)-n)
	}

	// The CERT Santé draft reuses the facts already given.
	r = h.ok("brouillon cert-sante")
	for _, k := range []string{"declarant=", "contact=", "donnees=", "mesures="} {
		if strings.Contains(r.Text, "• "+k) {
			t.Errorf("%s asked again:\n%s", k, r.Text)
		}
	}
	for _, k := range []string{"description=", "perimetre=", "systemes=", "impact_donnees=", "impact_personnes=", "impact_systemes=", "impact_structure="} {
		if !strings.Contains(r.Text, "• "+k) {
			t.Errorf("%s not asked:\n%s", k, r.Text)
		}
	}
	r = h.ok(`brouillon ars description="Chiffrement du PACS découvert à 02:10 par l'astreinte" perimetre="imagerie, urgences" ` +
		`systemes="PACS, serveurs d'imagerie" impact_donnees="images indisponibles, exfiltration possible" ` +
		`impact_personnes="examens reportés, pas de dommage patient connu" impact_systemes="PACS arrêté et isolé" ` +
		`impact_structure="urgences en mode dégradé, délestage de l'imagerie vers le CHU"`)
	text, _ = draftText(t, r)
	golden(t, "draft-cert-sante.golden", text+"\n")
}

func TestDraftLateAndPartial(t *testing.T) {
	h := draftNight(t, bot.Config{Organisation: org})
	h.now = t0.Add(80 * time.Hour)
	r := h.ok("brouillon cnil " + cnilFacts)
	if !strings.Contains(r.Text, "• retard= Motifs du retard (notification au-delà de 72 heures)") {
		t.Fatalf("past 72 h the reasons for the delay are not asked:\n%s", r.Text)
	}
	r = h.ok(`brouillon cnil retard="violation confirmée par l'analyse forensique le 26/11"`)
	text, _ := draftText(t, r)
	if !strings.Contains(text, "Motifs du retard (notification au-delà de 72 heures) : violation confirmée") {
		t.Errorf("draft lacks the reasons for the delay:\n%s", text)
	}

	// A draft with blanks, on demand.
	h2 := draftNight(t, bot.Config{})
	r = h2.ok("brouillon anssi incomplet=oui")
	text, _ = draftText(t, r)
	for _, w := range []string{"Structure (raison sociale) : [À COMPLÉTER]", "Service essentiel touché : [À COMPLÉTER]", "Causes (si connues) : non connues à ce stade"} {
		if !strings.Contains(text, w) {
			t.Errorf("partial draft lacks %q:\n%s", w, text)
		}
	}
	notes := r.Message.Blocks[1].Text
	if !strings.Contains(notes, "Brouillon incomplet") || !strings.Contains(notes, "ne rendent pas (encore) obligatoire la déclaration ANSSI (OSE)") {
		t.Errorf("notes %q", notes)
	}
	es := h2.entries("2026-0001")
	if last := es[len(es)-1]; last.Kind != incident.KindDraft || !strings.Contains(last.Data["missing"], "service") {
		t.Errorf("partial draft entry %+v", last)
	}
}

func TestDraftDialogs(t *testing.T) {
	h := draftNight(t, bot.Config{Organisation: org})
	click := func(text string, fields map[string]string, dialogs bool) bot.Reply {
		return h.bot.Handle(ctxb(), bot.Event{Channel: "crise", User: h.user, Text: text, Fields: fields, Dialogs: dialogs})
	}
	r := click("brouillon cert-sante", nil, true)
	d := r.Dialog
	if d == nil || d.Action != "#2026-0001 brouillon cert-sante" || len(d.Fields) != 5 || len([]rune(d.Title)) > 24 {
		t.Fatalf("dialog %+v", r)
	}
	if d.Fields[0].Name != "declarant" || d.Fields[0].Default != "rssi" || d.Fields[2].Name != "description" || d.Fields[2].Default != "Rançongiciel sur le PACS" {
		t.Errorf("fields %+v", d.Fields)
	}
	fields := map[string]string{}
	for _, f := range d.Fields {
		fields[f.Name] = "valeur de " + f.Name
	}
	// Submitted where no dialog can follow: the rest is asked in words.
	r = click(d.Action, fields, false)
	if r.Error || !strings.Contains(r.Text, "il manque 6") {
		t.Fatalf("after the first dialog: %+v", r)
	}
	// The "Compléter" button opens the next dialog.
	r = click("#2026-0001 brouillon cert-sante", nil, true)
	if r.Dialog == nil || len(r.Dialog.Fields) != 5 || r.Dialog.Fields[0].Name != "donnees" {
		t.Fatalf("second dialog %+v", r)
	}
	fields = map[string]string{}
	for _, f := range r.Dialog.Fields {
		fields[f.Name] = "valeur de " + f.Name
	}
	r = click(r.Dialog.Action, fields, true) // Slack can push the next one
	if r.Dialog == nil || len(r.Dialog.Fields) != 1 || r.Dialog.Fields[0].Name != "mesures" {
		t.Fatalf("third dialog %+v", r)
	}
	fields = map[string]string{"mesures": "valeur"}
	r = click(r.Dialog.Action, fields, true)
	text, _ := draftText(t, r)
	if !strings.Contains(text, "Périmètre : valeur de perimetre") {
		t.Errorf("draft %s", text)
	}
}

func TestDraftRefuses(t *testing.T) {
	h := draftNight(t, bot.Config{Organisation: org})
	before := h.snapshot("2026-0001")
	for _, tt := range []struct{ cmd, want string }{
		{"brouillon", "Usage : brouillon cnil|cert-sante|anssi"},
		{"brouillon hadopi", "Brouillon inconnu « hadopi »"},
		{"brouillon cnil les patients", "Texte non rattaché « les patients »"},
		{"brouillon cnil personnes=" + strings.Repeat("x", 4001), "« personnes » est trop long"},
		{`brouillon cnil personnes="patient ` + nir + `"`, "Rien n'a été enregistré"},
		{`brouillon cert-sante perimetre=a scope=b`, "« perimetre= » est donné deux fois"},
	} {
		r := h.do(tt.cmd)
		if !r.Error || !strings.Contains(r.Text, tt.want) {
			t.Errorf("%.60s: %+v, want %q", tt.cmd, r, tt.want)
		}
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("a refused draft changed the incident")
	}
	h.ok("clore confirmer")
	if r := h.do("#2026-0001 brouillon cnil"); !r.Error || !strings.Contains(r.Text, "est clos") {
		t.Errorf("draft on a closed incident: %+v", r)
	}
}

func TestDraftEnglish(t *testing.T) {
	h := draftNight(t, bot.Config{Organisation: org, Lang: "en"})
	r := h.ok(`draft anssi reporter="Jean Martin, CISO" contact="+33 6 00 00 00 02" service="emergency care" ` +
		`description="PACS encrypted" systems="PACS" users="about 300 clinicians" duration="since 02:10, ongoing" ` +
		`spread="one site" measures="PACS isolated"`)
	text, _ := draftText(t, r)
	golden(t, "draft-anssi-en.golden", text+"\n")
	if !strings.Contains(r.Message.Blocks[1].Text, "do not (yet) make the ANSSI (OSE) declaration mandatory") {
		t.Errorf("notes %q", r.Message.Blocks[1].Text)
	}
}
