package report_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/bot/report/pdfw/poppler"
	"github.com/vigie-sante/vigie/flows"
)

// exerciseFixture is the regulator's fixture played as an exercise:
// numbered apart, its opening entry saying so, and enough notes for the
// PDF to run over several pages.
func exerciseFixture(t testing.TB) (*report.Exporter, *incident.Incident, []incident.Entry) {
	t.Helper()
	x, inc, entries := regulatorFixture(t)
	inc.ID, inc.Exercise, inc.Title = "EX-2026-0001", true, "Exercice rançongiciel sur le PACS"
	entries[0].Data["exercise"] = "yes"
	entries[0].Data["title"] = inc.Title
	closed := entries[len(entries)-1]
	entries = entries[:len(entries)-1]
	for i := range 40 {
		entries = append(entries, incident.Entry{Time: closed.Time.Add(-1), Actor: "@soc", Kind: incident.KindNote,
			Text: fmt.Sprintf("Inject %d de l'animateur : message de la presse locale, à traiter par la cellule de communication.", i+1)})
	}
	entries = append(entries, closed)
	inc.Head = incident.Seal(incident.Head{}, inc.ID, entries)
	return x, inc, entries
}

func exportWith(t *testing.T, x *report.Exporter, inc *incident.Incident, entries []incident.Entry, format string, lang flows.Lang) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := x.Export(&buf, format, lang, inc, report.Slice(entries), reportNow); err != nil {
		t.Fatalf("Export %s: %v", format, err)
	}
	return buf.Bytes()
}

// TestExportExercise: every format of an exercise's export says it is
// one: the Markdown report at its top and bottom, the CSV and JSON in
// their signed header, which Verify reads back; and the PDF on every
// page.
func TestExportExercise(t *testing.T) {
	x, inc, entries := exerciseFixture(t)
	for _, format := range []string{"md", "csv", "json"} {
		t.Run(format, func(t *testing.T) {
			got := exportWith(t, x, inc, entries, format, flows.FR)
			bottest.Golden(t, filepath.Join("testdata", "export-exercise."+format+".golden"), got)
			if format == "md" {
				return
			}
			rep, err := report.Verify(bytes.NewReader(got), report.VerifyOptions{})
			if err != nil || !rep.Exercise || rep.Incident != "EX-2026-0001" {
				t.Errorf("Verify = %+v, %v; want an intact exercise", rep, err)
			}
		})
	}
	md := string(exportWith(t, x, inc, entries, "md", flows.FR))
	lines := strings.Split(strings.TrimRight(md, "\n"), "\n")
	const banner = "> **EXERCICE — main courante d'un exercice de crise, pas d'un incident réel : elle ne vaut pas déclaration et n'entre pas dans les statistiques.**"
	if lines[0] != "# EXERCICE — Main courante — incident EX-2026-0001" || lines[2] != banner || lines[len(lines)-1] != banner {
		t.Errorf("markdown does not open and end with the mark:\n%s\n…\n%s", strings.Join(lines[:4], "\n"), lines[len(lines)-1])
	}
	if en := string(exportWith(t, x, inc, entries, "md", flows.EN)); !strings.HasPrefix(en, "# EXERCISE — Main courante — incident EX-2026-0001") {
		t.Errorf("English report: %.80q", en)
	}

	lines, pdf, err := report.PDFLines(x, inc, entries, flows.FR, testKey, reportNow)
	if err != nil {
		t.Fatal(err)
	}
	bottest.Golden(t, filepath.Join("testdata", "export-exercise.pdf.txt.golden"), []byte(strings.Join(lines, "\n")+"\n"))
	pages := strings.Split(strings.TrimRight(poppler.Run(t, pdf, "pdftotext", "-enc", "UTF-8"), "\f"), "\f")
	if len(pages) < 3 {
		t.Fatalf("the fixture should run over several pages, not %d", len(pages))
	}
	for i, p := range pages {
		top, _, _ := strings.Cut(strings.TrimSpace(p), "\n")
		if top != "EXERCICE — main courante d'un exercice de crise, pas d'un incident réel" {
			t.Errorf("page %d does not open with the mark: %q", i+1, top)
		}
		if !strings.Contains(p, fmt.Sprintf("EXERCICE — Main courante de l'incident EX-2026-0001, tête #%d", inc.Head.Seq)) {
			t.Errorf("page %d footer is not marked:\n%s", i+1, p)
		}
	}
}

// TestVerifyExerciseMarkRemoved: the mark is part of the signed header,
// and the entries say it: a CSV or JSON export whose mark was removed (to
// pass an exercise for a real incident) does not verify, nor one where it
// was added.
func TestVerifyExerciseMarkRemoved(t *testing.T) {
	x, inc, entries := exerciseFixture(t)
	for _, c := range []struct{ format, mark, with string }{
		{"json", "\n    \"exercise\": true,", ""},
		{"csv", "#exercise,yes\n", ""},
	} {
		b := string(exportWith(t, x, inc, entries, c.format, flows.FR))
		if !strings.Contains(b, c.mark) {
			t.Fatalf("%s export lacks %q", c.format, c.mark)
		}
		_, err := report.Verify(strings.NewReader(strings.Replace(b, c.mark, c.with, 1)), report.VerifyOptions{})
		if err == nil || !strings.Contains(err.Error(), "exercise") {
			t.Errorf("%s without its mark: %v", c.format, err)
		}
	}
	// A real incident's export given the mark.
	x, real, es := regulatorFixture(t)
	b := string(exportWith(t, x, real, es, "csv", flows.FR))
	b = strings.Replace(b, "#title,", "#exercise,yes\n#title,", 1)
	if _, err := report.Verify(strings.NewReader(b), report.VerifyOptions{}); err == nil || !strings.Contains(err.Error(), "exercise") {
		t.Errorf("real incident marked as an exercise: %v", err)
	}
}

// TestStatsLeaveExercisesOut: an exercise counts in no figure of its
// year; the statistics say how many were left out, and say nothing of
// them when there were none.
func TestStatsLeaveExercisesOut(t *testing.T) {
	_, real, _ := regulatorFixture(t)
	ex := real.Clone()
	ex.ID, ex.Exercise = "EX-2026-0001", true
	ex2 := ex.Clone()
	ex2.ID = "EX-2026-0002"
	chainOf := func(*incident.Incident) *flows.Chain { return nil }
	only := report.ComputeStats([]*incident.Incident{real}, 2026, chainOf)
	st := report.ComputeStats([]*incident.Incident{ex, real, ex2}, 2026, chainOf)
	if st.Incidents != 1 || st.Exercises != 2 {
		t.Errorf("incidents %d, exercises left out %d; want 1 and 2", st.Incidents, st.Exercises)
	}
	if other := report.ComputeStats([]*incident.Incident{ex}, 2027, chainOf); other.Exercises != 0 {
		t.Errorf("an exercise of 2026 left out of 2027's figures: %d", other.Exercises)
	}
	write := func(st *report.YearStats, format string, lang flows.Lang) string {
		var b bytes.Buffer
		if err := report.WriteStats(&b, format, st, lang); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, format := range []string{"csv", "md"} {
		withEx, without := write(st, format, flows.FR), write(only, format, flows.FR)
		if strings.Contains(without, "xercice") {
			t.Errorf("%s without exercises mentions them:\n%s", format, without)
		}
		if format == "csv" && withEx != without+"excluded,exercises,2,,,\n" {
			t.Errorf("csv with exercises:\n%s", withEx)
		}
		if format == "md" && !strings.Contains(withEx, "\n2 exercices non comptés : ") {
			t.Errorf("md with exercises:\n%s", withEx)
		}
	}
	st.Exercises = 1
	if md := write(st, "md", flows.FR); !strings.Contains(md, "\n1 exercice non compté : ") {
		t.Errorf("one exercise:\n%s", md)
	}
	if md := write(st, "md", flows.EN); !strings.Contains(md, "\n1 exercise not counted: ") {
		t.Errorf("one exercise, in English:\n%s", md)
	}
}
