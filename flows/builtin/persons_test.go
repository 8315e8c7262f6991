package builtin_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// The chart's last box, "Communiquer aux personnes concernées", hangs on a
// high risk (RGPD art. 34.1): the chart draws it unconditionally, the law
// requires it only then. With high_risk=no it must be shown as not
// required with the rule, never vanish; with high_risk unknown it waits.
// These texts are written from the GDPR, not copied from the YAML.
const (
	notHighFR = "risque non élevé — RGPD art. 34.1 ; consignée au registre, art. 33.5 ; la CNIL peut l'exiger, art. 34.4"
	notHighEN = "risk not high — GDPR art. 34(1); recorded in the register, art. 33(5); the CNIL may require it, art. 34(4)"
	noBreach  = "RGPD art. 34.1"
)

// TestPersonsStepEveryPath: on every path of every chart, with high_risk
// yes, no and unknown, the persons step is required, left out with its
// reason, or pending, and the rest of the plan does not move.
func TestPersonsStepEveryPath(t *testing.T) {
	for _, spec := range specs {
		c := chainAt(t, spec.id, spec.at)
		if c.Step("personnes-concernees") == nil {
			continue
		}
		features := map[string]bool{"nis2": spec.nis2}
		n := 0
		walk(t, c, features, func(a yesNo, _ flows.Plan) {
			n++
			for _, hr := range []flows.Value{flows.Yes, flows.No, flows.Unknown} {
				in := flows.Input{T0: now, Answers: map[string]flows.Answer{}, Features: features}
				for k, v := range a {
					val := flows.No
					if v {
						val = flows.Yes
					}
					in.Answers[k] = flows.Answer{Value: val, At: now.Add(time.Hour)}
				}
				in.Answers["high_risk"] = flows.Answer{Value: hr, At: now.Add(2 * time.Hour)}
				p := flows.Evaluate(c, in)
				name := spec.id + " " + a.String() + " high_risk=" + string(hr)
				status, l := personsStatus(p)
				switch {
				case !a.yes("personal_data_breach"):
					// NON → end of the chain: left out by the breach answer,
					// whatever high_risk says (it is not asked).
					if status != "left out" || l.Answer.Key != "personal_data_breach" || l.Answer.Value != flows.No ||
						!strings.Contains(l.Why.FR, noBreach) || l.Why.EN == "" {
						t.Errorf("%s: persons %s by %+v (%q), want left out by personal_data_breach=no citing %s", name, status, l.Answer, l.Why.FR, noBreach)
					}
				case hr == flows.Yes:
					if status != "required" {
						t.Errorf("%s: persons %s, want required", name, status)
					}
				case hr == flows.No:
					if status != "left out" || l.Answer.Key != "high_risk" || l.Answer.Value != flows.No || l.Want != flows.Yes ||
						l.Why.FR != notHighFR || l.Why.EN != notHighEN {
						t.Errorf("%s: persons %s by %+v, why %q / %q; want left out by high_risk=no: %q", name, status, l.Answer, l.Why.FR, l.Why.EN, notHighFR)
					}
					if !l.Answer.At.Equal(now.Add(2 * time.Hour)) {
						t.Errorf("%s: left out by an answer given at %v, want when high_risk was answered", name, l.Answer.At)
					}
				case hr == flows.Unknown:
					if status != "pending" {
						t.Errorf("%s: persons %s, want pending on high_risk", name, status)
					}
					for _, w := range p.Pending {
						if w.Step.ID == "personnes-concernees" && (len(w.On) != 1 || w.On[0] != "high_risk") {
							t.Errorf("%s: persons waits on %v, want high_risk", name, w.On)
						}
					}
				}
				// The other steps are those of the path: high_risk decides
				// the persons step alone.
				var others []string
				for _, id := range stepIDs(p) {
					if id != "personnes-concernees" {
						others = append(others, id)
					}
				}
				want := spec.expect(a).steps
				var wantOthers []string
				for _, id := range want {
					if id != "personnes-concernees" {
						wantOthers = append(wantOthers, id)
					}
				}
				if !same(others, wantOthers) {
					t.Errorf("%s: steps %v, want %v", name, others, wantOthers)
				}
				// Nothing vanishes: every step is required, pending or left out.
				if got := len(p.Steps) + len(p.Pending) + len(p.LeftOut); got != countSteps(c, features) {
					t.Errorf("%s: %d steps in the plan, the chain has %d", name, got, countSteps(c, features))
				}
			}
		})
		if n != spec.leaves {
			t.Errorf("%s: %d paths, want %d", spec.id, n, spec.leaves)
		}
	}
}

func personsStatus(p flows.Plan) (string, flows.LeftOut) {
	for _, s := range p.Steps {
		if s.Step.ID == "personnes-concernees" {
			return "required", flows.LeftOut{}
		}
	}
	for _, w := range p.Pending {
		if w.Step.ID == "personnes-concernees" {
			return "pending", flows.LeftOut{}
		}
	}
	for _, l := range p.LeftOut {
		if l.Step.ID == "personnes-concernees" {
			return "left out", l
		}
	}
	return "missing", flows.LeftOut{}
}

func countSteps(c *flows.Chain, features map[string]bool) int {
	n := 0
	for _, s := range c.Steps {
		if s.Feature == "" || features[s.Feature] {
			n++
		}
	}
	return n
}
