package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// flowsEval evaluates a chain for answers given as KEY=VALUE, all given at
// T0, and prints the plan: required steps with their due instants and
// reasons, pending steps, the steps the answers left out and why, next
// questions, and whether the chain has ended. A national chain's regional
// contacts are the deployment's (deployedCatalog).
func flowsEval(env Env, g *Globals, w io.Writer, lang flows.Lang, o *flowsFlags, pos []string, usage string) error {
	t0Flag, format, version, feats := &o.t0, &o.format, &o.version, o.features
	if o.nis2 {
		feats = append(feats, "nis2") // --nis2, as console and fiche take it
	}
	cat, err := deployedCatalog(env, g)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		return usagef("missing chain id (usage: %s; known chains: %s)", usage, strings.Join(cat.IDs(), ", "))
	}
	id, pairs := pos[0], pos[1:]
	if err := flagOneOf("format", *format, "text", "json"); err != nil {
		return err
	}
	t0 := now().UTC().Truncate(time.Second)
	if *t0Flag != "" {
		if t0, err = time.Parse(time.RFC3339, *t0Flag); err != nil {
			return usagef("bad --t0 %q (accepted: an RFC 3339 instant such as 2026-03-28T10:00:00+01:00 or 2026-03-28T09:00:00Z)", *t0Flag)
		}
	}
	known := catalogFeatures(cat)
	on := map[string]bool{}
	for _, f := range feats {
		if !slices.Contains(known, f) {
			return usagef("unknown --feature %q (accepted: %s)", f, noneIfEmpty(known))
		}
		on[f] = true
	}
	c, err := lookupChain(cat, id, *version, t0)
	if err != nil {
		return err
	}
	answers := map[string]flows.Answer{}
	for _, pair := range pairs {
		key, value, ok := strings.Cut(pair, "=")
		if !ok {
			return usagef("bad answer %q (accepted: KEY=VALUE such as malicious=oui; keys of %s: %s; values: yes, no, unknown, oui, non)",
				pair, c.ID, strings.Join(questionKeys(c), ", "))
		}
		v, err := c.ParseAnswer(key, value)
		if err != nil {
			return usagef("bad answer %q: %v", pair, err)
		}
		if _, dup := answers[key]; dup {
			return usagef("question %q is answered twice (accepted: one KEY=VALUE per question)", key)
		}
		answers[key] = flows.Answer{Value: v, At: t0}
	}
	plan := flows.Evaluate(c, flows.Input{T0: t0, Answers: answers, Features: on})
	if *format == "json" {
		return writeEvalJSON(w, plan, t0, lang)
	}
	writeEvalText(w, plan, t0, answers, on, lang)
	return nil
}

func questionKeys(c *flows.Chain) []string {
	keys := make([]string, len(c.Questions))
	for i, q := range c.Questions {
		keys[i] = q.ID
	}
	return keys
}

func noneIfEmpty(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

func writeEvalText(w io.Writer, plan flows.Plan, t0 time.Time, answers map[string]flows.Answer, on map[string]bool, lang flows.Lang) {
	c := plan.Chain
	fmt.Fprintf(w, "%s — %s\n", c.ID, c.Title.In(lang))
	fmt.Fprintf(w, "Version %s\n", c.Version)
	fmt.Fprintf(w, "%s %s\n", tr(lang, "flows.t0"), parisInstant(t0, lang))
	if !c.InForce(t0) {
		fmt.Fprintln(w, tr(lang, "flows.not_in_force", dayIn(c.Effective, lang)))
	}
	var given []string
	for _, q := range c.Questions {
		if a, ok := answers[q.ID]; ok {
			given = append(given, q.ID+" = "+valueIn(a.Value, lang))
		}
	}
	fmt.Fprintf(w, "%s %s\n", tr(lang, "flows.answers"), orNone(strings.Join(given, ", "), lang))
	if len(on) > 0 {
		var fs []string
		for f := range on {
			fs = append(fs, f)
		}
		slices.Sort(fs)
		fmt.Fprintf(w, "%s %s\n", tr(lang, "flows.features_on"), strings.Join(fs, ", "))
	}

	fmt.Fprintf(w, "\n%s (%d)\n", tr(lang, "flows.required_steps"), len(plan.Steps))
	if len(plan.Steps) == 0 {
		fmt.Fprintf(w, "  %s\n", tr(lang, "flows.none"))
	}
	for _, p := range plan.Steps {
		writePlannedStep(w, c, p, lang)
	}

	fmt.Fprintf(w, "\n%s (%d)\n", tr(lang, "flows.pending_steps"), len(plan.Pending))
	if len(plan.Pending) == 0 {
		fmt.Fprintf(w, "  %s\n", tr(lang, "flows.none"))
	}
	for _, p := range plan.Pending {
		fmt.Fprintf(w, "- %d. %s [%s]%s%s%s\n", p.Step.Order, p.Step.Title.In(lang), p.Step.ID, offChartMark(c, p.Step.Source),
			tr(lang, "flows.waits_on"), strings.Join(p.On, ", "))
	}

	fmt.Fprintf(w, "\n%s (%d)\n", tr(lang, "flows.left_out_steps"), len(plan.LeftOut))
	if len(plan.LeftOut) == 0 {
		fmt.Fprintf(w, "  %s\n", tr(lang, "flows.none"))
	}
	for _, l := range plan.LeftOut {
		fmt.Fprintf(w, "- %d. %s [%s]%s%s%s = %s\n", l.Step.Order, l.Step.Title.In(lang), l.Step.ID, offChartMark(c, l.Step.Source),
			tr(lang, "flows.left_out_by"), l.Answer.Key, valueIn(l.Answer.Value, lang))
		fmt.Fprintf(w, "   %s %s\n", tr(lang, "flows.not_required"), leftOutWhy(c, l, lang))
	}

	fmt.Fprintf(w, "\n%s (%d)\n", tr(lang, "flows.questions_to_ask"), len(plan.Questions))
	if len(plan.Questions) == 0 {
		fmt.Fprintf(w, "  %s\n", tr(lang, "flows.none"))
	}
	for _, q := range plan.Questions {
		fmt.Fprintf(w, "- %s%s%s (%s)\n", q.ID, tr(lang, "flows.sep"), q.Text.In(lang), valuesText(q.Answers, lang))
	}

	fmt.Fprintln(w)
	if plan.Ended {
		fmt.Fprintf(w, "%s %s\n", tr(lang, "flows.chain_ended_yes"), c.End.In(lang))
	} else {
		fmt.Fprintln(w, tr(lang, "flows.chain_ended_no", tr(lang, "flows.n_questions_to_ask", len(plan.Questions)), tr(lang, "flows.n_steps_waiting", len(plan.Pending))))
	}
}

// leftOutWhy is why a left-out step is not required: the chain's reason
// for the answer that leaves it out, else the step's basis.
func leftOutWhy(c *flows.Chain, l flows.LeftOut, lang flows.Lang) string {
	if !l.Why.IsZero() {
		return l.Why.In(lang)
	}
	return tr(lang, "flows.left_out_basis", l.Answer.Key, l.Want, l.Step.Basis.In(lang))
}

func orNone(s string, lang flows.Lang) string {
	if s == "" {
		return tr(lang, "flows.none")
	}
	return s
}

func writePlannedStep(w io.Writer, c *flows.Chain, p flows.Planned, lang flows.Lang) {
	const in = "   "
	s := p.Step
	fmt.Fprintf(w, "%d. %s [%s]%s\n", s.Order, s.Title.In(lang), s.ID, offChartMark(c, s.Source))
	if a := s.Action.In(lang); a != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.action"), a)
	}
	writeRecipients(w, c, s, in, false, lang)
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.due"), dueText(p, lang))
	if r := remindText(c, s.Remind, s.Deadline, lang); r != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.reminders"), r)
	}
	why := tr(lang, "flows.always_required")
	if len(p.Because) > 0 {
		parts := make([]string, len(p.Because))
		for i, r := range p.Because {
			parts[i] = r.Key + " = " + valueIn(r.Value, lang)
		}
		why = strings.Join(parts, tr(lang, "flows.and"))
	}
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.why"), why)
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.basis"), s.Basis.In(lang))
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.source"), sourceText(c, s.Source, lang))
	if n := s.Note.In(lang); n != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.note"), n)
	}
}

// dueText writes when a planned step is due, in Europe/Paris with the UTC
// instant.
func dueText(p flows.Planned, lang flows.Lang) string {
	d := p.Step.Deadline
	switch {
	case d.Kind == flows.Immediate:
		return tr(lang, "flows.without_delay_from") + parisInstant(p.Due, lang)
	case d.Kind == flows.None:
		return deadlineText(d, lang)
	case p.Due.IsZero():
		return deadlineText(d, lang) + tr(lang, "flows.not_done_yet")
	}
	return parisInstant(p.Due, lang) + " — " + deadlineText(d, lang)
}

// The JSON form of a plan. Field order is the output order.
type (
	planJSON struct {
		Flow      string             `json:"flow"`
		Version   string             `json:"version"`
		T0        string             `json:"t0"`
		InForce   bool               `json:"in_force"` // false: T0 is before this version's effective date
		Steps     []planStepJSON     `json:"steps"`
		Pending   []planPendingJSON  `json:"pending"`
		LeftOut   []planLeftOutJSON  `json:"left_out"`
		Questions []planQuestionJSON `json:"questions"`
		Ended     bool               `json:"ended"`
	}
	planStepJSON struct {
		ID         string              `json:"id"`
		Title      string              `json:"title"`
		Order      int                 `json:"order"`
		Recipients []planRecipientJSON `json:"recipients"`
		Choose     string              `json:"choose"`
		Due        *string             `json:"due"`
		DueAfter   string              `json:"due_after,omitempty"`
		Deadline   string              `json:"deadline"`
		Reason     []planReasonJSON    `json:"reason"`
		Basis      string              `json:"basis"`
		Source     string              `json:"source"`
		FromChart  bool                `json:"from_chart"`
	}
	planRecipientJSON struct {
		ID    string          `json:"id"`
		Name  string          `json:"name"`
		Means []planMeansJSON `json:"means"`
	}
	planMeansJSON struct {
		Kind     string `json:"kind"`
		Value    string `json:"value"`
		Label    string `json:"label"`
		Fallback bool   `json:"fallback"`
	}
	planReasonJSON struct {
		Key   string `json:"key"`
		Value string `json:"value"`
	}
	planPendingJSON struct {
		ID        string   `json:"id"`
		Title     string   `json:"title"`
		WaitingOn []string `json:"waiting_on"`
	}
	// planLeftOutJSON is a step the answers left out: the answer that
	// fails, the value the condition needs, and why it is not required
	// (the chain's reason for that answer, empty when it gives none).
	planLeftOutJSON struct {
		ID        string         `json:"id"`
		Title     string         `json:"title"`
		Order     int            `json:"order"`
		Answer    planReasonJSON `json:"answer"`
		Want      string         `json:"want"`
		Reason    string         `json:"reason"`
		Basis     string         `json:"basis"`
		FromChart bool           `json:"from_chart"`
	}
	planQuestionJSON struct {
		ID      string   `json:"id"`
		Text    string   `json:"text"`
		Answers []string `json:"answers"`
	}
)

func writeEvalJSON(w io.Writer, plan flows.Plan, t0 time.Time, lang flows.Lang) error {
	c := plan.Chain
	out := planJSON{Flow: c.ID, Version: c.Version, T0: t0.UTC().Format(time.RFC3339), InForce: c.InForce(t0),
		Steps: []planStepJSON{}, Pending: []planPendingJSON{}, LeftOut: []planLeftOutJSON{}, Questions: []planQuestionJSON{}, Ended: plan.Ended}
	for _, p := range plan.Steps {
		s := p.Step
		sj := planStepJSON{ID: s.ID, Title: s.Title.In(lang), Order: s.Order, Recipients: []planRecipientJSON{},
			Choose: "all", DueAfter: p.After, Deadline: s.Deadline.String(), Reason: []planReasonJSON{},
			Basis: s.Basis.In(lang), Source: s.Source.In(lang), FromChart: s.FromChart()}
		if s.AnyOf {
			sj.Choose = "one"
		}
		if !p.Due.IsZero() {
			due := p.Due.UTC().Format(time.RFC3339)
			sj.Due = &due
		}
		for _, r := range s.Recipients {
			rj := planRecipientJSON{ID: r.Contact.ID, Name: r.Contact.Name.In(lang), Means: []planMeansJSON{}}
			for _, m := range r.Means {
				rj.Means = append(rj.Means, planMeansJSON{Kind: m.Kind, Value: m.Value.In(lang), Label: m.Label.In(lang), Fallback: m.Fallback})
			}
			sj.Recipients = append(sj.Recipients, rj)
		}
		for _, r := range p.Because {
			sj.Reason = append(sj.Reason, planReasonJSON{Key: r.Key, Value: string(r.Value)})
		}
		out.Steps = append(out.Steps, sj)
	}
	for _, p := range plan.Pending {
		out.Pending = append(out.Pending, planPendingJSON{ID: p.Step.ID, Title: p.Step.Title.In(lang),
			WaitingOn: append([]string{}, p.On...)})
	}
	for _, l := range plan.LeftOut {
		out.LeftOut = append(out.LeftOut, planLeftOutJSON{ID: l.Step.ID, Title: l.Step.Title.In(lang), Order: l.Step.Order,
			Answer: planReasonJSON{Key: l.Answer.Key, Value: string(l.Answer.Value)}, Want: string(l.Want),
			Reason: l.Why.In(lang), Basis: l.Step.Basis.In(lang), FromChart: l.Step.FromChart()})
	}
	for _, q := range plan.Questions {
		qj := planQuestionJSON{ID: q.ID, Text: q.Text.In(lang), Answers: []string{}}
		for _, a := range q.Answers {
			qj.Answers = append(qj.Answers, string(a))
		}
		out.Questions = append(out.Questions, qj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
