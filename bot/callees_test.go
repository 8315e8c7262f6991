package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestRemindersCallTheOwner: the CNIL step is the DPO's (its chain says
// owner: dpo). Its reminders call the role's holder, or its deputy when
// nobody holds it, or the channel when the role has neither; once the
// legal deadline has passed, the escalation calls them and the channel.
func TestRemindersCallTheOwner(t *testing.T) {
	for _, tc := range []struct {
		name, roles        string
		reminder, overdue  string
		notInReminder      string
		escalationLogEntry string
	}{
		{"holder", "role dpo @jdupont", "📣 @jdupont (DPO) : à vous.", "@jdupont (DPO), @channel : des étapes obligatoires sont toujours en attente.", "@channel",
			"en retard de 1 min (@jdupont (DPO), @channel)"},
		{"deputy alone", "role dpo suppleant @amartin", "📣 @amartin (suppléant DPO) : à vous.", "@amartin (suppléant DPO), @channel : des étapes", "@channel", ""},
		{"holder and deputy", "role dpo @jdupont;role dpo suppleant @amartin", "📣 @jdupont (DPO) : à vous.",
			"@jdupont (DPO), @amartin (suppléant DPO), @channel : des étapes", "@amartin", ""},
		{"nobody", "", "📣 @channel (sans titulaire : DPO) : à vous.", "@channel : des étapes obligatoires", "@jdupont", ""},
		{"escalate_to", "role rssi", "📣 @direction (sans titulaire : DPO) : à vous.", "@direction : des étapes", "@channel", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := bot.Config{Chain: "nouvelle-aquitaine/es-esms"}
			if tc.name == "escalate_to" {
				cfg.EscalateTo = []string{"@direction"}
			}
			h := breachAt(t, cfg)
			for _, c := range strings.Split(tc.roles, ";") {
				if c != "" {
					h.ok(c)
				}
			}
			before := len(h.chat.Posts)
			h.sweep(48*time.Hour + time.Minute)
			if len(h.chat.Posts) != before+1 {
				t.Fatalf("reminders at +48 h: %q", h.postsSince(before))
			}
			nag := render(h.chat.Posts[before].Message)
			if !strings.Contains(nag, tc.reminder) || strings.Contains(nag, tc.notInReminder) {
				t.Errorf("reminder at +48 h, want %q and no %q:\n%s", tc.reminder, tc.notInReminder, nag)
			}
			before = len(h.chat.Posts)
			h.sweep(72*time.Hour + time.Minute)
			if len(h.chat.Posts) != before+1 {
				t.Fatalf("escalation at +72 h: %q", h.postsSince(before))
			}
			if nag := render(h.chat.Posts[before].Message); !strings.Contains(nag, tc.overdue) {
				t.Errorf("escalation at +72 h, want %q:\n%s", tc.overdue, nag)
			}
			if tc.escalationLogEntry != "" {
				es := h.entries("2026-0001")
				if last := es[len(es)-1]; !strings.Contains(last.Text, tc.escalationLogEntry) {
					t.Errorf("escalation entry %q, want %q", last.Text, tc.escalationLogEntry)
				}
			}
		})
	}
}

func TestMentions(t *testing.T) {
	for _, tc := range []struct {
		u              incident.User
		mention, plain string
	}{
		{incident.User{ID: "U0G9QF9C6", Name: "jdupont"}, "<@U0G9QF9C6|jdupont>", "@jdupont"},
		{incident.User{ID: "U0G9QF9C6"}, "<@U0G9QF9C6>", "@U0G9QF9C6"},
		{incident.User{Name: "jdupont"}, "@jdupont", "@jdupont"},
	} {
		if got := bot.UserMention(tc.u); got != tc.mention {
			t.Errorf("UserMention(%+v) = %q, want %q", tc.u, got, tc.mention)
		}
		if got := bot.PlainMentions("📣 " + tc.mention + " (DPO) : à vous."); got != "📣 "+tc.plain+" (DPO) : à vous." {
			t.Errorf("PlainMentions of %q = %q", tc.mention, got)
		}
	}
	if got := bot.PlainMentions("a <#C1> b <@ c> <@x|y|z>"); got != "a <#C1> b <@ c> <@x|y|z>" {
		t.Errorf("PlainMentions leaves what is no mention: %q", got)
	}
}
