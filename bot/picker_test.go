package bot_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// TestStructurePicker: without a configured chain, the card asks which
// kind of structure is hit and offers the chains a structure follows, and
// only those (not the ARS's or the GIP's own role), each button labelled in
// plain words from the chain's data, with the region whose ARS drew it or
// "all regions" (so that no one picks another region's chart for the
// chain id alone), and keyed by its chain id. Choosing one pins it.
func TestStructurePicker(t *testing.T) {
	for _, tc := range []struct {
		lang, open, question, choose string
		labels                       []string
	}{
		{"fr", "ouvrir Incident", "Quel type de structure est touché ?", "#2026-0001 chaine nouvelle-aquitaine/ps-liberal", []string{
			"Établissement de santé (hors OSE) ou établissement médico-social (ESMS) — Nouvelle-Aquitaine (schéma de l'ARS)",
			"Opérateur de services essentiels (OSE) — Nouvelle-Aquitaine (schéma de l'ARS)",
			"Professionnel de santé libéral — Nouvelle-Aquitaine (schéma de l'ARS)",
			"Établissement de santé ou médico-social, laboratoire, centre de radiothérapie (hors OSE) — obligations nationales (toutes régions)",
			"Opérateur de services essentiels (OSE) — obligations nationales (toutes régions)",
			"Professionnel de santé libéral — obligations nationales (toutes régions)",
		}},
		{"en", "open Incident", "Which kind of structure is hit?", "#2026-0001 chain nouvelle-aquitaine/ps-liberal", []string{
			"Health establishment (not an OSE) or medico-social establishment (ESMS) — Nouvelle-Aquitaine (the ARS's chart)",
			"Operator of essential services (OSE) — Nouvelle-Aquitaine (the ARS's chart)",
			"Self-employed health professional — Nouvelle-Aquitaine (the ARS's chart)",
			"Health or medico-social establishment, laboratory, radiotherapy centre (not an OSE) — national duties (all regions)",
			"Operator of essential services (OSE) — national duties (all regions)",
			"Self-employed health professional — national duties (all regions)",
		}},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			h := newHarness(t, bot.Config{Lang: bot.Lang(tc.lang)})
			h.ok(tc.open)
			inc := h.incident("2026-0001")
			card := h.chat.Message(inc.Messages[bot.RoleCard])
			var picker *bot.Block
			for i, blk := range card.Blocks {
				if strings.Contains(blk.Title, tc.question) {
					picker = &card.Blocks[i]
				}
			}
			if picker == nil {
				t.Fatalf("no block asks %q:\n%s", tc.question, render(card))
			}
			var labels, actions []string
			for _, b := range picker.Buttons {
				labels = append(labels, b.Label)
				actions = append(actions, b.Action)
			}
			wantActions := []string{
				"#2026-0001 chaine nouvelle-aquitaine/es-esms",
				"#2026-0001 chaine nouvelle-aquitaine/ose",
				"#2026-0001 chaine nouvelle-aquitaine/ps-liberal",
				"#2026-0001 chaine national/es-esms",
				"#2026-0001 chaine national/ose",
				"#2026-0001 chaine national/ps-liberal",
			}
			if strings.Join(labels, "|") != strings.Join(tc.labels, "|") {
				t.Errorf("button labels\n got %q\nwant %q", labels, tc.labels)
			}
			if strings.Join(actions, "|") != strings.Join(wantActions, "|") {
				t.Errorf("button actions\n got %q\nwant %q", actions, wantActions)
			}
			if strings.Contains(render(card), "national/ars") || strings.Contains(render(card), "national/gip") {
				t.Errorf("the picker offers an authority's own chain:\n%s", render(card))
			}
			for _, l := range tc.labels {
				if !strings.Contains(picker.Text, l) {
					t.Errorf("the picker's text lacks %q:\n%s", l, picker.Text)
				}
			}

			h.ok(tc.choose)
			inc = h.incident("2026-0001")
			if inc.Chain != "nouvelle-aquitaine/ps-liberal" || inc.Messages[bot.RoleChecklist] == "" {
				t.Fatalf("after choosing: chain %q, checklist %q", inc.Chain, inc.Messages[bot.RoleChecklist])
			}
			card = h.chat.Message(inc.Messages[bot.RoleCard])
			if strings.Contains(render(card), tc.question) {
				t.Errorf("the card still asks for the structure:\n%s", render(card))
			}
		})
	}
}

// TestNoChainErrorOffersStructures: answering before the structure is
// chosen says which structures can be chosen, not the authorities' roles.
func TestNoChainErrorOffersStructures(t *testing.T) {
	h := newHarness(t, bot.Config{})
	h.ok("ouvrir Incident")
	r := h.do("repondre malicious oui")
	if !r.Error || !strings.Contains(r.Text, "Professionnel de santé libéral") || !strings.Contains(r.Text, "nouvelle-aquitaine/ps-liberal") {
		t.Fatalf("answer before the chain: %+v", r)
	}
	if strings.Contains(r.Text, "national/ars") || strings.Contains(r.Text, "national/gip") {
		t.Errorf("the error offers an authority's own chain: %s", r.Text)
	}
}

// TestStructurePickerInARegion: deployed in a region whose ARS has no chart
// in Vigie, the picker offers the national chains alone, and the ARS step
// of the one chosen goes to the region's ARS.
func TestStructurePickerInARegion(t *testing.T) {
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	dc, err := cat.Deploy(flows.Deployment{Region: "auvergne-rhone-alpes"})
	if err != nil {
		t.Fatal(err)
	}
	h := newHarnessWith(t, bot.Config{}, dc)
	h.ok("ouvrir Incident")
	inc := h.incident("2026-0001")
	card := render(h.chat.Message(inc.Messages[bot.RoleCard]))
	for _, id := range []string{"national/es-esms", "national/ose", "national/ps-liberal"} {
		if !strings.Contains(card, "chaine "+id) && !strings.Contains(card, "`"+id+"`") {
			t.Errorf("the picker does not offer %s:\n%s", id, card)
		}
	}
	if strings.Contains(card, "nouvelle-aquitaine/") {
		t.Errorf("the picker offers another region's chart:\n%s", card)
	}
	h.ok("#2026-0001 chaine national/es-esms")
	inc = h.incident("2026-0001")
	checklist := render(h.chat.Message(inc.Messages[bot.RoleChecklist]))
	if !strings.Contains(checklist, "ARS Auvergne-Rhône-Alpes") || !strings.Contains(checklist, "ars69-alerte@ars.sante.fr") {
		t.Errorf("the checklist does not send the ARS step to the region's ARS:\n%s", checklist)
	}
}
