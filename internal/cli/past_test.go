package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// pastDB builds a database of four incidents of two years and an exercise,
// open and closed, in two channels, whose main courantes hold notes, a
// situation point, proofs, and Vigie's own words around them:
//
//	2025-0001     closed  T0 1 June 2025, 10:00 Paris   Hameçonnage de la messagerie
//	2025-0002     closed  T0 1 January 2026, 00:30 Paris (31 December 2025 in UTC, hence its id)
//	2026-0001     closed  T0 28 March 2026              Panne de l'HÔPITAL de jour, no chain
//	EX-2026-0001  closed  T0 6 October 2026             an exercise
//	2026-0002     open    T0 23 November 2026, 02:10    Rançongiciel sur le PACS
func pastDB(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	rssi := incident.User{ID: "u1", Name: "rssi"}
	create := func(title, chain, channel string, t0, opened time.Time, closed time.Duration, es ...incident.Entry) {
		t.Helper()
		inc := &incident.Incident{Title: title, Chain: chain, T0: t0, OpenedBy: rssi, OpenedAt: opened, Channel: channel}
		if chain != "" {
			inc.Version = "2025-03.1"
		}
		es = append([]incident.Entry{{Time: opened, Actor: "@rssi", Kind: incident.KindOpened, Text: "Ouverture de l'incident « " + title + " »",
			Data: map[string]string{"title": title}}}, es...)
		if closed > 0 {
			inc.Status, inc.ClosedBy, inc.ClosedAt = incident.StatusClosed, rssi, opened.Add(closed)
			es = append(es, incident.Entry{Time: inc.ClosedAt, Actor: "@rssi", Kind: incident.KindClosed, Text: "Incident clos"})
		}
		if _, err := s.Create(ctx, inc, es); err != nil {
			t.Fatal(err)
		}
	}
	note := func(at time.Time, text string) incident.Entry {
		return incident.Entry{Time: at, Actor: "@rssi", Kind: incident.KindNote, Text: text}
	}
	june := time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC)
	create("Hameçonnage de la messagerie", "nouvelle-aquitaine/es-esms", "crise", june, june.Add(20*time.Minute), 72*time.Hour,
		note(june.Add(time.Hour), "Mots de passe réinitialisés pour tout le PACS"))
	nye := time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC)
	create("Fuite de données du laboratoire", "nouvelle-aquitaine/es-esms", "labo", nye, nye.Add(15*time.Minute), 48*time.Hour)
	march := time.Date(2026, 3, 28, 9, 0, 0, 0, time.UTC)
	create("Panne de l'HÔPITAL de jour", "", "crise", march, march, 6*time.Hour,
		note(march.Add(time.Hour), "Panne\tréseau, pas d'attaque"))
	// An exercise, numbered apart, marked on every line about it.
	drill := time.Date(2026, 10, 6, 8, 0, 0, 0, time.UTC)
	ex := &incident.Incident{Title: "Exercice rançongiciel PACS", Chain: "nouvelle-aquitaine/es-esms", Version: "2025-03.1", T0: drill,
		OpenedBy: rssi, OpenedAt: drill, Channel: "crise", Exercise: true, Status: incident.StatusClosed, ClosedBy: rssi, ClosedAt: drill.Add(3 * time.Hour)}
	if _, err := s.Create(ctx, ex, []incident.Entry{{Time: drill, Actor: "@rssi", Kind: incident.KindOpened, Text: "EXERCICE — ouverture",
		Data: map[string]string{"title": ex.Title, "exercise": "yes"}}, note(drill.Add(time.Hour), "Bascule du PACS en mode dégradé")}); err != nil {
		t.Fatal(err)
	}
	nov := time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)
	at := func(m int) time.Time { return nov.Add(time.Duration(m) * time.Minute) }
	create("Rançongiciel sur le PACS", "nouvelle-aquitaine/es-esms", "crise", nov, nov, 0,
		incident.Entry{Time: at(1), Actor: "@rssi", Kind: incident.KindAnswer, Text: "Réponse : le PACS est-il touché ? → oui", Data: map[string]string{"key": "malicious", "value": "yes"}},
		note(at(5), "PACS isolé du réseau à 02:15 ; les images des urgences partent sur le disque de secours du service de radiologie de l'hôpital"),
		incident.Entry{Time: at(15), Actor: "@rssi", Kind: incident.KindDone, Text: "Fait : Déclarer l'incident au CERT Santé, par portail, réf. CS-1234",
			Data: map[string]string{"step": "cert-sante", "means": "portail", "ref": "CS-1234", "note": "appel au standard de l'Hôpital"}},
		incident.Entry{Time: at(40), Actor: "@dsi", Kind: incident.KindPoint, Text: "Point de situation n° 1 — Conditions : PACS arrêté — Besoins : renfort DSI",
			Data: map[string]string{"n": "1", "conditions": "PACS arrêté", "besoins": "renfort DSI"}})
	return db
}

func TestListe(t *testing.T) {
	db := pastDB(t)
	checkGolden(t, "liste", mustRun(t, "--db", db, "liste"))
	checkGolden(t, "liste-en", mustRun(t, "--db", db, "--lang", "en", "list"))
	checkGolden(t, "liste-2026-clos", mustRun(t, "--db", db, "liste", "--annee", "2026", "--etat", "clos"))
	for _, tt := range []struct {
		args []string
		want []string // the incidents listed, in order
	}{
		{[]string{"liste"}, []string{"2026-0002", "EX-2026-0001", "2026-0001", "2025-0002", "2025-0001"}},
		// The year of T0 in Paris: 2025-0002 became known on 1 January 2026.
		{[]string{"liste", "--annee", "2026"}, []string{"2026-0002", "EX-2026-0001", "2026-0001", "2025-0002"}},
		{[]string{"liste", "--annee", "2025"}, []string{"2025-0001"}},
		{[]string{"liste", "--annee", "2024"}, nil},
		{[]string{"liste", "--etat", "ouvert"}, []string{"2026-0002"}},
		{[]string{"liste", "--etat", "clos"}, []string{"EX-2026-0001", "2026-0001", "2025-0002", "2025-0001"}},
		// English names, of the command, the flags and the states.
		{[]string{"list", "--year", "2026", "--state", "closed"}, []string{"EX-2026-0001", "2026-0001", "2025-0002"}},
		{[]string{"liste", "--state", "open"}, []string{"2026-0002"}},
		{[]string{"liste", "--etat", "closed", "--year", "2025"}, []string{"2025-0001"}},
		{[]string{"liste", "--annee", "2026", "--year", "2026"}, []string{"2026-0002", "EX-2026-0001", "2026-0001", "2025-0002"}},
	} {
		out := mustRun(t, append([]string{"--db", db}, tt.args...)...)
		var got []string
		for _, line := range strings.Split(out, "\n")[1:] {
			if id, _, ok := strings.Cut(line, "  "); ok && strings.Contains(id, "-") {
				got = append(got, id)
			}
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("vigie %s: %v, want %v\n%s", strings.Join(tt.args, " "), got, tt.want, out)
		}
	}
	if out := mustRun(t, "--db", db, "liste", "--annee", "2024"); !strings.HasSuffix(out, "0 incident sur 5 (T0 en 2024)\n") {
		t.Errorf("an empty year:\n%s", out)
	}
}

// TestPastExercise: an exercise is listed and found, marked as one on
// each line, in both languages.
func TestPastExercise(t *testing.T) {
	db := pastDB(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"liste", "--etat", "clos", "--annee", "2026"}, "EX-2026-0001  clos  06/10/2026 10:00  06/10/2026 10:00  EXERCICE — Exercice rançongiciel PACS"},
		{[]string{"--lang", "en", "list"}, "EX-2026-0001  closed  2026-10-06 10:00  2026-10-06 10:00  EXERCISE — Exercice rançongiciel PACS"},
		{[]string{"cherche", "mode dégradé"}, "EX-2026-0001  #2      06/10/2026 11:00  note (exercice)  Bascule du PACS en mode dégradé"},
		{[]string{"--lang", "en", "search", "exercice"}, "EX-2026-0001  —      2026-10-06 10:00  title (exercise)  Exercice rançongiciel PACS"},
	} {
		if out := mustRun(t, append([]string{"--db", db}, tt.args...)...); !strings.Contains(out, tt.want) {
			t.Errorf("vigie %s lacks %q:\n%s", strings.Join(tt.args, " "), tt.want, out)
		}
	}
}

func TestListeUsage(t *testing.T) {
	db := pastDB(t)
	none := filepath.Join(t.TempDir(), "none.db")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"liste", "--annee", "deux"}, ExitUsage, `bad --annee "deux" (accepted: a year such as 2026)`},
		{[]string{"liste", "--year", "1999"}, ExitUsage, `bad --year "1999" (accepted: a year such as 2026)`},
		{[]string{"liste", "--annee", "2026", "--year", "2025"}, ExitUsage, `--annee 2026 and --year 2025 disagree: give one`},
		{[]string{"liste", "--etat", "fermé"}, ExitUsage, `bad --etat "fermé" (accepted: ouvert, clos, open, closed)`},
		{[]string{"liste", "--state", ""}, ExitUsage, `bad --state "" (accepted: ouvert, clos, open, closed)`},
		{[]string{"liste", "--etat", "ouvert", "--state", "closed"}, ExitUsage, `--etat ouvert and --state closed disagree: give one`},
		{[]string{"liste", "2026"}, ExitUsage, `unexpected argument "2026"`},
		{[]string{"liste", "--format", "pdf"}, ExitUsage, `unknown flag: --format`},
		{[]string{"--db", none, "liste"}, ExitFailure, "no database at"},
	} {
		code, out, errs := runCLI(t, append([]string{"--db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) || out != "" {
			t.Errorf("vigie %s: exit %d, %q, stdout %q; want %d and %q", strings.Join(tt.args, " "), code, errs, out, tt.code, tt.want)
		}
	}
}

func TestCherche(t *testing.T) {
	db := pastDB(t)
	checkGolden(t, "cherche-pacs", mustRun(t, "--db", db, "cherche", "PACS"))
	checkGolden(t, "cherche-hopital-en", mustRun(t, "--db", db, "--lang", "en", "search", "hopital"))
	for _, tt := range []struct {
		args []string
		want string // the hits, one "id seq kind" each, in order
	}{
		// Case and accents do not count, nor a line break or a tab.
		{[]string{"cherche", "hôpital"}, "2026-0002 #3 note, 2026-0002 #4 preuve, 2026-0001 — titre"},
		{[]string{"cherche", "HOPITAL"}, "2026-0002 #3 note, 2026-0002 #4 preuve, 2026-0001 — titre"},
		{[]string{"cherche", "panne reseau"}, "2026-0001 #2 note"},
		{[]string{"cherche", "mots", "de", "passe"}, "2025-0001 #2 note"},
		{[]string{"cherche", "cs-1234"}, "2026-0002 #4 preuve"},
		{[]string{"cherche", "renfort"}, "2026-0002 #5 point"},
		// Vigie's own words around what people wrote are not searched.
		{[]string{"cherche", "Réponse"}, ""},
		{[]string{"cherche", "situation"}, ""},
		{[]string{"cherche", "portail"}, ""},
		{[]string{"cherche", "Incident clos"}, ""},
	} {
		out := mustRun(t, append([]string{"--db", db}, tt.args...)...)
		var got []string
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Fields(line); len(f) > 4 && strings.Contains(f[0], "-") {
				got = append(got, f[0]+" "+f[1]+" "+f[4])
			}
		}
		if strings.Join(got, ", ") != tt.want {
			t.Errorf("vigie %s: %q, want %q\n%s", strings.Join(tt.args, " "), strings.Join(got, ", "), tt.want, out)
		}
	}
	if out := mustRun(t, "--db", db, "cherche", "introuvable"); out != "Aucun résultat pour « introuvable ».\n" {
		t.Errorf("no hit: %q", out)
	}
}

func TestChercheUsage(t *testing.T) {
	db := pastDB(t)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"cherche"}, ExitUsage, "missing TEXT to search, such as: vigie cherche PACS"},
		{[]string{"cherche", "  "}, ExitUsage, "missing TEXT to search"},
		{[]string{"cherche", "a"}, ExitUsage, `TEXT "a" is too short (accepted: 2 characters or more)`},
		{[]string{"cherche", strings.Repeat("é", 201)}, ExitUsage, "TEXT is too long: 201 characters (accepted: 200 at most)"},
		{[]string{"cherche", "PACS\x1b[2J"}, ExitUsage, "TEXT holds a control character at position 5 (accepted: letters, digits, punctuation and spaces)"},
		{[]string{"cherche", "PA\xffCS"}, ExitUsage, "TEXT is not valid UTF-8 at position 3"},
		{[]string{"cherche", "--annee", "2026", "PACS"}, ExitUsage, "unknown flag: --annee"},
		{[]string{"--db", filepath.Join(t.TempDir(), "none.db"), "cherche", "PACS"}, ExitFailure, "no database at"},
	} {
		code, out, errs := runCLI(t, append([]string{"--db", db}, tt.args...)...)
		if code != tt.code || !strings.Contains(errs, tt.want) || out != "" {
			t.Errorf("vigie %q: exit %d, %q, stdout %q; want %d and %q", tt.args, code, errs, out, tt.code, tt.want)
		}
	}
}
