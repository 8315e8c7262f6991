package flows

import (
	"fmt"
	"strings"
)

// checkGraph finds what no set of answers can ever reach, and cycles: a
// question whose condition depends on itself, or deadlines counting from
// each other.
func (pc *parsedChain) checkGraph(c *Chain) {
	qpos := map[string]string{}
	for i, rq := range pc.raw.Questions {
		if _, ok := qpos[rq.ID]; !ok {
			qpos[rq.ID] = fmt.Sprintf("$.questions[%d]", i)
		}
	}
	spos := map[string]string{}
	for i, rs := range pc.raw.Steps {
		if _, ok := spos[rs.ID]; !ok {
			spos[rs.ID] = fmt.Sprintf("$.steps[%d]", i)
		}
	}
	// Cycles among questions: q depends on the questions of q.When.
	cyclic := map[string]bool{}
	for _, q := range c.Questions {
		if path := findCycle(q.ID, func(id string) []string {
			var next []string
			if qq := c.questions[id]; qq != nil {
				for _, cl := range qq.When {
					next = append(next, cl.Key)
				}
			}
			return next
		}); path != nil {
			cyclic[q.ID] = true
			pc.errorf(qpos[q.ID]+".when", "cyclic condition: %s", strings.Join(path, " → "))
		}
	}
	// Cycles among deadlines: a step counts from its anchor.
	for _, s := range c.Steps {
		if path := findCycle(s.ID, func(id string) []string {
			if ss := c.steps[id]; ss != nil && ss.Deadline.Kind == After && ss.Deadline.Anchor != AnchorT0 {
				return []string{ss.Deadline.Anchor}
			}
			return nil
		}); path != nil {
			pc.errorf(spos[s.ID]+".deadline", "cyclic deadline: %s", strings.Join(path, " → "))
			cyclic["step:"+s.ID] = true
		}
	}
	if len(cyclic) > 0 {
		return
	}
	for _, q := range c.Questions {
		if conflict := c.closure(q.When, q.Feature); conflict != "" {
			pc.errorf(qpos[q.ID]+".when", "question %q can never be asked: %s", q.ID, conflict)
		}
	}
	for _, s := range c.Steps {
		if conflict := c.closure(s.When, s.Feature); conflict != "" {
			pc.errorf(spos[s.ID]+".when", "step %q can never be required: %s", s.ID, conflict)
			continue
		}
		if s.Deadline.Kind != After || s.Deadline.Anchor == AnchorT0 {
			continue
		}
		a := c.steps[s.Deadline.Anchor]
		if a.Feature != "" && a.Feature != s.Feature {
			pc.errorf(spos[s.ID]+".deadline", "step %q counts from %q, which exists only with feature %q", s.ID, a.ID, a.Feature)
			continue
		}
		// Whenever s is required, its anchor must be too, or s would wait
		// for ever on a step the answers left out.
		need, anchorNeed := c.requires(s.When), c.requires(a.When)
		for key, v := range anchorNeed {
			if need[key] != v {
				pc.errorf(spos[s.ID]+".deadline", "step %q counts from %q, which is not required whenever %q is: %q needs %s=%s (add it to the condition of %q, or count from t0)", s.ID, a.ID, s.ID, a.ID, key, v, s.ID)
				break
			}
		}
	}
}

// closure gathers every answer cond needs, including the conditions under
// which the questions it names are asked, and describes the first conflict
// (two different answers required of one question), or returns "".
func (c *Chain) closure(cond Condition, feature string) string {
	need := map[string]Value{}
	var walk func(cond Condition, via string) string
	walk = func(cond Condition, via string) string {
		for _, cl := range cond {
			if prev, ok := need[cl.Key]; ok && prev != cl.Value {
				return fmt.Sprintf("it needs %s=%s and %s=%s%s", cl.Key, prev, cl.Key, cl.Value, via)
			}
			need[cl.Key] = cl.Value
			q := c.questions[cl.Key]
			if q.Feature != "" && q.Feature != feature {
				return fmt.Sprintf("it needs %s, which exists only with feature %q", cl.Key, q.Feature)
			}
			if msg := walk(q.When, fmt.Sprintf(" (%s is asked only when %s)", cl.Key, q.When)); msg != "" {
				return msg
			}
		}
		return ""
	}
	return walk(cond, "")
}

// requires returns every answer cond needs, with those needed for its
// questions to be asked at all.
func (c *Chain) requires(cond Condition) map[string]Value {
	need := map[string]Value{}
	var walk func(cond Condition)
	walk = func(cond Condition) {
		for _, cl := range cond {
			need[cl.Key] = cl.Value
			walk(c.questions[cl.Key].When)
		}
	}
	walk(cond)
	return need
}

// String writes a condition as key=value pairs joined by "and".
func (cond Condition) String() string {
	parts := make([]string, len(cond))
	for i, cl := range cond {
		parts[i] = cl.Key + "=" + string(cl.Value)
	}
	return strings.Join(parts, " and ")
}

// findCycle follows next from start and returns the path of a cycle back to
// start, or nil.
func findCycle(start string, next func(string) []string) []string {
	seen := map[string]bool{}
	var path []string
	var dfs func(id string) bool
	dfs = func(id string) bool {
		path = append(path, id)
		for _, n := range next(id) {
			if n == start {
				path = append(path, n)
				return true
			}
			if !seen[n] {
				seen[n] = true
				if dfs(n) {
					return true
				}
			}
		}
		path = path[:len(path)-1]
		return false
	}
	if dfs(start) {
		return path
	}
	return nil
}
