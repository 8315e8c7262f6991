package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestClosingReport: at clore, the channel gets the closing report once,
// below the card and checklist: the duration, each obligation with its
// delay from T0 against its legal deadline, the one late and by how much,
// what was left open. A later export does not post it again, and the
// status of the closed incident is that report.
func TestClosingReport(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel sur le PACS")
	for _, a := range []string{"malicious non", "capacity_impact non", "esms non", "personal_data_breach oui", "high_risk oui"} {
		h.ok("repondre " + a)
	}
	h.now = t0.Add(20 * time.Minute)
	h.ok("fait cert-sante via=portail ref=CS-1234 at=02:25")
	h.now = t0.Add(75*time.Hour + 15*time.Minute)
	h.ok("fait cnil via=portail ref=CNIL-1 at=05:20") // 26/11 05:20 CET: T0 + 75 h 10
	h.now = t0.Add(80 * time.Hour)
	h.ok("clore confirmer")

	inc := h.incident("2026-0001")
	ref := inc.Messages[bot.RoleClosing]
	if ref == "" {
		t.Fatal("no closing report posted")
	}
	got := render(h.chat.Message(ref))
	for _, want := range []string{
		"Bilan de clôture — incident #2026-0001",
		"Incident clos le 26/11/2026 10:10:00 CET, 3 j 8 h 00 après le T0 (23/11/2026 02:10:00 CET).",
		"Obligations requises : 6 — à temps : 0 ; en retard : 1 ; faites, dues sans délai ou dans les meilleurs délais (délai écoulé indiqué) : 1 ; sans objet : 0 ; non faites : 4.",
		"✅ 1. Déclarer l'incident au CERT Santé — délai : sans délai — déclarée à T0 + 15 min écoulées.",
		"🟠 12. Notifier la violation à la CNIL — délai : T0 + 72 h — déclarée T0 + 3 j 3 h 10, en retard de 3 h 10.",
		"⬜ 2. Alerter l'ARS Nouvelle-Aquitaine — délai : sans délai — non faite, T0 + 3 j 8 h 00 écoulées.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("closing report lacks %q:\n%s", want, got)
		}
	}
	last := h.chat.Posts[len(h.chat.Posts)-1]
	if last.Ref != ref {
		t.Errorf("the closing report is not the last post")
	}

	posts, _ := h.chat.Counts()
	h.ok("#2026-0001 exporter pdf")
	if now, _ := h.chat.Counts(); now != posts {
		t.Errorf("an export after closing posted %d messages", now-posts)
	}
	if r := h.ok("#2026-0001 statut"); r.Message == nil || !strings.Contains(render(*r.Message), "en retard de 3 h 10") {
		t.Errorf("status of a closed incident is not its closing report: %+v", r)
	}
	if inc := h.incident("2026-0001"); inc.Status != incident.StatusClosed {
		t.Fatalf("status %s", inc.Status)
	}
}
