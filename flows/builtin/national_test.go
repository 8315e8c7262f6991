package builtin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// The national chains (chains/national/es-esms, ose, ps-liberal) carry the
// duties of the national texts in every region: CSP art. L1111-8-2,
// D1111-16-2 to D1111-16-4 as amended by décret n° 2022-715 (declaration
// to CERT Santé without delay, its resolution), the arrêté of 30/10/2017
// (the ARS by any means when the portal is down), loi 2018-133 art. 7 and
// décret 2018-384 art. 11 for OSE (ANSSI), GDPR art. 33 and 34 (CNIL
// within 72 h, register, persons), code des assurances L12-10-1 (complaint
// within 72 h if insured), CASF L331-8-1 (ESMS), the ROR. The tables below
// are written from those texts, not from the YAML. Their ARS and regional
// CSIRT come from where Vigie is deployed.

// deployedAt returns chain id in force at at, in a catalog deployed as d.
func deployedAt(tb testing.TB, d flows.Deployment, id string, at time.Time) *flows.Chain {
	tb.Helper()
	cat, err := mustCatalog(tb).Deploy(d)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := cat.Current(id, at)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// nationalCommon are the recipients of the national chains' steps as
// compiled: the ARS is the national stand-in until a deployment binds it;
// the forces of order are reached by 17Cyber or the 17, and a complaint is
// filed in person or by letter, one of the two (code de procédure pénale
// art. 15-3, 40).
func nationalCommon(ars string) map[string]recipient {
	return map[string]recipient{
		"cert-sante":           {to: []string{"cert-sante@national"}},
		"ars":                  {to: []string{ars}},
		"ror":                  {to: []string{"ror@national"}},
		"plan-crise-ars":       {to: []string{ars}},
		"police-gendarmerie":   {to: []string{"17cyber@national", "urgence-17@national"}, one: true},
		"plainte-assurance":    {to: []string{"depot-plainte@national", "procureur@national"}, one: true},
		"assureur":             {to: []string{"assureur@national"}},
		"cnil":                 {to: []string{"cnil@national"}},
		"registre-violations":  {to: []string{"registre-violations@national"}},
		"personnes-concernees": {to: []string{"personnes-concernees@national"}},
		"resolution":           {to: []string{"cert-sante@national"}},
		"nis2-alerte-precoce":  {to: []string{"anssi-nis2@national"}},
		"nis2-notification":    {to: []string{"anssi-nis2@national"}},
		"nis2-rapport-final":   {to: []string{"anssi-nis2@national"}},
		"esms-autorite":        {to: []string{"autorite-esms@national"}},
		"anssi":                {to: []string{"anssi@national"}},
		"anssi-mises-a-jour":   {to: []string{"anssi@national"}},
	}
}

// nationalES: CERT Santé and the ARS always; the ESMS's licensing
// authority when it is an ESMS with a serious dysfunction; then what the
// answers add, in the order of the ARS charts (the same questions).
func nationalES(nis2 bool) func(a yesNo) path {
	return func(a yesNo) path {
		var nis2Qs []string
		if nis2 {
			nis2Qs = []string{"nis2_entity"}
			if a.yes("nis2_entity") {
				nis2Qs = append(nis2Qs, "nis2_significant")
			}
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
	}
}

// nationalOSE: the ES duties plus ANSSI and its updates; NIS2 asks only
// whether the incident is significant (an OSE is an essential entity).
func nationalOSE(nis2 bool) func(a yesNo) path {
	return func(a yesNo) path {
		var nis2Qs []string
		if nis2 {
			nis2Qs = []string{"nis2_significant"}
		}
		asked, tail := naQuestionsAndTail(a, nis2Qs)
		steps := []string{"cert-sante", "ars", "anssi", "anssi-mises-a-jour"}
		if a.yes("nis2_significant") {
			steps = append(steps, "nis2-alerte-precoce", "nis2-notification", "nis2-rapport-final")
		}
		return path{asked: asked, steps: append(steps, tail...)}
	}
}

// nationalPS: no CERT Santé, no ARS (D1111-16-4 does not list PS
// libéraux); if malicious: the Cybermalveillance diagnosis, the police or
// the gendarmerie, the complaint and the insurer if insured, the regional
// CSIRT; if a breach: CNIL, register, persons if the risk is high.
func nationalPS(a yesNo) path {
	asked := []string{"malicious", "personal_data_breach"}
	var steps []string
	if a.yes("malicious") {
		asked = append(asked, "insured")
		steps = append(steps, "cybermalveillance", "police-gendarmerie")
		if a.yes("insured") {
			steps = append(steps, "plainte-assurance", "assureur")
		}
		steps = append(steps, "accompagnement-csirt")
	}
	if a.yes("personal_data_breach") {
		asked = append(asked, "high_risk")
		steps = append(steps, "cnil", "registre-violations")
		if a.yes("high_risk") {
			steps = append(steps, "personnes-concernees")
		}
	}
	return path{asked: asked, steps: steps}
}

func psRecipients(csirt string) map[string]recipient {
	return with(nationalCommon("ars@national"), map[string]recipient{
		"cybermalveillance":    {to: []string{"cybermalveillance@national"}},
		"accompagnement-csirt": {to: []string{csirt}},
	})
}

// bretagneARS is a deployment's own ARS contact, in a region Vigie ships
// no contacts file for.
var bretagneARS = &flows.Contact{Means: []flows.Means{{Kind: "email", Value: flows.Text{FR: "ars-alerte@example.org"}}}, Source: flows.Text{FR: "test"}}

func init() {
	specs = append(specs,
		chartSpec{id: "national/es-esms", at: now, leaves: 3 * 3 * 3 * 3, expect: nationalES(false), to: nationalCommon("ars@national")},
		chartSpec{id: "national/es-esms", at: now, nis2: true, leaves: 3 * 3 * 3 * 3 * 3, expect: nationalES(true), to: nationalCommon("ars@national")},
		chartSpec{id: "national/ose", at: now, leaves: 3 * 3 * 3, expect: nationalOSE(false), to: nationalCommon("ars@national")},
		chartSpec{id: "national/ose", at: now, nis2: true, leaves: 3 * 3 * 3 * 2, expect: nationalOSE(true), to: nationalCommon("ars@national")},
		chartSpec{id: "national/ps-liberal", at: now, leaves: 3 * 3, expect: nationalPS, to: psRecipients("csirt@national")},

		// Deployed: the region's ARS and CSIRT (by id, or by role: CRIC-NA
		// is the csirt of Nouvelle-Aquitaine), the configuration's in a
		// region Vigie ships no file for, the stand-ins where neither
		// gives one.
		chartSpec{id: "national/es-esms", at: now, deploy: &flows.Deployment{Region: "auvergne-rhone-alpes"},
			leaves: 3 * 3 * 3 * 3, expect: nationalES(false), to: nationalCommon("ars@auvergne-rhone-alpes")},
		chartSpec{id: "national/ose", at: now, deploy: &flows.Deployment{Region: "nouvelle-aquitaine"},
			leaves: 3 * 3 * 3, expect: nationalOSE(false), to: nationalCommon("ars@nouvelle-aquitaine")},
		chartSpec{id: "national/es-esms", at: now, deploy: &flows.Deployment{Region: "bretagne", Contacts: map[string]*flows.Contact{"ars": bretagneARS}},
			leaves: 3 * 3 * 3 * 3, expect: nationalES(false), to: nationalCommon("ars@configuration")},
		chartSpec{id: "national/ose", at: now, deploy: &flows.Deployment{Region: "bretagne"},
			leaves: 3 * 3 * 3, expect: nationalOSE(false), to: nationalCommon("ars@national")},
		chartSpec{id: "national/ps-liberal", at: now, deploy: &flows.Deployment{Region: "occitanie"},
			leaves: 3 * 3, expect: nationalPS, to: psRecipients("csirt@occitanie")},
		chartSpec{id: "national/ps-liberal", at: now, deploy: &flows.Deployment{Region: "nouvelle-aquitaine"},
			leaves: 3 * 3, expect: nationalPS, to: psRecipients("cric-na@nouvelle-aquitaine")},
		chartSpec{id: "national/ps-liberal", at: now, deploy: &flows.Deployment{Region: "pays-de-la-loire"},
			leaves: 3 * 3, expect: nationalPS, to: psRecipients("csirt@national")},
	)
}

// regionMeans are the addresses and numbers of the regions' public pages,
// copied by hand from the pages each contact cites (read in December 2026).
var regionMeans = []struct{ contact, kind, value string }{
	{"ars@auvergne-rhone-alpes", "email", "ars69-alerte@ars.sante.fr"},
	{"ars@auvergne-rhone-alpes", "phone", "0 800 32 42 62"},
	{"ars@bourgogne-franche-comte", "email", "ars-bfc-alerte@ars.sante.fr"},
	{"ars@bourgogne-franche-comte", "phone", "0 809 404 900"},
	{"ars@pays-de-la-loire", "email", "ars44-alerte@ars.sante.fr"},
	{"ars@pays-de-la-loire", "phone", "0 800 277 303"},
	{"ars@centre-val-de-loire", "email", "ars45-alerte@ars.sante.fr"},
	{"csirt@occitanie", "phone", "0 800 71 13 13"},
	{"csirt@occitanie", "email", "csirt@cyberocc.fr"},
}

// TestRegionContacts: each region file gives what its public page gives,
// the ARS's phone as the fallback when the portal and e-mail are down
// (arrêté du 30/10/2017: "par tout moyen"), and every contact of a region
// file but the charts' says where it comes from (an https URL) and when it
// was checked.
func TestRegionContacts(t *testing.T) {
	cat := mustCatalog(t)
	for _, f := range regionMeans {
		id, scope, _ := strings.Cut(f.contact, "@")
		ct := cat.RegionContact(scope, id)
		if ct == nil || ct.Scope != scope {
			t.Errorf("no contact %s", f.contact)
			continue
		}
		found := false
		for _, m := range ct.Means {
			if m.Kind == f.kind && m.Address() == f.value {
				found = true
				if id == "ars" && m.Kind == "phone" && !m.Fallback {
					t.Errorf("%s: the phone %s is not the fallback", f.contact, m.Address())
				}
			}
		}
		if !found {
			t.Errorf("%s has no %s %q (it has %+v)", f.contact, f.kind, f.value, ct.Means)
		}
	}
	for _, scope := range cat.Scopes() {
		if scope == flows.ScopeNational || scope == "nouvelle-aquitaine" {
			continue
		}
		for _, ct := range cat.Contacts(scope) {
			if !strings.Contains(ct.Source.FR, "https://") || !strings.Contains(ct.Source.EN, "https://") {
				t.Errorf("%s@%s: source %q gives no page to open", ct.ID, scope, ct.Source)
			}
			if ct.Checked.IsZero() {
				t.Errorf("%s@%s: no checked date", ct.ID, scope)
			}
		}
	}
	// Nouvelle-Aquitaine's CSIRT is CRIC-NA, under its own id.
	if ct := cat.RegionContact("nouvelle-aquitaine", "csirt"); ct == nil || ct.ID != "cric-na" {
		t.Errorf("the csirt of Nouvelle-Aquitaine is %+v, want cric-na", ct)
	}
	// No region gives what no public page gave.
	for _, tc := range []struct{ region, id string }{{"occitanie", "ars"}, {"bretagne", "ars"}, {"ile-de-france", "ars"}, {"auvergne-rhone-alpes", "csirt"}} {
		if ct := cat.RegionContact(tc.region, tc.id); ct != nil {
			t.Errorf("%s has a %s contact, %s, that no public page read for Vigie gave", tc.region, tc.id, ct.Source)
		}
	}
}

// TestStandIns: compiled, the national chains go to the national
// stand-ins of their regional contacts; a deployment binds them, and what
// it leaves unbound is what Vigie asks the administrator to configure.
func TestStandIns(t *testing.T) {
	ids := func(cs []*flows.Contact) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.ID+"@"+c.Scope)
		}
		return out
	}
	for _, tc := range []struct {
		region string
		chain  string
		want   []string
	}{
		{"", "national/es-esms", []string{"ars@national"}},
		{"", "national/ps-liberal", []string{"csirt@national"}},
		{"auvergne-rhone-alpes", "national/es-esms", []string{}},
		{"auvergne-rhone-alpes", "national/ps-liberal", []string{"csirt@national"}},
		{"occitanie", "national/ose", []string{"ars@national"}},
		{"occitanie", "national/ps-liberal", []string{}},
		{"bretagne", "national/es-esms", []string{"ars@national"}},
		{"nouvelle-aquitaine", "national/ps-liberal", []string{}},
		{"bretagne", "nouvelle-aquitaine/es-esms", []string{}}, // a regional chain has no stand-ins
	} {
		c := deployedAt(t, flows.Deployment{Region: tc.region}, tc.chain, now)
		if got := ids(c.StandIns()); !same(got, tc.want) {
			t.Errorf("%s in %q: stand-ins %v, want %v", tc.chain, tc.region, got, tc.want)
		}
	}
	// The compiled catalog is not changed by a deployment.
	if got := ids(chainAt(t, "national/es-esms", now).StandIns()); !same(got, []string{"ars@national"}) {
		t.Errorf("compiled national/es-esms: stand-ins %v", got)
	}
}
