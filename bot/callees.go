package bot

import (
	"regexp"
	"slices"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
)

// Who a reminder calls. A step's chain names the role that answers for it
// (flows.Step.Owner: the DPO for the CNIL). Its reminder calls that role's
// holder, or the deputy when nobody holds it, or the channel when the role
// has neither; an escalation (the step's escalation delay or its legal
// deadline passed) calls the holder, the deputy and the channel
// (escalate_to, else @channel). A step no role answers for, a question and
// the situation point call nobody but on escalation, and then the channel,
// as before roles existed.

// callees names who nags call, each with why ("@jdupont (DPO)"), and says
// whether it is an escalation. For a message, the people are mentions
// (UserMention), which notify; for the main courante, their names.
func (b *Bot) callees(inc *incident.Incident, nags []Nag, lang Lang, message bool) (names []string, escalation bool) {
	call := incident.User.String
	if message {
		call = UserMention
	}
	add := func(s string) {
		if !slices.Contains(names, s) {
			names = append(names, s)
		}
	}
	channel := false
	var unheld []string // roles whose steps call the channel, as nobody holds them
	for _, n := range nags {
		escalate := n.Escalate || n.Overdue
		escalation = escalation || escalate
		role, owned := Role{}, false
		if n.Kind == NagStep && n.Step != nil && n.Step.Owner != "" {
			role, owned = b.roleByKey(n.Step.Owner)
		}
		if !owned {
			channel = channel || escalate
			continue
		}
		holder, held := inc.Roles[role.Key]
		deputy, seconded := inc.Deputies[role.Key]
		name := role.Name.In(lang)
		if held {
			add(tr(lang, "nag.callee", call(holder), name))
		}
		if seconded && (escalate || !held) {
			add(tr(lang, "nag.callee_deputy", call(deputy), name))
		}
		switch {
		case escalate:
			channel = true
		case !held && !seconded && !slices.Contains(unheld, name):
			unheld = append(unheld, name)
		}
	}
	// The channel last: the people named first are the ones to act.
	switch {
	case channel:
		add(b.mentions())
	case len(unheld) > 0:
		add(tr(lang, "nag.callee_nobody", b.mentions(), strings.Join(unheld, ", ")))
	}
	return names, escalation
}

// roleByKey finds the deployment's role of key (a chain's owner: keys
// only, no alias).
func (b *Bot) roleByKey(key string) (Role, bool) {
	for _, r := range b.roles() {
		if r.Key == key {
			return r, true
		}
	}
	return Role{}, false
}

// UserMention is how a message calls a person so that the platform
// notifies them: "<@ID|name>" when the platform's id is known (adapters
// render it: Slack as <@ID>, Mattermost and the terminal as @name), else
// "@name", which Mattermost notifies by username.
func UserMention(u incident.User) string {
	switch {
	case u.ID != "" && u.Name != "":
		return "<@" + u.ID + "|" + u.Name + ">"
	case u.ID != "":
		return "<@" + u.ID + ">"
	}
	return u.String()
}

// userMention matches UserMention's tokens: the id, then the name.
var userMention = regexp.MustCompile(`<@([^<>|\s]+)(?:\|([^<>|]+))?>`)

// PlainMentions renders UserMention's tokens as "@name" (the id when the
// name is unknown), for platforms that notify by name and the terminal.
func PlainMentions(s string) string {
	if !strings.Contains(s, "<@") {
		return s
	}
	return userMention.ReplaceAllStringFunc(s, func(m string) string {
		sub := userMention.FindStringSubmatch(m)
		if sub[2] != "" {
			return "@" + sub[2]
		}
		return "@" + sub[1]
	})
}
