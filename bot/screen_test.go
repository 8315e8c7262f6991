package bot_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/bot/incident"
)

const nir = "1 85 05 78 006 084 91"

// refusedWithMask checks that r refuses to record an identifier, and
// returns the action of its "record masked" button.
func refusedWithMask(t *testing.T, r bot.Reply, what string) string {
	t.Helper()
	if !r.Error || !strings.Contains(r.Text, "Rien n'a été enregistré") || !strings.Contains(r.Text, what) {
		t.Fatalf("reply %+v, want a refusal naming %q", r, what)
	}
	if r.Message == nil {
		t.Fatalf("no button offered: %+v", r)
	}
	buttons := bottest.Buttons(*r.Message)
	if len(buttons) != 1 {
		t.Fatalf("buttons %v, want one", buttons)
	}
	if len(guard.NIRs(buttons[0])) > 0 || strings.Contains(buttons[0], "12345678") {
		t.Fatalf("the button carries the identifier: %q", buttons[0])
	}
	if !strings.Contains(r.Text, buttons[0]) {
		t.Errorf("the reply does not show the typed equivalent %q:\n%s", buttons[0], r.Text)
	}
	return buttons[0]
}

func TestGuardNote(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	before := h.snapshot("2026-0001")

	r := h.do("note Patient " + nir + " transféré au CHU")
	action := refusedWithMask(t, r, "numéro de sécurité sociale (NIR)")
	if h.snapshot("2026-0001") != before {
		t.Fatal("a refused note changed the incident")
	}
	if action != "note Patient [NIR masqué] transféré au CHU" {
		t.Errorf("masked action %q", action)
	}
	h.ok(action) // the click
	es := h.entries("2026-0001")
	if last := es[len(es)-1]; last.Kind != incident.KindNote || last.Text != "Patient [NIR masqué] transféré au CHU" {
		t.Fatalf("masked note logged as %+v", last)
	}

	// Typed: masquer=oui masks in place.
	h.ok("note masquer=oui second patient 185057800608491, IPP 00123456")
	es = h.entries("2026-0001")
	if last := es[len(es)-1]; last.Text != "second patient [NIR masqué], [IPP masqué]" {
		t.Fatalf("masquer=oui logged %q", last.Text)
	}

	// forcer=oui records as typed, says so, and logs the choice.
	r = h.ok("note forcer=oui NIR du patient " + nir)
	if !strings.Contains(r.Text, "Enregistré tel quel malgré un numéro de sécurité sociale (NIR)") {
		t.Errorf("forced reply %q", r.Text)
	}
	es = h.entries("2026-0001")
	note, guard := es[len(es)-2], es[len(es)-1]
	if note.Kind != incident.KindNote || note.Text != "NIR du patient "+nir {
		t.Errorf("forced note %+v", note)
	}
	if guard.Kind != incident.KindGuard || guard.Data["identifier"] != "nir" || strings.Contains(guard.Text, "185") {
		t.Errorf("guard entry %+v", guard)
	}

	if r := h.do("note masquer=oui forcer=oui x " + nir); !r.Error || !strings.Contains(r.Text, "s'excluent") {
		t.Errorf("masquer and forcer together: %+v", r)
	}

	// What only looks like numbers goes through.
	h.ok("note rappeler le 06 12 34 56 78, FINESS 330781196, ticket CS-2026-000123 du 23/11/2026")
}

func TestGuardTitlePointProof(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	// A title.
	action := refusedWithMask(t, h.do("ouvrir Fuite du dossier "+nir), "NIR")
	if _, err := h.store.Incident(ctxb(), "2026-0001"); err == nil {
		t.Fatal("the refused opening created an incident")
	}
	h.ok(action)
	if got := h.incident("2026-0001").Title; got != "Fuite du dossier [NIR masqué]" {
		t.Fatalf("title %q", got)
	}

	// A situation point submitted from a dialog: the button carries the
	// fields back, masked.
	r := h.bot.Handle(ctxb(), bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 point",
		Fields: map[string]string{"conditions": "Patient " + nir + " au bloc", "actions": "bascule « papier »"}})
	action = refusedWithMask(t, r, "NIR")
	h.ok(action)
	es := h.entries("2026-0001")
	last := es[len(es)-1]
	if last.Kind != incident.KindPoint || last.Data["conditions"] != "Patient [NIR masqué] au bloc" || last.Data["actions"] != "bascule ‹ papier ›" {
		t.Fatalf("point logged %+v", last)
	}

	// A proof: reference and note.
	action = refusedWithMask(t, h.do("fait cert-sante via=portail ref="+strings.ReplaceAll(nir, " ", "")+" appel"), "NIR")
	h.ok(action)
	st := h.incident("2026-0001").Steps["cert-sante"]
	if st == nil || st.Proof.Ref != "[NIR masqué]" || st.Proof.Note != "appel" {
		t.Fatalf("proof %+v", st)
	}

	// A reason submitted from the sans-objet dialog.
	r = h.bot.Handle(ctxb(), bot.Event{Channel: "crise", User: h.user, Text: "#2026-0001 sans-objet ars",
		Fields: map[string]string{"reason": "IPP 12345678 seul concerné"}})
	action = refusedWithMask(t, r, "identifiant patient (IPP)")
	h.ok(action)
	if st := h.incident("2026-0001").Steps["ars"]; st == nil || st.Reason != "[IPP masqué] seul concerné" {
		t.Fatalf("reason %+v", st)
	}
}

func TestGuardCustomIPP(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", IPP: regexp.MustCompile(`\bP\d{7}\b`)})
	h.ok("ouvrir x")
	refusedWithMask(t, h.do("note dossier P1234567 ouvert"), "IPP")
	h.ok("note IPP 12345678") // the default pattern is replaced
}

func TestGuardEnglish(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Lang: "en"})
	h.ok("open x")
	r := h.do("note patient " + nir)
	if !r.Error || !strings.Contains(r.Text, "Nothing was recorded") || !strings.Contains(r.Text, "mask=yes") {
		t.Fatalf("English refusal %+v", r)
	}
	h.ok("note mask=yes patient " + nir)
	es := h.entries("2026-0001")
	if got := es[len(es)-1].Text; got != "patient [NIR masked]" {
		t.Fatalf("masked %q", got)
	}
}

// TestGuardLongNote: a note too long for a button is masked by typing
// masquer=oui; no button carries a cut note.
func TestGuardLongNote(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	long := "patient " + nir + " " + strings.Repeat("détail ", 400)
	r := h.do("note " + long)
	if !r.Error || r.Message != nil || !strings.Contains(r.Text, "masquer=oui") {
		t.Fatalf("long note: %+v", r)
	}
	h.ok("note masquer=oui " + long)
	es := h.entries("2026-0001")
	if got := es[len(es)-1].Text; !strings.HasPrefix(got, "patient [NIR masqué] détail") || len([]rune(got)) < 2800 {
		t.Fatalf("masked long note %.80q… (%d characters)", got, len([]rune(got)))
	}
}

// TestGuardPin: a message pinned with 📌 is masked, since nobody can be
// asked.
func TestGuardPin(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	p := bot.Pin{Channel: "crise", MessageID: "m9", By: incident.User{Name: "dg"}, Author: incident.User{Name: "soc"},
		Text: "Le patient " + nir + " (IPP 00123456) est transféré"}
	if ok, err := h.bot.LogPin(ctxb(), p); !ok || err != nil {
		t.Fatalf("pin: %v %v", ok, err)
	}
	es := h.entries("2026-0001")
	if got := es[len(es)-1].Text; got != "📌 @soc : Le patient [NIR masqué] ([IPP masqué]) est transféré" {
		t.Fatalf("pin logged %q", got)
	}
}
