package bot_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
)

var (
	rssiUser = incident.User{ID: "u1", Name: "rssi"}
	dpoUser  = incident.User{ID: "u2", Name: "jdupont"}
	dsiUser  = incident.User{ID: "u3", Name: "dsi"}
)

// TestDeclarationProposed: with declarations.owner: propose, the RSSI's
// "fait cnil" is recorded as proposed; the CNIL step stays pending, its
// reminder calls the DPO and offers the confirmation, which only the DPO
// may give; the confirmed proof stays the RSSI's.
func TestDeclarationProposed(t *testing.T) {
	h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerPropose}})
	h.ok("role dpo @jdupont")
	h.now = t0.Add(30 * time.Hour)
	r := h.ok("fait cnil via=portail ref=CNIL-77")
	if !strings.Contains(r.Text, "« Notifier la violation à la CNIL » enregistrée comme proposée, à confirmer par @jdupont (DPO) (au clavier : /incident confirmer cnil).") {
		t.Errorf("reply: %q", r.Text)
	}
	inc := h.incident("2026-0001")
	st := inc.Steps["cnil"]
	if st.Status == incident.StepDone || st.Proposed == nil || st.Proposed.Ref != "CNIL-77" || st.Proposed.By != rssiUser {
		t.Fatalf("step after a proposal: %+v", st)
	}
	es := h.entries("2026-0001")
	if last := es[len(es)-1]; last.Kind != incident.KindProposed || last.Data["ref"] != "CNIL-77" {
		t.Errorf("entry %+v", last)
	}
	list := h.chat.Message(inc.Messages[bot.RoleChecklist])
	if !strings.Contains(render(list), "⏳ Proposé par @rssi : fait le 24/11/2026 08:10 (portail, réf. CNIL-77) — à confirmer par @jdupont (DPO)") {
		t.Errorf("checklist:\n%s", render(list))
	}
	if !slices.Contains(bottest.Buttons(list), "#2026-0001 confirmer cnil") {
		t.Errorf("no confirmation button: %v", bottest.Buttons(list))
	}
	// The status tells whoever arrives what awaits confirmation.
	if st := render(*h.ok("statut").Message); !strings.Contains(st, "12 · cnil — Notifier la violation à la CNIL (proposée par @rssi, à confirmer par @jdupont (DPO))") {
		t.Errorf("status of a proposed declaration:\n%s", st)
	}
	// Pending, the step is still reminded: the DPO is called to confirm.
	before := len(h.chat.Posts)
	h.sweep(48*time.Hour + time.Minute)
	nag := render(h.chat.Posts[before].Message)
	if !strings.Contains(nag, "📣 @jdupont (DPO) : à vous.") || !strings.Contains(nag, "à confirmer par @jdupont") || !slices.Contains(bottest.Buttons(h.chat.Posts[before].Message), "#2026-0001 confirmer cnil") {
		t.Errorf("reminder of a proposed declaration:\n%s", nag)
	}
	snap := h.snapshot("2026-0001")
	if r := h.do("confirmer cnil"); !r.Error || !strings.Contains(r.Text, "Seul le titulaire du rôle DPO ou son suppléant (@jdupont) peut confirmer") {
		t.Errorf("the RSSI confirms: %+v", r)
	}
	if h.snapshot("2026-0001") != snap {
		t.Error("a refused confirmation changed the incident")
	}
	h.user = dpoUser
	h.now = t0.Add(49 * time.Hour)
	if r := h.ok("confirmer cnil"); !strings.Contains(r.Text, "« Notifier la violation à la CNIL » confirmée (déclaration faite par @rssi)") {
		t.Errorf("confirmation: %q", r.Text)
	}
	st = h.incident("2026-0001").Steps["cnil"]
	if st.Status != incident.StepDone || st.Proof.By != rssiUser || st.By != dpoUser || st.Proposed != nil || !st.Proof.DeclaredAt.Equal(t0.Add(30*time.Hour)) {
		t.Errorf("step after confirmation: %+v proof %+v", st, st.Proof)
	}
	es = h.entries("2026-0001")
	if last := es[len(es)-1]; last.Kind != incident.KindDone || last.Actor != "@jdupont" || last.Data["proposed_by"] != "@rssi" || last.Data["ref"] != "CNIL-77" {
		t.Errorf("confirmation entry %+v", last)
	}
	if r := h.do("confirmer cnil"); !r.Error || !strings.Contains(r.Text, "est déjà faite") {
		t.Errorf("second confirmation: %+v", r)
	}
}

// TestDeclarationOwnerRules: who may record and confirm, mode by mode.
func TestDeclarationOwnerRules(t *testing.T) {
	t.Run("refuse", func(t *testing.T) {
		h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerRefuse}})
		h.ok("role dpo @jdupont")
		snap := h.snapshot("2026-0001")
		r := h.do("fait cnil via=portail")
		if !r.Error || !strings.Contains(r.Text, "Seul le titulaire du rôle DPO ou son suppléant (@jdupont) peut déclarer « Notifier la violation à la CNIL » faite") || !strings.Contains(r.Text, "/incident role dpo") {
			t.Errorf("refused: %+v", r)
		}
		if h.snapshot("2026-0001") != snap {
			t.Error("a refused declaration changed the incident")
		}
		h.user = dpoUser
		h.ok("fait cnil via=portail")
		if st := h.incident("2026-0001").Steps["cnil"]; st.Status != incident.StepDone {
			t.Errorf("the DPO's declaration: %+v", st)
		}
	})
	t.Run("nobody holds the role", func(t *testing.T) {
		h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerRefuse}})
		h.ok("fait cnil via=portail")
		if st := h.incident("2026-0001").Steps["cnil"]; st.Status != incident.StepDone {
			t.Errorf("with no DPO, the declaration waits for nobody: %+v", st)
		}
	})
	t.Run("deputy", func(t *testing.T) {
		h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerPropose}})
		h.ok("role dpo @jdupont")
		h.ok("role dpo suppleant @dsi")
		h.ok("fait cnil via=portail")
		h.user = dsiUser
		h.ok("confirmer cnil")
	})
	t.Run("four eyes", func(t *testing.T) {
		h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{FourEyes: true}})
		h.user = dpoUser
		if r := h.ok("fait cnil via=portail"); !strings.Contains(r.Text, "à confirmer par une autre personne de la cellule") {
			t.Errorf("four eyes, reply: %q", r.Text)
		}
		if r := h.do("confirmer cnil"); !r.Error || !strings.Contains(r.Text, "une autre personne doit la confirmer (quatre yeux)") {
			t.Errorf("self-confirmation: %+v", r)
		}
		h.user = rssiUser
		h.ok("confirmer cnil")
	})
	t.Run("four eyes and owner", func(t *testing.T) {
		h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerPropose, FourEyes: true}})
		h.ok("role dpo @jdupont")
		h.user = dpoUser
		h.ok("fait cnil via=portail") // the DPO's own declaration: any second person confirms
		h.user = rssiUser
		h.ok("confirmer cnil")
		if st := h.incident("2026-0001").Steps["cnil"]; st.Status != incident.StepDone || st.Proof.By != dpoUser {
			t.Errorf("four eyes on the DPO's declaration: %+v", st)
		}
	})
	t.Run("steps no role owns", func(t *testing.T) {
		h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/ps-liberal", Declarations: bot.Declarations{Owner: bot.OwnerRefuse, FourEyes: true}})
		h.ok("ouvrir Poste infecté")
		h.ok("fait ars via=email")
		if st := h.incident("2026-0001").Steps["ars"]; st.Status != incident.StepDone {
			t.Errorf("a chain without owners keeps its steps open to all: %+v", st)
		}
	})
	t.Run("nothing proposed", func(t *testing.T) {
		h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
		for cmd, want := range map[string]string{
			"confirmer cnil":  "Aucune déclaration de « Notifier la violation à la CNIL » n'attend de confirmation. Pour la déclarer : /incident fait cnil via=…",
			"confirmer":       "Usage : confirmer ÉTAPE",
			"confirmer a b":   "Usage : confirmer ÉTAPE",
			"confirmer nulle": "Étape inconnue « nulle »",
		} {
			if r := h.do(cmd); !r.Error || !strings.Contains(r.Text, want) {
				t.Errorf("%q: %+v, want %q", cmd, r, want)
			}
		}
	})
}

// TestHandoverShowsProposals: the hand-over lists a proposed declaration
// as awaiting confirmation, and a confirmed one as its proposer's.
func TestHandoverShowsProposals(t *testing.T) {
	h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerPropose}})
	h.ok("role dpo @jdupont")
	h.ok("releve")
	h.now = t0.Add(27 * time.Hour)
	h.ok("fait cnil via=portail ref=CNIL-77 at=" + t0.Add(26*time.Hour+30*time.Minute).Format(time.RFC3339))
	h.ok("releve")
	text := render(h.chat.Posts[len(h.chat.Posts)-1].Message)
	if !strings.Contains(text, "⏳ 12. Notifier la violation à la CNIL : portail, réf. CNIL-77, proposée, à confirmer (déclarée à 04:40) — @rssi") ||
		!strings.Contains(text, "12. Notifier la violation à la CNIL (proposée par @rssi, à confirmer par @jdupont (DPO)) — avant le 26/11/2026 02:10") {
		t.Errorf("hand-over with a proposal:\n%s", text)
	}
	h.user = dpoUser
	h.ok("confirmer cnil")
	h.ok("releve")
	text = render(h.chat.Posts[len(h.chat.Posts)-1].Message)
	if !strings.Contains(text, "✅ 12. Notifier la violation à la CNIL : portail, réf. CNIL-77 (déclarée à 04:40) — @rssi, confirmée par @jdupont") {
		t.Errorf("hand-over with a confirmation:\n%s", text)
	}
}

// TestClosingShowsProposal: closed before the DPO confirmed, the closing
// report says the CNIL declaration was proposed and by whom, not merely
// that it was not made.
func TestClosingShowsProposal(t *testing.T) {
	h := breachAt(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Declarations: bot.Declarations{Owner: bot.OwnerPropose}})
	h.ok("role dpo @jdupont")
	h.ok("fait cnil via=portail ref=CNIL-77")
	h.ok("clore confirmer")
	report := render(h.chat.Message(h.incident("2026-0001").Messages[bot.RoleClosing]))
	if !strings.Contains(report, "non faite (échéance le 26/11/2026 02:10:00 CET) — déclaration proposée par @rssi (faite le 24/11/2026 04:10:00 CET), non confirmée") {
		t.Errorf("closing report:\n%s", report)
	}
}
