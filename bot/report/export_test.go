package report_test

import (
	"bytes"
	"crypto/ed25519"
	"flag"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// update rewrites the golden files under testdata (bottest.Golden reads it).
var _ = flag.Bool("update", false, "rewrite the golden files under testdata")

// testKey is a fixed signing key, so that golden files are stable:
// ed25519 signatures are deterministic.
var testKey = ed25519.NewKeyFromSeed(bytes.Repeat([]byte{7}, ed25519.SeedSize))

var exportNow = time.Date(2026, 3, 29, 8, 0, 0, 0, time.UTC)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// fixture returns an incident and its main courante of 10 entries, sealed
// as a store would, with text that tests every escaping: table pipes, line
// breaks, quotes, commas, HTML, spreadsheet formulas and a time with
// nanoseconds, on both sides of the switch to summer time (29 March 2026).
func fixture() (*incident.Incident, []incident.Entry) {
	rssi := incident.User{ID: "u1", Name: "rssi"}
	inc := &incident.Incident{
		ID: "2026-0001", Title: "Rançongiciel sur le PACS",
		Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03",
		T0: at("2026-03-28T01:10:00Z"), OpenedBy: rssi, OpenedAt: at("2026-03-28T01:12:00Z"),
		Channel: "crise", Status: incident.StatusOpen,
	}
	entries := []incident.Entry{
		{Time: at("2026-03-28T01:12:00Z"), Actor: "@rssi", Kind: incident.KindOpened, Text: "Incident ouvert : Rançongiciel sur le PACS",
			Data: map[string]string{"title": "Rançongiciel sur le PACS", "t0": "2026-03-28T01:10:00Z"}},
		{Time: at("2026-03-28T01:12:00Z"), Actor: "@rssi", Kind: incident.KindChain, Text: "Chaîne nouvelle-aquitaine/es-esms, version 2025-03",
			Data: map[string]string{"chain": "nouvelle-aquitaine/es-esms", "version": "2025-03"}},
		{Time: at("2026-03-28T01:14:10Z"), Actor: "@rssi", Kind: incident.KindAnswer, Text: "Impact sur la capacité d'accueil : oui",
			Data: map[string]string{"key": "capacity_impact", "value": "yes"}},
		{Time: at("2026-03-28T01:15:00Z"), Actor: "@dpo", Kind: incident.KindAnswer, Text: "Violation de données : je ne sais pas encore",
			Data: map[string]string{"key": "personal_data_breach", "value": "unknown"}},
		{Time: at("2026-03-28T01:25:00Z"), Actor: "@rssi", Kind: incident.KindDone, Text: "CERT Santé : fait via portail, réf. CS-1234",
			Data: map[string]string{"step": "cert-sante", "means": "portail", "ref": "CS-1234", "declared_at": "2026-03-28T01:24:00Z"}},
		{Time: at("2026-03-28T02:03:04.123456789Z"), Actor: "@dg", Kind: incident.KindNote,
			Text: "Appel de l'ARS | \"cellule\" activée,\nvirgules; <b>gras</b> & co"},
		{Time: at("2026-03-28T02:10:00Z"), Actor: "@soc", Kind: incident.KindNote, Text: `=HYPERLINK("http://example.invalid","clic")`},
		{Time: at("2026-03-28T03:00:00Z"), Actor: "@dg", Kind: incident.KindPoint,
			Text: "Conditions : PACS arrêté\r\nActions : isolement\nBesoins : renfort", Data: map[string]string{"n": "1"}},
		{Time: at("2026-03-29T01:30:00Z"), Actor: "vigie", Kind: incident.KindReminder, Text: "Rappel : CNIL avant le 31/03 03:10",
			Data: map[string]string{"step": "cnil", "note": "a|b <i>"}},
		{Time: at("2026-03-29T07:45:00Z"), Actor: "@dpo", Kind: incident.KindNA, Text: "'Sans objet' : plainte, pas de vol",
			Data: map[string]string{"step": "plainte", "reason": "pas de vol"}},
	}
	inc.Head = incident.Seal(incident.Head{}, inc.ID, entries)
	return inc, entries
}

func export(t testing.TB, format string) []byte {
	t.Helper()
	inc, entries := fixture()
	var buf bytes.Buffer
	if err := report.Export(&buf, format, flows.FR, inc, entries, testKey, exportNow); err != nil {
		t.Fatalf("Export %s: %v", format, err)
	}
	return buf.Bytes()
}

func TestExportGolden(t *testing.T) {
	for _, format := range report.ExportFormats {
		if format == "pdf" {
			continue // binary: TestExportPDF reads it back
		}
		t.Run(format, func(t *testing.T) {
			got := export(t, format)
			bottest.Golden(t, filepath.Join("testdata", "export."+format+".golden"), got)
		})
	}
}

func TestExportMarkdown(t *testing.T) {
	md := string(export(t, "md"))
	for _, want := range []string{
		"# Main courante — incident 2026-0001",
		"| 6 | 28/03/2026 03:03:04 CET | @dg | note | Appel de l'ARS \\| \"cellule\" activée,<br>virgules; &lt;b&gt;gras&lt;/b&gt; & co |",
		"| 9 | 29/03/2026 03:30:00 CEST | vigie | rappel | Rappel : CNIL avant le 31/03 03:10 |",
		"Conditions : PACS arrêté<br>Actions : isolement<br>Besoins : renfort",
		"_Étape : plainte_",
		"- Empreinte de la clé : `" + incident.KeyFingerprint(testKey.Public().(ed25519.PublicKey)) + "`",
		"Pour vérifier cette copie :", "« vigie verify 2026-0001.json --key EMPREINTE »",
	} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q", want)
		}
	}
	// Every row of the timeline keeps its cell count: nothing broke out
	// of a cell.
	row := regexp.MustCompile(`^\| \d+ \| \d\d/\d\d/\d{4} `)
	n := 0
	for _, line := range strings.Split(md, "\n") {
		if row.MatchString(line) {
			n++
			if cells := strings.Count(strings.ReplaceAll(line, `\|`, ""), "|"); cells != 6 {
				t.Errorf("row has %d separators, want 6: %s", cells, line)
			}
		}
	}
	if n != 12 { // 10 entries, 2 answers
		t.Errorf("%d rows of the timeline and answers, want 12", n)
	}
}

func TestExportClosed(t *testing.T) {
	inc, entries := fixture()
	inc.Status = incident.StatusClosed
	inc.ClosedBy = incident.User{ID: "u2", Name: "dg"}
	inc.ClosedAt = at("2026-03-30T10:00:00Z")
	closing := []incident.Entry{{Time: inc.ClosedAt, Actor: "@dg", Kind: incident.KindClosed, Text: "Incident clos"}}
	inc.Head = incident.Seal(inc.Head, inc.ID, closing)
	entries = append(entries, closing...)
	for format, want := range map[string]string{
		"md":   "| Clôture | 30/03/2026 12:00:00 CEST, par @dg |",
		"csv":  "#closed,u2,dg,2026-03-30T10:00:00Z\n",
		"json": `"closed_at": "2026-03-30T10:00:00Z"`,
	} {
		var buf bytes.Buffer
		if err := report.Export(&buf, format, flows.FR, inc, entries, testKey, exportNow); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), want) {
			t.Errorf("%s export lacks %q:\n%s", format, want, buf.String())
		}
		if format != "md" {
			if _, err := report.Verify(&buf, report.VerifyOptions{}); err != nil {
				t.Errorf("closed %s export does not verify: %v", format, err)
			}
		}
	}
}

func TestExportRefuses(t *testing.T) {
	tests := []struct {
		name   string
		format string
		edit   func(inc *incident.Incident, es []incident.Entry) []incident.Entry
		key    ed25519.PrivateKey
		want   string
	}{
		{name: "unknown format", format: "xls", want: `unknown export format "xls" (accepted: md, csv, json, pdf)`},
		{name: "no entries", edit: func(*incident.Incident, []incident.Entry) []incident.Entry { return nil }, want: "no entries"},
		{name: "bad key", key: ed25519.PrivateKey("short"), want: "signing key has 5 bytes"},
		{name: "altered entry", edit: func(_ *incident.Incident, es []incident.Entry) []incident.Entry {
			es[3].Text = "Violation de données : non"
			return es
		}, want: "does not verify: entry 4: hash does not match"},
		{name: "entries missing at the end", edit: func(_ *incident.Incident, es []incident.Entry) []incident.Entry {
			return es[:8]
		}, want: "entries end at #8 but the incident's head is #10"},
		{name: "head of another chain", edit: func(inc *incident.Incident, es []incident.Entry) []incident.Entry {
			inc.Head.Hash = es[0].Hash
			return es
		}, want: "entry #10 does not match the incident's head"},
		{name: "other incident", edit: func(inc *incident.Incident, es []incident.Entry) []incident.Entry {
			inc.ID = "2026-0002"
			return es
		}, want: `entry 1: belongs to incident "2026-0001", not "2026-0002"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc, es := fixture()
			if tt.edit != nil {
				es = tt.edit(inc, es)
			}
			key, format := tt.key, tt.format
			if key == nil {
				key = testKey
			}
			if format == "" {
				format = "json"
			}
			var buf bytes.Buffer
			err := report.Export(&buf, format, flows.FR, inc, es, key, exportNow)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Export error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestExportNewerEntries: entries appended after the incident was read are
// exported and signed; the export is not held to the older head.
func TestExportNewerEntries(t *testing.T) {
	inc, es := fixture()
	more := []incident.Entry{{Time: at("2026-03-29T08:00:00Z"), Actor: "@rssi", Kind: incident.KindNote, Text: "encore"}}
	incident.Seal(inc.Head, inc.ID, more)
	es = append(es, more...)
	local := es[0].Time.In(incident.Paris)
	es[0].Time = local
	var buf bytes.Buffer
	if err := report.Export(&buf, "json", flows.FR, inc, es, testKey, exportNow); err != nil {
		t.Fatal(err)
	}
	if es[0].Time.Location() != incident.Paris {
		t.Error("Export changed the caller's entries")
	}
	rep, err := report.Verify(&buf, report.VerifyOptions{})
	if err != nil || rep.Head.Seq != 11 {
		t.Fatalf("Verify = %+v, %v; want head #11", rep, err)
	}
}

// FuzzExportRoundTrip: whatever people type, an export verifies, unless the
// text is not UTF-8 (JSON cannot carry it), in which case Export refuses
// rather than write a file that fails later.
func FuzzExportRoundTrip(f *testing.F) {
	f.Add("Conditions\r\nActions", "@rssi", "ref", "CS-1234")
	f.Add("=1+1", "'quote", "k", "\"v\"\n")
	f.Add("\xff\xfe", "\r", "a", "")
	f.Fuzz(func(t *testing.T, text, actor, key, value string) {
		inc, opening := fixture()
		entries := append(opening[:2:2], incident.Entry{Time: exportNow, Actor: actor, Kind: incident.KindNote, Text: text, Data: map[string]string{key: value}})
		inc.Head = incident.Seal(incident.Head{}, inc.ID, entries)
		spaced := strings.Contains(key, " ")
		for _, format := range []string{"csv", "json"} {
			var buf bytes.Buffer
			err := report.Export(&buf, format, flows.FR, inc, entries, testKey, exportNow)
			valid := utf8.ValidString(text) && utf8.ValidString(actor) && utf8.ValidString(key) && utf8.ValidString(value)
			switch {
			case spaced && err != nil:
			case !valid && err != nil:
			case !valid:
				t.Fatalf("Export %s accepted text that is not UTF-8", format)
			case err != nil:
				t.Fatalf("Export %s: %v", format, err)
			default:
				if _, err := report.Verify(&buf, report.VerifyOptions{}); err != nil {
					t.Fatalf("%s export does not verify: %v\n%q", format, err, buf.String())
				}
			}
		}
	})
}
