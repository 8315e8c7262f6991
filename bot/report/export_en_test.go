package report_test

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// englishFixture is the export fixture as an English deployment writes
// it: the same entries, their texts in English, the incident closed.
func englishFixture() (*incident.Incident, []incident.Entry) {
	inc, entries := fixture()
	texts := []string{
		"Incident \"Ransomware on the PACS\" opened, T0 (awareness) 2026-03-28 02:10",
		"Alert chain: Nouvelle-Aquitaine (nouvelle-aquitaine/es-esms v2025-03)",
		"Impact on capacity → Yes",
		"Personal data breach → Not known yet",
		"Done: CERT Santé, by portal, ref. CS-1234, at 2026-03-28 02:24",
		"ARS called | \"cell\" activated,\ncommas; <b>bold</b> & co",
		`=HYPERLINK("http://example.invalid","click")`,
		"Conditions: PACS stopped\r\nActions: isolation\nNeeds: more staff",
		"Reminder: CNIL before 2026-03-31 03:10",
		"Not applicable: complaint, no theft",
	}
	for i, s := range texts {
		entries[i].Text = s
	}
	entries[0].Data["title"] = "Ransomware on the PACS"
	entries[9].Data = map[string]string{"step": "plainte", "reason": "no theft"}
	inc.Title = "Ransomware on the PACS"
	inc.Status = incident.StatusClosed
	inc.ClosedBy = incident.User{ID: "u2", Name: "dg"}
	inc.ClosedAt = at("2026-03-29T07:59:00Z")
	entries = append(entries, incident.Entry{Time: inc.ClosedAt, Actor: "@dg", Kind: incident.KindClosed, Text: "Incident closed"})
	inc.Head = incident.Seal(incident.Head{}, inc.ID, entries)
	return inc, entries
}

// frenchOnly are the marks of a French text that an English report must
// not show in its own words: its headings, labels, and separators.
var frenchOnly = regexp.MustCompile(`[«»]|\S :|\b(?:Titre|Chaîne d'alerte|Chronologie|Ouvert|Clos|Statut|Exporté|Empreinte|Entrées|Auteur|Données|Heure|Référence|Moyen|Étape|Dernière|Clé|Vérification|le \d|n° \d|en cours|ouverture|réponse|sans objet|clôture)\b`)

// TestExportEnglish: the Markdown and PDF reports of an English incident
// are in English from heading to footer (golden files), while the JSON
// and CSV files, for machines, are the same whatever the language.
func TestExportEnglish(t *testing.T) {
	inc, entries := englishFixture()
	export := func(format string, lang flows.Lang) []byte {
		var buf bytes.Buffer
		if err := report.Export(&buf, format, lang, inc, entries, testKey, exportNow); err != nil {
			t.Fatalf("Export %s %s: %v", format, lang, err)
		}
		return buf.Bytes()
	}
	md := export("md", flows.EN)
	bottest.Golden(t, filepath.Join("testdata", "export-en.md.golden"), md)
	lines, _, err := report.PDFLines(nil, inc, entries, flows.EN, testKey, exportNow)
	if err != nil {
		t.Fatal(err)
	}
	pdf := strings.Join(lines, "\n") + "\n"
	bottest.Golden(t, filepath.Join("testdata", "export-en.pdf.txt.golden"), []byte(pdf))
	for name, text := range map[string]string{"md": string(md), "pdf": pdf} {
		for i, line := range strings.Split(text, "\n") {
			if m := frenchOnly.FindString(line); m != "" {
				t.Errorf("%s line %d: %q is French: %s", name, i+1, m, line)
			}
		}
	}
	for _, want := range []string{
		"| Title | Ransomware on the PACS |",
		"| Alert chain | nouvelle-aquitaine/es-esms, version 2025-03 — chain not read by this export: obligations not shown. |",
		"| T0 (awareness) | 2026-03-28 02:10:00 CET |",
		"| Closed | 2026-03-29 09:59:00 CEST, by @dg |",
		"## Timeline: the 11 entries of the main courante",
		"- Last entry: no. 11",
	} {
		if !strings.Contains(string(md), want) {
			t.Errorf("English markdown lacks %q", want)
		}
	}
	for _, format := range []string{"json", "csv"} {
		if !bytes.Equal(export(format, flows.EN), export(format, flows.FR)) {
			t.Errorf("the %s export differs between languages", format)
		}
	}
}
