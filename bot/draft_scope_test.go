package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// TestDraftsCarryOnlyTheirBasis: each draft carries the answers and the
// declarations its legal basis asks, and nothing else: whether the
// structure is insured, its complaint for the insurer and its claim go to
// no regulator.
func TestDraftsCarryOnlyTheirBasis(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/ose", Organisation: org})
	h.ok("ouvrir Rançongiciel sur le PACS")
	h.now = t0.Add(10 * time.Minute)
	for _, a := range []string{"capacity_impact oui", "crisis_plan oui", "malicious oui", "insured oui", "personal_data_breach oui", "high_risk oui"} {
		h.ok("repondre " + a)
	}
	h.now = t0.Add(20 * time.Minute)
	for _, f := range []string{"cert-sante via=portail ref=CS-1", "ars via=email", "plainte-assurance via=autre ref=PV-2", "assureur via=email ref=SIN-3", "registre-violations via=autre"} {
		h.ok("fait " + f)
	}
	h.now = t0.Add(30 * time.Minute)
	q := map[string]string{
		"capacity":  "L'incident a-t-il un impact sur le capacitaire disponible",
		"plan":      "Le plan de mobilisation interne ou le plan blanc est-il déclenché",
		"malicious": "L'incident est-il d'origine malveillante",
		"insured":   "La structure est-elle assurée",
		"breach":    "L'incident constitue-t-il une violation de données",
		"high_risk": "La violation est-elle susceptible d'engendrer un risque élevé",
	}
	for _, tc := range []struct {
		target   string
		has, not []string
	}{
		{"cert-sante", []string{q["capacity"], q["plan"], q["malicious"], q["breach"], "Déclarer l'incident au CERT Santé", "Alerter l'ARS"},
			[]string{q["insured"], q["high_risk"]}},
		{"cnil", []string{q["malicious"], q["breach"], "Déclarer l'incident au CERT Santé"},
			[]string{q["insured"], q["capacity"], q["plan"], q["high_risk"], "Alerter l'ARS"}},
		{"anssi", []string{q["capacity"], q["malicious"], "Déclarer l'incident au CERT Santé", "Alerter l'ARS"},
			[]string{q["insured"], q["plan"], q["breach"], q["high_risk"]}},
	} {
		text, _ := draftText(t, h.ok("brouillon "+tc.target+" incomplet=oui"))
		for _, w := range tc.has {
			if !strings.Contains(text, w) {
				t.Errorf("%s draft lacks %q:\n%s", tc.target, w, text)
			}
		}
		// Never the insurance: not the question, the complaint made for
		// the insurer, the claim, nor the internal register.
		for _, w := range append(tc.not, "assur", "sinistre", "indemnisation", "PV-2", "SIN-3", "registre interne") {
			if strings.Contains(text, w) {
				t.Errorf("%s draft holds %q:\n%s", tc.target, w, text)
			}
		}
	}
}

// TestDraftCNILInformed: the CNIL draft says whether the persons were
// informed, from the incident when it knows (the step done, not
// applicable, or not required by the answers), and asks it otherwise.
func TestDraftCNILInformed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		cmds   []string
		want   string
		asked  bool
		detail string
	}{
		{name: "risk unknown: asked", cmds: []string{"repondre high_risk inconnu"}, asked: true,
			want: "Personnes concernées informées : [À COMPLÉTER]"},
		{name: "risk not high: not required, with the rule", cmds: []string{"repondre high_risk non"},
			want: "Personnes concernées informées : Non : communication non requise — risque non élevé — RGPD art. 34.1 ; consignée au registre, art. 33.5 ; la CNIL peut l'exiger, art. 34.4"},
		{name: "informed", cmds: []string{"repondre high_risk oui", "fait personnes-concernees via=courrier ref=LETTRE-1 at=02:15"},
			want: "Personnes concernées informées : Oui, le 23/11/2026 02:15 (courrier, réf. LETTRE-1)"},
		{name: "exception of art. 34.3", cmds: []string{"repondre high_risk oui", "sans-objet personnes-concernees données chiffrées, clé non compromise (art. 34.3 a)"},
			want: "Personnes concernées informées : Non — sans objet : données chiffrées, clé non compromise (art. 34.3 a)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Organisation: org})
			h.ok("ouvrir Fuite")
			h.now = t0.Add(10 * time.Minute)
			h.ok("repondre personal_data_breach oui")
			for _, c := range tc.cmds {
				h.ok(c)
			}
			h.now = t0.Add(time.Hour)
			r := h.ok("brouillon cnil")
			if asked := strings.Contains(r.Text, "• information_personnes="); asked != tc.asked {
				t.Errorf("information_personnes asked %v, want %v:\n%s", asked, tc.asked, r.Text)
			}
			if !strings.Contains(r.Text, "• attenuation=") {
				t.Errorf("the mitigation measures of art. 33(3)(d) are not asked:\n%s", r.Text)
			}
			text, _ := draftText(t, h.ok("brouillon cnil incomplet=oui"))
			if !strings.Contains(text, tc.want) {
				t.Errorf("draft lacks %q:\n%s", tc.want, text)
			}
			if !strings.Contains(text, "— d) Mesures prises ou proposées pour remédier à la violation, y compris pour en atténuer les éventuelles conséquences négatives —") {
				t.Errorf("section d) is not worded as GDPR art. 33(3)(d):\n%s", text)
			}
		})
	}
}
