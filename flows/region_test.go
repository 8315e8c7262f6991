package flows_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// recipientsOf lists a step's recipients as id@scope, with the first means
// value of each.
func recipientsOf(s *flows.Step) []string {
	var out []string
	for _, r := range s.Recipients {
		v := ""
		if len(r.Means) > 0 {
			v = " " + r.Means[0].Value.FR
		}
		out = append(out, r.Contact.ID+"@"+r.Contact.Scope+v)
	}
	return out
}

// TestSecondRegionIsData loads an Occitanie chain and its contacts beside
// every builtin file: a second region needs data only, its chain sees its
// own contacts first and the national ones after, and the builtin
// Nouvelle-Aquitaine chains keep theirs.
func TestSecondRegionIsData(t *testing.T) {
	files, err := flows.ReadFS(builtin.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"contacts.yaml", "es-esms.yaml"} {
		f := readFile(t, filepath.Join("testdata", "region-occitanie", name))
		f.Name = "region-occitanie/" + name
		files = append(files, f)
	}
	cat := mustCompile(t, files...)
	scopes := cat.Scopes()
	if !slices.Contains(scopes, "occitanie") || scopes[0] != "national" {
		t.Errorf("scopes = %v, want national first and occitanie", scopes)
	}
	found := false
	for _, id := range cat.IDs() {
		found = found || id == "occitanie/es-esms"
	}
	if !found {
		t.Fatalf("occitanie/es-esms not in %v", cat.IDs())
	}

	now := mustTime(t, "2026-02-03T21:40:00+01:00")
	c, err := cat.Current("occitanie/es-esms", now)
	if err != nil {
		t.Fatal(err)
	}
	p := flows.Evaluate(c, flows.Input{T0: now, Answers: answers(now.Add(time.Hour), "malicious", "yes", "personal_data_breach", "yes")})
	checkIDs(t, "steps", stepIDs(p), []string{"cert-sante", "ars", "csirt", "police-gendarmerie", "cnil"})
	if !p.Ended {
		t.Error("not Ended with every question answered")
	}
	for _, tc := range []struct {
		step string
		want []string
	}{
		{"cert-sante", []string{"cert-sante@national https://signalement.social-sante.gouv.fr"}},
		{"ars", []string{"ars@occitanie ars31-alerte@ars.sante.fr"}}, // the region's own ars wins over the national one
		{"csirt", []string{"cyberocc@occitanie 0 800 71 13 13"}},
		{"police-gendarmerie", []string{"gendarmerie@national 17", "17cyber@national https://17cyber.gouv.fr"}},
		{"cnil", []string{"cnil@national https://notifications.cnil.fr/notifications/index"}},
	} {
		checkIDs(t, tc.step+" recipients", recipientsOf(planned(t, p, tc.step).Step), tc.want)
	}
	if d := planned(t, p, "cnil").Due; !d.Equal(now.Add(72 * time.Hour)) {
		t.Errorf("cnil due %v, want T0+72h", d)
	}

	// Nouvelle-Aquitaine is untouched by the new region.
	na, err := cat.Current("nouvelle-aquitaine/es-esms", now)
	if err != nil {
		t.Fatal(err)
	}
	if got := recipientsOf(na.Step("ars")); len(got) != 1 || got[0] != "ars@nouvelle-aquitaine ars33-alerte@ars.sante.fr" {
		t.Errorf("nouvelle-aquitaine ars step recipients %v", got)
	}
	if cat.Contact("occitanie", "police") != nil {
		t.Error("Occitanie sees the Nouvelle-Aquitaine police contact")
	}
	if ct := cat.Contact("nouvelle-aquitaine", "cyberocc"); ct != nil {
		t.Error("Nouvelle-Aquitaine sees Cyber'Occ")
	}

	// The region alone, without the national contacts, does not load: its
	// chain names national contacts.
	errs := compileErrors(t, files[len(files)-2:]...)
	if len(errs) == 0 || errs[0].File != "region-occitanie/es-esms.yaml" {
		t.Errorf("region without national contacts: %v", errs)
	}
}
