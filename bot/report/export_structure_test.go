package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestExportStructureProfileRegion: the first page names the structure's
// profile (the kind of structure its chain is for) and its region: the
// deployment's (Organisation.Region), else its chain's, by name.
func TestExportStructureProfileRegion(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	header := func(x *report.Exporter, lang flows.Lang) string {
		var md bytes.Buffer
		if _, err := x.Export(&md, "md", lang, inc, report.Slice(entries), reportNow); err != nil {
			t.Fatal(err)
		}
		h, _, _ := strings.Cut(md.String(), "## Incident")
		return h
	}
	for lang, want := range map[flows.Lang][]string{
		flows.FR: {"| Profil | Établissement de santé (hors OSE) ou établissement médico-social (ESMS) |", "| Région | Nouvelle-Aquitaine |"},
		flows.EN: {"| Profile | Health establishment (not an OSE) or medico-social establishment (ESMS) |", "| Region | Nouvelle-Aquitaine |"},
	} {
		h := header(x, lang)
		for _, w := range want {
			if !strings.Contains(h, w) {
				t.Errorf("%s: the structure lacks %q:\n%s", lang, w, h)
			}
		}
	}
	// The deployment's region, when the configuration gives one.
	y := *x
	y.Org = incident.Organisation{Name: "CH", Region: "pays-de-la-loire"}
	if h := header(&y, flows.FR); !strings.Contains(h, "| Région | Pays de la Loire |") {
		t.Errorf("the structure does not name the deployment's region:\n%s", h)
	}
}
