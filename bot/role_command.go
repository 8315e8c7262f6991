package bot

import (
	"context"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// roleChange is a role command parsed: the role, whether it is its deputy
// that changes, and who takes it (release: nobody).
type roleChange struct {
	role    Role
	deputy  bool
	holder  incident.User
	release bool
}

// deputyWords name a role's deputy in "role dpo suppleant @x".
var deputyWords = []string{"suppleant", "suppléant", "suppleante", "suppléante", "deputy"}

// parseRole reads "ROLE [suppleant] [@personne|-]"; the person is the one
// who typed it when none is named.
func (b *Bot) parseRole(r *request) (roleChange, error) {
	args := r.cmd.args
	if len(args) > 3 {
		return roleChange{}, uerr(EInvalid, r.lang, "err.role_usage", b.roleKeys())
	}
	role, ok := b.role(args[0])
	if !ok {
		return roleChange{}, uerr(EInvalid, r.lang, "err.role_unknown", echo(args[0]), b.roleKeys())
	}
	rc := roleChange{role: role, holder: r.ev.User}
	args = args[1:]
	if len(args) > 0 && contains(deputyWords, strings.ToLower(args[0])) {
		rc.deputy, args = true, args[1:]
	}
	switch {
	case len(args) > 1:
		return roleChange{}, uerr(EInvalid, r.lang, "err.role_usage", b.roleKeys())
	case len(args) == 0:
	case args[0] == "-":
		rc.release = true
	default:
		u, ok := parseHandle(args[0])
		if !ok {
			return roleChange{}, uerr(EInvalid, r.lang, "err.role_handle", echo(args[0]))
		}
		rc.holder = u
	}
	return rc, nil
}

// roleCommand serves "role": alone, the roles and who holds them; "role
// ROLE", the person takes it; "role ROLE @personne", gives it; "role ROLE
// -", releases it; "role ROLE suppleant …", the same for its deputy. Each
// change is an entry of the main courante and shows on the card.
func (b *Bot) roleCommand(ctx context.Context, r *request) (Reply, error) {
	if len(r.cmd.args) == 0 {
		return b.roleList(ctx, r)
	}
	rc, err := b.parseRole(r)
	if err != nil {
		return Reply{}, err
	}
	k := holderKeys
	if rc.deputy {
		k = deputyKeys
	}
	name := rc.role.Name.In(b.cfg.Lang)
	var prev incident.User
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		m := &inc.Roles
		if rc.deputy {
			m = &inc.Deputies
		}
		other := inc.Deputies // the other side of the role: one person is not both
		if rc.deputy {
			other = inc.Roles
		}
		var held bool
		prev, held = (*m)[rc.role.Key]
		switch {
		case rc.release && !held:
			return nil, uerr(EConflict, r.lang, k.free, rc.role.Name.In(r.lang))
		case !rc.release && held && sameUser(prev, rc.holder):
			return nil, uerr(EConflict, r.lang, k.same, prev.String(), rc.role.Name.In(r.lang))
		case !rc.release && rc.deputy && sameUser(other[rc.role.Key], rc.holder):
			return nil, uerr(EConflict, r.lang, "err.role_both", rc.holder.String(), rc.role.Name.In(r.lang))
		}
		if err := b.mayReassign(inc, rc, prev, held, r); err != nil {
			return nil, err
		}
		data := map[string]string{"role": rc.role.Key}
		if rc.deputy {
			data["deputy"] = "yes"
		}
		if held {
			data["previous"] = prev.String()
		}
		var text string
		switch {
		case rc.release:
			delete(*m, rc.role.Key)
			text = tr(b.cfg.Lang, k.release, name, prev.String())
		default:
			if *m == nil {
				*m = map[string]incident.User{}
			}
			(*m)[rc.role.Key] = rc.holder
			data["holder"], data["holder_id"] = rc.holder.String(), rc.holder.ID
			text = tr(b.cfg.Lang, k.give, name, rc.holder.String())
			if held {
				text = tr(b.cfg.Lang, k.replace, name, rc.holder.String(), prev.String())
			}
		}
		entries := []incident.Entry{r.entry(incident.KindRole, text, data)}
		if d, ok := inc.Deputies[rc.role.Key]; ok && !rc.deputy && !rc.release && sameUser(d, rc.holder) {
			// The deputy stands in: no longer the deputy of their own role.
			delete(inc.Deputies, rc.role.Key)
			entries = append(entries, r.entry(incident.KindRole, tr(b.cfg.Lang, "log.deputy.release", name, d.String()),
				map[string]string{"role": rc.role.Key, "deputy": "yes", "previous": d.String()}))
		}
		return entries, nil
	})
	if err != nil {
		return Reply{}, err
	}
	switch {
	case rc.release:
		return Reply{Text: tr(r.lang, k.released, rc.role.Name.In(r.lang), inc.ID, prev.String())}, nil
	case prev != (incident.User{}): // whoever held it is named: they lost it
		return Reply{Text: tr(r.lang, k.replaced, rc.holder.String(), rc.role.Name.In(r.lang), inc.ID, prev.String())}, nil
	case sameUser(rc.holder, r.ev.User):
		return Reply{Text: tr(r.lang, k.taken, rc.role.Name.In(r.lang), inc.ID, rc.role.Duties.In(r.lang))}, nil
	}
	return Reply{Text: tr(r.lang, k.given, rc.holder.String(), rc.role.Name.In(r.lang), inc.ID)}, nil
}

// changeKeys are the catalogue keys of a role change's messages.
type changeKeys struct{ free, same, give, replace, release, released, taken, given, replaced string }

var (
	holderKeys = changeKeys{"err.role.free", "err.role.same", "log.role.give", "log.role.replace", "log.role.release",
		"role.released", "role.taken", "role.given", "role.replaced"}
	deputyKeys = changeKeys{"err.deputy.free", "err.deputy.same", "log.deputy.give", "log.deputy.replace", "log.deputy.release",
		"deputy.released", "deputy.taken", "deputy.given", "deputy.replaced"}
)

// directorRole is the role that may hand any role to another, when the
// deployment has declarations confirmed by their owner.
const directorRole = "directeur-crise"

// mayReassign refuses, when the deployment asks that declarations be
// confirmed by their owner (declarations.owner), that a role someone
// holds pass to another at the word of anyone: else taking the DPO's role
// would be all it takes to confirm one's own declaration to the CNIL. Its
// holder, its deputy and the crisis director may; anyone may when nobody
// directs the crisis.
func (b *Bot) mayReassign(inc *incident.Incident, rc roleChange, prev incident.User, held bool, r *request) error {
	if b.cfg.Declarations.Owner == "" || !held || (!rc.release && sameUser(prev, rc.holder)) {
		return nil
	}
	by := r.ev.User
	director, directed := inc.Roles[directorRole]
	if sameUser(prev, by) || sameUser(inc.Deputies[rc.role.Key], by) || sameUser(inc.Roles[rc.role.Key], by) || !directed || sameUser(director, by) {
		return nil
	}
	return uerr(EConflict, r.lang, "err.role_reassign", rc.role.Name.In(r.lang), prev.String(), director.String())
}
