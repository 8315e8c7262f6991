package bot_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// deployedHarness is a harness on the builtin chains deployed as d.
func deployedHarness(t *testing.T, cfg bot.Config, d flows.Deployment) *harness {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	dc, err := cat.Deploy(d)
	if err != nil {
		t.Fatal(err)
	}
	return newHarnessWith(t, cfg, dc)
}

const configureTitle = "Coordonnées régionales à configurer"

// TestCardAsksForRegionalContacts: while a required step goes to the
// national stand-in of a regional contact (no contacts file for the
// region, none in the configuration), the card says so and what to
// configure; a step not required yet does not; a contact the deployment
// gives, the region's or the configuration's, is not asked for.
func TestCardAsksForRegionalContacts(t *testing.T) {
	card := func(h *harness) string {
		inc := h.incident("2026-0001")
		return render(h.chat.Message(inc.Messages[bot.RoleCard]))
	}

	// The ARS step of the ES chain is required at once.
	h := deployedHarness(t, bot.Config{Chain: "national/es-esms"}, flows.Deployment{Region: "bretagne"})
	h.ok("ouvrir Rançongiciel")
	c := card(h)
	if !strings.Contains(c, configureTitle) || !strings.Contains(c, "ARS concernée (point focal régional)") || !strings.Contains(c, "(2 · ars)") || !strings.Contains(c, "contacts.ars") {
		t.Errorf("the card does not ask for the ARS's contact:\n%s", c)
	}
	if strings.Contains(c, "contacts.csirt") {
		t.Errorf("the card asks for a contact no step of the chain uses:\n%s", c)
	}

	// The CSIRT of the PS chain hangs on the malicious branch.
	h = deployedHarness(t, bot.Config{Chain: "national/ps-liberal"}, flows.Deployment{Region: "bretagne"})
	h.ok("ouvrir Rançongiciel")
	if c := card(h); strings.Contains(c, configureTitle) {
		t.Errorf("the card asks for the CSIRT before the incident is known to be malicious:\n%s", c)
	}
	h.ok("repondre malicious oui")
	if c := card(h); !strings.Contains(c, configureTitle) || !strings.Contains(c, "CSIRT régional") || !strings.Contains(c, "contacts.csirt") {
		t.Errorf("the card does not ask for the CSIRT's contact:\n%s", c)
	}

	// Given by the region or by the configuration: nothing to ask.
	for _, d := range []flows.Deployment{
		{Region: "occitanie"},
		{Region: "bretagne", Contacts: map[string]*flows.Contact{"csirt": {Means: []flows.Means{{Kind: "phone", Value: flows.Text{FR: "0 800 00 00 00"}}}, Source: flows.Text{FR: "test"}}}},
	} {
		h = deployedHarness(t, bot.Config{Chain: "national/ps-liberal"}, d)
		h.ok("ouvrir Rançongiciel")
		h.ok("repondre malicious oui")
		if c := card(h); strings.Contains(c, configureTitle) {
			t.Errorf("deployed as %+v, the card asks for a contact the deployment gives:\n%s", d, c)
		}
	}

	// In English too.
	h = deployedHarness(t, bot.Config{Chain: "national/ose", Lang: bot.Lang(flows.EN)}, flows.Deployment{})
	h.ok("open Ransomware")
	if c := card(h); !strings.Contains(c, "Regional contacts to configure") || !strings.Contains(c, "Regional health agency concerned") {
		t.Errorf("the English card does not ask for the ARS's contact:\n%s", c)
	}
}
