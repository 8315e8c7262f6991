package flows

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// NormalizeValue reads an answer as people type it: yes/oui/o/y, no/non/n,
// unknown/inconnu/nsp/?; other values are lower-cased and returned as they
// are, for questions with answers of their own.
func NormalizeValue(s string) Value {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "yes", "y", "oui", "o", "true":
		return Yes
	case "no", "n", "non", "false":
		return No
	case "unknown", "inconnu", "nsp", "?", "je-ne-sais-pas", "jnsp":
		return Unknown
	}
	return Value(s)
}

// Normalize reads an answer to q: one of its own answers as written, else
// the usual spellings of yes, no and unknown (NormalizeValue).
func (q *Question) Normalize(s string) Value {
	if v := Value(strings.ToLower(strings.TrimSpace(s))); q.Allows(v) {
		return v
	}
	return NormalizeValue(s)
}

// ParseAnswer checks that key is a question of c and value one of its
// answers, and returns the normalized value. Its error, an
// *UnknownQuestionError or a *BadAnswerError, says what is accepted; the
// conversation shows it in the person's language.
func (c *Chain) ParseAnswer(key, value string) (Value, error) {
	q := c.questions[key]
	if q == nil {
		ids := make([]string, len(c.Questions))
		for i, q := range c.Questions {
			ids[i] = q.ID
		}
		return "", &UnknownQuestionError{Chain: c.ID, Key: key, Accepted: ids}
	}
	v := q.Normalize(value)
	if !q.Allows(v) {
		return "", &BadAnswerError{Question: key, Value: value, Accepted: q.Answers}
	}
	return v, nil
}

// UnknownQuestionError is ParseAnswer's error for a key that names no
// question of the chain.
type UnknownQuestionError struct {
	Chain, Key string
	Accepted   []string // the chain's question keys, in order
}

func (e *UnknownQuestionError) Error() string {
	accepted := strings.Join(e.Accepted, ", ")
	if accepted == "" {
		accepted = "none"
	}
	return fmt.Sprintf("unknown question %q for chain %s (accepted: %s)", e.Key, e.Chain, accepted)
}

// BadAnswerError is ParseAnswer's error for a value that is not one of
// the question's answers.
type BadAnswerError struct {
	Question, Value string
	Accepted        []Value // the question's answers, in order
}

func (e *BadAnswerError) Error() string {
	also := ""
	if slices.Contains(e.Accepted, Yes) {
		also = "; oui and non too"
	}
	return fmt.Sprintf("question %q does not accept %q (accepted: %s%s)", e.Question, e.Value, valuesString(e.Accepted), also)
}

// Answer is what the crisis cell answered to a question, and when.
type Answer struct {
	Value Value
	At    time.Time
}

// Input is everything Evaluate reads. The zero value of Done and Features
// is fine.
type Input struct {
	T0       time.Time            // prise de connaissance
	Answers  map[string]Answer    // by question id
	Done     map[string]time.Time // when each step was done, for deadlines counted from a step
	Features map[string]bool      // switches that are on, such as "nis2"
}

// Plan is what a chain requires given the answers so far. Every step of
// the chain whose feature is on is in exactly one of Steps, Pending and
// LeftOut.
type Plan struct {
	Chain     *Chain
	Steps     []Planned   // required steps, in the chain's order
	Pending   []Waiting   // steps that hang on unanswered or unknown questions
	LeftOut   []LeftOut   // steps the answers left out, in the chain's order
	Questions []*Question // questions to ask now, in the chain's order
	Ended     bool        // every question settled: the chain has reached its end
}

// Planned is a required step with its due instant and the reasons it is
// required.
type Planned struct {
	Step *Step
	// Due is the instant the step is due, in UTC; zero when the deadline is
	// "none" or counts from a step that is not done yet (then After names it).
	Due   time.Time
	After string
	// Since is the instant an After deadline counts from: T0, or when the
	// anchor step was done; zero for the other deadlines and while the
	// anchor step is not done. Reminders at fixed offsets count from it.
	Since time.Time
	// Because lists the answers that made the step required (empty for a
	// step the chain always requires), with the time each was given.
	Because []Reason
}

// Reason is an answer that made a step required.
type Reason struct {
	Key   string
	Value Value
	At    time.Time
}

// Waiting is a step that may become required, and the questions it waits on.
type Waiting struct {
	Step *Step
	On   []string // question ids, unanswered or answered unknown
}

// LeftOut is a step the answers left out: an answer its condition depends
// on does not hold. It is not required, and every screen says so, with the
// answer and the rule, rather than let a step of the chart vanish.
type LeftOut struct {
	Step *Step
	// Answer is the answer that fails: one of the step's own condition, or
	// one a question of that condition depends on (the question "insured"
	// is not asked when malicious is no, so the complaint step is left out
	// by malicious). Its At is when it was given.
	Answer Reason
	// Want is the value the condition needs of that answer.
	Want Value
	// Why is the chain's reason for leaving the step out on that answer,
	// the step's not_required text for that question; zero when the chain
	// gives none (renderers then show the answer and the step's basis).
	Why Text
}

// truth is a three-valued truth: a condition may hold, fail, or be
// undecided while a question is open.
type truth int

const (
	fails truth = iota
	holds
	open
)

// evaluator memoizes question applicability for one Evaluate call.
type evaluator struct {
	c    *Chain
	in   Input
	app  map[string]truth    // is the question asked?
	on   map[string][]string // for open ones: the questions it waits on
	fail map[string]Clause   // for those not asked: the clause that fails
}

// Evaluate computes the plan of c for the answers in in. It is pure: the
// same input gives the same plan, and it reads no clock.
func Evaluate(c *Chain, in Input) Plan {
	e := &evaluator{c: c, in: in, app: map[string]truth{}, on: map[string][]string{}, fail: map[string]Clause{}}
	plan := Plan{Chain: c}
	for _, q := range c.Questions {
		if e.asked(q) != holds {
			continue
		}
		if a, ok := in.Answers[q.ID]; !ok || a.Value == Unknown || !q.Allows(a.Value) {
			plan.Questions = append(plan.Questions, q)
		}
	}
	for _, s := range c.Steps {
		if s.Feature != "" && !in.Features[s.Feature] {
			continue
		}
		t, on, failed := e.cond(s.When)
		switch t {
		case open:
			plan.Pending = append(plan.Pending, Waiting{Step: s, On: on})
		case holds:
			plan.Steps = append(plan.Steps, e.planned(s))
		case fails:
			a := in.Answers[failed.Key]
			plan.LeftOut = append(plan.LeftOut, LeftOut{Step: s, Want: failed.Value,
				Answer: Reason{Key: failed.Key, Value: a.Value, At: a.At.UTC()}, Why: s.NotRequired[failed.Key]})
		}
	}
	plan.Ended = len(plan.Questions) == 0 && len(plan.Pending) == 0
	return plan
}

func (e *evaluator) planned(s *Step) Planned {
	p := Planned{Step: s}
	for _, cl := range s.When {
		a := e.in.Answers[cl.Key]
		p.Because = append(p.Because, Reason{Key: cl.Key, Value: a.Value, At: a.At.UTC()})
	}
	// The step became required at the latest answer that let it in,
	// including those that made its questions asked at all.
	became := e.in.T0
	var walk func(cond Condition)
	walk = func(cond Condition) {
		for _, cl := range cond {
			if a := e.in.Answers[cl.Key]; a.At.After(became) {
				became = a.At
			}
			walk(e.c.questions[cl.Key].When)
		}
	}
	walk(s.When)
	switch d := s.Deadline; d.Kind {
	case Immediate:
		p.Due = became.UTC()
	case After:
		if d.Anchor == AnchorT0 {
			p.Since = e.in.T0.UTC()
		} else if done, ok := e.in.Done[d.Anchor]; ok {
			p.Since = done.UTC()
		} else {
			p.After = d.Anchor
		}
		if !p.Since.IsZero() {
			p.Due = d.From(p.Since)
		}
	}
	return p
}

// asked reports whether question q is asked given the answers so far.
func (e *evaluator) asked(q *Question) truth {
	if t, ok := e.app[q.ID]; ok {
		return t
	}
	if q.Feature != "" && !e.in.Features[q.Feature] {
		// Validation keeps steps that need such a question behind the
		// same feature: no plan shows this clause.
		e.app[q.ID], e.fail[q.ID] = fails, Clause{Key: q.ID}
		return fails
	}
	t, on, failed := e.cond(q.When)
	e.app[q.ID], e.on[q.ID] = t, on
	if t == fails {
		e.fail[q.ID] = failed
	}
	return t
}

// cond evaluates a condition: it fails as soon as one clause fails (and
// says which: the clause of cond, or the one that keeps its question from
// being asked), is open while a clause waits on a question, and holds
// otherwise. Validation guarantees conditions are acyclic, so the
// recursion ends.
func (e *evaluator) cond(cond Condition) (truth, []string, Clause) {
	result := holds
	var on []string
	for _, cl := range cond {
		q := e.c.questions[cl.Key]
		switch e.asked(q) {
		case fails:
			return fails, nil, e.fail[q.ID]
		case open:
			result = open
			on = appendNew(on, e.on[q.ID]...)
			continue
		}
		a, ok := e.in.Answers[cl.Key]
		switch {
		case !ok || a.Value == Unknown || !q.Allows(a.Value):
			result = open
			on = appendNew(on, cl.Key)
		case a.Value != cl.Value:
			return fails, nil, cl
		}
	}
	return result, on, Clause{}
}

func appendNew(list []string, ids ...string) []string {
	for _, id := range ids {
		if !slices.Contains(list, id) {
			list = append(list, id)
		}
	}
	return list
}
