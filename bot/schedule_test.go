package bot_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// scheduleAt opens an ES-ESMS incident at t0 with the given answers and
// returns the nags due at t0+at and the next instant.
func scheduleAt(t *testing.T, answers map[string]string, mutate func(*incident.Incident), at time.Duration) ([]bot.Nag, time.Time) {
	t.Helper()
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	inc := h.incident("2026-0001")
	c, err := mustCatalog(t).Version(inc.Chain, inc.Version)
	if err != nil {
		t.Fatal(err)
	}
	// In the chain's order, so that a question is asked before it is answered.
	for _, q := range c.Questions {
		if v, ok := answers[q.ID]; ok {
			h.ok("repondre " + q.ID + " " + v)
		}
	}
	inc = h.incident("2026-0001")
	if mutate != nil {
		mutate(inc)
	}
	return bot.Reminders(inc, c, t0.Add(at), bot.RemindConfig{PointEvery: 2 * time.Hour, OverdueEvery: time.Hour, Reask: time.Hour})
}

func nagKeys(nags []bot.Nag) []string {
	var out []string
	for _, n := range nags {
		flag := ""
		if n.Escalate {
			flag += "!"
		}
		if n.Overdue {
			flag += "overdue"
		}
		out = append(out, n.Key+"@"+n.At.Sub(t0).String()+flag)
	}
	sort.Strings(out)
	return out
}

var settled = map[string]string{
	"capacity_impact": "non", "malicious": "non", "personal_data_breach": "non", "esms": "non",
}

func with(extra map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range settled {
		out[k] = v
	}
	for k, v := range extra {
		out[k] = v
	}
	return out
}

func TestRemindersCadences(t *testing.T) {
	for _, tc := range []struct {
		name    string
		answers map[string]string
		mutate  func(*incident.Incident)
		at      time.Duration
		want    []string
		next    time.Duration
	}{
		{"sans délai: nothing at T0, the checklist shows it", settled, nil, 0,
			nil, 15 * time.Minute},
		{"sans délai every 15 min", settled, nil, 40 * time.Minute,
			[]string{"step:ars@30m0s", "step:cert-sante@30m0s"}, 45 * time.Minute},
		{"escalation after 1 h", settled, nil, time.Hour,
			[]string{"step:ars@1h0m0s!", "step:cert-sante@1h0m0s!"}, time.Hour + 15*time.Minute},
		{"point every 2 h", settled, doneDeclarations, 2*time.Hour + time.Minute,
			[]string{"point@2h0m0s"}, 4 * time.Hour},
		{"unknown asked again every hour", map[string]string{"capacity_impact": "non", "malicious": "non", "esms": "non", "personal_data_breach": "inconnu"}, doneDeclarations, 90 * time.Minute,
			[]string{"question:personal_data_breach@1h0m0s"}, 2 * time.Hour},
		{"CNIL at +24 h", with(map[string]string{"personal_data_breach": "oui", "high_risk": "non"}), doneDeclarations, 25 * time.Hour,
			[]string{"point@24h0m0s", "step:cnil@24h0m0s"}, 26 * time.Hour},
		{"CNIL at +71 h", with(map[string]string{"personal_data_breach": "oui", "high_risk": "non"}), doneDeclarations, 71*time.Hour + 59*time.Minute,
			[]string{"point@70h0m0s", "step:cnil@71h0m0s"}, 72 * time.Hour},
		{"CNIL overdue at +72 h", with(map[string]string{"personal_data_breach": "oui", "high_risk": "non"}), doneDeclarations, 72 * time.Hour,
			[]string{"point@72h0m0s", "step:cnil@72h0m0s!overdue"}, 73 * time.Hour},
		{"CNIL overdue repeats hourly", with(map[string]string{"personal_data_breach": "oui", "high_risk": "non"}), doneDeclarations, 74*time.Hour + 30*time.Minute,
			[]string{"point@74h0m0s", "step:cnil@74h0m0s!overdue"}, 75 * time.Hour},
		{"snoozed: nothing until the end", settled, func(inc *incident.Incident) {
			for _, id := range []string{"ars", "cert-sante"} {
				inc.Steps[id] = &incident.StepState{SnoozedUntil: t0.Add(50 * time.Minute)}
			}
		}, 40 * time.Minute, nil, 50 * time.Minute},
		{"snoozed: one reminder at its end", settled, func(inc *incident.Incident) {
			inc.Steps["ars"] = &incident.StepState{SnoozedUntil: t0.Add(50 * time.Minute)}
			inc.Steps["cert-sante"] = &incident.StepState{Status: incident.StepDone}
		}, 55 * time.Minute, []string{"step:ars@50m0s"}, time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mut := func(inc *incident.Incident) {
				if inc.Steps == nil {
					inc.Steps = map[string]*incident.StepState{}
				}
				if tc.mutate != nil {
					tc.mutate(inc)
				}
			}
			nags, next := scheduleAt(t, tc.answers, mut, tc.at)
			if got := nagKeys(nags); strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("nags at T0+%v\n got %v\nwant %v", tc.at, got, tc.want)
			}
			if want := t0.Add(tc.next); !next.Equal(want) {
				t.Errorf("next = T0+%v, want T0+%v", next.Sub(t0), tc.next)
			}
		})
	}
}

// doneDeclarations marks the "sans délai" declarations done so that only
// the reminders under test remain.
func doneDeclarations(inc *incident.Incident) {
	for _, id := range []string{"ars", "cert-sante", "resolution", "registre-violations"} {
		inc.Steps[id] = &incident.StepState{Status: incident.StepDone}
	}
}

func TestRemindersClosedIncident(t *testing.T) {
	nags, next := scheduleAt(t, settled, func(inc *incident.Incident) { inc.Status = incident.StatusClosed }, time.Hour)
	if len(nags) != 0 || !next.IsZero() {
		t.Fatalf("closed incident: %v, next %v", nagKeys(nags), next)
	}
}

func mustCatalog(t *testing.T) *flows.Catalog {
	t.Helper()
	cat, err := builtinCatalog()
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// TestRemindersStepOverride: a cadence set in the configuration replaces
// the chain's for that step.
func TestRemindersStepOverride(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir x")
	h.ok("repondre personal_data_breach oui")
	inc := h.incident("2026-0001")
	inc.Steps = map[string]*incident.StepState{}
	doneDeclarations(inc)
	c, _ := mustCatalog(t).Version(inc.Chain, inc.Version)
	cfg := bot.RemindConfig{OverdueEvery: time.Hour, Steps: map[string]flows.Remind{"cnil": {At: []time.Duration{12 * time.Hour}}}}
	nags, next := bot.Reminders(inc, c, t0.Add(13*time.Hour), cfg)
	var cnil []string
	for _, n := range nagKeys(nags) {
		if strings.HasPrefix(n, "step:cnil") {
			cnil = append(cnil, n)
		}
	}
	if len(cnil) != 1 || cnil[0] != "step:cnil@12h0m0s" {
		t.Fatalf("cnil nags at T0+13h with at=[12h]: %v", cnil)
	}
	if want := t0.Add(72 * time.Hour); next.After(want) {
		t.Fatalf("next %v after the deadline", next.Sub(t0))
	}
}
