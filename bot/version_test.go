package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestVersionAtT0: an incident gets the version of its chain in force at
// its T0, not at the moment it is opened in Vigie; a T0 before a chain's
// first version gets that version with a warning on the card.
func TestVersionAtT0(t *testing.T) {
	for _, tc := range []struct {
		name, open, chain string // chain: given with the chaine command after opening, or "" with flow=
		flow, t0          string
		version           string
		warn              bool
	}{
		{name: "chart of March 2025, T0 in 2024", flow: "nouvelle-aquitaine/es-esms", t0: "2024-06-01T10:00:00+02:00", version: "2025-03.2", warn: true},
		{name: "chart of March 2025, T0 on its first day", flow: "nouvelle-aquitaine/es-esms", t0: "2025-03-01T02:00:00+01:00", version: "2025-03.2"},
		{name: "GIP, T0 before the 2016 text came into force", flow: "national/gip", t0: "2017-06-01T10:00:00+02:00", version: "2016-09.2", warn: true},
		{name: "GIP, T0 the day before décret 2022-715", flow: "national/gip", t0: "2022-04-28T23:59:00+02:00", version: "2016-09.2"},
		{name: "GIP, T0 once décret 2022-715 is in force", flow: "national/gip", t0: "2022-04-29T02:00:00+02:00", version: "2022-04.2"},
		{name: "GIP chosen after opening, T0 before 2022", chain: "national/gip", t0: "2022-04-28T23:59:00+02:00", version: "2016-09.2"},
		{name: "GIP chosen after opening, T0 after 2022", chain: "national/gip", t0: "2022-05-02T10:00:00+02:00", version: "2022-04.2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, bot.Config{})
			open := "ouvrir Incident t0=" + tc.t0
			if tc.flow != "" {
				open += " flow=" + tc.flow
			}
			h.ok(open)
			if tc.chain != "" {
				h.ok("chaine " + tc.chain)
			}
			inc := h.incident("2026-0001")
			if inc.Version != tc.version {
				t.Errorf("pinned version %s, want %s", inc.Version, tc.version)
			}
			r := h.ok("statut complet")
			text := messageText(*r.Message)
			warned := strings.Contains(text, "antérieur à l'entrée en vigueur de la chaîne")
			if warned != tc.warn {
				t.Errorf("card warns %v, want %v:\n%s", warned, tc.warn, text)
			}
			// The first edition is named, not the revision Vigie applies:
			// 2025-03.1 and 2025-03.2 are both revisions of the edition of
			// March 2025 (flows list shows both).
			edition, _, _ := strings.Cut(tc.version, ".")
			if tc.warn && !strings.Contains(text, "sa première édition, "+edition+", est en vigueur depuis le") {
				t.Errorf("the warning does not name the first edition and its date:\n%s", text)
			}
			if tc.warn && !strings.Contains(text, "Vigie en applique la dernière révision, "+tc.version+",") {
				t.Errorf("the warning does not name the revision applied:\n%s", text)
			}
			if strings.Contains(text, "première version, "+tc.version) {
				t.Errorf("the warning calls revision %s the first version:\n%s", tc.version, text)
			}
		})
	}
}

// TestT0AcrossVersions: correcting T0 across a version change keeps the
// pinned version, and says which one would be in force.
func TestT0AcrossVersions(t *testing.T) {
	h := newHarness(t, bot.Config{})
	h.ok("ouvrir Incident t0=2022-05-02T10:00:00+02:00 flow=national/gip")
	r := h.ok("t0 2022-04-20T10:00:00+02:00")
	if !strings.Contains(r.Text, "la version en vigueur de la chaîne serait la 2016-09.2 ; l'incident garde la chaîne national/gip version 2022-04.2") {
		t.Errorf("t0 reply %q does not say which version would be in force", r.Text)
	}
	if v := h.incident("2026-0001").Version; v != "2022-04.2" {
		t.Errorf("the pinned version moved to %s", v)
	}
	r = h.ok("t0 2022-05-03T10:00:00+02:00")
	if strings.Contains(r.Text, "serait") {
		t.Errorf("t0 within the same version: %q", r.Text)
	}
	r = h.ok("t0 2017-06-01T10:00:00+02:00")
	if !strings.Contains(r.Text, "antérieur à l'entrée en vigueur de la chaîne national/gip") {
		t.Errorf("t0 before the first version: %q", r.Text)
	}
}

// TestPinnedRevisionStillLoads: an incident opened on revision 2025-03.1
// keeps it after the upgrade to 2025-03.2: its complaint step still goes
// to the recipients it was opened with.
func TestPinnedRevisionStillLoads(t *testing.T) {
	h := newHarness(t, bot.Config{})
	inc := &incident.Incident{Title: "Ancien", T0: t0, OpenedBy: h.user, OpenedAt: t0, Channel: "crise",
		Status: incident.StatusOpen, Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1", Wake: t0}
	if _, err := h.store.Create(context.Background(), inc, []incident.Entry{{Time: t0, Actor: "@rssi", Kind: incident.KindOpened, Text: "ouvert"}}); err != nil {
		t.Fatal(err)
	}
	h.now = t0.Add(10 * time.Minute)
	h.ok("repondre malicious oui")
	h.ok("repondre insured oui")
	r := h.ok("detail plainte-assurance")
	text := messageText(*r.Message)
	if !strings.Contains(text, "cybermenaces-bordeaux@interieur.gouv.fr") {
		t.Errorf("revision 2025-03.1 lost its recipients:\n%s", text)
	}
	if got := h.incident("2026-0001").Version; got != "2025-03.1" {
		t.Errorf("pinned version %s", got)
	}
	// A new incident gets the corrected revision.
	h2 := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h2.ok("ouvrir Nouveau")
	h2.ok("repondre malicious oui")
	h2.ok("repondre insured oui")
	text = messageText(*h2.ok("detail plainte-assurance").Message)
	for _, want := range []string{"Commissariat de police ou brigade de gendarmerie", "Procureur de la République"} {
		if !strings.Contains(text, want) {
			t.Errorf("revision 2025-03.2 lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "cybermenaces-bordeaux") {
		t.Errorf("revision 2025-03.2 still offers the police mailbox for a complaint:\n%s", text)
	}
}
