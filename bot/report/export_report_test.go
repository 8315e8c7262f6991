package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/report/pdfw/poppler"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// regulatorFixture is a closed incident on the Nouvelle-Aquitaine chain
// for health establishments, its entries as the bot writes them: T0
// corrected, answers given, revised and one left open, declarations made
// on time, late and not at all, a step the answers leave out, across the
// switch to summer time (29 March 2026). It returns the exporter of a
// deployment with its organisation, whose name a fact of the incident
// replaces.
func regulatorFixture(t testing.TB) (*report.Exporter, *incident.Incident, []incident.Entry) {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	x := &report.Exporter{Key: testKey, Catalog: cat, Org: incident.Organisation{
		Name: "Clinique de la configuration", FINESS: "330000000", SIREN: "123 456 789", DPO: "Délégué : dpo@structure.example",
	}}
	rssi, dg := incident.User{ID: "u1", Name: "rssi"}, incident.User{ID: "u2", Name: "dg"}
	const chain, version = "nouvelle-aquitaine/es-esms", "2025-03.1"
	inc := &incident.Incident{
		ID: "2026-0007", Title: "Rançongiciel sur le PACS", Chain: chain, Version: version,
		T0: at("2026-03-28T01:10:00Z"), OpenedBy: rssi, OpenedAt: at("2026-03-28T01:12:00Z"),
		Channel: "crise", Status: incident.StatusClosed, ClosedBy: dg, ClosedAt: at("2026-03-31T08:00:00Z"),
	}
	answer := func(when, who, key, value, previous, text string) incident.Entry {
		data := map[string]string{"key": key, "value": value}
		if previous != "" {
			data["previous"] = previous
		}
		return incident.Entry{Time: at(when), Actor: who, Kind: incident.KindAnswer, Text: text, Data: data}
	}
	done := func(when, who, step, means, ref, declared, text string) incident.Entry {
		data := map[string]string{"step": step, "means": means, "declared_at": declared}
		if ref != "" {
			data["ref"] = ref
		}
		return incident.Entry{Time: at(when), Actor: who, Kind: incident.KindDone, Text: text, Data: data}
	}
	entries := []incident.Entry{
		{Time: at("2026-03-28T01:12:00Z"), Actor: "@rssi", Kind: incident.KindOpened,
			Text: "Incident ouvert : Rançongiciel sur le PACS, T0 (prise de connaissance) 28/03/2026 02:15",
			Data: map[string]string{"title": inc.Title, "t0": "2026-03-28T02:15:00+01:00", "chain": chain, "version": version}},
		{Time: at("2026-03-28T01:13:30Z"), Actor: "@rssi", Kind: incident.KindT0,
			Text: "T0 corrigé : 28/03/2026 02:15 → 28/03/2026 02:10",
			Data: map[string]string{"old": "2026-03-28T02:15:00+01:00", "new": "2026-03-28T02:10:00+01:00"}},
		answer("2026-03-28T01:14:10Z", "@rssi", "capacity_impact", "yes", "",
			"« L'incident a-t-il un impact sur le capacitaire disponible (lits, places) ? » → Oui"),
		answer("2026-03-28T01:14:30Z", "@rssi", "malicious", "yes", "", "« L'incident est-il d'origine malveillante ? » → Oui"),
		answer("2026-03-28T01:15:00Z", "@dpo", "personal_data_breach", "unknown", "",
			"« L'incident constitue-t-il une violation de données à caractère personnel ? » → Je ne sais pas encore"),
		answer("2026-03-28T01:16:00Z", "@dg", "insured", "no", "",
			"« La structure est-elle assurée contre les risques de cyberattaque ? » → Non"),
		done("2026-03-28T01:25:00Z", "@rssi", "cert-sante", "portail", "CS-1234", "2026-03-28T02:24:00+01:00",
			"Fait : Déclarer l'incident au CERT Santé, par portail, réf. CS-1234, à 28/03/2026 02:24"),
		done("2026-03-28T01:41:07Z", "@rssi", "ars", "email", "", "2026-03-28T02:40:00+01:00",
			"Fait : Alerter l'ARS Nouvelle-Aquitaine, par e-mail, à 28/03/2026 02:40"),
		{Time: at("2026-03-28T02:03:04.123456789Z"), Actor: "@soc", Kind: incident.KindNote, Text: "PACS isolé du réseau"},
		{Time: at("2026-03-28T03:00:00Z"), Actor: "@dg", Kind: incident.KindPoint,
			Text: "Point de situation n° 1\nConditions : PACS arrêté\nActions : bascule papier\nBesoins : renfort DSI",
			Data: map[string]string{"n": "1", "conditions": "PACS arrêté", "actions": "bascule papier", "besoins": "renfort DSI"}},
		{Time: at("2026-03-28T09:00:00Z"), Actor: "@dpo", Kind: incident.KindFacts,
			Text: "Informations : Structure : Centre hospitalier de l'Exemple",
			Data: map[string]string{"structure": "Centre hospitalier de l'Exemple"}},
		done("2026-03-28T09:30:00Z", "@dg", "police-gendarmerie", "telephone", "PV-2026-77", "2026-03-28T10:20:00+01:00",
			"Fait : Signaler à la police ou contacter la gendarmerie, par téléphone, réf. PV-2026-77, à 28/03/2026 10:20"),
		answer("2026-03-29T07:00:00Z", "@dpo", "personal_data_breach", "yes", "unknown",
			"« L'incident constitue-t-il une violation de données à caractère personnel ? » : Je ne sais pas encore → Oui"),
		answer("2026-03-29T07:05:00Z", "@dpo", "high_risk", "no", "",
			"« La violation est-elle susceptible d'engendrer un risque élevé pour les droits et libertés des personnes concernées ? » → Non"),
		answer("2026-03-29T07:06:00Z", "@dg", "esms", "no", "",
			"« La structure est-elle un établissement ou service social ou médico-social (ESMS) ? » → Non"),
		done("2026-03-29T08:00:00Z", "@dpo", "registre-violations", "autre", "REG-12", "2026-03-29T10:00:00+02:00",
			"Fait : Consigner la violation au registre interne, par autre moyen, réf. REG-12, à 29/03/2026 10:00"),
		done("2026-03-31T04:22:13Z", "@dpo", "cnil", "portail", "CNIL-9876", "2026-03-31T06:20:00+02:00",
			"Fait : Notifier la violation à la CNIL, par portail, réf. CNIL-9876, à 31/03/2026 06:20"),
		{Time: at("2026-03-31T08:00:00Z"), Actor: "@dg", Kind: incident.KindClosed,
			Text: "Incident clos ; restait : 7. Ajuster le nombre de lits/places disponibles dans le ROR ; 15. Informer le CERT Santé de la résolution de l'incident",
			Data: map[string]string{"left": "7. Ajuster le nombre de lits/places disponibles dans le ROR; 15. Informer le CERT Santé de la résolution de l'incident"}},
	}
	inc.T0 = at("2026-03-28T01:10:00Z")
	inc.Head = incident.Seal(incident.Head{}, inc.ID, entries)
	return x, inc, entries
}

var reportNow = time.Date(2026, 4, 2, 7, 30, 0, 0, time.UTC)

// artefacts is where the tests leave the first page of each PDF as a PNG
// for people to look at: $VIGIE_TEST_ARTEFACTS, else the test's
// temporary directory.
func artefacts(t *testing.T) string {
	if dir := os.Getenv("VIGIE_TEST_ARTEFACTS"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		return dir
	}
	return t.TempDir()
}

// pdfLayout reads a PDF back with pdftotext -layout, which keeps each
// printed line on one line and the columns of a table side by side.
func pdfLayout(t *testing.T, pdf []byte) string {
	t.Helper()
	out := poppler.Run(t, pdf, "pdftotext", "-layout", "-enc", "UTF-8")
	// Trailing blanks depend on the widest line of a page: not content.
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

// firstPagePNG renders the first page of pdf to dir/name.png for people
// to look at, and returns its path.
func firstPagePNG(t *testing.T, pdf []byte, dir, name string) string {
	t.Helper()
	return poppler.PNG(t, pdf, filepath.Join(dir, name), "-r", "110", "-f", "1", "-l", "1")
}

// utcNano matches an instant written in UTC with decimals: the reports
// people read give Paris time to the second.
var utcNano = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z`)

// TestExportReportPDF: the PDF a regulator reads, read back by
// pdftotext -layout (golden file): the structure from the facts and the
// configuration, the chain and its version, the closing report, the
// obligations table with legal deadlines, declared and recorded times to
// the second in Paris time, on time or late and by how much, the step the
// answers leave out and why, the CERT Santé number on one line, and no
// machine keys or UTC instants with decimals. The first page is left as a
// PNG to look at.
func TestExportReportPDF(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	for _, lang := range []flows.Lang{flows.FR, flows.EN} {
		t.Run(string(lang), func(t *testing.T) {
			lines, pdf, err := report.PDFLines(x, inc, entries, lang, testKey, reportNow)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if _, err := x.Export(&buf, "pdf", lang, inc, report.Slice(entries), reportNow); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), pdf) {
				t.Error("Exporter.Export pdf differs from a second rendering")
			}
			bottest.Golden(t, filepath.Join("testdata", "report-"+string(lang)+".pdf.txt.golden"), []byte(strings.Join(lines, "\n")+"\n"))
			layout := pdfLayout(t, pdf)
			bottest.Golden(t, filepath.Join("testdata", "report-"+string(lang)+".pdf.layout.golden"), []byte(layout))
			if png := firstPagePNG(t, pdf, artefacts(t), "report-"+string(lang)); png != "" {
				t.Logf("first page: %s", png)
			}

			want := map[flows.Lang][]string{
				flows.FR: {
					"Centre hospitalier de l'Exemple", "330000000", "123 456 789",
					"(nouvelle-aquitaine/es-esms), version 2025-03.1 en vigueur", "01/03/2025",
					"28/03/2026 02:10:00 CET", "31/03/2026 10:00:00 CEST",
					"Bilan de clôture", "en retard de 3 h 10",
					"31/03/2026 06:20:00 CEST", "enregistrée le", "31/03/2026 06:22:13 CEST",
					"09 72 43 91 25", "Étapes non requises par les réponses", "14. Communiquer aux personnes",
					"Question restée ouverte", "page 1/",
				},
				flows.EN: {
					"Centre hospitalier de l'Exemple", "version 2025-03.1 in force since", "2025-03-01",
					"2026-03-28 02:10:00 CET", "Closing report", "late by 3 h 10", "2026-03-31 06:22:13 CEST",
					"09 72 43 91 25", "Steps the answers do not require", "Question left open",
				},
			}[lang]
			for _, w := range want {
				if !strings.Contains(layout, w) {
					t.Errorf("pdftotext -layout lacks %q", w)
				}
			}
			for _, bad := range []string{"declared_at", "means :", "step :", "capacity_impact"} {
				if strings.Contains(layout, bad) {
					t.Errorf("pdftotext -layout shows the machine key %q", bad)
				}
			}
			if m := utcNano.FindString(layout); m != "" {
				t.Errorf("pdftotext -layout shows the UTC instant %q: the report gives Paris time", m)
			}
		})
	}
}

// TestExportReportMarkdown: the Markdown report has the PDF's sections in
// short tables (golden files), no table wider than six columns, no row
// with two hashes.
func TestExportReportMarkdown(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	for _, lang := range []flows.Lang{flows.FR, flows.EN} {
		t.Run(string(lang), func(t *testing.T) {
			var buf bytes.Buffer
			if _, err := x.Export(&buf, "md", lang, inc, report.Slice(entries), reportNow); err != nil {
				t.Fatal(err)
			}
			md := buf.String()
			bottest.Golden(t, filepath.Join("testdata", "report-"+string(lang)+".md.golden"), buf.Bytes())
			hash := regexp.MustCompile("`[0-9a-f]{64}`")
			for i, line := range strings.Split(md, "\n") {
				if !strings.HasPrefix(line, "|") {
					continue
				}
				if cols := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") - 1; cols > 6 {
					t.Errorf("line %d: a table of %d columns: %s", i+1, cols, line)
				}
				if n := len(hash.FindAllString(line, -1)); n > 1 {
					t.Errorf("line %d: %d hashes on a row: %s", i+1, n, line)
				}
			}
			if m := utcNano.FindString(md); m != "" {
				t.Errorf("markdown shows the UTC instant %q", m)
			}
			for _, w := range map[flows.Lang][]string{
				flows.FR: {"| 12. Notifier la violation à la CNIL | T0 + 72 h | 31/03/2026 03:10:00 CEST | 31/03/2026 06:20:00 CEST (T0 + 3 j 3 h 10) | en retard de 3 h 10 |",
					"Téléphone : 09 72 43 91 25"},
				flows.EN: {"| 12. Notify the CNIL of the breach | T0 + 72 h | 2026-03-31 03:10:00 CEST | 2026-03-31 06:20:00 CEST (T0 + 3 d 3 h 10) | late by 3 h 10 |"},
			}[lang] {
				if !strings.Contains(md, w) {
					t.Errorf("markdown lacks %q", w)
				}
			}
		})
	}
}
