package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/bot/incident"
)

// stakeholderNight is the night of the drafts (CERT Santé declared, a
// data breach) with a situation point, entry 7, at 03:00.
func stakeholderNight(t *testing.T, cfg bot.Config) *harness {
	t.Helper()
	cfg.Organisation = org
	h := draftNight(t, cfg)
	h.now = t0.Add(50 * time.Minute)
	h.ok(`point conditions="PACS arrêté, imagerie en mode dégradé" actions="bascule papier aux urgences, PACS isolé" ` +
		`besoins="renfort DSI, prestataire de réponse à incident"`)
	h.now = t0.Add(time.Hour)
	return h
}

// TestStakeholderMessages: each message is built from the last situation
// point, answered ready to send, and logged in the main courante with the
// SHA-256 of its text; in French and in English.
func TestStakeholderMessages(t *testing.T) {
	ids := []string{"direction", "ars", "personnel", "presse"}
	for _, tc := range []struct {
		lang   bot.Lang
		words  []string
		suffix string
	}{
		{"", ids, ""},
		{"en", []string{"management", "ARS", "staff", "press"}, "-en"},
	} {
		h := stakeholderNight(t, bot.Config{Lang: tc.lang})
		for i, w := range tc.words {
			n := len(h.entries("2026-0001"))
			r := h.ok("message " + w)
			text, hash := draftText(t, r)
			golden(t, "message-"+ids[i]+tc.suffix+".golden", text+"\n")
			es := h.entries("2026-0001")
			if len(es) != n+1 {
				t.Fatalf("message %s: %d entries logged, want 1", w, len(es)-n)
			}
			e := es[n]
			if e.Kind != incident.KindMessage || e.Data["audience"] != ids[i] || e.Data["sha256"] != hash || e.Data["point"] != "7" || e.Data["masked"] != "" {
				t.Errorf("message %s: entry %+v, want audience %s, sha256 %s, point 7", w, e, ids[i], hash)
			}
			if notes := r.Message.Blocks[1].Text; !strings.Contains(notes, hash[:12]) {
				t.Errorf("message %s: notes %q do not give the hash", w, notes)
			}
		}
	}
}

// TestStakeholderPress: the holding statement gives no technical detail
// and nothing of the point: not the title, not the situation, not the
// actions.
func TestStakeholderPress(t *testing.T) {
	h := stakeholderNight(t, bot.Config{})
	text, _ := draftText(t, h.ok("message presse"))
	for _, leak := range []string{"PACS", "Rançongiciel", "bascule", "renfort", "prestataire", "CS-1234", "CNIL", "données"} {
		if strings.Contains(text, leak) {
			t.Errorf("press statement says %q:\n%s", leak, text)
		}
	}
	// CERT Santé is told, the ARS not yet: the statement does not say the
	// authorities were informed without a blank to confirm.
	for _, want := range []string{"CH Exemple", "23 novembre 2026", "[À COMPLÉTER", "[À CONFIRMER] Les autorités compétentes ont été informées."} {
		if !strings.Contains(text, want) {
			t.Errorf("press statement lacks %q:\n%s", want, text)
		}
	}
	h.ok("fait ars via=email")
	h.ok("fait plan-crise-ars via=email")
	text, _ = draftText(t, h.ok("message presse"))
	if !strings.Contains(text, "\nLes autorités compétentes ont été informées.") {
		t.Errorf("every authority due without delay told, the statement still asks to confirm:\n%s", text)
	}
}

// TestStakeholderRefused: without a situation point, or with bad words,
// the refusal says what is wrong and what to do, and changes nothing.
func TestStakeholderRefused(t *testing.T) {
	h := draftNight(t, bot.Config{Organisation: org})
	for _, tc := range []struct{ cmd, want string }{
		{"message ars", "Aucun point de situation sur l'incident #2026-0001 : les messages partent du dernier point. Consignez-en un : /incident point conditions=\"…\" actions=\"…\" besoins=\"…\""},
		{"message", "Usage : message direction|ars|personnel|presse"},
		{"message maire", "Destinataire inconnu « maire » (accepté : direction, ars, personnel, presse)."},
		{"message ars presse", "Texte non compris « presse »"},
		{"message ars forcer=oui", "forcer=oui ne s'applique pas aux messages"},
	} {
		h.refused("2026-0001", tc.cmd, tc.want)
	}
	h.ok("point conditions=calme")
	h.ok("clore confirmer")
	before := h.snapshot("2026-0001")
	if r := h.do("#2026-0001 message direction"); !r.Error || !strings.Contains(r.Text, "est clos") {
		t.Errorf("message on a closed incident: %+v", r)
	}
	if h.snapshot("2026-0001") != before {
		t.Error("a refused message changed the incident")
	}
}

// TestStakeholderGuard: a point recorded with a NIR (forcer=oui) does not
// flow silently into a message: the message is refused until the person
// asks for it masked, and the entry says what was masked. The press
// statement, which quotes nothing of the point, goes through.
func TestStakeholderGuard(t *testing.T) {
	h := stakeholderNight(t, bot.Config{})
	h.ok(`point forcer=oui conditions="Patient ` + nir + ` transféré au CHU, IPP 00123456" actions="bascule papier"`)
	for _, w := range []string{"direction", "ars", "personnel"} {
		before := h.snapshot("2026-0001")
		r := h.do("message " + w)
		if !r.Error || !strings.Contains(r.Text, "un numéro de sécurité sociale (NIR) et un identifiant patient (IPP)") || !strings.Contains(r.Text, "masquer=oui") {
			t.Fatalf("message %s: %+v, want a refusal naming the NIR", w, r)
		}
		if h.snapshot("2026-0001") != before {
			t.Fatalf("a refused message %s changed the incident", w)
		}
		if r.Message == nil || len(bottest.Buttons(*r.Message)) != 1 {
			t.Fatalf("message %s: no button to mask: %+v", w, r)
		}
		action := bottest.Buttons(*r.Message)[0]
		if action != "#2026-0001 message "+w+" masquer=oui" {
			t.Errorf("button %q", action)
		}
		text, _ := draftText(t, h.ok(action))
		if len(guard.NIRs(text)) > 0 || strings.Contains(text, "00123456") || !strings.Contains(text, "[NIR masqué]") || !strings.Contains(text, "[IPP masqué]") {
			t.Errorf("message %s masked:\n%s", w, text)
		}
		es := h.entries("2026-0001")
		if last := es[len(es)-1]; last.Kind != incident.KindMessage || last.Data["masked"] != "nir,ipp" {
			t.Errorf("message %s: entry %+v, want masked nir,ipp", w, last)
		}
	}
	text, _ := draftText(t, h.ok("message presse"))
	if len(guard.NIRs(text)) > 0 {
		t.Errorf("press statement carries a NIR:\n%s", text)
	}

	// The export says which messages had identifiers masked.
	h.ok("exporter md")
	var md string
	for _, data := range h.chat.Uploads {
		md = string(data)
	}
	if !strings.Contains(md, "Message pour le personnel produit d'après le point de situation n° 2 (SHA-256 ") ||
		!strings.Contains(md, "Identifiants masqués : nir,ipp") {
		t.Errorf("export does not show the messages:\n%s", md)
	}
}

// TestStakeholderPointBeforeIndex: an incident whose points were recorded
// before Incident.LastPoint was kept finds its last point by walking its
// main courante.
func TestStakeholderPointBeforeIndex(t *testing.T) {
	h := stakeholderNight(t, bot.Config{})
	h.ok("point conditions=second")
	if _, err := h.store.Update(ctxb(), "2026-0001", func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.LastPoint = 0
		return nil, nil
	}); err != nil {
		t.Fatal(err)
	}
	text, _ := draftText(t, h.ok("message direction"))
	if !strings.Contains(text, "point de situation n° 2") || !strings.Contains(text, "Situation : second") {
		t.Errorf("message not from the last point:\n%s", text)
	}
	es := h.entries("2026-0001")
	if last := es[len(es)-1]; last.Data["point"] != "8" {
		t.Errorf("entry %+v, want point 8", last)
	}
}

// TestHandoverMasksIdentifiers: a point and a note kept with a NIR and an
// IPP (forcer=oui) are not posted again in the clear by the hand-over.
func TestHandoverMasksIdentifiers(t *testing.T) {
	h := stakeholderNight(t, bot.Config{})
	h.ok(`point forcer=oui conditions="Patient ` + nir + ` transféré au CHU, IPP 00123456" actions="bascule papier"`)
	h.ok("note forcer=oui appel de la famille du patient " + nir)
	h.ok("releve")
	text := render(h.chat.Posts[len(h.chat.Posts)-1].Message)
	if len(guard.NIRs(text)) > 0 || strings.Contains(text, "00123456") || !strings.Contains(text, "Patient [NIR masqué] transféré au CHU, [IPP masqué]") ||
		!strings.Contains(text, "appel de la famille du patient [NIR masqué]") {
		t.Errorf("hand-over with identifiers:\n%s", text)
	}
	es := h.entries("2026-0001")
	if ho := es[len(es)-1]; ho.Kind != incident.KindHandover || len(guard.NIRs(ho.Data["text"])) > 0 {
		t.Errorf("hand-over entry keeps a NIR: %q", ho.Data["text"])
	}
}
