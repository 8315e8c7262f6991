package report_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// esEsms is the chain of the closing report's tests: CERT Santé and the
// ARS without delay, the CNIL at T0 + 72 h, the persons concerned on a
// high risk, the complaint when insured.
func esEsms(t *testing.T) *flows.Chain {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	c, err := cat.Version("nouvelle-aquitaine/es-esms", "2025-03.1")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var closingT0 = time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC)

// closingIncident is an incident at closingT0 with answers (key=value…)
// given at T0 + 5 min by @dpo.
func closingIncident(answers ...string) *incident.Incident {
	inc := &incident.Incident{ID: "2026-0001", T0: closingT0, OpenedAt: closingT0, Status: incident.StatusOpen,
		Answers: map[string][]incident.AnswerRecord{}, Steps: map[string]*incident.StepState{}}
	for _, kv := range answers {
		k, v, _ := strings.Cut(kv, "=")
		inc.Answers[k] = []incident.AnswerRecord{{Value: flows.Value(v), By: incident.User{Name: "dpo"}, At: closingT0.Add(5 * time.Minute)}}
	}
	return inc
}

// doneAt records step id done, declared after elapsed from T0.
func doneAt(inc *incident.Incident, id string, elapsed time.Duration) {
	at := closingT0.Add(elapsed)
	inc.Steps[id] = &incident.StepState{Status: incident.StepDone, By: incident.User{Name: "rssi"}, At: at.Add(time.Minute),
		Proof: &incident.Proof{By: incident.User{Name: "rssi"}, DeclaredAt: at, ServerAt: at.Add(time.Minute), Means: "portail"}}
}

func find(cl *report.Closing, id string) (report.Obligation, bool) {
	for _, o := range cl.Obligations {
		if o.Step.ID == id {
			return o, true
		}
	}
	return report.Obligation{}, false
}

// TestClosingObligations: each obligation's verdict, delay from T0 and
// lateness against its legal deadline, and how the closing report words
// it, in both languages.
func TestClosingObligations(t *testing.T) {
	c := esEsms(t)
	breach := []string{"personal_data_breach=yes", "high_risk=yes", "capacity_impact=no", "malicious=no", "esms=no"}
	tests := []struct {
		name    string
		step    string
		setup   func(*incident.Incident)
		at      time.Duration // the report's time, from T0
		verdict report.Verdict
		elapsed time.Duration
		late    time.Duration
		fr, en  string // the obligation's outcome
	}{
		{"on time", "cnil", func(inc *incident.Incident) { doneAt(inc, "cnil", 70*time.Hour) }, 100 * time.Hour,
			report.OnTime, 70 * time.Hour, 0, "déclarée T0 + 2 j 22 h 00, à temps", "declared T0 + 2 d 22 h 00, on time"},
		{"on the last second", "cnil", func(inc *incident.Incident) { doneAt(inc, "cnil", 72*time.Hour) }, 100 * time.Hour,
			report.OnTime, 72 * time.Hour, 0, "déclarée T0 + 3 j 0 h 00, à temps", "declared T0 + 3 d 0 h 00, on time"},
		{"late by 3 h 10", "cnil", func(inc *incident.Incident) { doneAt(inc, "cnil", 75*time.Hour+10*time.Minute) }, 100 * time.Hour,
			report.Late, 75*time.Hour + 10*time.Minute, 3*time.Hour + 10*time.Minute,
			"déclarée T0 + 3 j 3 h 10, en retard de 3 h 10", "declared T0 + 3 d 3 h 10, late by 3 h 10"},
		{"late by 30 seconds", "cnil", func(inc *incident.Incident) { doneAt(inc, "cnil", 72*time.Hour+30*time.Second) }, 100 * time.Hour,
			report.Late, 72*time.Hour + 30*time.Second, 30 * time.Second,
			"déclarée T0 + 3 j 0 h 00, en retard de 30 s", "declared T0 + 3 d 0 h 00, late by 30 s"},
		{"not done, overdue", "cnil", nil, 80 * time.Hour, report.Overdue, 0, 8 * time.Hour,
			"non faite, délai dépassé de 8 h 00", "not done, deadline passed by 8 h 00"},
		{"not done, not due yet", "cnil", nil, 10 * time.Hour, report.NotDone, 0, 0,
			"non faite (échéance le 31/03/2026 03:10:00 CEST)", "not done (due 2026-03-31 03:10:00 CEST)"},
		{"not applicable", "cnil", func(inc *incident.Incident) {
			inc.Steps["cnil"] = &incident.StepState{Status: incident.StepNA, Reason: "données chiffrées", By: incident.User{Name: "dpo"}, At: closingT0.Add(time.Hour)}
		}, 100 * time.Hour, report.NotApplicable, 0, 0, "sans objet : données chiffrées", "not applicable: données chiffrées"},
		{"without delay, done", "cert-sante", func(inc *incident.Incident) { doneAt(inc, "cert-sante", 14*time.Minute) }, 100 * time.Hour,
			report.Done, 14 * time.Minute, 0, "déclarée à T0 + 14 min écoulées", "declared at T0 + 14 min elapsed"},
		{"without delay, not done", "cert-sante", nil, 100 * time.Hour, report.NotDone, 100 * time.Hour, 0,
			"non faite, T0 + 4 j 4 h 00 écoulées", "not done, T0 + 4 d 4 h 00 elapsed"},
		{"as soon as possible, done", "resolution", func(inc *incident.Incident) { doneAt(inc, "resolution", 14*time.Minute) }, 100 * time.Hour,
			report.Done, 14 * time.Minute, 0, "déclarée T0 + 14 min", "declared T0 + 14 min"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			inc := closingIncident(breach...)
			if tt.setup != nil {
				tt.setup(inc)
			}
			cl := report.NewClosing(inc, c, closingT0.Add(tt.at))
			o, ok := find(cl, tt.step)
			if !ok {
				t.Fatalf("%s is not an obligation", tt.step)
			}
			if o.Verdict != tt.verdict || o.Elapsed != tt.elapsed || o.Late != tt.late {
				t.Errorf("verdict %s, elapsed %v, late %v; want %s, %v, %v", o.Verdict, o.Elapsed, o.Late, tt.verdict, tt.elapsed, tt.late)
			}
			if got := o.Outcome(flows.FR); got != tt.fr {
				t.Errorf("FR outcome %q, want %q", got, tt.fr)
			}
			if got := o.Outcome(flows.EN); got != tt.en {
				t.Errorf("EN outcome %q, want %q", got, tt.en)
			}
			if cl.Count(tt.verdict) == 0 {
				t.Errorf("Count(%s) = 0", tt.verdict)
			}
		})
	}
}

// TestClosingNotRequired: the steps the answers leave out, each with the
// answers that do, a question not asked leaving out through the answer
// that stops it being asked; the steps hanging on open questions, and
// those questions.
func TestClosingNotRequired(t *testing.T) {
	c := esEsms(t)
	tests := []struct {
		name     string
		answers  []string
		left     map[string][]string // step → the questions that leave it out
		waiting  map[string][]string // step → the questions it waits on
		required string              // a step that must be an obligation
	}{
		{
			name:     "low risk: the persons concerned are not required",
			answers:  []string{"personal_data_breach=yes", "high_risk=no", "malicious=yes", "insured=yes", "capacity_impact=no", "esms=no"},
			left:     map[string][]string{"personnes-concernees": {"high_risk"}, "esms-autorite": {"esms"}, "ror": {"capacity_impact"}},
			required: "plainte-assurance",
		},
		{
			name:    "not insured: no complaint step, nor the insurer",
			answers: []string{"malicious=yes", "insured=no", "personal_data_breach=no", "capacity_impact=no", "esms=no"},
			left: map[string][]string{"plainte-assurance": {"insured"}, "assureur": {"insured"},
				"cnil": {"personal_data_breach"}, "personnes-concernees": {"personal_data_breach"}},
			required: "police-gendarmerie",
		},
		{
			name:    "not malicious: the insurance question is not asked, the complaint left out by malicious",
			answers: []string{"malicious=no", "personal_data_breach=no", "capacity_impact=no", "esms=no"},
			left: map[string][]string{"plainte-assurance": {"malicious"}, "assureur": {"malicious"},
				"police-gendarmerie": {"malicious"}},
			required: "cert-sante",
		},
		{
			name:     "breach not known yet: the CNIL waits on it",
			answers:  []string{"personal_data_breach=unknown", "malicious=no", "capacity_impact=no", "esms=no"},
			waiting:  map[string][]string{"cnil": {"personal_data_breach"}, "registre-violations": {"personal_data_breach"}},
			required: "ars",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cl := report.NewClosing(closingIncident(tt.answers...), c, closingT0.Add(time.Hour))
			got := map[string][]string{}
			for _, l := range cl.NotRequired {
				for _, g := range l.Because {
					got[l.Step.ID] = append(got[l.Step.ID], g.Question.ID)
					if g.By.Name != "dpo" || g.Value == g.Want {
						t.Errorf("%s: %+v is not the answer given against the one wanted", l.Step.ID, g)
					}
				}
			}
			for id, want := range tt.left {
				if !slices.Equal(want, got[id]) {
					t.Errorf("left out %s by %v, want %v", id, got[id], want)
				}
			}
			waiting := map[string][]string{}
			for _, w := range cl.Waiting {
				for _, q := range w.On {
					waiting[w.Step.ID] = append(waiting[w.Step.ID], q.ID)
				}
			}
			for id, want := range tt.waiting {
				if !slices.Equal(want, waiting[id]) {
					t.Errorf("%s waits on %v, want %v", id, waiting[id], want)
				}
			}
			if _, ok := find(cl, tt.required); !ok {
				t.Errorf("%s is not an obligation", tt.required)
			}
			for _, o := range cl.Obligations {
				if _, left := got[o.Step.ID]; left {
					t.Errorf("%s is both required and left out", o.Step.ID)
				}
			}
		})
	}
}

// TestClosingSummary: the closing report of a closed incident, as posted
// and exported: its duration, its counts, one line per obligation, and
// what was left open; an open incident's report is provisional, at the
// time asked; one without a chain says so.
func TestClosingSummary(t *testing.T) {
	c := esEsms(t)
	inc := closingIncident("personal_data_breach=yes", "high_risk=yes", "capacity_impact=yes", "malicious=no", "esms=no")
	doneAt(inc, "cert-sante", 14*time.Minute)
	doneAt(inc, "cnil", 75*time.Hour+10*time.Minute)
	inc.Status, inc.ClosedAt, inc.ClosedBy = incident.StatusClosed, closingT0.Add(80*time.Hour), incident.User{Name: "dg"}
	cl := report.NewClosing(inc, c, time.Time{})
	if cl.Duration != 80*time.Hour || !cl.At.Equal(inc.ClosedAt) {
		t.Errorf("duration %v at %v, want 80h at the closing", cl.Duration, cl.At)
	}
	got := strings.Join(cl.Summary(flows.FR), "\n")
	for _, want := range []string{
		"Incident clos le 31/03/2026 11:10:00 CEST, 3 j 8 h 00 après le T0 (28/03/2026 02:10:00 CET).",
		"Obligations requises : 7 — à temps : 0 ; en retard : 1 ; faites, dues sans délai ou dans les meilleurs délais (délai écoulé indiqué) : 1 ; sans objet : 0 ; non faites : 5.",
		"1. Déclarer l'incident au CERT Santé — délai : sans délai — déclarée à T0 + 14 min écoulées.",
		"12. Notifier la violation à la CNIL — délai : T0 + 72 h — déclarée T0 + 3 j 3 h 10, en retard de 3 h 10.",
		"8. Informer l'ARS du déclenchement du plan de mobilisation interne, du plan blanc ou du plan bleu : en attente de la réponse à « Le plan de mobilisation interne, le plan blanc ou le plan bleu est-il déclenché ? ».",
		"Question restée ouverte : « Le plan de mobilisation interne, le plan blanc ou le plan bleu est-il déclenché ? » — sans réponse.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}

	open := closingIncident("personal_data_breach=no", "capacity_impact=no", "malicious=no", "esms=no")
	doneAt(open, "cert-sante", 10*time.Minute)
	doneAt(open, "ars", 20*time.Minute)
	doneAt(open, "resolution", 30*time.Minute)
	cl = report.NewClosing(open, c, closingT0.Add(2*time.Hour))
	got = strings.Join(cl.Summary(flows.EN), "\n")
	for _, want := range []string{
		"Incident ongoing: interim report at 2026-03-28 04:10:00 CET, 2 h 00 after T0 (2026-03-28 02:10:00 CET).",
		"No obligation late or left to do.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("summary lacks %q:\n%s", want, got)
		}
	}

	none := report.NewClosing(closingIncident(), nil, closingT0.Add(time.Hour))
	if got := none.Summary(flows.FR); len(got) != 2 || got[1] != "Pas de chaîne d'alerte lue : pas d'obligation à mesurer." {
		t.Errorf("without a chain: %q", got)
	}
}

// TestReplay: the record an export computes its report from is the
// incident as its entries tell it: the corrected T0, the last answer to
// each question, the steps settled with their proof and entry, the facts,
// the closing.
func TestReplay(t *testing.T) {
	x, inc, entries := regulatorFixture(t)
	rec, err := report.Replay(inc, report.Slice(entries))
	if err != nil {
		t.Fatal(err)
	}
	r := rec.Incident
	if !r.T0.Equal(at("2026-03-28T01:10:00Z")) {
		t.Errorf("T0 %v, want the corrected one", r.T0)
	}
	if a, _ := r.Answer("personal_data_breach"); a.Value != flows.Yes || a.By.Name != "dpo" || !a.At.Equal(at("2026-03-29T07:00:00Z")) {
		t.Errorf("personal_data_breach: %+v, want the revision", a)
	}
	cnil := r.Steps["cnil"]
	if cnil == nil || cnil.Proof == nil || !cnil.Proof.DeclaredAt.Equal(at("2026-03-31T04:20:00Z")) || cnil.Proof.Ref != "CNIL-9876" || rec.Settled["cnil"] != 17 {
		t.Errorf("cnil: %+v (entry %d)", cnil, rec.Settled["cnil"])
	}
	if r.Facts["structure"] != "Centre hospitalier de l'Exemple" || r.Status != incident.StatusClosed || !r.ClosedAt.Equal(inc.ClosedAt) {
		t.Errorf("facts %v, status %s closed at %v", r.Facts, r.Status, r.ClosedAt)
	}
	c, err := x.Catalog.Version(inc.Chain, inc.Version)
	if err != nil {
		t.Fatal(err)
	}
	if o, _ := find(rec.Closing(c, time.Time{}), "cnil"); o.Entry != 17 || o.Verdict != report.Late || o.Late != 3*time.Hour+10*time.Minute {
		t.Errorf("cnil obligation: %+v", o)
	}
}

// TestClock: legal delays as the texts write them.
func TestClock(t *testing.T) {
	for d, want := range map[time.Duration]string{
		72 * time.Hour: "72 h", 24 * time.Hour: "24 h", 15 * time.Minute: "15 min",
		90 * time.Minute: "1 h 30", 30 * 24 * time.Hour: "30 j", 4 * 24 * time.Hour: "4 j",
	} {
		if got := report.Clock(d, flows.FR); got != want {
			t.Errorf("Clock(%v) = %q, want %q", d, got, want)
		}
	}
}

// TestStatsDeadlines: the statistics count each incident's obligations
// with a deadline in hours as its closing report judges them: on time,
// late, missed at closing; an open incident's pending one is not missed.
func TestStatsDeadlines(t *testing.T) {
	c := esEsms(t)
	breach := []string{"personal_data_breach=yes", "high_risk=no", "capacity_impact=no", "malicious=no", "esms=no"}
	closed := func(inc *incident.Incident) *incident.Incident {
		inc.Status, inc.ClosedAt = incident.StatusClosed, closingT0.Add(100*time.Hour)
		return inc
	}
	onTime, late, missed, open := closingIncident(breach...), closingIncident(breach...), closingIncident(breach...), closingIncident(breach...)
	doneAt(onTime, "cnil", 10*time.Hour)
	doneAt(late, "cnil", 80*time.Hour)
	st := report.ComputeStats([]*incident.Incident{closed(onTime), closed(late), closed(missed), open}, 2026,
		func(*incident.Incident) *flows.Chain { return c })
	want := []report.DeadlineStat{{Step: "cnil", Required: 4, OnTime: 1, Late: 1, Missed: 1}}
	if !slices.Equal(st.Deadlines, want) {
		t.Errorf("deadlines %+v, want %+v", st.Deadlines, want)
	}
}
