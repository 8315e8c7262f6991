package bot

import (
	"context"
	"errors"
	"regexp"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Role is a duty of the crisis cell that one person holds at a time: the
// crisis director, the security officer, the data protection officer… Its
// holder is recorded on the incident by the role command, each change in
// the main courante, and shown on the card, so that the night shift knows
// whom to call and the reminders can call that person (issue 16).
type Role struct {
	Key     string     // stable id, typed in commands: "dpo", "directeur-crise"
	Aliases []string   // other words accepted for it: "ciso", "scribe"
	Name    flows.Text // shown: "Délégué à la protection des données (DPO)"
	Duties  flows.Text // one sentence: what the holder answers for
	Holder  string     // who holds it when an incident opens: "@jdupont"; "" none
	Deputy  string     // its deputy (suppléant) when an incident opens
}

// DefaultRoles are the roles of a health structure's cyber crisis cell,
// after the roles of the ANSSI and CDSE guide "Crise d'origine cyber, les
// clés d'une gestion opérationnelle et stratégique" (2021): a director
// who decides, the keeper of the main courante, communication, the IT
// director and the security officer, the medical side (here the care
// directorate), and the DPO, the CNIL's contact for a breach (RGPD
// article 33(3)). Dispatch and incident.io give an incident such roles
// too (commander, scribe, liaison).
var DefaultRoles = []Role{
	{Key: "directeur-crise", Aliases: []string{"directeur", "dc", "crisis-director", "director", "commander"},
		Name:   flows.Text{FR: "Directeur de crise", EN: "Crisis director"},
		Duties: flows.Text{FR: "Décide, arbitre, alerte l'ARS et déclenche les plans (plan blanc, continuité).", EN: "Decides, arbitrates, alerts the ARS and triggers the plans (plan blanc, continuity)."}},
	{Key: "rssi", Aliases: []string{"ciso", "security"},
		Name:   flows.Text{FR: "RSSI", EN: "CISO (RSSI)"},
		Duties: flows.Text{FR: "Conduit la réponse technique, déclare au CERT Santé et à l'ANSSI, garde les preuves.", EN: "Runs the technical response, declares to CERT Santé and ANSSI, keeps the evidence."}},
	{Key: "dsi", Aliases: []string{"cio", "it"},
		Name:   flows.Text{FR: "DSI", EN: "IT director (DSI)"},
		Duties: flows.Text{FR: "Isole, restaure et rétablit les systèmes ; tient l'état des applications.", EN: "Isolates, restores and brings back the systems; keeps the state of the applications."}},
	{Key: "dpo", Aliases: []string{"dpd"},
		Name:   flows.Text{FR: "DPO", EN: "DPO"},
		Duties: flows.Text{FR: "Qualifie la violation de données, notifie la CNIL sous 72 h, tient le registre des violations.", EN: "Assesses the data breach, notifies the CNIL within 72 h, keeps the breach register."}},
	{Key: "communication", Aliases: []string{"comm", "com"},
		Name:   flows.Text{FR: "Communication", EN: "Communication"},
		Duties: flows.Text{FR: "Prépare les messages au personnel, aux patients et à la presse.", EN: "Prepares the messages to the staff, the patients and the press."}},
	{Key: "direction-soins", Aliases: []string{"soins", "care", "care-director"},
		Name:   flows.Text{FR: "Direction des soins", EN: "Care directorate"},
		Duties: flows.Text{FR: "Assure la continuité et la sécurité des soins, les procédures dégradées, le ROR.", EN: "Keeps care continuous and safe, the degraded procedures, the ROR bed register."}},
	{Key: "main-courante", Aliases: []string{"scribe", "log"},
		Name:   flows.Text{FR: "Main courante", EN: "Scribe (main courante)"},
		Duties: flows.Text{FR: "Consigne décisions, actions et points de situation au fil de l'eau.", EN: "Records decisions, actions and situation points as they come."}},
}

// role finds the role named word (its key or an alias, any case) among
// the deployment's.
func (b *Bot) role(word string) (Role, bool) {
	w := strings.ToLower(strings.TrimSpace(word))
	for _, r := range b.roles() {
		if r.Key == w {
			return r, true
		}
		for _, a := range r.Aliases {
			if a == w {
				return r, true
			}
		}
	}
	return Role{}, false
}

// roles are the deployment's roles: Config.Roles, else DefaultRoles.
func (b *Bot) roles() []Role {
	if len(b.cfg.Roles) > 0 {
		return b.cfg.Roles
	}
	return DefaultRoles
}

// roleKeys lists the keys of the deployment's roles, for messages naming
// what is accepted.
func (b *Bot) roleKeys() string {
	keys := make([]string, 0, len(b.roles()))
	for _, r := range b.roles() {
		keys = append(keys, r.Key)
	}
	return strings.Join(keys, ", ")
}

// holders are the roles held on inc, in the deployment's order, as the
// card shows them: "Directeur de crise @amartin · DPO @jdupont".
func (b *Bot) holders(inc *incident.Incident, lang Lang) string {
	var parts []string
	for _, r := range b.roles() {
		u, held := inc.Roles[r.Key]
		d, deputy := inc.Deputies[r.Key]
		switch {
		case held && deputy:
			parts = append(parts, tr(lang, "card.role_deputy", r.Name.In(lang), u.String(), d.String()))
		case held:
			parts = append(parts, r.Name.In(lang)+" "+u.String())
		case deputy:
			parts = append(parts, tr(lang, "card.deputy_only", r.Name.In(lang), d.String()))
		}
	}
	return strings.Join(parts, " · ")
}

// roleList shows the roles, their duties and who holds them on the
// channel's incident (or on none, when no incident is open).
func (b *Bot) roleList(ctx context.Context, r *request) (Reply, error) {
	inc, err := b.target(ctx, r)
	var held, deputies map[string]incident.User
	title := tr(r.lang, "roles.title_none")
	switch {
	case err == nil:
		held, deputies, title = inc.Roles, inc.Deputies, tr(r.lang, "roles.title", inc.ID)
	case r.cmd.incident != "" || !isCode(err, ENotFound):
		return Reply{}, err
	}
	var lines []string
	for _, role := range b.roles() {
		who := tr(r.lang, "roles.nobody")
		if u, ok := held[role.Key]; ok {
			who = u.String()
		}
		if d, ok := deputies[role.Key]; ok {
			who = tr(r.lang, "roles.with_deputy", who, d.String())
		}
		lines = append(lines, tr(r.lang, "roles.line", role.Name.In(r.lang), role.Key, who, role.Duties.In(r.lang)))
	}
	m := Message{Title: title, Blocks: []Block{{Text: strings.Join(lines, "\n")}, {Text: tr(r.lang, "roles.how", b.prefix(), b.prefix(), b.prefix(), b.prefix())}}}
	return Reply{Message: &m}, nil
}

// handlePattern is a handle as typed: @ then letters, digits, dots,
// dashes and underscores (Mattermost's usernames, Slack's display names
// without spaces).
var handlePattern = regexp.MustCompile(`^@[\pL\pN._-]{1,64}$`)

// slackMention is a user mention as Slack escapes it in a command's text:
// <@U123ABC> or <@U123ABC|name>.
var slackMention = regexp.MustCompile(`^<@([A-Z0-9]{2,32})(?:\|([^<>|]{1,80}))?>$`)

// parseHandle reads the person a role is given to.
func parseHandle(s string) (incident.User, bool) {
	if m := slackMention.FindStringSubmatch(s); m != nil {
		return incident.User{ID: m[1], Name: m[2]}, true
	}
	if handlePattern.MatchString(s) {
		return incident.User{Name: strings.TrimPrefix(s, "@")}, true
	}
	return incident.User{}, false
}

// sameUser says whether a and b are the same person: by id when both
// have one, else by name.
func sameUser(a, b incident.User) bool {
	if a.ID != "" && b.ID != "" {
		return a.ID == b.ID
	}
	return a.Name != "" && strings.EqualFold(a.Name, b.Name)
}

// isCode says whether err is a user-facing error of code.
func isCode(err error, code string) bool {
	e, ok := errors.AsType[*Error](err)
	return ok && e.Code == code
}

// configuredHolders gives inc, as it opens, the holders and deputies the
// configuration names, each recorded as an entry of the main courante.
func (b *Bot) configuredHolders(inc *incident.Incident, r *request) []incident.Entry {
	var entries []incident.Entry
	for _, role := range b.roles() {
		for _, c := range []struct {
			handle, key string
			m           *map[string]incident.User
			deputy      bool
		}{{role.Holder, "log.role_config", &inc.Roles, false}, {role.Deputy, "log.deputy_config", &inc.Deputies, true}} {
			u, ok := parseHandle(c.handle)
			if !ok {
				continue // none given; config.Validate refuses a bad one
			}
			if *c.m == nil {
				*c.m = map[string]incident.User{}
			}
			(*c.m)[role.Key] = u
			data := map[string]string{"role": role.Key, "holder": u.String(), "holder_id": u.ID, "source": "configuration"}
			if c.deputy {
				data["deputy"] = "yes"
			}
			entries = append(entries, r.entry(incident.KindRole, tr(b.cfg.Lang, c.key, role.Name.In(b.cfg.Lang), u.String()), data))
		}
	}
	return entries
}
