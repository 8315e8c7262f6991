package flows

// The compilation of a chain's steps: recipients and their regional
// contacts, conditions, the reasons a step is not required, deadlines.
// compileChain (compile.go) calls compileStep for each step, once the
// questions are known.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

func (pc *parsedChain) compileStep(p string, rs rawStep, s *Step, c *Chain, cat *Catalog) {
	if rs.Order <= 0 {
		pc.errorf(p+".order", "step %q needs an order of 1 or more (the chart's numbering)", rs.ID)
	}
	pc.text(p+".title", rs.Title)
	pc.optText(p+".group", rs.Group)
	pc.optText(p+".action", rs.Action)
	pc.optText(p+".note", rs.Note)
	pc.text(p+".basis", rs.Basis)
	if rs.Source.IsZero() {
		pc.errorf(p, "step %q has no source (accepted: chart, or the outside reference)", rs.ID)
	}
	pc.source(p+".source", rs.Source)
	if rs.Feature != "" {
		pc.id(p+".feature", "feature", rs.Feature)
	}
	if len(rs.Recipients) == 0 {
		pc.errorf(p+".recipients", "step %q has no recipients", rs.ID)
	}
	if rs.Owner != "" {
		pc.id(p+".owner", "role", rs.Owner)
	}
	*s = Step{ID: rs.ID, Order: rs.Order, Group: rs.Group, Title: rs.Title, Action: rs.Action,
		Feature: rs.Feature, Basis: rs.Basis, Source: rs.Source, Note: rs.Note, Owner: rs.Owner}
	for j, rr := range rs.Recipients {
		rp := fmt.Sprintf("%s.recipients[%d]", p, j)
		ct := cat.Contact(c.Region, rr.Contact)
		if ct == nil {
			pc.errorf(rp+".contact", "unknown contact %q (define it in the contacts file of %s)", rr.Contact, scopeName(c.Region))
			continue
		}
		r := Recipient{Contact: ct, Means: ct.Means}
		if len(rr.Means) > 0 && slices.Contains(c.Regional, rr.Contact) {
			pc.errorf(rp+".means", "contact %q is regional: its means depend on the deployment, so a step cannot pick among them", rr.Contact)
		} else if len(rr.Means) > 0 {
			r.Means = nil
			for k, kind := range rr.Means {
				found := false
				for _, m := range ct.Means {
					if m.Kind == kind {
						r.Means = append(r.Means, m)
						found = true
					}
				}
				if !found {
					pc.errorf(fmt.Sprintf("%s.means[%d]", rp, k), "contact %q has no means of kind %q (it has: %s)", ct.ID, kind, meansKinds(ct))
				}
			}
		}
		s.Recipients = append(s.Recipients, r)
	}
	switch rs.Choose {
	case "", "all":
	case "one":
		s.AnyOf = true
		if len(rs.Recipients) < 2 {
			pc.errorf(p+".choose", "choose: one needs at least two recipients to choose from")
		}
	default:
		pc.errorf(p+".choose", "unknown choose %q (accepted: all, one)", rs.Choose)
	}
	s.When = pc.condition(p+".when", rs.When, c)
	s.NotRequired = pc.notRequired(p+".not_required", rs, s, c)
	s.Deadline = pc.deadline(p+".deadline", rs.Deadline, s, c)
	s.Remind = Remind{
		Every:         pc.duration(p+".remind.every", rs.Remind.Every),
		EscalateAfter: pc.duration(p+".remind.escalate_after", rs.Remind.EscalateAfter),
		Source:        rs.Remind.Source,
	}
	bad := false
	pc.source(p+".remind.source", rs.Remind.Source)
	for k, a := range rs.Remind.At {
		d := pc.duration(fmt.Sprintf("%s.remind.at[%d]", p, k), a)
		bad = bad || d <= 0
		s.Remind.At = append(s.Remind.At, d)
	}
	if len(rs.Remind.At) > 0 && s.Deadline.Kind != After {
		pc.errorf(p+".remind.at", "remind.at counts from the deadline's anchor, which a deadline %q has not (use remind.every, or a deadline t0+DURATION)", s.Deadline.String())
	}
	if !bad && !slices.IsSorted(s.Remind.At) {
		pc.errorf(p+".remind.at", "reminder offsets must be in increasing order")
	}
}

// regional checks the chain's `regional` list: national chains only, each
// a national contact (the stand-in used until the deployment binds it),
// once.
func (pc *parsedChain) regional(cat *Catalog) []string {
	raw := pc.raw
	if len(raw.Regional) > 0 && raw.Region != "" {
		pc.errorf("$.regional", "a chain of region %q sees its region's contacts: regional is for national chains, which take those contacts from where Vigie is deployed", raw.Region)
		return nil
	}
	var out []string
	for i, id := range raw.Regional {
		p := fmt.Sprintf("$.regional[%d]", i)
		switch {
		case !pc.id(p, "contact", id):
		case slices.Contains(out, id):
			pc.errorf(p, "regional contact %q is listed twice", id)
		case cat.contacts[ScopeNational][id] == nil:
			pc.errorf(p, "regional contact %q has no national stand-in: define it in a national contacts file, as the chain shows it where the deployment gives none", id)
		default:
			out = append(out, id)
		}
	}
	return out
}

// usesContact reports whether a step of c goes to contact id.
func usesContact(c *Chain, id string) bool {
	for _, s := range c.steps {
		for _, r := range s.Recipients {
			if r.Contact.ID == id {
				return true
			}
		}
	}
	return false
}

// notRequired checks a step's not_required texts: each names a question
// the step's condition depends on (directly, or through the condition of
// one of its questions), in both languages.
func (pc *parsedChain) notRequired(p string, rs rawStep, s *Step, c *Chain) map[string]Text {
	if len(rs.NotRequired) == 0 {
		return nil
	}
	deps := map[string]bool{}
	var walk func(cond Condition)
	walk = func(cond Condition) {
		for _, cl := range cond {
			if !deps[cl.Key] {
				deps[cl.Key] = true
				if q := c.questions[cl.Key]; q != nil {
					walk(q.When)
				}
			}
		}
	}
	walk(s.When)
	keys := make([]string, 0, len(rs.NotRequired))
	for k := range rs.NotRequired {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := map[string]Text{}
	for _, k := range keys {
		if !deps[k] {
			dep := make([]string, 0, len(deps))
			for d := range deps {
				dep = append(dep, d)
			}
			sort.Strings(dep)
			accepted := strings.Join(dep, ", ")
			if accepted == "" {
				accepted = "none: the step is always required"
			}
			pc.errorf(p+"."+k, "not_required names %q, which does not decide step %q (accepted: the questions its condition depends on: %s)", k, s.ID, accepted)
			continue
		}
		pc.text(p+"."+k, rs.NotRequired[k])
		out[k] = rs.NotRequired[k]
	}
	return out
}

func scopeName(region string) string {
	if region == "" {
		return ScopeNational
	}
	return region + " or " + ScopeNational
}

func meansKinds(ct *Contact) string {
	var ks []string
	for _, m := range ct.Means {
		if !slices.Contains(ks, m.Kind) {
			ks = append(ks, m.Kind)
		}
	}
	return strings.Join(ks, ", ")
}

// condition compiles a `when` map, checking that every key is a question of
// the chain and every value one of its answers.
func (f *parsed) condition(p string, when map[string]string, c *Chain) Condition {
	var cond Condition
	keys := make([]string, 0, len(when))
	for key := range when {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	for _, key := range keys {
		v := when[key]
		q := c.questions[key]
		if q == nil {
			f.errorf(p+"."+key, "condition on unknown question %q (questions: %s)", key, questionIDs(c))
			continue
		}
		val := q.Normalize(v)
		if val == Unknown {
			f.errorf(p+"."+key, "a condition cannot require %q: it means not answered yet", v)
			continue
		}
		if !q.Allows(val) {
			f.errorf(p+"."+key, "question %q does not accept %q (accepted: %s)", key, v, valuesString(q.Answers))
			continue
		}
		cond = append(cond, Clause{Key: key, Value: val})
	}
	return cond
}

func questionIDs(c *Chain) string {
	ids := make([]string, len(c.Questions))
	for i, q := range c.Questions {
		ids[i] = q.ID
	}
	if len(ids) == 0 {
		return "none"
	}
	return strings.Join(ids, ", ")
}

func valuesString(vs []Value) string {
	ss := make([]string, len(vs))
	for i, v := range vs {
		ss[i] = string(v)
	}
	return strings.Join(ss, ", ")
}

// deadline parses "immediate", "none", "t0+72h", "STEP+30d" or "STEP+1mo".
func (f *parsed) deadline(p, s string, step *Step, c *Chain) Deadline {
	switch s {
	case "immediate":
		return Deadline{Kind: Immediate}
	case "none":
		return Deadline{Kind: None}
	case "":
		f.errorf(p, "step %q has no deadline (accepted: immediate, none, t0+DURATION, STEP+DURATION, STEP+1mo)", step.ID)
		return Deadline{Kind: None}
	}
	anchor, dur, ok := strings.Cut(s, "+")
	if !ok {
		f.errorf(p, "bad deadline %q (accepted: immediate, none, t0+DURATION, STEP+DURATION, STEP+1mo)", s)
		return Deadline{Kind: None}
	}
	anchor = strings.TrimSpace(anchor)
	if strings.EqualFold(anchor, AnchorT0) {
		anchor = AnchorT0
	} else if c.steps[anchor] == nil {
		f.errorf(p, "deadline counts from unknown step %q (accepted: t0 or a step id of this chain)", anchor)
	} else if anchor == step.ID {
		f.errorf(p, "step %q cannot count its deadline from itself", step.ID)
	}
	dur = strings.TrimSpace(dur)
	if dur == "" {
		f.errorf(p, "deadline %q has no duration after \"+\" (accepted: t0+72h, STEP+30d)", s)
		return Deadline{Kind: None}
	}
	// "+0m" after a step is "sans délai once that step is done".
	months, off, err := parseOffset(dur)
	if err != nil {
		f.errorf(p, "%v", err)
	}
	return Deadline{Kind: After, Anchor: anchor, Offset: off, Months: months}
}
