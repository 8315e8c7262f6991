package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// TestImmediateOneReading: a "sans délai" step is due at once, not by an
// hour count. The card, statut, the reminders and the closing report read
// it the same way on the same incident: to do without delay with the time
// elapsed since T0, never "en retard"; done, its delay from T0, neither on
// time nor late.
func TestImmediateOneReading(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel sur le PACS")
	checklist := func() string {
		return render(h.chat.Message(h.incident("2026-0001").Messages[bot.RoleChecklist]))
	}
	status := func() string {
		r := h.ok("statut")
		return render(*r.Message)
	}

	for _, at := range []time.Duration{0, 47 * time.Minute} {
		h.now = t0.Add(at)
		elapsed := map[time.Duration]string{0: "T0 + 0 min écoulées", 47 * time.Minute: "T0 + 47 min écoulées"}[at]
		st := status()
		if strings.Contains(st, "En retard") || strings.Contains(st, "en retard") {
			t.Errorf("T0 + %v: statut calls a sans-délai step late:\n%s", at, st)
		}
		for _, want := range []string{"🔴 À faire sans délai (2)", "1 · cert-sante — Déclarer l'incident au CERT Santé (" + elapsed + ")"} {
			if !strings.Contains(st, want) {
				t.Errorf("T0 + %v: statut lacks %q:\n%s", at, want, st)
			}
		}
		h.ok("note point") // the checklist is rendered again at now
		full := render(*h.ok("statut complet").Message)
		for _, got := range []string{checklist(), full} {
			if strings.Contains(got, "en retard") || strings.Contains(got, "— maintenant") {
				t.Errorf("T0 + %v: the card calls a sans-délai step late:\n%s", at, got)
			}
		}
		if want := "Échéance : sans délai (depuis le 23/11/2026 02:10) — à faire maintenant, " + elapsed; !strings.Contains(full, want) {
			t.Errorf("T0 + %v: statut complet lacks %q:\n%s", at, want, full)
		}
	}

	// A reminder of the step words it the same way.
	n := len(h.chat.Posts)
	h.sweep(50 * time.Minute)
	var nags strings.Builder
	for _, p := range h.chat.Posts[n:] {
		nags.WriteString(render(p.Message))
	}
	if got := nags.String(); !strings.Contains(got, "à faire maintenant, T0 + 50 min écoulées") || strings.Contains(got, "Échéance dépassée") {
		t.Errorf("reminder:\n%s", got)
	}

	h.now = t0.Add(3 * time.Hour)
	h.ok("fait cert-sante via=portail ref=CS-1 at=02:57")
	h.ok("clore confirmer")
	got := render(h.chat.Message(h.incident("2026-0001").Messages[bot.RoleClosing]))
	for _, want := range []string{
		"✅ 1. Déclarer l'incident au CERT Santé — délai : sans délai — déclarée à T0 + 47 min écoulées.",
		"⬜ 2. Alerter l'ARS Nouvelle-Aquitaine — délai : sans délai — non faite, T0 + 3 h 00 écoulées.",
		"faites, dues sans délai ou dans les meilleurs délais (délai écoulé indiqué) : 1 ; sans objet : 0 ; non faites : 2.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("closing report lacks %q:\n%s", want, got)
		}
	}

	// The export carries the same report, and its obligations table the
	// same reading.
	h.ok("#2026-0001 exporter md")
	var md string
	for _, data := range h.chat.Uploads {
		md += string(data)
	}
	for _, want := range []string{
		"déclarée à T0 + 47 min écoulées",
		"faite, due sans délai : T0 + 47 min écoulées",
		"non faite, due sans délai : T0 + 3 h 00 écoulées",
		"faites, dues sans délai ou dans les meilleurs délais (délai écoulé indiqué) : 1",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("Markdown export lacks %q:\n%s", want, md)
		}
	}
	if strings.Contains(md, "en retard de") {
		t.Errorf("Markdown export calls a step late:\n%s", md)
	}
}
