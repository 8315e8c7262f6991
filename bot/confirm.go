package bot

import (
	"context"
	"fmt"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Declarations says who may record that a step owned by a role (its
// chain's owner: the DPO for the CNIL) was done. By default anyone of the
// channel may: the record says who did it. A deployment may ask more.
type Declarations struct {
	// Owner: "" anyone; OwnerPropose, someone else's "fait" is recorded
	// as proposed and waits for the holder's (or deputy's) confirmation;
	// OwnerRefuse, it is refused, naming who may do it. A role nobody
	// holds lets anyone record its steps: a declaration due at 3 a.m.
	// must not wait for a title.
	Owner string
	// FourEyes: every "fait" of an owned step waits for a second person's
	// confirmation (the holder's, when Owner asks it and the first was
	// not the holder).
	FourEyes bool
}

// The values of Declarations.Owner.
const (
	OwnerPropose = "propose"
	OwnerRefuse  = "refuse"
)

// gate says whether by's "fait" on step s is recorded as done at once,
// recorded as proposed, or refused.
func (b *Bot) gate(inc *incident.Incident, s *flows.Step, by incident.User, lang Lang) (propose bool, err error) {
	d := b.cfg.Declarations
	if s.Owner == "" || (d.Owner == "" && !d.FourEyes) {
		return false, nil
	}
	role, owned := b.roleByKey(s.Owner)
	if !owned {
		return d.FourEyes, nil
	}
	holders, isOwner := b.owners(inc, role, by)
	switch {
	case d.Owner == OwnerRefuse && holders != "" && !isOwner:
		return false, uerr(EConflict, lang, "err.owner_only", role.Name.In(lang), holders, s.Title.In(lang), b.prefix(), role.Key)
	case d.Owner == OwnerPropose && holders != "" && !isOwner:
		return true, nil
	}
	return d.FourEyes, nil
}

// owners names who may settle role's steps on inc ("@jdupont, @amartin"),
// and says whether by is one of them.
func (b *Bot) owners(inc *incident.Incident, role Role, by incident.User) (names string, is bool) {
	for _, m := range []map[string]incident.User{inc.Roles, inc.Deputies} {
		if u, ok := m[role.Key]; ok {
			if names != "" {
				names += ", "
			}
			names += u.String()
			is = is || sameUser(u, by)
		}
	}
	return names, is
}

// mayConfirm says whether by may confirm the declaration p proposed on
// step s, or why not.
func (b *Bot) mayConfirm(inc *incident.Incident, s *flows.Step, p *incident.Proof, by incident.User, lang Lang) error {
	d := b.cfg.Declarations
	if d.FourEyes && sameUser(p.By, by) {
		return uerr(EConflict, lang, "err.confirm_self", s.Title.In(lang))
	}
	role, owned := b.roleByKey(s.Owner)
	if !owned || d.Owner == "" {
		return nil
	}
	holders, isOwner := b.owners(inc, role, by)
	_, proposerOwns := b.owners(inc, role, p.By)
	if holders != "" && !isOwner && !(d.FourEyes && proposerOwns) {
		return uerr(EConflict, lang, "err.confirm_owner", role.Name.In(lang), holders, s.Title.In(lang))
	}
	return nil
}

// proofData is the data of a proof's entry.
func proofData(step string, p *incident.Proof) map[string]string {
	data := map[string]string{"step": step, "means": p.Means, "declared_at": p.DeclaredAt.Format(rfc3339)}
	if p.Ref != "" {
		data["ref"] = p.Ref
	}
	if p.Note != "" {
		data["note"] = p.Note
	}
	return data
}

// confirm settles a step whose declaration was proposed: "confirmer
// cnil". The proof stays the proposer's (who made the declaration, when
// and how); the entry says who confirmed.
func (b *Bot) confirm(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) != 1 {
		return Reply{}, uerr(EInvalid, r.lang, "err.confirm_usage")
	}
	var step *flows.Step
	var proof *incident.Proof
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		s, _, err := b.stepInPlan(r, inc, c, r.cmd.args[0])
		if err != nil {
			return nil, err
		}
		step = s
		st := b.stepState(inc, s.ID)
		if st.Status == incident.StepDone {
			return nil, uerr(EConflict, r.lang, "err.already_done", s.Title.In(r.lang), st.Proof.By.String(), b.when(st.Proof.DeclaredAt, r.lang))
		}
		if st.Proposed == nil {
			return nil, uerr(EConflict, r.lang, "err.confirm_nothing", s.Title.In(r.lang), b.prefix(), s.ID)
		}
		if err := b.mayConfirm(inc, s, st.Proposed, r.ev.User, r.lang); err != nil {
			return nil, err
		}
		proof = st.Proposed
		*st = incident.StepState{Status: incident.StepDone, Proof: proof, By: r.ev.User, At: r.now}
		data := proofData(s.ID, proof)
		data["proposed_by"] = proof.By.String()
		return []incident.Entry{r.entry(incident.KindDone, tr(b.cfg.Lang, "log.confirmed", s.Title.In(b.cfg.Lang), proof.By.String(),
			i18n.Means(proof.Means, b.cfg.Lang), i18n.Ref(proof.Ref, b.cfg.Lang), b.when(proof.DeclaredAt, b.cfg.Lang)), data)}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "confirm.ok", inc.ID, step.Title.In(r.lang), proof.By.String())}, nil
}

// proposedLine shows a declaration awaiting confirmation on its step, and
// who may confirm it.
func (b *Bot) proposedLine(inc *incident.Incident, s *flows.Step, p *incident.Proof, lang Lang) string {
	return tr(lang, "step.proposed", p.By.String(), b.when(p.DeclaredAt, lang), i18n.Means(p.Means, lang), i18n.Ref(p.Ref, lang), b.confirmers(inc, s, lang))
}

// confirmers names who may confirm a declaration of step s: the holders
// of its role ("@jdupont (DPO)") when the deployment asks it, else another
// person of the cell.
func (b *Bot) confirmers(inc *incident.Incident, s *flows.Step, lang Lang) string {
	if role, ok := b.roleByKey(s.Owner); ok && b.cfg.Declarations.Owner != "" {
		if holders, _ := b.owners(inc, role, incident.User{}); holders != "" {
			return fmt.Sprintf("%s (%s)", holders, role.Name.In(lang))
		}
	}
	return tr(lang, "step.proposed_anyone")
}
