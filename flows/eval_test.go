package flows_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// t0 is the prise de connaissance of the engine tests: 02:10 in Paris,
// winter time.
const t0 = "2026-01-10T02:10:00+01:00"

func answers(at time.Time, kv ...string) map[string]flows.Answer {
	m := map[string]flows.Answer{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = flows.Answer{Value: flows.Value(kv[i+1]), At: at}
	}
	return m
}

func checkIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !equalStrings(got, want) {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

func waitingOn(t *testing.T, p flows.Plan, id string) []string {
	t.Helper()
	for _, w := range p.Pending {
		if w.Step.ID == id {
			return w.On
		}
	}
	t.Fatalf("step %s is not pending; pending: %v", id, pendingIDs(p))
	return nil
}

func TestEvaluateNoAnswers(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	p := flows.Evaluate(c, flows.Input{T0: start})
	if p.Chain != c {
		t.Errorf("Plan.Chain = %v, want the evaluated chain", p.Chain)
	}
	// ars is written last in the file but has order 2: the plan follows the chart's numbering.
	checkIDs(t, "steps", stepIDs(p), []string{"declare", "ars"})
	checkIDs(t, "pending", pendingIDs(p), []string{"ror", "police", "cnil", "persons", "followup"})
	// high_risk waits for breach; significant exists only with nis2.
	checkIDs(t, "questions", questionIDs(p), []string{"capacity_impact", "malicious", "breach"})
	checkIDs(t, "persons waits on", waitingOn(t, p, "persons"), []string{"breach"})
	checkIDs(t, "ror waits on", waitingOn(t, p, "ror"), []string{"capacity_impact"})
	if p.Ended {
		t.Error("Ended with every question open")
	}
	d := planned(t, p, "declare")
	if !d.Due.Equal(start) || d.Due.Location() != time.UTC {
		t.Errorf("declare due %v, want T0 %v in UTC", d.Due, start.UTC())
	}
	if len(d.Because) != 0 || d.After != "" {
		t.Errorf("unconditional step: Because %v, After %q; want none", d.Because, d.After)
	}
}

func TestEvaluateThreeValued(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	at := start.Add(26 * time.Hour)
	for _, tc := range []struct {
		value      string
		required   bool
		pending    bool
		askedAgain bool
	}{
		{value: "yes", required: true},
		{value: "no"},
		{value: "unknown", pending: true, askedAgain: true},
		{value: "maybe", pending: true, askedAgain: true}, // not an allowed answer: as if unanswered
	} {
		t.Run(tc.value, func(t *testing.T) {
			p := flows.Evaluate(c, flows.Input{T0: start, Answers: answers(at, "capacity_impact", tc.value)})
			var required bool
			for _, s := range p.Steps {
				required = required || s.Step.ID == "ror"
			}
			var pending bool
			for _, w := range p.Pending {
				if w.Step.ID == "ror" {
					pending = true
					checkIDs(t, "ror waits on", w.On, []string{"capacity_impact"})
				}
			}
			asked := strings.Contains(strings.Join(questionIDs(p), " "), "capacity_impact")
			if required != tc.required || pending != tc.pending || asked != tc.askedAgain {
				t.Errorf("capacity_impact=%s: ror required %v pending %v, asked again %v; want %v %v %v",
					tc.value, required, pending, asked, tc.required, tc.pending, tc.askedAgain)
			}
			if tc.required {
				r := planned(t, p, "ror")
				want := []flows.Reason{{Key: "capacity_impact", Value: flows.Yes, At: at.UTC()}}
				if len(r.Because) != 1 || r.Because[0] != want[0] {
					t.Errorf("ror because %v, want %v", r.Because, want)
				}
				if !r.Due.Equal(at) {
					t.Errorf("immediate conditional step due %v, want the answer's time %v", r.Due, at.UTC())
				}
			}
		})
	}
}

func TestEvaluateConditionalQuestion(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	at := start.Add(time.Hour)

	// breach=yes: high_risk is asked, persons waits on it.
	p := flows.Evaluate(c, flows.Input{T0: start, Answers: answers(at, "breach", "yes")})
	checkIDs(t, "questions", questionIDs(p), []string{"capacity_impact", "malicious", "high_risk"})
	checkIDs(t, "persons waits on", waitingOn(t, p, "persons"), []string{"high_risk"})

	// breach=unknown: the question is asked again, persons still waits on breach.
	p = flows.Evaluate(c, flows.Input{T0: start, Answers: answers(at, "breach", "unknown", "high_risk", "yes")})
	checkIDs(t, "questions", questionIDs(p), []string{"capacity_impact", "malicious", "breach"})
	checkIDs(t, "persons waits on", waitingOn(t, p, "persons"), []string{"breach"})

	// breach=no: high_risk is no longer asked and an earlier answer to it is ignored.
	p = flows.Evaluate(c, flows.Input{T0: start, Answers: answers(at, "breach", "no", "high_risk", "yes")})
	checkIDs(t, "questions", questionIDs(p), []string{"capacity_impact", "malicious"})
	checkIDs(t, "steps", stepIDs(p), []string{"declare", "ars"})
	checkIDs(t, "pending", pendingIDs(p), []string{"ror", "police"})

	// breach=yes, high_risk=yes: persons is required for both answers.
	later := at.Add(2 * time.Hour)
	in := flows.Input{T0: start, Answers: answers(at, "breach", "yes")}
	in.Answers["high_risk"] = flows.Answer{Value: flows.Yes, At: later}
	p = flows.Evaluate(c, in)
	checkIDs(t, "steps", stepIDs(p), []string{"declare", "ars", "cnil", "persons", "followup"})
	pr := planned(t, p, "persons")
	if pr.Due != (time.Time{}) || pr.After != "" {
		t.Errorf("deadline none: due %v after %q, want neither", pr.Due, pr.After)
	}
	if len(pr.Because) == 0 || pr.Because[len(pr.Because)-1] != (flows.Reason{Key: "high_risk", Value: flows.Yes, At: later.UTC()}) {
		t.Errorf("persons because %v, want it to end with high_risk=yes at %v", pr.Because, later.UTC())
	}
}

// TestEvaluateDueThroughQuestionCondition: a "sans délai" step becomes
// required at the latest answer that lets it in, including the answer that
// makes its question asked at all. Here high_risk was answered (while breach
// was still open) before breach=yes: the step became required at breach=yes.
func TestEvaluateDueThroughQuestionCondition(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
questions:
  - id: breach
    text: {fr: "Violation ?", en: "Breach?"}
    source: chart
  - id: high_risk
    text: {fr: "Risque élevé ?", en: "High risk?"}
    when: {breach: yes}
    source: chart
steps:
  - id: persons
    order: 1
    title: {fr: "Personnes", en: "Persons"}
    recipients: [{contact: gamma}]
    when: {high_risk: yes}
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
	c := mustChain(t, cat, "test/inline")
	start := mustTime(t, t0)
	hr, br := start.Add(time.Hour), start.Add(5*time.Hour)
	p := flows.Evaluate(c, flows.Input{T0: start, Answers: map[string]flows.Answer{
		"high_risk": {Value: flows.Yes, At: hr},
		"breach":    {Value: flows.Yes, At: br},
	}})
	s := planned(t, p, "persons")
	if !s.Due.Equal(br) {
		t.Errorf("persons due %v, want %v: it became required when breach=yes was answered", s.Due, br.UTC())
	}
}

func TestEvaluateDeadlines(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	at := start.Add(26 * time.Hour) // the DPO answers a day later
	in := flows.Input{T0: start, Answers: answers(at, "breach", "yes", "malicious", "yes")}
	p := flows.Evaluate(c, in)

	cnil := planned(t, p, "cnil")
	if want := start.Add(72 * time.Hour); !cnil.Due.Equal(want) {
		t.Errorf("cnil due %v, want T0+72h = %v (counted from T0, not from the answer)", cnil.Due, want.UTC())
	}
	police := planned(t, p, "police")
	if !police.Due.Equal(at) {
		t.Errorf("police due %v, want the time of malicious=yes %v", police.Due, at.UTC())
	}
	if !police.Step.AnyOf || len(police.Step.Recipients) != 2 {
		t.Errorf("police: AnyOf %v with %d recipients, want choose-one between 2", police.Step.AnyOf, len(police.Step.Recipients))
	}
	f := planned(t, p, "followup")
	if !f.Due.IsZero() || f.After != "cnil" {
		t.Errorf("followup before cnil is done: due %v after %q, want zero due after cnil", f.Due, f.After)
	}

	done := start.Add(50 * time.Hour)
	in.Done = map[string]time.Time{"cnil": done}
	f = planned(t, flows.Evaluate(c, in), "followup")
	if want := done.Add(30 * 24 * time.Hour); !f.Due.Equal(want) || f.After != "" {
		t.Errorf("followup after cnil done: due %v after %q, want %v", f.Due, f.After, want.UTC())
	}
	if f.Due.Location() != time.UTC {
		t.Errorf("due %v is not in UTC", f.Due)
	}

	// A revised answer moves an immediate deadline to the revision's time.
	rev := at.Add(3 * time.Hour)
	in.Answers["malicious"] = flows.Answer{Value: flows.Yes, At: rev}
	if police := planned(t, flows.Evaluate(c, in), "police"); !police.Due.Equal(rev) {
		t.Errorf("police due %v after a revised answer, want %v", police.Due, rev.UTC())
	}
	// An answer time before T0 (T0 corrected later) never makes a step due before T0.
	in.Answers["malicious"] = flows.Answer{Value: flows.Yes, At: start.Add(-time.Hour)}
	if police := planned(t, flows.Evaluate(c, in), "police"); !police.Due.Equal(start) {
		t.Errorf("police due %v for an answer before T0, want T0 %v", police.Due, start.UTC())
	}
}

func TestEvaluateCompiledSteps(t *testing.T) {
	c := goodChain(t, "test/engine")
	d := c.Step("declare")
	if d == nil || c.Step("nope") != nil || c.Question("malicious") == nil || c.Question("nope") != nil {
		t.Fatal("Chain.Step/Question lookups are wrong")
	}
	if d.Remind.Every != 15*time.Minute || d.Remind.EscalateAfter != time.Hour {
		t.Errorf("declare remind %+v, want every 15m, escalate after 1h", d.Remind)
	}
	if got := len(d.Recipients[0].Means); got != 2 {
		t.Errorf("declare: %d means, want portal and phone", got)
	}
	cnil := c.Step("cnil")
	if got := cnil.Recipients[0].Means; len(got) != 1 || got[0].Kind != "portal" {
		t.Errorf("cnil means %v, want the portal only", got)
	}
	wantAt := []time.Duration{24 * time.Hour, 48 * time.Hour, 66 * time.Hour, 71 * time.Hour}
	if len(cnil.Remind.At) != len(wantAt) {
		t.Fatalf("cnil remind at %v, want %v", cnil.Remind.At, wantAt)
	}
	for i := range wantAt {
		if cnil.Remind.At[i] != wantAt[i] {
			t.Errorf("cnil remind at %v, want %v", cnil.Remind.At, wantAt)
		}
	}
	for _, tc := range []struct{ step, want string }{
		{"declare", "immediate"}, {"persons", "none"}, {"cnil", "t0+72h"}, {"followup", "cnil+30d"}, {"early_warning", "t0+24h"},
	} {
		if got := c.Step(tc.step).Deadline.String(); got != tc.want {
			t.Errorf("%s deadline %q, want %q", tc.step, got, tc.want)
		}
	}
	if q := c.Question("malicious"); q.Reask != time.Hour || !q.Allows(flows.Unknown) || q.Allows("maybe") {
		t.Errorf("malicious: reask %v, answers %v", q.Reask, q.Answers)
	}
	if !d.FromChart() || c.Step("persons").FromChart() {
		t.Error("FromChart: declare is from the chart, persons is not")
	}
	// the condition written `oui` in the file is compiled to yes
	if w := c.Step("ror").When; len(w) != 1 || w[0] != (flows.Clause{Key: "capacity_impact", Value: flows.Yes}) {
		t.Errorf("ror when %v, want capacity_impact=yes", w)
	}
}

func TestEvaluateFeatures(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	all := answers(start, "capacity_impact", "no", "malicious", "no", "breach", "no")

	off := flows.Evaluate(c, flows.Input{T0: start, Answers: all})
	if !off.Ended {
		t.Errorf("nis2 off, every question answered: Ended false (questions %v, pending %v)", questionIDs(off), pendingIDs(off))
	}
	for _, id := range append(append(stepIDs(off), pendingIDs(off)...), questionIDs(off)...) {
		if id == "early_warning" || id == "significant" {
			t.Errorf("nis2 off: %s present", id)
		}
	}

	nis2 := map[string]bool{"nis2": true}
	on := flows.Evaluate(c, flows.Input{T0: start, Answers: all, Features: nis2})
	checkIDs(t, "questions with nis2", questionIDs(on), []string{"significant"})
	checkIDs(t, "pending with nis2", pendingIDs(on), []string{"early_warning"})
	if on.Ended {
		t.Error("nis2 on, significant unanswered: Ended")
	}

	all["significant"] = flows.Answer{Value: flows.Yes, At: start.Add(time.Hour)}
	on = flows.Evaluate(c, flows.Input{T0: start, Answers: all, Features: nis2})
	ew := planned(t, on, "early_warning")
	if want := start.Add(24 * time.Hour); !ew.Due.Equal(want) {
		t.Errorf("early warning due %v, want T0+24h %v", ew.Due, want.UTC())
	}
	if !on.Ended {
		t.Error("nis2 on, every question answered: not Ended")
	}
	// A switch that is present but off is off.
	if p := flows.Evaluate(c, flows.Input{T0: start, Answers: all, Features: map[string]bool{"nis2": false}}); len(p.Steps) != 2 {
		t.Errorf("nis2=false: steps %v, want declare and ars", stepIDs(p))
	}
}

func TestEvaluateEnded(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	for _, tc := range []struct {
		name  string
		kv    []string
		ended bool
	}{
		{"nothing answered", nil, false},
		{"one unknown", []string{"capacity_impact", "no", "malicious", "unknown", "breach", "no"}, false},
		{"breach yes, high_risk open", []string{"capacity_impact", "no", "malicious", "no", "breach", "yes"}, false},
		{"breach yes, high_risk no", []string{"capacity_impact", "no", "malicious", "no", "breach", "yes", "high_risk", "no"}, true},
		{"breach no, high_risk never asked", []string{"capacity_impact", "yes", "malicious", "yes", "breach", "no"}, true},
	} {
		p := flows.Evaluate(c, flows.Input{T0: start, Answers: answers(start, tc.kv...)})
		if p.Ended != tc.ended {
			t.Errorf("%s: Ended %v, want %v (questions %v, pending %v)", tc.name, p.Ended, tc.ended, questionIDs(p), pendingIDs(p))
		}
	}
}

func TestEvaluateIsPure(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	in := flows.Input{T0: start, Answers: answers(start, "breach", "yes", "malicious", "unknown")}
	a, b := flows.Evaluate(c, in), flows.Evaluate(c, in)
	if !equalStrings(stepIDs(a), stepIDs(b)) || !equalStrings(pendingIDs(a), pendingIDs(b)) || !equalStrings(questionIDs(a), questionIDs(b)) {
		t.Error("two evaluations of the same input differ")
	}
	if len(in.Answers) != 2 || in.Done != nil || in.Features != nil {
		t.Errorf("Evaluate changed its input: %+v", in)
	}
	// The zero Input is accepted.
	if p := flows.Evaluate(c, flows.Input{}); len(p.Steps) != 2 {
		t.Errorf("zero input: steps %v", stepIDs(p))
	}
}

func TestNormalizeValue(t *testing.T) {
	for in, want := range map[string]flows.Value{
		"yes": flows.Yes, "Oui": flows.Yes, " OUI ": flows.Yes, "o": flows.Yes, "y": flows.Yes,
		"no": flows.No, "non": flows.No, "NON": flows.No, "n": flows.No,
		"unknown": flows.Unknown, "je-ne-sais-pas": flows.Unknown, "?": flows.Unknown, "nsp": flows.Unknown,
		"Élevé": "élevé", "maybe": "maybe",
	} {
		if got := flows.NormalizeValue(in); got != want {
			t.Errorf("NormalizeValue(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestParseAnswer(t *testing.T) {
	c := goodChain(t, "test/engine")
	for _, tc := range []struct {
		key, value string
		want       flows.Value
	}{
		{"malicious", "oui", flows.Yes}, {"malicious", "non", flows.No}, {"malicious", "yes", flows.Yes},
		{"malicious", "No", flows.No}, {"breach", "unknown", flows.Unknown}, {"high_risk", "inconnu", flows.Unknown},
	} {
		got, err := c.ParseAnswer(tc.key, tc.value)
		if err != nil || got != tc.want {
			t.Errorf("ParseAnswer(%q, %q) = %q, %v; want %q", tc.key, tc.value, got, err, tc.want)
		}
	}
	_, err := c.ParseAnswer("malveillant", "oui")
	if err == nil || !strings.Contains(err.Error(), `"malveillant"`) ||
		!strings.Contains(err.Error(), "capacity_impact, malicious, breach, high_risk, significant") {
		t.Errorf("bad key: error %v, want it to name the key and list the questions", err)
	}
	_, err = c.ParseAnswer("malicious", "peut-être")
	if err == nil || !strings.Contains(err.Error(), `"peut-être"`) || !strings.Contains(err.Error(), "yes, no, unknown") {
		t.Errorf("bad value: error %v, want it to name the value and list yes, no, unknown", err)
	}
}

// TestParseAnswerOwnAnswers: a question with answers of its own accepts
// them, and the error for a bad value lists them without promising oui/non.
func TestParseAnswerOwnAnswers(t *testing.T) {
	cat := mustCompile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
questions:
  - id: level
    text: {fr: "Niveau ?", en: "Level?"}
    answers: [low, high]
    source: chart
steps:
  - id: warn
    order: 1
    title: {fr: "Alerter", en: "Warn"}
    recipients: [{contact: alpha}]
    when: {level: high}
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
	c := mustChain(t, cat, "test/inline")
	q := c.Question("level")
	for in, want := range map[string]flows.Value{"HIGH": "high", " low": "low", "oui": flows.Yes, "nsp": flows.Unknown, "moyen": "moyen"} {
		if got := q.Normalize(in); got != want {
			t.Errorf("level.Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	if v, err := c.ParseAnswer("level", "High"); err != nil || v != "high" {
		t.Errorf("ParseAnswer(level, High) = %q, %v", v, err)
	}
	if v, err := c.ParseAnswer("level", "nsp"); err != nil || v != flows.Unknown {
		t.Errorf("ParseAnswer(level, nsp) = %q, %v; unknown is always accepted", v, err)
	}
	_, err := c.ParseAnswer("level", "oui")
	if err == nil || !strings.Contains(err.Error(), "low, high, unknown") {
		t.Fatalf("ParseAnswer(level, oui): %v, want the accepted answers listed", err)
	}
	if strings.Contains(err.Error(), "oui and non") {
		t.Errorf("ParseAnswer(level, oui): %q says oui/non are accepted, but level takes low/high", err)
	}
	p := flows.Evaluate(c, flows.Input{T0: mustTime(t, t0), Answers: answers(mustTime(t, t0), "level", "high")})
	checkIDs(t, "steps", stepIDs(p), []string{"warn"})
}

// TestAnswersWrittenInFrench: `answers: [oui, non]` must mean yes and no,
// as it does in conditions and commands.
func TestAnswersWrittenInFrench(t *testing.T) {
	cat, err := compile(t, readFile(t, "testdata/good/contacts.yaml"), chainFile("inline.yaml", `
questions:
  - id: q
    text: {fr: "Q ?", en: "Q?"}
    answers: [oui, non]
    source: chart
steps:
  - id: s
    order: 1
    title: {fr: "S", en: "S"}
    recipients: [{contact: alpha}]
    when: {q: oui}
    deadline: immediate
    basis: {fr: "Base", en: "Basis"}
    source: chart
`))
	if err != nil {
		t.Fatalf("answers [oui, non] with a condition q: oui: %v", err)
	}
	c := mustChain(t, cat, "test/inline")
	if v, err := c.ParseAnswer("q", "oui"); err != nil || v != flows.Yes {
		t.Errorf("ParseAnswer(q, oui) = %q, %v; want yes", v, err)
	}
}
