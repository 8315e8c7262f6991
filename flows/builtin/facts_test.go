package builtin_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

func TestBuiltinCatalog(t *testing.T) {
	cat := mustCatalog(t)
	if again, _ := builtin.Catalog(); again != cat {
		t.Error("Catalog compiles the embedded files more than once")
	}
	files, err := flows.ReadFS(builtin.FS())
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.Name)
	}
	wantFiles := []string{
		"chains/national/ars-2016.yaml", "chains/national/ars-2022.yaml",
		"chains/national/es-esms.yaml",
		"chains/national/gip-2016-09.1.yaml", "chains/national/gip-2016.yaml",
		"chains/national/gip-2022-04.1.yaml", "chains/national/gip-2022.yaml",
		"chains/national/ose.yaml", "chains/national/ps-liberal.yaml",
		"chains/nouvelle-aquitaine/es-esms-2025-03.1.yaml", "chains/nouvelle-aquitaine/es-esms.yaml",
		"chains/nouvelle-aquitaine/ose-2025-03.1.yaml", "chains/nouvelle-aquitaine/ose.yaml",
		"chains/nouvelle-aquitaine/ps-liberal-2025-03.1.yaml", "chains/nouvelle-aquitaine/ps-liberal.yaml",
		"contacts/auvergne-rhone-alpes.yaml", "contacts/bourgogne-franche-comte.yaml",
		"contacts/centre-val-de-loire.yaml", "contacts/national-regions.yaml",
		"contacts/national.yaml", "contacts/nouvelle-aquitaine.yaml",
		"contacts/occitanie.yaml", "contacts/pays-de-la-loire.yaml",
	}
	if !same(names, wantFiles) {
		t.Errorf("embedded files %v, want %v", names, wantFiles)
	}
	want := []string{"national/ars", "national/es-esms", "national/gip", "national/ose", "national/ps-liberal",
		"nouvelle-aquitaine/es-esms", "nouvelle-aquitaine/ose", "nouvelle-aquitaine/ps-liberal"}
	if got := cat.IDs(); !same(got, want) {
		t.Errorf("IDs %v, want %v", got, want)
	}
	// The regions whose contacts a public page gives (contacts/<region>.yaml).
	scopes := []string{"national", "auvergne-rhone-alpes", "bourgogne-franche-comte", "centre-val-de-loire", "nouvelle-aquitaine", "occitanie", "pays-de-la-loire"}
	if got := cat.Scopes(); !same(got, scopes) {
		t.Errorf("Scopes %v, want %v", got, scopes)
	}
	// Décret 2022-715, in force on 29/04/2022, replaced the seed's text.
	in2022 := time.Date(2022, 4, 29, 0, 0, 0, 0, time.UTC)
	for _, id := range []string{"national/ars", "national/gip"} {
		// One date per text, the 2016 and the 2022 ones; a text may have
		// several revisions of Vigie's transcription, on its date.
		var dates []time.Time
		for _, v := range cat.Versions(id) {
			if len(dates) == 0 || !dates[len(dates)-1].Equal(v.Effective) {
				dates = append(dates, v.Effective)
			}
		}
		if len(dates) != 2 {
			t.Fatalf("%s: %d effective dates, want the 2016 and the 2022 texts", id, len(dates))
		}
		if !dates[0].Equal(in2022) || !dates[1].Before(in2022) {
			t.Errorf("%s: effective %v and %v, want 2022-04-29 and an earlier date", id, dates[0], dates[1])
		}
		before, _ := cat.Current(id, in2022.Add(-time.Second))
		after, _ := cat.Current(id, in2022)
		if !before.Effective.Equal(dates[1]) || !after.Effective.Equal(in2022) {
			t.Errorf("%s: the 2022 text is not the one in force from 2022-04-29", id)
		}
	}
	for _, id := range want[5:] {
		c := chainAt(t, id, now)
		if c.Region != "nouvelle-aquitaine" || c.Effective.After(time.Date(2025, 3, 31, 0, 0, 0, 0, time.UTC)) {
			t.Errorf("%s: region %q effective %v, want nouvelle-aquitaine, March 2025", id, c.Region, c.Effective)
		}
	}
	for _, tc := range []struct{ id, profile string }{
		{"nouvelle-aquitaine/ose", "ose"}, {"nouvelle-aquitaine/es-esms", "es-esms"}, {"nouvelle-aquitaine/ps-liberal", "ps-liberal"},
		{"national/ars", "ars"}, {"national/gip", "gip"},
		{"national/ose", "ose"}, {"national/es-esms", "es-esms"}, {"national/ps-liberal", "ps-liberal"},
	} {
		if c := chainAt(t, tc.id, now); c.Profile != tc.profile {
			t.Errorf("%s: profile %q, want %q", tc.id, c.Profile, tc.profile)
		}
	}
}

// seedMeans are the addresses, numbers and links printed on the ARS NA
// charts (and, for ANSSI's fallback, in domain.md O1 [S8]), copied by hand.
var seedMeans = []struct{ contact, kind, value string }{
	{"cert-sante@national", "portal", "https://signalement.social-sante.gouv.fr"},
	{"cert-sante@national", "phone", "09 72 43 91 25"},
	{"ars@nouvelle-aquitaine", "email", "ars33-alerte@ars.sante.fr"},
	{"anssi@national", "form", "https://club.ssi.gouv.fr/#/declarations"},
	{"police@nouvelle-aquitaine", "email", "cybermenaces-bordeaux@interieur.gouv.fr"},
	{"gendarmerie@national", "phone", "17"},
	{"cnil@national", "portal", "https://notifications.cnil.fr/notifications/index"},
	{"cybermalveillance@national", "web", "https://www.cybermalveillance.gouv.fr/diagnostic/accueil"},
	{"cric-na@nouvelle-aquitaine", "email", "cric-na@campuscyber-na.fr"},
	{"cric-na@nouvelle-aquitaine", "phone", "0 805 29 29 40"},
	{"esea@nouvelle-aquitaine", "email", "cybersecurite@esea-na.fr"},
	{"anssi@national", "email", "cert-fr.cossi@ssi.gouv.fr"},
	{"anssi@national", "phone", "01 71 75 84 68"},
}

func TestSeedContacts(t *testing.T) {
	cat := mustCatalog(t)
	for _, f := range seedMeans {
		id, scope, _ := strings.Cut(f.contact, "@")
		ct := cat.Contact(scope, id)
		if ct == nil || ct.Scope != scope {
			t.Errorf("no contact %s", f.contact)
			continue
		}
		found := false
		for _, m := range ct.Means {
			found = found || (m.Kind == f.kind && m.Address() == f.value)
		}
		if !found {
			t.Errorf("%s has no %s %q (it has %+v)", f.contact, f.kind, f.value, ct.Means)
		}
	}
	// "09 72 43 91 25 (si plus accès internet)": the phone is CERT Santé's fallback.
	for _, m := range cat.Contact("", "cert-sante").Means {
		if m.Kind == "phone" && !m.Fallback {
			t.Errorf("CERT Santé phone %q is not marked as the fallback", m.Address())
		}
		if m.Kind == "portal" && m.Fallback {
			t.Errorf("CERT Santé portal is marked as a fallback")
		}
	}
}

var (
	emailRE = regexp.MustCompile(`^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]{2,}$`)
	phoneRE = regexp.MustCompile(`^[0-9]+( [0-9]+)*$`)
	urlRE   = regexp.MustCompile(`^https://[a-z0-9.-]+\.[a-z]{2,}(/\S*)?$`)
)

// TestMeansValues: every means can be used as it is written; the chart's
// malformed links (mailto:http://ars33-alerte%40…) are not copied.
func TestMeansValues(t *testing.T) {
	cat := mustCatalog(t)
	for _, scope := range cat.Scopes() {
		for _, ct := range cat.Contacts(scope) {
			for _, m := range ct.Means {
				v := m.Address()
				where := scope + "/" + ct.ID + " " + m.Kind + " " + v
				if strings.Contains(strings.ToLower(v), "mailto:") || strings.Contains(v, "%40") {
					t.Errorf("%s: a mailto: link or an encoded @", where)
				}
				var re *regexp.Regexp
				switch m.Kind {
				case "email":
					re = emailRE
				case "phone":
					re = phoneRE
				case "portal", "form", "web", "chat":
					re = urlRE
				}
				if re != nil && !re.MatchString(v) {
					t.Errorf("%s: not a usable %s", where, m.Kind)
				}
				if re != nil && m.Value.EN != "" && m.Value.EN != v {
					t.Errorf("%s: an address has one form in every language, not %q in English", where, m.Value.EN)
				}
			}
		}
	}
}

// TestClocks checks the legal clocks of domain.md §6 and the charts:
// "sans délai" declarations are due at once and reminded every 15 min with
// an escalation at 1 h; the CNIL is due at T0+72h, reminded at +24/48/66/71h;
// the complaint of an insured structure at T0+72h.
func TestClocks(t *testing.T) {
	h := time.Hour
	cnilAt := []time.Duration{24 * h, 48 * h, 66 * h, 71 * h}
	type clock struct {
		deadline string
		every    time.Duration
		escalate time.Duration
		at       []time.Duration
	}
	sansDelai := clock{"immediate", 15 * time.Minute, h, nil}
	for _, tc := range []struct {
		id     string
		clocks map[string]clock
	}{
		{"nouvelle-aquitaine/ose", map[string]clock{
			"cert-sante": sansDelai, "ars": sansDelai, "anssi": sansDelai,
			"cnil":              {"t0+72h", 0, 0, cnilAt},
			"plainte-assurance": {"t0+72h", 0, 0, cnilAt[:3]},
			"ror":               {"immediate", 4 * h, 0, nil},
		}},
		{"nouvelle-aquitaine/es-esms", map[string]clock{
			"cert-sante": sansDelai, "ars": sansDelai, "esms-autorite": sansDelai,
			"cnil":                {"t0+72h", 0, 0, cnilAt},
			"plainte-assurance":   {"t0+72h", 0, 0, cnilAt[:3]},
			"ror":                 {"immediate", 4 * h, 0, nil},
			"nis2-alerte-precoce": {"t0+24h", 0, 0, nil}, "nis2-notification": {"t0+72h", 0, 0, nil},
		}},
		{"nouvelle-aquitaine/ps-liberal", map[string]clock{
			"ars":               {"immediate", 0, 0, nil},
			"cnil":              {"t0+72h", 0, 0, cnilAt},
			"plainte-assurance": {"t0+72h", 0, 0, cnilAt[:3]},
		}},
		{"national/ose", map[string]clock{
			"cert-sante": sansDelai, "ars": sansDelai, "anssi": sansDelai,
			"cnil":              {"t0+72h", 0, 0, cnilAt},
			"plainte-assurance": {"t0+72h", 0, 0, cnilAt[:3]},
			"ror":               {"immediate", 4 * h, 0, nil},
		}},
		{"national/es-esms", map[string]clock{
			"cert-sante": sansDelai, "ars": sansDelai, "esms-autorite": sansDelai,
			"cnil":                {"t0+72h", 0, 0, cnilAt},
			"plainte-assurance":   {"t0+72h", 0, 0, cnilAt[:3]},
			"ror":                 {"immediate", 4 * h, 0, nil},
			"nis2-alerte-precoce": {"t0+24h", 0, 0, nil}, "nis2-notification": {"t0+72h", 0, 0, nil},
		}},
		{"national/ps-liberal", map[string]clock{
			"cnil":              {"t0+72h", 0, 0, cnilAt},
			"plainte-assurance": {"t0+72h", 0, 0, cnilAt[:3]},
		}},
		{"national/ars", map[string]clock{"reception-copie": {"immediate", 0, 0, nil}}},
		{"national/gip", map[string]clock{"dgs-ars": {"immediate", 0, 0, nil}}},
	} {
		c := chainAt(t, tc.id, now)
		for id, want := range tc.clocks {
			s := c.Step(id)
			if s == nil {
				t.Errorf("%s: no step %s", tc.id, id)
				continue
			}
			if got := s.Deadline.String(); got != want.deadline {
				t.Errorf("%s/%s: deadline %s, want %s", tc.id, id, got, want.deadline)
			}
			if want.every != 0 && s.Remind.Every != want.every {
				t.Errorf("%s/%s: reminded every %v, want %v", tc.id, id, s.Remind.Every, want.every)
			}
			if want.escalate != 0 && s.Remind.EscalateAfter != want.escalate {
				t.Errorf("%s/%s: escalated after %v, want %v", tc.id, id, s.Remind.EscalateAfter, want.escalate)
			}
			if want.at != nil && !sameDurations(s.Remind.At, want.at) {
				t.Errorf("%s/%s: reminded at %v, want %v", tc.id, id, s.Remind.At, want.at)
			}
		}
	}
	// NIS2 final report: "one month" after the notification, counted from it.
	for _, id := range []string{"nouvelle-aquitaine/ose", "nouvelle-aquitaine/es-esms", "national/ose", "national/es-esms"} {
		s := chainAt(t, id, now).Step("nis2-rapport-final")
		if s == nil {
			t.Errorf("%s: no step nis2-rapport-final", id)
			continue
		}
		// Art. 23(4)(d): "not later than one month after the submission of
		// the incident notification": a calendar month, not 28 days.
		if d := s.Deadline; d.Kind != flows.After || d.Anchor != "nis2-notification" || d.Months != 1 || d.Offset != 0 {
			t.Errorf("%s/nis2-rapport-final: deadline %v, want one calendar month after nis2-notification", id, d)
		}
		// The revision an incident may have pinned before keeps its 28 days
		// (the ARS NA charts; the national chains came out counting months).
		if !strings.HasPrefix(id, "nouvelle-aquitaine/") {
			continue
		}
		if v, err := mustCatalog(t).Version(id, "2025-03.1"); err != nil {
			t.Errorf("%s: revision 2025-03.1 no longer loads: %v", id, err)
		} else if d := v.Step("nis2-rapport-final").Deadline; d.Offset != 28*24*h || d.Months != 0 {
			t.Errorf("%s 2025-03.1/nis2-rapport-final: deadline %v, want the 28 days it was pinned with", id, d)
		}
	}
	// Old text: the ARS forwards significant incidents "sans délai".
	old := chainAt(t, "national/ars", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))
	if s := old.Step("transmission-gip"); s == nil || s.Deadline.Kind != flows.Immediate {
		t.Errorf("national/ars 2016: transmission to the GIP is not immediate")
	}
	// "Informe sans délai … de tout signalement analysé": the HFDS clock runs from the analysis.
	// Vigie puts "sans délai" at 15 minutes after the analysis, as the
	// step's note says.
	for _, at := range []time.Time{old.Effective, now} {
		if s := chainAt(t, "national/gip", at).Step("hfds"); s == nil || s.Deadline.Kind != flows.After || s.Deadline.Anchor != "analyse" || s.Deadline.Offset != 15*time.Minute {
			t.Errorf("national/gip %v: HFDS deadline %v, want 15 minutes after the analysis", at.Year(), s.Deadline)
		}
	}
	for _, v := range []string{"2016-09.1", "2022-04.1"} {
		if c, err := mustCatalog(t).Version("national/gip", v); err != nil || c.Step("hfds").Deadline.Offset != 0 {
			t.Errorf("national/gip %s: the pinned revision must load with its +0m deadline (%v)", v, err)
		}
	}
}

func sameDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestChartItemsCiteTheChart: what the charts draw says `source: chart`,
// and what they do not draw cites something else.
func TestChartItemsCiteTheChart(t *testing.T) {
	for _, tc := range []struct {
		id        string
		questions []string
		steps     []string
	}{
		{"nouvelle-aquitaine/ose", []string{"capacity_impact", "malicious", "personal_data_breach"},
			[]string{"cert-sante", "ars", "anssi", "ror", "police-gendarmerie", "cnil", "personnes-concernees"}},
		{"nouvelle-aquitaine/es-esms", []string{"capacity_impact", "malicious", "personal_data_breach"},
			[]string{"cert-sante", "ars", "ror", "police-gendarmerie", "cnil", "personnes-concernees"}},
		{"nouvelle-aquitaine/ps-liberal", []string{"malicious", "personal_data_breach"},
			[]string{"ars", "cybermalveillance", "police-gendarmerie", "accompagnement-cric-na", "accompagnement-esea", "cnil", "personnes-concernees"}},
		// The national chains have no chart: every item cites its text.
		{"national/ose", nil, nil},
		{"national/es-esms", nil, nil},
		{"national/ps-liberal", nil, nil},
	} {
		c := chainAt(t, tc.id, now)
		chart := map[string]bool{}
		for _, q := range tc.questions {
			chart["q:"+q] = true
		}
		for _, s := range tc.steps {
			chart["s:"+s] = true
		}
		for _, q := range c.Questions {
			if got := flows.IsChart(q.Source); got != chart["q:"+q.ID] {
				t.Errorf("%s: question %s has source %q", tc.id, q.ID, q.Source)
			}
		}
		for _, s := range c.Steps {
			if got := s.FromChart(); got != chart["s:"+s.ID] {
				t.Errorf("%s: step %s has source %q", tc.id, s.ID, s.Source)
			}
		}
	}
	// No ANSSI outside the OSE chart (chart B is "A without ANSSI"), nor
	// outside the national OSE chain.
	for _, id := range []string{"nouvelle-aquitaine/es-esms", "nouvelle-aquitaine/ps-liberal", "national/es-esms", "national/ps-liberal"} {
		for _, s := range chainAt(t, id, now).Steps {
			for _, r := range s.Recipients {
				if r.Contact.ID == "anssi" {
					t.Errorf("%s: step %s goes to ANSSI", id, s.ID)
				}
			}
		}
	}
}

// TestGraphs draws every builtin chain in both languages, with a node for
// every question and step.
func TestGraphs(t *testing.T) {
	cat := mustCatalog(t)
	node := strings.NewReplacer("-", "_")
	for _, id := range cat.IDs() {
		for _, c := range cat.Versions(id) {
			for _, lang := range []flows.Lang{flows.FR, flows.EN} {
				m, d := flows.Mermaid(c, lang), flows.DOT(c, lang)
				for _, q := range c.Questions {
					if n := "q_" + node.Replace(q.ID); !strings.Contains(m, "  "+n+"{") || !strings.Contains(d, "  "+n+" [shape=diamond") {
						t.Errorf("%s %s %s: graph lacks question %s", id, c.Version, lang, q.ID)
					}
				}
				for _, s := range c.Steps {
					if n := "s_" + node.Replace(s.ID); !strings.Contains(m, "  "+n+"[") || !strings.Contains(d, "  "+n+" [shape=box") {
						t.Errorf("%s %s %s: graph lacks step %s", id, c.Version, lang, s.ID)
					}
				}
			}
		}
	}
}

// TestStructureLabels: the structure picker offers the three ARS
// Nouvelle-Aquitaine charts and the three national chains, each under a
// plain label in both languages, the national ones distinct from the
// regional ones, and not the ARS's or the GIP's own roles. Deployed in a
// region, it offers that region's chains first, then the national ones.
func TestStructureLabels(t *testing.T) {
	cat := mustCatalog(t)
	labels := func(cat *flows.Catalog) []string {
		var got []string
		for _, c := range cat.Structures(now) {
			got = append(got, c.ID+" | "+c.Structure.FR+" | "+c.Structure.EN)
		}
		return got
	}
	national := []string{
		"national/es-esms | Établissement de santé ou médico-social, laboratoire, centre de radiothérapie (hors OSE) — obligations nationales | Health or medico-social establishment, laboratory, radiotherapy centre (not an OSE) — national duties",
		"national/ose | Opérateur de services essentiels (OSE) — obligations nationales | Operator of essential services (OSE) — national duties",
		"national/ps-liberal | Professionnel de santé libéral — obligations nationales | Self-employed health professional — national duties",
	}
	na := []string{
		"nouvelle-aquitaine/es-esms | Établissement de santé (hors OSE) ou établissement médico-social (ESMS) | Health establishment (not an OSE) or medico-social establishment (ESMS)",
		"nouvelle-aquitaine/ose | Opérateur de services essentiels (OSE) | Operator of essential services (OSE)",
		"nouvelle-aquitaine/ps-liberal | Professionnel de santé libéral | Self-employed health professional",
	}
	for _, tc := range []struct {
		region string
		want   []string
	}{
		{"", append(append([]string(nil), na...), national...)},
		{"nouvelle-aquitaine", append(append([]string(nil), na...), national...)},
		{"bretagne", national},
		{"auvergne-rhone-alpes", national},
	} {
		c := cat
		if tc.region != "" {
			var err error
			if c, err = cat.Deploy(flows.Deployment{Region: tc.region}); err != nil {
				t.Fatal(err)
			}
		}
		if got := labels(c); !same(got, tc.want) {
			t.Errorf("Structures in %q\n got %q\nwant %q", tc.region, got, tc.want)
		}
	}
	seen := map[string]string{}
	for _, c := range cat.Structures(now) {
		for _, l := range []string{c.Structure.FR, c.Structure.EN} {
			if other, ok := seen[l]; ok {
				t.Errorf("%s and %s share the label %q: the picker could not tell them apart", other, c.ID, l)
			}
			seen[l] = c.ID
		}
	}
	for _, id := range []string{"national/ars", "national/gip"} {
		for _, c := range cat.Versions(id) {
			if !c.Structure.IsZero() {
				t.Errorf("%s %s is an authority's role, not a structure, but has the label %+v", id, c.Version, c.Structure)
			}
		}
	}
}
