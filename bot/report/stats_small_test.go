package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// TestStatsSmallCounts: for one structure, a count of 1 or 2 points at an
// incident: it is written "< 3", and the delays of fewer than 3
// declarations (one incident's own) are not written. 0 and 3 or more are.
func TestStatsSmallCounts(t *testing.T) {
	st := &report.YearStats{Year: 2026, Incidents: 4, Closed: 1,
		ByProfile: map[string]int{"ose": 1, "es-esms": 3},
		Answers: map[string]*report.Tally{
			"malicious":            {Yes: 2, No: 0, Unknown: 2},
			"personal_data_breach": {Yes: 1, No: 3},
			"capacity_impact":      {Yes: 4},
		},
		Delays: []report.DelayStat{
			{Step: "cert-sante", Count: 4, Median: 30 * time.Minute, P90: time.Hour, Max: time.Hour},
			{Step: "ars", Count: 2, Median: 45 * time.Minute, P90: 50 * time.Minute, Max: 50 * time.Minute},
			{Step: "cnil", Count: 1, Median: 70 * time.Hour, P90: 70 * time.Hour, Max: 70 * time.Hour},
			{Step: "anssi"},
		},
	}
	st.ByMonth[2] = 1
	st.ByMonth[5] = 3
	var csv bytes.Buffer
	if err := report.WriteStats(&csv, "csv", st, flows.FR); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"year,2026,4,,,", "incidents,closed,<3,,,", "profile,es-esms,3,,,", "profile,ose,<3,,,",
		"month,2026-03,<3,,,", "month,2026-04,0,,,", "month,2026-06,3,,,",
		"malicious,yes,<3,,,", "malicious,no,0,,,", "personal_data_breach,yes,<3,,,", "capacity_impact,yes,4,,,",
		"delay,cert-sante,4,30,60,60", "delay,ars,<3,,,", "delay,cnil,<3,,,", "delay,anssi,0,,,",
	} {
		if !strings.Contains(csv.String(), want+"\n") {
			t.Errorf("csv lacks %q:\n%s", want, csv.String())
		}
	}
	// A single incident's delay must not be readable: 70 h = 4200 min.
	for _, leak := range []string{"4200", ",45,", ",50,"} {
		if strings.Contains(csv.String(), leak) {
			t.Errorf("csv shows a suppressed delay (%s):\n%s", leak, csv.String())
		}
	}
	for _, lang := range []flows.Lang{flows.FR, flows.EN} {
		var md bytes.Buffer
		if err := report.WriteStats(&md, "md", st, lang); err != nil {
			t.Fatal(err)
		}
		out := md.String()
		for _, want := range []string{"| ose | < 3 |", "| es-esms | 3 |", "| 2026-03 | < 3 |", "| 2026-04 | 0 |", "| ars | < 3 | — | — | — |", "| cnil | < 3 | — | — | — |"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s report lacks %q:\n%s", lang, want, out)
			}
		}
		rule := map[flows.Lang]string{flows.FR: "tout nombre non nul inférieur à 3 est écrit « < 3 »", flows.EN: `any non-zero count below 3 is written "< 3"`}[lang]
		if !strings.Contains(out, rule) {
			t.Errorf("%s report does not state the rule %q:\n%s", lang, rule, out)
		}
		if !strings.Contains(out, "D1111-16-3") || strings.Contains(out, "70 h") {
			t.Errorf("%s report: basis or a suppressed delay:\n%s", lang, out)
		}
	}
}

// TestStatsSmallCountsEveryTable fills every count of every table with 1
// or 2 and checks that no table, in either format or language, writes one
// of them as it is: the rule holds for each table, the deadlines' too.
// Only the exercises left out are written as they are (no incident).
func TestStatsSmallCountsEveryTable(t *testing.T) {
	for _, n := range []int{1, 2} {
		st := &report.YearStats{Year: 2026, Incidents: n, Closed: n, Exercises: 2,
			ByProfile: map[string]int{"es-esms": n, report.ProfileUnknown: n},
			Answers:   map[string]*report.Tally{},
			Deadlines: []report.DeadlineStat{{Step: "cnil", Required: n, OnTime: n, Late: n, Missed: n}},
		}
		for m := range st.ByMonth {
			st.ByMonth[m] = n
		}
		for _, q := range report.StatsQuestions {
			st.Answers[q] = &report.Tally{Yes: n, No: n, Unknown: n, NotAsked: n}
		}
		for _, s := range report.StatsSteps {
			st.Delays = append(st.Delays, report.DelayStat{Step: s, Count: n, Median: time.Hour, P90: time.Hour, Max: time.Hour})
		}
		var csv bytes.Buffer
		if err := report.WriteStats(&csv, "csv", st, flows.FR); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(strings.TrimSpace(csv.String()), "\n")[1:] {
			cells := strings.Split(line, ",")
			if cells[0] == "excluded" {
				continue
			}
			for _, c := range cells[2:] {
				if c != "" && c != "<3" {
					t.Errorf("count %d: csv row %q writes %q", n, line, c)
				}
			}
		}
		if !strings.Contains(csv.String(), "deadline_required,cnil,<3,,,\n") {
			t.Errorf("count %d: csv lacks the suppressed deadline:\n%s", n, csv.String())
		}
		for _, lang := range []flows.Lang{flows.FR, flows.EN} {
			var md bytes.Buffer
			if err := report.WriteStats(&md, "md", st, lang); err != nil {
				t.Fatal(err)
			}
			for _, line := range strings.Split(md.String(), "\n") {
				if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") {
					continue
				}
				cells := strings.Split(strings.Trim(line, "|"), "|")
				for _, c := range cells[1:] {
					if c = strings.TrimSpace(c); c == "1" || c == "2" {
						t.Errorf("count %d: %s report writes %q in %q", n, lang, c, line)
					}
				}
			}
			if !strings.Contains(md.String(), "| cnil | < 3 | < 3 | < 3 | < 3 |") {
				t.Errorf("count %d: %s report lacks the suppressed deadlines:\n%s", n, lang, md.String())
			}
		}
	}
}
