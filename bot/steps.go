package bot

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// stepIDs lists a chain's step ids for messages that say what is accepted.
func stepIDs(c *flows.Chain) string {
	ids := make([]string, len(c.Steps))
	for i, s := range c.Steps {
		ids[i] = s.ID
	}
	return strings.Join(ids, ", ")
}

// stepInPlan finds step id in the incident's plan. A step left out by the
// answers cannot be acted on: the chain does not require it.
func (b *Bot) stepInPlan(r *request, inc *incident.Incident, c *flows.Chain, id string) (*flows.Step, *flows.Planned, error) {
	if c == nil {
		return nil, nil, uerr(EConflict, r.lang, "err.no_chain", inc.ID, b.structureList(r.now, r.lang))
	}
	s := findStep(c, id)
	if s == nil && (isQuestionRef(id) || findQuestion(c, id) != nil) {
		return nil, nil, uerr(EInvalid, r.lang, "err.step_is_question", echo(id), b.prefix())
	}
	if s == nil {
		first, last := 0, 0
		if n := len(c.Steps); n > 0 {
			first, last = c.Steps[0].Order, c.Steps[n-1].Order
		}
		return nil, nil, uerr(ENotFound, r.lang, "err.unknown_step", echo(id), first, last, stepIDs(c))
	}
	if featureOff(inc, s.Feature) {
		return nil, nil, uerr(EConflict, r.lang, "err.step_feature_off", stepLabel(s), s.Feature, s.Feature, s.Feature)
	}
	plan := flows.Evaluate(c, inc.Inputs())
	for i := range plan.Steps {
		if plan.Steps[i].Step == s {
			return s, &plan.Steps[i], nil
		}
	}
	for _, w := range plan.Pending {
		if w.Step == s {
			return s, nil, nil
		}
	}
	why := ""
	for _, l := range plan.LeftOut {
		if l.Step == s {
			why = leftOutWhy(c, l, r.lang)
		}
	}
	return nil, nil, uerr(EConflict, r.lang, "err.step_left_out", stepLabel(s), conditionText(s.When, r.lang), why)
}

// featureOff reports whether f is a switch (nis2) off for inc: what
// exists only with it does not apply to inc, whatever the answers.
func featureOff(inc *incident.Incident, f string) bool {
	return f != "" && !inc.Features[f]
}

// leftOutStep returns the step ref of the incident's chain when the
// answers leave it out.
func leftOutStep(inc *incident.Incident, c *flows.Chain, ref string) (flows.LeftOut, bool) {
	s := findStep(c, ref)
	if s == nil {
		return flows.LeftOut{}, false
	}
	for _, l := range flows.Evaluate(c, inc.Inputs()).LeftOut {
		if l.Step == s {
			return l, true
		}
	}
	return flows.LeftOut{}, false
}

func (b *Bot) stepState(inc *incident.Incident, id string) *incident.StepState {
	if inc.Steps == nil {
		inc.Steps = map[string]*incident.StepState{}
	}
	st := inc.Steps[id]
	if st == nil {
		st = &incident.StepState{}
		inc.Steps[id] = st
	}
	return st
}

// done records the proof that a notification was made.
func (b *Bot) done(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) == 0 {
		return Reply{}, uerr(EInvalid, r.lang, "err.done_usage", strings.Join(meansTyped(r.lang), "|"))
	}
	id := r.cmd.args[0]
	note := strings.TrimSpace(strings.TrimSpace(r.cmd.opts["note"] + " " + r.cmd.rest(1)))
	via := strings.ToLower(strings.TrimSpace(r.cmd.opts["via"]))
	if via == "" && r.ev.Dialogs {
		// A click on "Fait": ask for the proof instead of guessing it.
		target, err := b.target(ctx, r)
		if err != nil {
			return Reply{}, err
		}
		c, err := b.chainOf(target)
		if err != nil {
			return Reply{}, err
		}
		s, _, err := b.stepInPlan(r, target, c, id)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Dialog: b.proofDialog(target, s, r)}, nil
	}
	if isQuestionRef(id) {
		return Reply{}, uerr(EInvalid, r.lang, "err.step_is_question", echo(id), b.prefix())
	}
	if via == "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.via_missing", strings.Join(meansTyped(r.lang), ", "))
	}
	via = normalizeMeans(via)
	if !slices.Contains(incident.Means, via) {
		return Reply{}, uerr(EInvalid, r.lang, "err.via_bad", echo(r.cmd.opts["via"]), strings.Join(meansTyped(r.lang), ", "))
	}
	declared := r.now
	if s, ok := r.cmd.opts["at"]; ok && s != "" {
		t, err := parseWhen(s, r.now, r.lang)
		if err != nil {
			return Reply{}, err
		}
		declared = t
	}
	ref := strings.TrimSpace(r.cmd.opts["ref"])
	if utf8.RuneCountInString(ref) > maxRef {
		return Reply{}, uerr(EInvalid, r.lang, "err.ref_long", maxRef)
	}
	if utf8.RuneCountInString(note) > maxNote {
		return Reply{}, uerr(EInvalid, r.lang, "err.note_long", maxNote)
	}
	var step *flows.Step
	var proposed bool
	var waitsFor string
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		s, _, err := b.stepInPlan(r, inc, c, id)
		if err != nil {
			return nil, err
		}
		step = s
		if declared.Before(inc.T0) {
			return nil, uerr(EInvalid, r.lang, "err.before_t0", b.when(declared, r.lang), b.when(inc.T0, r.lang))
		}
		st := b.stepState(inc, s.ID)
		switch st.Status {
		case incident.StepDone:
			return nil, uerr(EConflict, r.lang, "err.already_done", s.Title.In(r.lang), st.Proof.By.String(), b.when(st.Proof.DeclaredAt, r.lang))
		case incident.StepNA:
			return nil, uerr(EConflict, r.lang, "err.already_na", s.Title.In(r.lang), st.Reason)
		}
		p := &incident.Proof{By: r.ev.User, DeclaredAt: declared, ServerAt: r.now, Means: via, Ref: ref, Note: note}
		if proposed, err = b.gate(inc, s, r.ev.User, r.lang); err != nil {
			return nil, err
		}
		if proposed { // confirm.go: the step waits for its confirmation
			st.Proposed = p
			waitsFor = b.confirmers(inc, s, r.lang)
			return []incident.Entry{r.entry(incident.KindProposed, tr(b.cfg.Lang, "log.proposed", s.Title.In(b.cfg.Lang), i18n.Means(via, b.cfg.Lang), i18n.Ref(ref, b.cfg.Lang), b.when(declared, b.cfg.Lang)), proofData(s.ID, p))}, nil
		}
		*st = incident.StepState{Status: incident.StepDone, Proof: p, By: r.ev.User, At: r.now}
		return []incident.Entry{r.entry(incident.KindDone, tr(b.cfg.Lang, "log.done", s.Title.In(b.cfg.Lang), i18n.Means(via, b.cfg.Lang), i18n.Ref(ref, b.cfg.Lang), b.when(declared, b.cfg.Lang)), proofData(s.ID, p))}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	if proposed {
		return Reply{Text: tr(r.lang, "done.proposed", inc.ID, step.Title.In(r.lang), waitsFor, b.prefix(), step.ID)}, nil
	}
	return Reply{Text: tr(r.lang, "done.ok", inc.ID, step.Title.In(r.lang), i18n.Ref(ref, r.lang))}, nil
}

// meansTyped are the means of notification as a person of lang types
// them after via=.
func meansTyped(lang Lang) []string {
	out := make([]string, len(incident.Means))
	for i, m := range incident.Means {
		out[i] = tr(lang, "via."+m)
	}
	return out
}

// normalizeMeans accepts the usual spellings of the means of notification.
func normalizeMeans(s string) string {
	switch s {
	case "portal", "site", "formulaire", "form", "web":
		return "portail"
	case "mail", "e-mail", "courriel":
		return "email"
	case "phone", "tel", "tél", "téléphone", "telephone":
		return "telephone"
	case "post", "lettre", "letter":
		return "courrier"
	case "other":
		return "autre"
	}
	return s
}

// proofDialog asks for the proof of a notification.
func (b *Bot) proofDialog(inc *incident.Incident, s *flows.Step, r *request) *Dialog {
	var opts []Option
	for _, m := range incident.Means {
		opts = append(opts, Option{Label: i18n.Means(m, r.lang), Value: m})
	}
	return &Dialog{
		Title:  tr(r.lang, "dialog.done.title", s.Title.In(r.lang)),
		Submit: tr(r.lang, "dialog.done.submit"),
		Action: "#" + inc.ID + " fait " + s.ID,
		Fields: []DialogField{
			{Name: "via", Label: tr(r.lang, "dialog.done.via"), Kind: "select", Options: opts},
			{Name: "ref", Label: tr(r.lang, "dialog.done.ref"), Kind: "text", Optional: true, Help: tr(r.lang, "dialog.done.ref_help")},
			{Name: "at", Label: tr(r.lang, "dialog.done.at"), Kind: "text", Optional: true, Help: tr(r.lang, "dialog.done.at_help")},
			{Name: "note", Label: tr(r.lang, "dialog.note"), Kind: "textarea", Optional: true},
		},
	}
}

// notApplicable declares a step without object, with the reason: the
// reason is what an auditor reads.
func (b *Bot) notApplicable(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) == 0 {
		return Reply{}, uerr(EInvalid, r.lang, "err.na_usage")
	}
	id := r.cmd.args[0]
	reason := strings.TrimSpace(r.cmd.rest(1))
	if reason == "" {
		reason = strings.TrimSpace(r.cmd.opts["reason"])
	}
	if reason == "" && r.ev.Dialogs {
		// The step is checked before the reason is asked: a form about a
		// step the chain does not have would be typed for nothing.
		target, err := b.target(ctx, r)
		if err != nil {
			return Reply{}, err
		}
		c, err := b.chainOf(target)
		if err != nil {
			return Reply{}, err
		}
		s, _, err := b.stepInPlan(r, target, c, id)
		if err != nil {
			return Reply{}, err
		}
		return Reply{Dialog: &Dialog{
			Title: tr(r.lang, "dialog.na.title", s.Title.In(r.lang)), Submit: tr(r.lang, "dialog.na.submit"),
			Action: "#" + target.ID + " sans-objet " + s.ID,
			Fields: []DialogField{{Name: "reason", Label: tr(r.lang, "dialog.na.reason"), Kind: "textarea"}},
		}}, nil
	}
	if reason == "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.na_usage")
	}
	if utf8.RuneCountInString(reason) > maxNote {
		return Reply{}, uerr(EInvalid, r.lang, "err.reason_long", maxNote)
	}
	var step *flows.Step
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		s, _, err := b.stepInPlan(r, inc, c, id)
		if err != nil {
			return nil, err
		}
		step = s
		st := b.stepState(inc, s.ID)
		switch st.Status {
		case incident.StepDone:
			return nil, uerr(EConflict, r.lang, "err.already_done", s.Title.In(r.lang), st.Proof.By.String(), b.when(st.Proof.DeclaredAt, r.lang))
		case incident.StepNA:
			return nil, uerr(EConflict, r.lang, "err.already_na", s.Title.In(r.lang), st.Reason)
		}
		*st = incident.StepState{Status: incident.StepNA, Reason: reason, By: r.ev.User, At: r.now}
		return []incident.Entry{r.entry(incident.KindNA, tr(b.cfg.Lang, "log.na", s.Title.In(b.cfg.Lang), reason), map[string]string{"step": s.ID, "reason": reason})}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "na.ok", inc.ID, step.Title.In(r.lang))}, nil
}

// snooze silences a pending step's reminders for a while, never past its
// deadline: a legal clock does not wait.
func (b *Bot) snooze(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) != 2 {
		return Reply{}, uerr(EInvalid, r.lang, "err.snooze_usage")
	}
	id := r.cmd.args[0]
	d, err := flows.ParseDuration(r.cmd.args[1])
	if err != nil || d <= 0 || d > 7*24*time.Hour {
		return Reply{}, uerr(EInvalid, r.lang, "err.snooze_duration", echo(r.cmd.args[1]))
	}
	until := r.now.Add(d)
	var step *flows.Step
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		s, planned, err := b.stepInPlan(r, inc, c, id)
		if err != nil {
			return nil, err
		}
		step = s
		st := b.stepState(inc, s.ID)
		if st.Status != incident.StepPending {
			return nil, uerr(EConflict, r.lang, "err.snooze_settled", s.Title.In(r.lang))
		}
		if planned != nil && !planned.Due.IsZero() && until.After(planned.Due) {
			// Say what can be done: a shorter snooze only when one exists.
			switch {
			case s.Deadline.Kind == flows.Immediate:
				return nil, uerr(EInvalid, r.lang, "err.snooze_immediate", s.Title.In(r.lang))
			case !r.now.Before(planned.Due):
				return nil, uerr(EInvalid, r.lang, "err.snooze_passed", s.Title.In(r.lang), b.when(planned.Due, r.lang), i18n.Countdown(planned.Due, r.now, r.lang))
			}
			return nil, uerr(EInvalid, r.lang, "err.snooze_past_deadline", b.when(until, r.lang), b.when(planned.Due, r.lang), i18n.Countdown(planned.Due, r.now, r.lang),
				i18n.Span(planned.Due.Sub(r.now), r.lang))
		}
		st.SnoozedUntil = until
		return []incident.Entry{r.entry(incident.KindSnooze, tr(b.cfg.Lang, "log.snooze", s.Title.In(b.cfg.Lang), b.when(until, b.cfg.Lang)),
			map[string]string{"step": s.ID, "until": until.Format(rfc3339)})}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "snooze.ok", inc.ID, step.Title.In(r.lang), b.when(until, r.lang))}, nil
}
