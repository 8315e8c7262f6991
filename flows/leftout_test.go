package flows_test

import (
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// leftOut returns the left-out step id, failing the test when it is not.
func leftOut(tb testing.TB, p flows.Plan, id string) flows.LeftOut {
	tb.Helper()
	for _, l := range p.LeftOut {
		if l.Step.ID == id {
			return l
		}
	}
	tb.Fatalf("step %s is not left out; left out: %v", id, leftOutIDs(p))
	return flows.LeftOut{}
}

func leftOutIDs(p flows.Plan) []string {
	ids := []string{}
	for _, l := range p.LeftOut {
		ids = append(ids, l.Step.ID)
	}
	return ids
}

// TestEvaluateLeftOut: a step the answers leave out is in LeftOut with the
// answer that fails, the value it would need, and the chain's reason for
// that answer when it gives one.
func TestEvaluateLeftOut(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	at := start.Add(30 * time.Minute)
	for _, tc := range []struct {
		name    string
		answers []string
		status  string // of the persons step: required, pending, left out
		key     string // the failing answer, when left out
		value   flows.Value
		why     string
	}{
		{name: "high risk", answers: []string{"breach", "yes", "high_risk", "yes"}, status: "required"},
		{name: "high risk unknown", answers: []string{"breach", "yes", "high_risk", "unknown"}, status: "pending"},
		{name: "high risk unanswered", answers: []string{"breach", "yes"}, status: "pending"},
		{name: "breach unknown", answers: []string{"breach", "unknown"}, status: "pending"},
		{name: "risk not high", answers: []string{"breach", "yes", "high_risk", "no"}, status: "left out",
			key: "high_risk", value: flows.No, why: "risque non élevé — RGPD art. 34.1"},
		// high_risk is not asked without a breach: the step is left out by
		// the breach answer, for which the chain gives no reason.
		{name: "no breach", answers: []string{"breach", "no"}, status: "left out", key: "breach", value: flows.No},
		// An answer given to a question that is not asked does not count.
		{name: "no breach, stale high risk", answers: []string{"breach", "no", "high_risk", "yes"}, status: "left out", key: "breach", value: flows.No},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := flows.Evaluate(c, flows.Input{T0: start, Answers: answers(at, tc.answers...)})
			status := "left out"
			for _, s := range p.Steps {
				if s.Step.ID == "persons" {
					status = "required"
				}
			}
			for _, w := range p.Pending {
				if w.Step.ID == "persons" {
					status = "pending"
				}
			}
			if status != tc.status {
				t.Fatalf("persons is %s, want %s (left out: %v)", status, tc.status, leftOutIDs(p))
			}
			if tc.status != "left out" {
				for _, l := range p.LeftOut {
					if l.Step.ID == "persons" {
						t.Errorf("persons is %s and left out", status)
					}
				}
				return
			}
			l := leftOut(t, p, "persons")
			if l.Answer.Key != tc.key || l.Answer.Value != tc.value || !l.Answer.At.Equal(at) || l.Want != flows.Yes {
				t.Errorf("left out by %+v (want %s), want %s=%s at %v (want yes)", l.Answer, l.Want, tc.key, tc.value, at)
			}
			if l.Why.FR != tc.why {
				t.Errorf("why %q, want %q", l.Why.FR, tc.why)
			}
			if tc.why != "" && l.Why.EN == "" {
				t.Errorf("why has no English")
			}
		})
	}
}

// TestEvaluatePartition: every step whose feature is on is required,
// pending or left out, exactly once, whatever the answers.
func TestEvaluatePartition(t *testing.T) {
	c := goodChain(t, "test/engine")
	start := mustTime(t, t0)
	values := []string{"", "yes", "no", "unknown"}
	keys := []string{"capacity_impact", "malicious", "breach", "high_risk", "significant"}
	var rec func(i int, kv []string)
	rec = func(i int, kv []string) {
		if i == len(keys) {
			for _, nis2 := range []bool{false, true} {
				in := flows.Input{T0: start, Answers: answers(start, kv...), Features: map[string]bool{"nis2": nis2}}
				p := flows.Evaluate(c, in)
				seen := map[string]int{}
				for _, s := range p.Steps {
					seen[s.Step.ID]++
				}
				for _, w := range p.Pending {
					seen[w.Step.ID]++
				}
				for _, l := range p.LeftOut {
					seen[l.Step.ID]++
					if q := c.Question(l.Answer.Key); q == nil {
						t.Errorf("%v: %s left out by unknown question %q", kv, l.Step.ID, l.Answer.Key)
					}
				}
				for _, s := range c.Steps {
					want := 1
					if s.Feature != "" && !nis2 {
						want = 0
					}
					if seen[s.ID] != want {
						t.Errorf("%v nis2=%v: step %s appears %d times in the plan, want %d", kv, nis2, s.ID, seen[s.ID], want)
					}
				}
			}
			return
		}
		for _, v := range values {
			next := kv
			if v != "" {
				next = append(append([]string(nil), kv...), keys[i], v)
			}
			rec(i+1, next)
		}
	}
	rec(0, nil)
}
