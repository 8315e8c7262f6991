package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestSheetContactsChecked: the reflex sheet says where each of its
// contacts comes from and, in brackets after the source, the day it was
// last checked against it (the contacts files' `checked:`), in Markdown
// and in the PDF; it no longer says the files give no date.
func TestSheetContactsChecked(t *testing.T) {
	cat, _ := sheetCatalog(t)
	cert := cat.Contact(flows.ScopeNational, "cert-sante")
	if cert == nil || cert.Checked.IsZero() {
		t.Fatal("the national contact cert-sante has no checked date")
	}
	for _, tc := range sheetCases(t) {
		if tc.nis2 {
			continue
		}
		checkedOn := map[flows.Lang]*regexp.Regexp{
			flows.FR: regexp.MustCompile(` \(\d\d/\d\d/\d{4}\)$`),
			flows.EN: regexp.MustCompile(` \(\d{4}-\d\d-\d\d\)$`),
		}[tc.lang]
		unchecked := map[flows.Lang]string{flows.FR: "ne donnent pas encore la date", flows.EN: "do not give the date"}[tc.lang]
		certDay := map[flows.Lang]string{flows.FR: cert.Checked.Format("02/01/2006"), flows.EN: cert.Checked.Format("2006-01-02")}[tc.lang]

		var md bytes.Buffer
		if err := report.ReflexSheet(&md, "md", cat, []*flows.Chain{tc.chain}, tc.options()); err != nil {
			t.Fatal(err)
		}
		_, sources, ok := strings.Cut(md.String(), "### "+map[flows.Lang]string{flows.FR: "Sources des contacts (vérifiés le)", flows.EN: "Where the contacts come from (checked on)"}[tc.lang])
		if !ok {
			t.Fatalf("%s: no sources section:\n%s", tc, md.String())
		}
		var lines, cited []string
		for _, l := range strings.Split(sources, "\n") {
			if l, ok := strings.CutPrefix(l, "- "); ok {
				lines = append(lines, l)
				if !checkedOn.MatchString(l) {
					t.Errorf("%s: a source without its checked date: %q", tc, l)
				}
				if strings.Contains(l, cert.Name.In(tc.lang)) {
					cited = append(cited, l)
				}
			}
		}
		if len(lines) == 0 {
			t.Errorf("%s: the sources section lists nothing:\n%s", tc, sources)
		}
		if strings.Contains(sources, unchecked) {
			t.Errorf("%s: the sheet still says the contacts files give no date", tc)
		}
		// Every chain's sheet sends to CERT Santé but the authorities' own.
		if len(cited) > 0 && !strings.HasSuffix(cited[0], "("+certDay+")") {
			t.Errorf("%s: CERT Santé's source line %q does not end with its checked date %s", tc, cited[0], certDay)
		}

		pdf, _, err := report.SheetPDF(cat, []*flows.Chain{tc.chain}, tc.options())
		if err != nil {
			t.Fatal(err)
		}
		text := strings.Join(strings.Fields(sheetLayout(t, pdf)), " ")
		for _, l := range lines {
			if !strings.Contains(text, strings.Join(strings.Fields(l), " ")) {
				t.Errorf("%s: the PDF lacks the source line %q", tc, l)
			}
		}
	}
}

// TestSheetNationalSources: a national chain has no chart, so its sheet
// does not credit "the source alert chart", nor the Nouvelle-Aquitaine
// charts, with its national contacts: it names their own public pages or
// texts. A regional chain's sheet still credits its chart.
func TestSheetNationalSources(t *testing.T) {
	cat, _ := sheetCatalog(t)
	for _, tc := range sheetCases(t) {
		if tc.nis2 {
			continue
		}
		var md bytes.Buffer
		if err := report.ReflexSheet(&md, "md", cat, []*flows.Chain{tc.chain}, tc.options()); err != nil {
			t.Fatal(err)
		}
		chart := map[flows.Lang]string{flows.FR: "schéma d'alerte source", flows.EN: "the source alert chart"}[tc.lang]
		seeds := map[flows.Lang]string{flows.FR: "schémas d'alerte de l'ARS Nouvelle-Aquitaine", flows.EN: "ARS Nouvelle-Aquitaine alert charts"}[tc.lang]
		regional := tc.chain.Region != ""
		if got := strings.Contains(md.String(), chart); got != regional {
			t.Errorf("%s: the sheet credits %q: %v, want %v", tc, chart, got, regional)
		}
		// Nor does it credit another region's charts: each national
		// contact cites its own public page or text.
		if !regional && strings.Contains(md.String(), seeds) {
			t.Errorf("%s: the national contacts' source names %q", tc, seeds)
		}
		if !regional && tc.chain.Step("cnil") != nil && !regexp.MustCompile(`CNIL[^·]*: (RGPD|GDPR)`).MatchString(md.String()) {
			t.Errorf("%s: the CNIL's source is not its own:\n%s", tc, md.String())
		}
	}
}

// TestSheetChainDate: the sheet dates the chain's version as it dates
// everything else, 24/04/2023 in French and 2023-04-24 in English.
func TestSheetChainDate(t *testing.T) {
	cat, _ := sheetCatalog(t)
	c, err := cat.Version("national/es-esms", "2023-04.1")
	if err != nil {
		t.Fatal(err)
	}
	for lang, want := range map[flows.Lang]string{flows.FR: "en vigueur depuis le 24/04/2023", flows.EN: "in force since 2023-04-24"} {
		var md bytes.Buffer
		if err := report.ReflexSheet(&md, "md", cat, []*flows.Chain{c}, report.SheetOptions{Lang: lang, Now: sheetNow}); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(md.String(), want) {
			t.Errorf("%s: the sheet lacks %q", lang, want)
		}
	}
}
