package cli

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// statsYear builds a database holding a year of 120 incidents whose T0
// falls in 2026 (Paris time), built so that every total can be counted by
// hand (see TestStats), plus incidents of 2025 and 2027 on both sides of
// the new year in Paris, which must not count. Titles, names, notes, facts
// and references hold text that must never reach the statistics.
func statsYear(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	paris := incident.Paris
	chains := []struct{ id, version string }{
		{"nouvelle-aquitaine/ose", "2025-03.1"}, {"nouvelle-aquitaine/es-esms", "2025-03.1"}, {"nouvelle-aquitaine/ps-liberal", "2025-03.1"}, {"", ""},
	}
	who := incident.User{ID: "u-martin", Name: "Dr Martin"}
	answer := func(inc *incident.Incident, key string, vs ...flows.Value) {
		for _, v := range vs {
			inc.Answers[key] = append(inc.Answers[key], incident.AnswerRecord{Value: v, By: who, At: inc.T0})
		}
	}
	done := func(inc *incident.Incident, step string, d time.Duration) {
		inc.Steps[step] = &incident.StepState{Status: incident.StepDone, By: who, At: inc.T0.Add(d),
			Proof: &incident.Proof{By: who, DeclaredAt: inc.T0.Add(d), ServerAt: inc.T0.Add(d + time.Minute), Means: "portail",
				Ref: "CS-SECRET-" + inc.T0.Format("0102"), Note: "appel au SAMU de Mme Dupont"}}
	}
	create := func(inc *incident.Incident) {
		t.Helper()
		inc.OpenedBy, inc.OpenedAt, inc.Channel = who, inc.T0, "crise-Dupont"
		inc.Facts = map[string]string{"personnes": "Confidentiel : Jean Dupont", "declarant": "Dr Martin"}
		if _, err := s.Create(ctx, inc, []incident.Entry{{Time: inc.T0, Actor: "@Dr Martin", Kind: incident.KindNote, Text: "note secrète sur Jean Dupont"}}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 120 {
		t0 := time.Date(2026, time.Month(i/10+1), 1+i%10, 10, 0, 0, 0, paris)
		switch i {
		case 0:
			t0 = time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC) // 1 January 2026, 00:30 in Paris
		case 119:
			t0 = time.Date(2026, 12, 31, 22, 30, 0, 0, time.UTC) // 31 December, 23:30 in Paris
		}
		c := chains[i%4]
		inc := &incident.Incident{Title: "Patient Jean Dupont, NIR du dossier", T0: t0, Chain: c.id, Version: c.version,
			Answers: map[string][]incident.AnswerRecord{}, Steps: map[string]*incident.StepState{}}
		if i%3 == 0 {
			inc.Status, inc.ClosedBy, inc.ClosedAt = incident.StatusClosed, who, t0.Add(100*time.Hour)
		}
		switch i % 3 {
		case 0:
			answer(inc, "malicious", flows.Unknown, flows.Yes) // a revision: the last answer counts
		case 1:
			answer(inc, "malicious", flows.No)
		}
		switch i % 5 {
		case 0:
			answer(inc, "personal_data_breach", flows.Yes)
		case 1:
			answer(inc, "personal_data_breach", flows.No)
		case 2:
			answer(inc, "personal_data_breach", flows.Unknown)
		}
		switch {
		case i%2 == 0:
			answer(inc, "capacity_impact", flows.Yes) // ps-liberal does not ask it: not counted as yes
		case i%8 != 7:
			answer(inc, "capacity_impact", flows.No)
		}
		if i%2 == 0 {
			done(inc, "cert-sante", time.Duration(10*((i/2)%6+1))*time.Minute+20*time.Second)
		} else {
			inc.Steps["cert-sante"] = &incident.StepState{Status: incident.StepNA, Reason: "Jean Dupont", By: who}
		}
		if i%4 == 1 {
			done(inc, "ars", time.Duration(i)*time.Minute)
		}
		if i%5 == 0 {
			done(inc, "cnil", time.Duration(24+i/5)*time.Hour)
		}
		if i%12 == 0 {
			d := 2 * time.Hour
			if i == 0 {
				d = 3 * time.Hour
			}
			done(inc, "anssi", d)
		}
		create(inc)
	}
	for _, t0 := range []time.Time{
		time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC), // 2027 in Paris
		time.Date(2025, 12, 31, 22, 59, 0, 0, time.UTC), // still 2025 in Paris
		time.Date(2025, 6, 1, 8, 0, 0, 0, time.UTC),
		time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC),
	} {
		inc := &incident.Incident{Title: "Hors année Jean Dupont", T0: t0, Chain: chains[0].id, Version: chains[0].version,
			Answers: map[string][]incident.AnswerRecord{}, Steps: map[string]*incident.StepState{}}
		answer(inc, "malicious", flows.Yes)
		answer(inc, "capacity_impact", flows.Unknown)
		done(inc, "cert-sante", 10000*time.Minute)
		done(inc, "anssi", 10000*time.Minute)
		create(inc)
	}
	return db
}

// TestStats checks the statistics of the generated year against totals
// counted by hand:
//   - 120 incidents, 40 closed (i divisible by 3); 30 per profile (i mod 4:
//     ose, es-esms, ps-liberal, no chain); 10 per month, the incident at
//     00:30 on 1 January in Paris (still 2025 in UTC) in January and the
//     one at 23:30 on 31 December in December;
//   - malicious: 40 yes (revised from unknown), 40 no, 40 unanswered;
//   - breach: 24 yes, 24 no, 24 "unknown" + 48 unanswered = 72;
//   - capacity: ps-liberal does not ask it (30, though answered yes);
//     yes 30 (ose), no 30 (es-esms) + 15 (no chain, i mod 8 = 3) = 45,
//     unanswered 15 (no chain, i mod 8 = 7);
//   - CERT Santé: 60 done, 10 each at 10, 20, … 60 min (plus 20 s, rounded
//     away): median (30 + 40) / 2 = 35, 90th percentile the 54th = 60,
//     max 60; the 60 others are "sans objet", not counted;
//   - ARS: 30 done (es-esms) at i = 1, 5, … 117 min: median (57 + 61) / 2
//     = 59, 90th percentile the 27th = 105, max 117;
//   - CNIL: 24 done at 24 … 47 h: median (35 h + 36 h) / 2 = 2130 min,
//     90th percentile the 22nd = 45 h = 2700 min, max 47 h = 2820 min;
//   - ANSSI: 10 done (i mod 12 = 0), 9 at 2 h and 1 at 3 h: median 120,
//     90th percentile the 9th = 120, max 180;
//   - deadlines in hours: the CNIL's (T0 + 72 h), required by the 24
//     breaches less the 6 without a chain (i mod 20 = 15), all 18 on time.
func TestStats(t *testing.T) {
	db := statsYear(t)
	got := mustRun(t, "--db", db, "stats", "--year", "2026", "--format", "csv")
	want := `section,key,count,median_minutes,p90_minutes,max_minutes
year,2026,120,,,
incidents,closed,40,,,
profile,es-esms,30,,,
profile,ose,30,,,
profile,ps-liberal,30,,,
profile,unknown,30,,,
month,2026-01,10,,,
month,2026-02,10,,,
month,2026-03,10,,,
month,2026-04,10,,,
month,2026-05,10,,,
month,2026-06,10,,,
month,2026-07,10,,,
month,2026-08,10,,,
month,2026-09,10,,,
month,2026-10,10,,,
month,2026-11,10,,,
month,2026-12,10,,,
malicious,yes,40,,,
malicious,no,40,,,
malicious,unknown,40,,,
malicious,not_asked,0,,,
personal_data_breach,yes,24,,,
personal_data_breach,no,24,,,
personal_data_breach,unknown,72,,,
personal_data_breach,not_asked,0,,,
capacity_impact,yes,30,,,
capacity_impact,no,45,,,
capacity_impact,unknown,15,,,
capacity_impact,not_asked,30,,,
delay,cert-sante,60,35,60,60
delay,ars,30,59,105,117
delay,cnil,24,2130,2700,2820
delay,anssi,10,120,120,180
deadline_required,cnil,18,,,
deadline_on_time,cnil,18,,,
deadline_late,cnil,0,,,
deadline_missed,cnil,0,,,
`
	if got != want {
		t.Errorf("stats csv (- want, + got):\n%s", lineDiff(want, got))
	}

	md := mustRun(t, "--db", db, "stats", "--year", "2026")
	checkGolden(t, "stats-2026.md", md)
	en := mustRun(t, "--db", db, "--lang", "en", "stats", "--year", "2026", "--format", "md")
	if !strings.Contains(en, "| cnil | 24 | 1 d 11 h 30 | 1 d 21 h 00 | 1 d 23 h 00 |") {
		t.Errorf("English report:\n%s", en)
	}

	// The years around: the edge incidents and the extras.
	y27 := mustRun(t, "--db", db, "stats", "--year", "2027", "--format", "csv")
	// Two incidents: every count of 1 or 2 is suppressed, and so are the
	// delays of fewer than 3 declarations (one incident's own delays).
	for _, w := range []string{"year,2027,<3,,,", "month,2027-01,<3,,,", "month,2027-02,0,,,", "month,2027-03,<3,,,", "delay,cert-sante,<3,,,"} {
		if !strings.Contains(y27, w) {
			t.Errorf("2027 lacks %q:\n%s", w, y27)
		}
	}
	y25 := mustRun(t, "--db", db, "stats", "--year", "2025", "--format", "csv")
	if !strings.Contains(y25, "year,2025,<3,,,") || !strings.Contains(y25, "month,2025-12,<3,,,") || strings.Contains(y25, ",1,") || strings.Contains(y25, ",2,") {
		t.Errorf("2025:\n%s", y25)
	}
	empty := mustRun(t, "--db", db, "stats", "--year", "2030", "--format", "csv")
	if !strings.Contains(empty, "year,2030,0,,,") || !strings.Contains(empty, "delay,cnil,0,,,") {
		t.Errorf("empty year:\n%s", empty)
	}

	// Anonymised: nothing typed in the chat, no id, no name.
	for _, out := range []string{got, md, en, y27, y25} {
		for _, secret := range []string{"Dupont", "Martin", "SECRET", "Confidentiel", "secrète", "SAMU", "NIR", "crise", "2026-0001", "2025-0001", "u-martin", "Hors année"} {
			if strings.Contains(out, secret) {
				t.Errorf("the statistics leak %q:\n%s", secret, out)
			}
		}
	}
}

func TestStatsUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "none.db")
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"stats"}, ExitUsage, "missing --year"},
		{[]string{"stats", "--year", "deux"}, ExitUsage, `bad --year "deux"`},
		{[]string{"stats", "--year", "2026", "--format", "pdf"}, ExitUsage, `unknown --format "pdf" (accepted: csv, md)`},
		{[]string{"stats", "--year", "2026", "x"}, ExitUsage, `unexpected argument "x"`},
		{[]string{"--db", db, "stats", "--year", "2026"}, ExitFailure, "no database at"},
	} {
		code, _, errs := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.want) {
			t.Errorf("vigie %s: exit %d, %q; want %d and %q", strings.Join(tt.args, " "), code, errs, tt.code, tt.want)
		}
	}
}

// TestStatsOneBreach is the tester's case: one breach declared to the CNIL
// and closed. Every table of the figures, the deadlines' too, writes its
// count of 1 as "< 3", in both formats.
func TestStatsOneBreach(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	at := time.Date(2026, 3, 10, 9, 0, 0, 0, incident.Paris)
	runConsoleScript(t, db, at, "ouvrir Fuite\nrepondre personal_data_breach oui\nrepondre high_risk non\nfait cnil via=portail ref=X\nclore confirmer\n",
		"--flow", "nouvelle-aquitaine/es-esms")
	md := mustRun(t, "--db", db, "stats", "--year", "2026")
	if !strings.Contains(md, "| cnil | < 3 | < 3 | 0 | 0 |") {
		t.Errorf("md deadlines not suppressed:\n%s", md)
	}
	csv := mustRun(t, "--db", db, "stats", "--year", "2026", "--format", "csv")
	for _, w := range []string{"deadline_required,cnil,<3,,,", "deadline_on_time,cnil,<3,,,", "deadline_late,cnil,0,,,"} {
		if !strings.Contains(csv, w+"\n") {
			t.Errorf("csv lacks %q:\n%s", w, csv)
		}
	}
	for _, out := range []string{md, csv} {
		if strings.Contains(out, "| 1 |") || strings.Contains(out, ",1,") {
			t.Errorf("a count of 1 is written as it is:\n%s", out)
		}
	}
}
