package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
)

// TestBadInput: every refused command says what was wrong and what is
// accepted, and leaves the incident and its main courante unchanged.
func TestBadInput(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(10 * time.Minute)
	h.ok("repondre malicious oui")
	h.ok("repondre personal_data_breach oui")
	h.ok("repondre capacity_impact non")
	for _, tc := range []struct{ cmd, want string }{
		{"frobnicate", "Commandes : ouvrir"},
		{"repondre", "Usage : repondre CLÉ VALEUR"},
		{"repondre bogus oui", "capacity_impact"},
		{"repondre malicious peut-etre", "Réponse refusée : la question malicious n'accepte pas « peut-etre » (accepté : oui, non, inconnu)."},
		{"repondre insured", "Usage : repondre"},
		{"repondre malicious oui", "rien n'a changé"},
		{"fait", "Usage : fait ÉTAPE via="},
		{"fait nulle-part via=portail", "Étape inconnue « nulle-part ». Une étape se nomme par son numéro, de 1 à 15, ou par sa clé : cert-sante"},
		{"fait Q1", "« Q1 » nomme une question, pas une étape : on y répond par « /incident repondre Q1 oui|non|inconnu »"},
		{"fait q2 via=portail", "« q2 » nomme une question, pas une étape"},
		{"sans-objet Q3 raison=x", "« Q3 » nomme une question, pas une étape"},
		{"detail Q0", "Question inconnue « Q0 ». Une question se nomme Q1 à Q10"},
		{"detail Q99", "Question inconnue « Q99 »"},
		{"detail zz", "« zz » ne nomme ni une étape (1 à 15, ou sa clé) ni une question (Q1 à Q10, ou sa clé) ; « /incident statut complet » les montre toutes."},
		{"fait cert-sante", "via=… (accepté : portail, email, telephone, courrier, autre)"},
		{"fait cert-sante via=pigeon", "Moyen inconnu « pigeon »"},
		{"fait cert-sante via=portail at=25:99", "Heure illisible « 25:99 »"},
		{"fait cert-sante via=portail at=2030-01-01T00:00:00Z", "dans le futur"},
		{"fait cert-sante via=portail at=2026-11-22T10:00", "antérieure au T0"},
		// 03:00 at 02:20 is later today, not yesterday (then before T0).
		{"fait cert-sante via=portail at=03:00", "L'heure « 03:00 » est encore à venir aujourd'hui (il est 23/11/2026 02:20)"},
		{"t0 03:00", "encore à venir aujourd'hui"},
		{"fait cert-sante via=portail ref=a ref=b", "« ref= » est donné deux fois"},
		{"fait ror via=portail", "n'est pas requise par les réponses données (elle l'est si capacity_impact=oui)"},
		{"sans-objet cert-sante", "la raison est obligatoire"},
		{"rappel cert-sante", "Usage : rappel ÉTAPE DURÉE"},
		{"rappel cert-sante 0m", "Durée refusée « 0m »"},
		{"rappel cert-sante 3 h", "Usage : rappel"},
		{"rappel cnil 3d", "dépasserait l'échéance légale du 26/11/2026 02:10"},
		{"note", "Usage : note TEXTE"},
		{"note " + strings.Repeat("x", 4001), "trop longue"},
		{"point", "Usage : point conditions="},
		{`point conditions="a" bavardage`, "Texte non rattaché « bavardage »"},
		{"t0", "Usage : t0 HEURE"},
		{"t0 demain", "Heure illisible « demain »"},
		{"t0 2099-01-01T00:00:00Z", "dans le futur"},
		{"t0 2026-11-23T02:10:00+01:00", "rien n'a changé"},
		{"brouillon cnil siren=123456789", "SIREN refusé « 123456789 » : 9 chiffres attendus, le dernier étant une clé de contrôle (par exemple 267500452)"},
		{"brouillon cert-sante finess=33-000", "Numéro FINESS refusé « 33-000 » : 9 caractères attendus, le département (2 chiffres, 2A ou 2B) puis 7 chiffres (par exemple 330000000)"},
		{"exporter xls", "Format d'export inconnu « xls » (accepté : md, csv, json, pdf)"},
		{"exporter md json", "Usage : exporter"},
		{"clore maintenant", "« maintenant » n'est pas compris"},
		{"clore", "encore des étapes obligatoires en attente"},
		{"chaine nouvelle-aquitaine/ose", "ne peut pas changer"},
		{"chaine", "Usage : chaine ID"},
		{"#2026-9999 statut", "Aucun incident #2026-9999"},
		{"# statut", "doit être suivi d'un numéro"},
		{"ouvrir Autre incident", "déjà ouvert dans ce canal"},
		{"ouvrir x flow=nulle/part", "Chaîne d'alerte inconnue « nulle/part »"},
		{"#2026-0001 ouvrir x", "retirez le #ID"},
		{"ouvrir " + strings.Repeat("t", 201), "Titre trop long"},
		{"ouvrir x t0=hier", "Heure illisible « hier »"},
	} {
		t.Run(tc.cmd[:min(len(tc.cmd), 40)], func(t *testing.T) {
			before := h.snapshot("2026-0001")
			r := h.do(tc.cmd)
			if !r.Error {
				t.Fatalf("%q was accepted: %+v", tc.cmd, r)
			}
			if !strings.Contains(r.Text, tc.want) {
				t.Errorf("%q: reply %q does not contain %q", tc.cmd, r.Text, tc.want)
			}
			if after := h.snapshot("2026-0001"); after != before {
				t.Errorf("%q changed the incident:\nbefore %s\nafter  %s", tc.cmd, before, after)
			}
		})
	}
}

func TestNoIncidentYet(t *testing.T) {
	h := newHarness(t, bot.Config{})
	for _, cmd := range []string{"statut", "note x", "repondre malicious oui", "fait cert-sante via=portail", "clore"} {
		if r := h.do(cmd); !r.Error || !strings.Contains(r.Text, "Aucun incident ouvert dans ce canal") {
			t.Errorf("%q: %+v", cmd, r)
		}
	}
}

func TestClosedIncidentRefusesChanges(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/ps-liberal"})
	h.ok("ouvrir Poste infecté")
	r := h.do("clore")
	if !r.Error || r.Message == nil || len(r.Message.Blocks[0].Buttons) != 1 || r.Message.Blocks[0].Buttons[0].Action != "#2026-0001 clore confirmer" {
		t.Fatalf("close with pending steps: %+v", r)
	}
	h.now = t0.Add(time.Hour)
	h.ok("#2026-0001 clore confirmer")
	inc := h.incident("2026-0001")
	if inc.Status != incident.StatusClosed || !inc.ClosedAt.Equal(h.now) {
		t.Fatalf("incident %+v", inc)
	}
	es := h.entries("2026-0001")
	last := es[len(es)-1]
	if last.Kind != incident.KindClosed || !strings.Contains(last.Data["left"], "ARS") {
		t.Fatalf("closing entry %+v does not list what was left", last)
	}
	before := h.snapshot("2026-0001")
	for _, cmd := range []string{"#2026-0001 note après", "#2026-0001 repondre malicious oui", "#2026-0001 clore confirmer"} {
		if r := h.do(cmd); !r.Error || !strings.Contains(r.Text, "est clos") {
			t.Errorf("%q on a closed incident: %+v", cmd, r)
		}
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("a closed incident was changed")
	}
	// The channel is free again.
	h.ok("ouvrir Nouveau")
}

func TestChooseChain(t *testing.T) {
	h := newHarness(t, bot.Config{})
	h.ok("ouvrir Incident")
	inc := h.incident("2026-0001")
	card := h.chat.Message(inc.Messages[bot.RoleCard])
	if !contains(bottestButtons(card), "#2026-0001 chaine nouvelle-aquitaine/ose") {
		t.Fatalf("card does not offer the chains: %v", bottestButtons(card))
	}
	if _, ok := inc.Messages[bot.RoleChecklist]; ok {
		t.Fatal("a checklist was posted before the chain was chosen")
	}
	if r := h.do("repondre malicious oui"); !r.Error || !strings.Contains(r.Text, "pas encore de chaîne") {
		t.Fatalf("answer before chain: %+v", r)
	}
	h.ok("#2026-0001 chaine nouvelle-aquitaine/ose")
	inc = h.incident("2026-0001")
	if inc.Chain != "nouvelle-aquitaine/ose" || inc.Messages[bot.RoleChecklist] == "" {
		t.Fatalf("incident %+v", inc)
	}
	if r := h.do("chaine nouvelle-aquitaine/es-esms"); !r.Error {
		t.Fatal("the chain changed after being pinned")
	}
}

func TestAnswerRevision(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	h.ok("repondre personal_data_breach inconnu")
	h.now = t0.Add(26 * time.Hour)
	h.ok("repondre personal_data_breach oui")
	inc := h.incident("2026-0001")
	if a, _ := inc.Answer("personal_data_breach"); a.Value != "yes" || len(inc.Answers["personal_data_breach"]) != 1 {
		t.Fatalf("answer records %+v, want the current one only (revisions are entries)", inc.Answers["personal_data_breach"])
	}
	es := h.entries("2026-0001")
	if last := es[len(es)-1]; last.Data["previous"] != "unknown" || last.Data["value"] != "yes" {
		t.Fatalf("revision entry %+v", last)
	}
	// CNIL appears with its deadline T0 + 72 h, not answer + 72 h.
	list := render(h.chat.Message(inc.Messages[bot.RoleChecklist]))
	if !strings.Contains(list, "26/11/2026 02:10 (T0 + 72h) — dans 1 j 22 h") {
		t.Fatalf("CNIL deadline not shown:\n%s", list)
	}
	// A question no longer asked cannot be answered.
	h.ok("repondre personal_data_breach non")
	if r := h.do("repondre high_risk oui"); !r.Error || !strings.Contains(r.Text, "n'est pas posée") {
		t.Fatalf("answer to a question not asked: %+v", r)
	}
}

func TestDialogs(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	ev := bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 fait ars", Dialogs: true}
	r := h.bot.Handle(ctxb(), ev)
	if r.Dialog == nil || r.Dialog.Action != "#2026-0001 fait ars" || len(r.Dialog.Fields) != 4 {
		t.Fatalf("click on Fait: %+v", r)
	}
	if len(h.entries("2026-0001")) != 1 {
		t.Fatal("opening a dialog logged something")
	}
	h.now = t0.Add(5 * time.Minute)
	r = h.bot.Handle(ctxb(), bot.Event{Channel: "crise", User: h.user, Text: r.Dialog.Action,
		Fields: map[string]string{"via": "email", "ref": "mail 02:15", "note": "accusé reçu"}})
	if r.Error {
		t.Fatalf("dialog submission refused: %s", r.Text)
	}
	st := h.incident("2026-0001").Steps["ars"]
	if st.Proof.Means != "email" || st.Proof.Ref != "mail 02:15" || st.Proof.Note != "accusé reçu" {
		t.Fatalf("proof %+v", st.Proof)
	}
	r = h.bot.Handle(ctxb(), bot.Event{Channel: "crise", User: h.user, Text: "point", Dialogs: true})
	if r.Dialog == nil || r.Dialog.Action != "#2026-0001 point" {
		t.Fatalf("point dialog: %+v", r)
	}
}

func TestEnglish(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Lang: "en"})
	r := h.ok("open Ransomware")
	if r.Text != "Incident #2026-0001 opened: Ransomware." {
		t.Fatalf("reply %q", r.Text)
	}
	if r := h.do("done cert-sante via=pigeon"); !strings.Contains(r.Text, `Unknown means "pigeon" (accepted: portal, email, phone, letter, other)`) {
		t.Fatalf("reply %q", r.Text)
	}
	// An error of package flows reaches the person in their language.
	if r := h.do("answer malicious maybe"); r.Text != `⚠️ Answer refused: question malicious does not accept "maybe" (accepted: yes, no, unknown).` {
		t.Fatalf("reply %q", r.Text)
	}
	inc := h.incident("2026-0001")
	if !strings.Contains(render(h.chat.Message(inc.Messages[bot.RoleChecklist])), "Mandatory notifications") {
		t.Fatal("checklist not in English")
	}
}

func TestSnoozeAndNA(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	h.ok("repondre personal_data_breach oui")
	h.ok("rappel cnil 2h")
	if st := h.incident("2026-0001").Steps["cnil"]; !st.SnoozedUntil.Equal(t0.Add(2 * time.Hour)) {
		t.Fatalf("snooze %+v", st)
	}
	h.ok("sans-objet ars déjà prévenue par le portail")
	st := h.incident("2026-0001").Steps["ars"]
	if st.Status != incident.StepNA || st.Reason != "déjà prévenue par le portail" {
		t.Fatalf("na %+v", st)
	}
	if r := h.do("fait ars via=email"); !r.Error || !strings.Contains(r.Text, "sans objet") {
		t.Fatalf("done after na: %+v", r)
	}
	h.ok(`point conditions="PACS arrêté" actions="bascule papier" besoins="renfort"`)
	es := h.entries("2026-0001")
	if p := es[len(es)-1]; p.Kind != incident.KindPoint || p.Data["besoins"] != "renfort" {
		t.Fatalf("point entry %+v", p)
	}
	h.ok("exporter json")
	if len(h.chat.Uploads) != 1 {
		t.Fatalf("uploads %v", h.chat.Uploads)
	}
	for name, data := range h.chat.Uploads {
		rep, err := report.Verify(strings.NewReader(string(data)), report.VerifyOptions{})
		if err != nil {
			t.Fatalf("exported %s does not verify: %v", name, err)
		}
		if rep.Incident != "2026-0001" {
			t.Fatalf("report %+v", rep)
		}
	}
}

// TestSecondIncidentInTheTerminal: the terminal is one channel; a second
// incident is refused with a way forward that exists there.
func TestSecondIncidentInTheTerminal(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Bare: true})
	h.ok("ouvrir Rançongiciel")
	r := h.do("ouvrir Autre")
	if !r.Error || !strings.Contains(r.Text, "dans un autre terminal, sur une autre base : vigie --db AUTRE.db") {
		t.Errorf("second incident: %+v", r)
	}
}
