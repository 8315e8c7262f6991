package report

import (
	"slices"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file computes the closing report of an incident ("bilan de
// clôture"): for each obligation of its chain, the delay from T0 to its
// declaration against the legal deadline, what was late and by how much,
// what was not done, the steps the answers did not require, the questions
// left unknown and the incident's duration. The bot posts it at `clore`,
// every report people read carries it, and it reads only the incident
// and its chain, so that statistics can count from it too.

// Verdict is where an obligation stands against its legal deadline.
type Verdict string

// The verdicts. Only a deadline counted in hours (T0 + 72 h, 24 h after
// another step) can be missed: a "sans délai" step, or one with no fixed
// deadline, done at any time is Done, with its delay from T0. "Sans
// délai" means due at once, not within some hours: the reports, like the
// card, give the time elapsed since T0 and call it neither on time nor
// late.
const (
	OnTime        Verdict = "on_time"  // done by its deadline
	Late          Verdict = "late"     // done after its deadline
	Done          Verdict = "done"     // done; no deadline in hours to measure it against
	NotApplicable Verdict = "na"       // declared not applicable, with a reason
	Overdue       Verdict = "overdue"  // not done, and its deadline has passed
	NotDone       Verdict = "not_done" // not done, its deadline not passed or not fixed
)

// Obligation is a step the chain requires for the incident's answers,
// and what became of it.
type Obligation struct {
	Step *flows.Step
	// Due is the legal deadline; zero when the step has none ("dans les
	// meilleurs délais") or it counts from a step not done (After).
	Due     time.Time
	After   string
	Because []flows.Reason
	// State is what the crisis cell did: done with its proof, not
	// applicable with a reason, or nothing (pending).
	State incident.StepState
	// Entry is the entry of the main courante that settled it; 0 when
	// unknown or not settled.
	Entry   uint64
	Verdict Verdict
	// Elapsed is the delay from T0 to the declared time, when done; for a
	// "sans délai" step not done, the time elapsed from T0 to the report.
	Elapsed time.Duration
	// Late is by how much it was done after its deadline, or, not done,
	// how far past its deadline it is at the time of the report.
	Late time.Duration
}

// Waiting is a step that hangs on questions still open: it may yet be
// required.
type Waiting struct {
	Step  *flows.Step
	On    []*flows.Question
	State incident.StepState
}

// LeftOut is a step of the chain the incident's answers do not require,
// with the answers that leave it out.
type LeftOut struct {
	Step    *flows.Step
	Because []Given
	// State is what was done about it all the same (done before an
	// answer changed, for one); zero if nothing.
	State incident.StepState
	Entry uint64
}

// Rule is why the step is not required, in lang: the chain's reason for
// the answer that leaves it out (the step's not_required text, as the
// card, detail and flows eval give it), else the step's basis.
func (l LeftOut) Rule(lang flows.Lang) string {
	for _, g := range l.Because {
		if why := l.Step.NotRequired[g.Question.ID]; !why.IsZero() {
			return why.In(lang)
		}
	}
	return l.Step.Basis.In(lang)
}

// Given is an answer that decides a step: the question, the answer that
// the step's condition wants and the one given, by whom and when.
type Given struct {
	Question *flows.Question
	Want     flows.Value
	incident.AnswerRecord
}

// OpenQuestion is a question of the chain asked and not settled: never
// answered, or answered "not known yet" (Answered, with who and when).
type OpenQuestion struct {
	Question *flows.Question
	Answered bool
	incident.AnswerRecord
}

// Closing is the closing report of an incident, at its closing or, for
// one still open, at the time of the report.
type Closing struct {
	Chain    *flows.Chain // nil: no chain chosen, or not in this Vigie
	T0       time.Time
	OpenedAt time.Time
	ClosedAt time.Time // zero while open
	At       time.Time // the report's time: ClosedAt, or the time asked
	// Duration runs from T0 to At.
	Duration    time.Duration
	Obligations []Obligation
	Waiting     []Waiting
	NotRequired []LeftOut
	Unknown     []OpenQuestion
}

// NewClosing computes the closing report of inc, which follows chain c (nil
// when it has none): at its closing if it is closed, else at at. Give it
// the incident as the bot holds it, or as its main courante tells it
// (Replay).
func NewClosing(inc *incident.Incident, c *flows.Chain, at time.Time) *Closing {
	cl := &Closing{Chain: c, T0: inc.T0.UTC(), OpenedAt: inc.OpenedAt.UTC(), At: at.UTC()}
	if inc.Status == incident.StatusClosed && !inc.ClosedAt.IsZero() {
		cl.ClosedAt = inc.ClosedAt.UTC()
		cl.At = cl.ClosedAt
	}
	cl.Duration = max(cl.At.Sub(cl.T0), 0)
	if c == nil {
		return cl
	}
	plan := flows.Evaluate(c, inc.Inputs())
	for _, p := range plan.Steps {
		cl.Obligations = append(cl.Obligations, obligation(p, inc, cl.At))
	}
	for _, w := range plan.Pending {
		wt := Waiting{Step: w.Step, State: state(inc, w.Step.ID)}
		for _, id := range w.On {
			wt.On = append(wt.On, c.Question(id))
		}
		cl.Waiting = append(cl.Waiting, wt)
	}
	cl.NotRequired = leftOut(c, inc, plan)
	for _, q := range plan.Questions {
		a, ok := inc.Answer(q.ID)
		cl.Unknown = append(cl.Unknown, OpenQuestion{Question: q, Answered: ok, AnswerRecord: a})
	}
	return cl
}

func state(inc *incident.Incident, id string) incident.StepState {
	if st := inc.Steps[id]; st != nil {
		return *st
	}
	return incident.StepState{}
}

// obligation judges a required step at the time of the report.
func obligation(p flows.Planned, inc *incident.Incident, at time.Time) Obligation {
	o := Obligation{Step: p.Step, Due: p.Due, After: p.After, Because: p.Because, State: state(inc, p.Step.ID)}
	counted := p.Step.Deadline.Kind == flows.After && !p.Due.IsZero()
	switch {
	case o.State.Status == incident.StepDone && o.State.Proof != nil:
		declared := o.State.Proof.DeclaredAt
		o.Elapsed = max(declared.Sub(inc.T0), 0)
		switch {
		case !counted:
			o.Verdict = Done
		case declared.After(p.Due):
			o.Verdict, o.Late = Late, declared.Sub(p.Due)
		default:
			o.Verdict = OnTime
		}
	case o.State.Status == incident.StepNA:
		o.Verdict = NotApplicable
	case counted && at.After(p.Due):
		o.Verdict, o.Late = Overdue, at.Sub(p.Due)
	default:
		o.Verdict = NotDone
		if p.Step.Deadline.Kind == flows.Immediate {
			o.Elapsed = max(at.Sub(inc.T0), 0)
		}
	}
	return o
}

// Count is the number of obligations with verdict v.
func (cl *Closing) Count(v Verdict) int {
	n := 0
	for _, o := range cl.Obligations {
		if o.Verdict == v {
			n++
		}
	}
	return n
}

// leftOut lists the steps of c that the answers of inc leave out, with
// the answers that do, in the chain's order.
//
// Seam: flows.Evaluate does not say yet which steps the answers leave out
// (Plan.LeftOut is being added to it). Until it does, they are derived
// here: the steps neither required nor waiting, whose switch (nis2) is on;
// what leaves each out is every answer given that its condition, or the
// condition of a question it depends on, does not want. Once the plan
// carries them, read them from it.
func leftOut(c *flows.Chain, inc *incident.Incident, plan flows.Plan) []LeftOut {
	in := map[string]bool{}
	for _, p := range plan.Steps {
		in[p.Step.ID] = true
	}
	for _, w := range plan.Pending {
		in[w.Step.ID] = true
	}
	var out []LeftOut
	for _, s := range c.Steps {
		if in[s.ID] || (s.Feature != "" && !inc.Features[s.Feature]) {
			continue
		}
		because := failing(c, inc, s.When, nil)
		if len(because) == 0 {
			continue // behind a question whose switch is off
		}
		out = append(out, LeftOut{Step: s, Because: because, State: state(inc, s.ID)})
	}
	return out
}

// failing returns the answers given that cond, or the condition of a
// question it depends on, does not want, each question once.
func failing(c *flows.Chain, inc *incident.Incident, cond flows.Condition, acc []Given) []Given {
	for _, cl := range cond {
		q := c.Question(cl.Key)
		if q == nil || slices.ContainsFunc(acc, func(g Given) bool { return g.Question == q }) {
			continue
		}
		before := len(acc)
		if acc = failing(c, inc, q.When, acc); len(acc) > before {
			continue // the question is not asked
		}
		a, ok := inc.Answer(cl.Key)
		if ok && a.Value != flows.Unknown && q.Allows(a.Value) && a.Value != cl.Value {
			acc = append(acc, Given{Question: q, Want: cl.Value, AnswerRecord: a})
		}
	}
	return acc
}
