package builtin_test

import (
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// The tables below are written by hand from the seed charts (ARS
// Nouvelle-Aquitaine, « Chaîne d'alerte en cas d'incident », March 2025;
// CSP art. D1111-16-3) and from docs/domain.md (§1 obligations, §4 decision
// graphs, §6 clocks). They are not derived from the YAML: when the data and
// the chart disagree, the chart wins and the test fails.

// path is what a chain must do for one complete set of answers.
type path struct {
	asked []string // the questions that must have been asked, any order
	steps []string // the required steps, in the chain's order
}

// recipient is who a step goes to: contacts as id@scope, and whether one
// of them suffices.
type recipient struct {
	to  []string
	one bool
}

type chartSpec struct {
	id     string
	at     time.Time // picks the version
	nis2   bool
	deploy *flows.Deployment // where Vigie runs, for the national chains; nil: as compiled
	leaves int               // how many complete sets of answers there are
	expect func(a yesNo) path
	to     map[string]recipient // every step that can be required
}

// Regional contacts of the ARS NA charts; the others are national.
const (
	arsNA    = "ars@nouvelle-aquitaine"
	policeNA = "police@nouvelle-aquitaine"
)

// Chart A/B, "Déclarer l'incident : 1. CERT Santé" (portal, or
// 09 72 43 91 25 without internet) "2. ARS Nouvelle-Aquitaine"
// (ars33-alerte); "si impact sur le capacitaire disponible" → ROR; "si
// malveillant" → police OR gendarmerie; "violation de données personnelles"
// OUI → CNIL → persons concerned, NON → end.
var naCommon = map[string]recipient{
	"cert-sante":           {to: []string{"cert-sante@national"}},
	"ars":                  {to: []string{arsNA}},
	"ror":                  {to: []string{"ror@national"}},
	"police-gendarmerie":   {to: []string{policeNA, "gendarmerie@national"}, one: true},
	"cnil":                 {to: []string{"cnil@national"}},
	"personnes-concernees": {to: []string{"personnes-concernees@national"}},
	// domain.md: O8 plan blanc/PMI → tell the ARS; O6 complaint ≤72 h if
	// insured, to the police or the gendarmerie, and the insurer; O4 art.
	// 33(5) breach register; O1 end task: tell the GIP of the resolution.
	"plan-crise-ars": {to: []string{arsNA}},
	// A complaint, not a report: at a police station or gendarmerie
	// brigade, or by letter to the public prosecutor (CPP art. 15-3, 40).
	"plainte-assurance":   {to: []string{"depot-plainte@national", "procureur@national"}, one: true},
	"assureur":            {to: []string{"assureur@national"}},
	"registre-violations": {to: []string{"registre-violations@national"}},
	"resolution":          {to: []string{"cert-sante@national"}},
	// domain.md O3, behind the nis2 switch.
	"nis2-alerte-precoce": {to: []string{"anssi-nis2@national"}},
	"nis2-notification":   {to: []string{"anssi-nis2@national"}},
	"nis2-rapport-final":  {to: []string{"anssi-nis2@national"}},
}

func with(base map[string]recipient, more map[string]recipient) map[string]recipient {
	out := map[string]recipient{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range more {
		out[k] = v
	}
	return out
}

// naAnswers lists the questions of charts A and B, and the steps they add
// after the declarations, in the chart's reading order.
func naQuestionsAndTail(a yesNo, nis2Qs []string) (asked, tail []string) {
	asked = []string{"capacity_impact", "malicious", "personal_data_breach"}
	if a.yes("capacity_impact") {
		asked = append(asked, "crisis_plan")
		tail = append(tail, "ror")
		if a.yes("crisis_plan") {
			tail = append(tail, "plan-crise-ars")
		}
	}
	if a.yes("malicious") {
		asked = append(asked, "insured")
		tail = append(tail, "police-gendarmerie")
		if a.yes("insured") {
			tail = append(tail, "plainte-assurance", "assureur")
		}
	}
	if a.yes("personal_data_breach") {
		asked = append(asked, "high_risk")
		tail = append(tail, "cnil", "registre-violations")
		if a.yes("high_risk") {
			tail = append(tail, "personnes-concernees")
		}
	}
	tail = append(tail, "resolution")
	return append(asked, nis2Qs...), tail
}

var specs = []chartSpec{
	{
		// Chart B: établissement de santé hors OSE et ESMS. Same as A
		// without ANSSI; ESMS add O9 (CASF L331-8-1).
		id: "nouvelle-aquitaine/es-esms", at: now,
		leaves: 3 * 3 * 3 * 3,
		expect: func(a yesNo) path {
			asked, tail := naQuestionsAndTail(a, nil)
			steps := []string{"cert-sante", "ars"}
			asked = append(asked, "esms")
			if a.yes("esms") {
				asked = append(asked, "esms_serious_dysfunction")
				if a.yes("esms_serious_dysfunction") {
					steps = append(steps, "esms-autorite")
				}
			}
			return path{asked: asked, steps: append(steps, tail...)}
		},
		to: with(naCommon, map[string]recipient{"esms-autorite": {to: []string{"autorite-esms@national"}}}),
	},
	{
		id: "nouvelle-aquitaine/es-esms", at: now, nis2: true,
		leaves: 3 * 3 * 3 * 3 * 3,
		expect: func(a yesNo) path {
			nis2Qs := []string{"nis2_entity"}
			if a.yes("nis2_entity") {
				nis2Qs = append(nis2Qs, "nis2_significant")
			}
			asked, tail := naQuestionsAndTail(a, nis2Qs)
			steps := []string{"cert-sante", "ars"}
			asked = append(asked, "esms")
			if a.yes("esms") {
				asked = append(asked, "esms_serious_dysfunction")
				if a.yes("esms_serious_dysfunction") {
					steps = append(steps, "esms-autorite")
				}
			}
			if a.yes("nis2_entity") && a.yes("nis2_significant") {
				steps = append(steps, "nis2-alerte-precoce", "nis2-notification", "nis2-rapport-final")
			}
			return path{asked: asked, steps: append(steps, tail...)}
		},
		to: with(naCommon, map[string]recipient{"esms-autorite": {to: []string{"autorite-esms@national"}}}),
	},
	{
		// Chart A: opérateurs de services essentiels. "Déclarer l'incident à
		// l'ANSSI via le formulaire incidents OSE" (club.ssi), plus the
		// recurring update task of domain.md O2.
		id: "nouvelle-aquitaine/ose", at: now,
		leaves: 3 * 3 * 3,
		expect: func(a yesNo) path {
			asked, tail := naQuestionsAndTail(a, nil)
			return path{asked: asked, steps: append([]string{"cert-sante", "ars", "anssi", "anssi-mises-a-jour"}, tail...)}
		},
		to: with(naCommon, map[string]recipient{
			"anssi":              {to: []string{"anssi@national"}},
			"anssi-mises-a-jour": {to: []string{"anssi@national"}},
		}),
	},
	{
		id: "nouvelle-aquitaine/ose", at: now, nis2: true,
		leaves: 3 * 3 * 3 * 2,
		expect: func(a yesNo) path {
			asked, tail := naQuestionsAndTail(a, []string{"nis2_significant"})
			steps := []string{"cert-sante", "ars", "anssi", "anssi-mises-a-jour"}
			if a.yes("nis2_significant") {
				steps = append(steps, "nis2-alerte-precoce", "nis2-notification", "nis2-rapport-final")
			}
			return path{asked: asked, steps: append(steps, tail...)}
		},
		to: with(naCommon, map[string]recipient{
			"anssi":              {to: []string{"anssi@national"}},
			"anssi-mises-a-jour": {to: []string{"anssi@national"}},
		}),
	},
	{
		// Chart C: professionnel de santé libéral. "Déclarer l'incident à
		// l'ARS Nouvelle-Aquitaine"; si malveillant: "1. Cybermalveillance,
		// 2. Police / Gendarmerie"; "Se faire accompagner : 1. CRIC-NA,
		// 2. ESEA"; violation OUI → CNIL → personnes concernées. No CERT
		// Santé, no ANSSI, no NIS2 (not in D1111-16-4; micro-entities).
		id: "nouvelle-aquitaine/ps-liberal", at: now,
		leaves: 3 * 3,
		expect: func(a yesNo) path {
			asked := []string{"malicious", "personal_data_breach"}
			steps := []string{"ars"}
			if a.yes("malicious") {
				asked = append(asked, "insured")
				steps = append(steps, "cybermalveillance", "police-gendarmerie")
				if a.yes("insured") {
					steps = append(steps, "plainte-assurance", "assureur")
				}
				steps = append(steps, "accompagnement-cric-na", "accompagnement-esea")
			}
			if a.yes("personal_data_breach") {
				asked = append(asked, "high_risk")
				steps = append(steps, "cnil", "registre-violations")
				if a.yes("high_risk") {
					steps = append(steps, "personnes-concernees")
				}
			}
			return path{asked: asked, steps: steps}
		},
		to: with(naCommon, map[string]recipient{
			"cybermalveillance":      {to: []string{"cybermalveillance@national"}},
			"accompagnement-cric-na": {to: []string{"cric-na@nouvelle-aquitaine"}},
			"accompagnement-esea":    {to: []string{"esea@nouvelle-aquitaine"}},
		}),
	},
	{
		// D1111-16-3 as in the seed (décret 2016-1214): the ARS receives the
		// declaration, qualifies it, forwards significant incidents "sans
		// délai" to the GIP, and informs the GIP for its annual report.
		id: "national/ars", at: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		leaves: 2,
		expect: func(a yesNo) path {
			steps := []string{"reception", "qualification"}
			if a.yes("significant") {
				steps = append(steps, "transmission-gip")
			} else {
				steps = append(steps, "statistiques-gip")
			}
			return path{asked: []string{"significant"}, steps: steps}
		},
		to: map[string]recipient{
			"reception":        {to: []string{"structure-declarante@national"}},
			"qualification":    {to: []string{"structure-declarante@national"}},
			"transmission-gip": {to: []string{"cert-sante@national"}},
			"statistiques-gip": {to: []string{"cert-sante@national"}},
		},
	},
	{
		// Current text (décret 2022-715), domain.md §4 D: the ARS receives
		// the copy, acts on the offre de soins (ROR, SAMU), and receives the
		// GIP's information on health impact.
		id: "national/ars", at: now,
		leaves: 4,
		expect: func(a yesNo) path {
			steps := []string{"reception-copie"}
			if a.yes("capacity_impact") {
				steps = append(steps, "offre-de-soins")
			}
			if a.yes("health_impact") {
				steps = append(steps, "information-gip")
			}
			return path{asked: []string{"capacity_impact", "health_impact"}, steps: steps}
		},
		to: map[string]recipient{
			"reception-copie": {to: []string{"structure-declarante@national"}},
			"offre-de-soins":  {to: []string{"ror@national", "samu@national"}},
			"information-gip": {to: []string{"cert-sante@national"}},
		},
	},
	{
		// Seed D1111-16-3 (2016): the GIP receives from the ARS, analyses,
		// supports the ARS, informs the HFDS of every analysed report and
		// the DGS of those with a health impact "sans délai", organises
		// the REX and publishes an annual report. Order as domain.md §4 E.
		id: "national/gip", at: time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC),
		leaves: 2,
		expect: func(a yesNo) path {
			steps := []string{"reception", "analyse", "appui-ars", "hfds"}
			if a.yes("health_impact") {
				steps = append(steps, "dgs")
			}
			steps = append(steps, "retour-experience", "rapport-annuel")
			return path{asked: []string{"health_impact"}, steps: steps}
		},
		to: map[string]recipient{
			"reception":         {to: []string{"ars@national"}},
			"analyse":           {to: []string{"ars@national"}},
			"appui-ars":         {to: []string{"ars@national"}},
			"hfds":              {to: []string{"hfds@national"}},
			"dgs":               {to: []string{"dgs@national"}},
			"retour-experience": {to: []string{"ars@national"}},
			"rapport-annuel":    {to: []string{"public@national"}},
		},
	},
	{
		// Current text, domain.md §4 E: receive → analyse → support; every
		// analysed report → HFDS; health impact → DGS + ARS concernées;
		// OSE or national scope → ANSSI; resolution → REX → statistics.
		id: "national/gip", at: now,
		leaves: 4,
		expect: func(a yesNo) path {
			steps := []string{"reception", "analyse", "appui", "hfds"}
			if a.yes("health_impact") {
				steps = append(steps, "dgs-ars")
			}
			if a.yes("ose_or_national") {
				steps = append(steps, "anssi")
			}
			steps = append(steps, "resolution", "retour-experience", "rapport-annuel")
			return path{asked: []string{"health_impact", "ose_or_national"}, steps: steps}
		},
		to: map[string]recipient{
			"reception":         {to: []string{"structure-declarante@national"}},
			"analyse":           {to: []string{"structure-declarante@national"}},
			"appui":             {to: []string{"structure-declarante@national"}},
			"hfds":              {to: []string{"hfds@national"}},
			"dgs-ars":           {to: []string{"dgs@national", "ars@national"}},
			"anssi":             {to: []string{"anssi@national"}},
			"resolution":        {to: []string{"structure-declarante@national"}},
			"retour-experience": {to: []string{"structure-declarante@national"}},
			"rapport-annuel":    {to: []string{"public@national"}},
		},
	},
}

// TestChartPaths walks every complete set of yes/no answers of every
// builtin chain and checks the questions asked, the required steps in
// order, and their recipients against the tables above.
func TestChartPaths(t *testing.T) {
	for _, sp := range specs {
		name := sp.id + "@" + sp.at.Format("2006")
		if sp.nis2 {
			name += "+nis2"
		}
		if sp.deploy != nil {
			name += "@" + sp.deploy.Region
			for k := range sp.deploy.Contacts {
				name += "+" + k
			}
		}
		t.Run(name, func(t *testing.T) {
			c := chainAt(t, sp.id, sp.at)
			if sp.deploy != nil {
				c = deployedAt(t, *sp.deploy, sp.id, sp.at)
			}
			var features map[string]bool
			if sp.nis2 {
				features = map[string]bool{"nis2": true}
			}
			leaves, failures := 0, 0
			badRecipients := map[string]bool{}
			walk(t, c, features, func(a yesNo, p flows.Plan) {
				leaves++
				want := sp.expect(a)
				var asked []string
				for q := range a {
					asked = append(asked, q)
				}
				ok := true
				if !same(sorted(asked), sorted(want.asked)) {
					t.Errorf("%v: asked %v, want %v", a, sorted(asked), sorted(want.asked))
					ok = false
				}
				if got := stepIDs(p); !same(got, want.steps) {
					t.Errorf("%v:\n  steps %v\n  want  %v", a, got, want.steps)
					ok = false
				}
				if !p.Ended || len(p.Pending) != 0 {
					t.Errorf("%v: Ended %v with %d pending steps", a, p.Ended, len(p.Pending))
					ok = false
				}
				if !ok {
					failures++
				}
				for _, s := range p.Steps {
					// "Sans délai": due at T0, or when the answers let it in.
					if s.Step.Deadline.Kind == flows.Immediate {
						want := now
						if len(s.Step.When) > 0 {
							want = now.Add(time.Hour)
						}
						if !s.Due.Equal(want) {
							t.Errorf("%v: %s due %v, want %v", a, s.Step.ID, s.Due, want)
						}
					}
					if len(s.Because) != len(s.Step.When) {
						t.Errorf("%v: %s because %v, want one reason per clause of %v", a, s.Step.ID, s.Because, s.Step.When)
					}
					r, known := sp.to[s.Step.ID]
					if badRecipients[s.Step.ID] {
						continue
					}
					if !known {
						t.Errorf("step %s has no expected recipients", s.Step.ID)
						badRecipients[s.Step.ID] = true
						continue
					}
					if got := recipients(s.Step); !same(got, r.to) || s.Step.AnyOf != r.one {
						t.Errorf("step %s: recipients %v (one of them suffices: %v), want %v (%v)", s.Step.ID, got, s.Step.AnyOf, r.to, r.one)
						badRecipients[s.Step.ID] = true
					}
				}
				if failures > 10 {
					t.FailNow()
				}
			})
			if leaves != sp.leaves {
				t.Errorf("%d complete sets of answers, want %d", leaves, sp.leaves)
			}
		})
	}
}
