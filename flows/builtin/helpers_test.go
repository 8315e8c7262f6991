package builtin_test

import (
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// now is when the chains in force are taken: the ARS NA charts of March
// 2025 and the 2022 national text.
var now = time.Date(2026, 1, 10, 1, 10, 0, 0, time.UTC)

func mustCatalog(tb testing.TB) *flows.Catalog {
	tb.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		tb.Fatalf("builtin chains do not compile:\n%v", err)
	}
	return cat
}

// chainAt returns the version of chain id in force at the given date.
func chainAt(tb testing.TB, id string, at time.Time) *flows.Chain {
	tb.Helper()
	c, err := mustCatalog(tb).Current(id, at)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func stepIDs(p flows.Plan) []string {
	ids := []string{}
	for _, s := range p.Steps {
		ids = append(ids, s.Step.ID)
	}
	return ids
}

func same(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func sorted(ss []string) []string {
	out := append([]string(nil), ss...)
	sort.Strings(out)
	return out
}

// recipients lists a step's recipients as id@scope.
func recipients(s *flows.Step) []string {
	var out []string
	for _, r := range s.Recipients {
		out = append(out, r.Contact.ID+"@"+r.Contact.Scope)
	}
	return out
}

// yesNo is one complete set of yes/no answers, by question id.
type yesNo map[string]bool

// yes reports whether q was asked and answered yes.
func (a yesNo) yes(q string) bool { return a[q] }

func (a yesNo) String() string {
	var parts []string
	for k, v := range a {
		parts = append(parts, k+"="+map[bool]string{true: "yes", false: "no"}[v])
	}
	sort.Strings(parts)
	return strings.Join(parts, " ")
}

// walk answers yes then no to each question the chain asks, following
// the conditions, and calls leaf with every complete set of answers and its
// plan. The questions come from the engine; what must happen is up to leaf.
func walk(tb testing.TB, c *flows.Chain, features map[string]bool, leaf func(a yesNo, p flows.Plan)) {
	tb.Helper()
	var rec func(a yesNo)
	rec = func(a yesNo) {
		in := flows.Input{T0: now, Answers: map[string]flows.Answer{}, Features: features}
		for k, v := range a {
			val := flows.No
			if v {
				val = flows.Yes
			}
			in.Answers[k] = flows.Answer{Value: val, At: now.Add(time.Hour)}
		}
		p := flows.Evaluate(c, in)
		if len(p.Questions) == 0 {
			leaf(a, p)
			return
		}
		q := p.Questions[0].ID
		if _, done := a[q]; done {
			tb.Fatalf("%s: %s answered (%v) but asked again", c.ID, q, a)
		}
		for _, v := range []bool{true, false} {
			next := yesNo{q: v}
			for k, old := range a {
				next[k] = old
			}
			rec(next)
		}
	}
	rec(yesNo{})
}
