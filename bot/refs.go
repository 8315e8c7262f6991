package bot

import (
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/flows"
)

// People name a step by the number the checklist shows (the chart's
// numbering, "fait 1") or by its key ("fait cert-sante"), and a question by
// Qn, its place in the chain ("repondre q1 oui"), or by its key. Both are
// shown together on every screen ("1 · cert-sante", "Q1 · malicious"),
// and what is recorded is always the key, which does not change when a
// chart is renumbered.

// findStep returns the step ref names in c, or nil.
func findStep(c *flows.Chain, ref string) *flows.Step {
	ref = strings.TrimSpace(ref)
	if n, err := strconv.Atoi(ref); err == nil {
		for _, s := range c.Steps {
			if s.Order == n {
				return s
			}
		}
		return nil
	}
	return c.Step(strings.ToLower(ref))
}

// findQuestion returns the question ref names in c, or nil.
func findQuestion(c *flows.Chain, ref string) *flows.Question {
	ref = strings.ToLower(strings.TrimSpace(ref))
	if n, err := strconv.Atoi(strings.TrimPrefix(ref, "q")); err == nil && strings.HasPrefix(ref, "q") {
		if n >= 1 && n <= len(c.Questions) {
			return c.Questions[n-1]
		}
		return nil
	}
	return c.Question(ref)
}

// isQuestionRef says whether ref has the form of a question's number
// (Q3, q12), whether or not the chain has that question.
func isQuestionRef(ref string) bool {
	ref = strings.TrimSpace(ref)
	if len(ref) < 2 || ref[0] != 'q' && ref[0] != 'Q' {
		return false
	}
	_, err := strconv.Atoi(ref[1:])
	return err == nil
}

// questionIDs lists a chain's question keys for refusals.
func questionIDs(c *flows.Chain) string {
	keys := make([]string, len(c.Questions))
	for i, q := range c.Questions {
		keys[i] = q.ID
	}
	return strings.Join(keys, ", ")
}

// questionNo is q's number in c, from 1.
func questionNo(c *flows.Chain, q *flows.Question) int {
	for i, x := range c.Questions {
		if x == q {
			return i + 1
		}
	}
	return 0
}

// stepLabel is how screens name a step: "1 · cert-sante".
func stepLabel(s *flows.Step) string { return strconv.Itoa(s.Order) + " · " + s.ID }

// questionLabel is how screens name a question: "Q1 · capacity_impact".
func questionLabel(c *flows.Chain, q *flows.Question) string {
	return "Q" + strconv.Itoa(questionNo(c, q)) + " · " + q.ID
}

// stepRange says which numbers and keys name c's steps, for refusals.
func stepRange(c *flows.Chain) string {
	if len(c.Steps) == 0 {
		return ""
	}
	return strconv.Itoa(c.Steps[0].Order) + "–" + strconv.Itoa(c.Steps[len(c.Steps)-1].Order) + " ; " + stepIDs(c)
}
