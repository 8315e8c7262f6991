package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
)

// platformChat is a recording chat with what the chat platforms add:
// channel membership and channel creation.
type platformChat struct {
	*bottest.Chat
	members  map[string][]string // channel → user ids
	created  []string
	createID string
}

func (c *platformChat) IsMember(ctx context.Context, channel, user string) (bool, error) {
	for _, u := range c.members[channel] {
		if u == user {
			return true, nil
		}
	}
	return false, nil
}

func (c *platformChat) CreateChannel(ctx context.Context, name, display, from, opener string) (string, error) {
	c.created = append(c.created, name+"|"+display+"|"+from+"|"+opener)
	c.members[c.createID] = []string{opener}
	return c.createID, nil
}

func newPlatformHarness(t *testing.T) (*harness, *platformChat) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	pc := &platformChat{Chat: h.chat, members: map[string][]string{"crise": {"u1"}}, createID: "chan-new"}
	h.bot = bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return h.now }}, h.store, pc, mustCatalog(t), nil, nil)
	return h, pc
}

func TestOutsiderRefused(t *testing.T) {
	h, _ := newPlatformHarness(t)
	h.ok("ouvrir Rançongiciel")
	before := h.snapshot("2026-0001")
	// Bob clicks a button of the incident from another channel, or in the
	// incident's public channel without being a member.
	for _, ev := range []bot.Event{
		{Channel: "ailleurs", User: incident.User{ID: "bob", Name: "bob"}, Text: "#2026-0001 repondre malicious oui"},
		{Channel: "crise", User: incident.User{ID: "bob", Name: "bob"}, Text: "repondre malicious oui"},
	} {
		r := h.bot.Handle(context.Background(), ev)
		if !r.Error || !strings.Contains(r.Text, "seuls les membres du canal") {
			t.Fatalf("%+v: %+v", ev, r)
		}
	}
	if h.snapshot("2026-0001") != before {
		t.Fatal("an outsider changed the incident")
	}
	// A member acting from another channel with #ID is accepted.
	r := h.bot.Handle(context.Background(), bot.Event{Channel: "ailleurs", User: h.user, Text: "#2026-0001 repondre malicious oui"})
	if r.Error {
		t.Fatalf("member refused: %s", r.Text)
	}
}

func TestOpenInNewChannel(t *testing.T) {
	h, pc := newPlatformHarness(t)
	h.ok("ouvrir Rançongiciel sur le PACS canal=nouveau")
	if len(pc.created) != 1 || pc.created[0] != "crise-20261123-0210-rancongiciel-sur-le-pacs|Crise cyber — Rançongiciel sur le PACS|crise|u1" {
		t.Fatalf("created %v", pc.created)
	}
	inc := h.incident("2026-0001")
	if inc.Channel != "chan-new" {
		t.Fatalf("incident channel %q", inc.Channel)
	}
	var link string
	for _, p := range h.chat.Posts {
		if p.Channel == "crise" {
			link = render(p.Message)
		}
	}
	if !strings.Contains(link, "<#chan-new>") {
		t.Fatalf("no link from the channel of opening: %q", link)
	}
	// The channel of opening stays free.
	h.ok("ouvrir Autre chose")
	if r := h.do("ouvrir x canal=vieux"); !r.Error || !strings.Contains(r.Text, "canal=vieux n'est pas compris") {
		t.Fatalf("%+v", r)
	}
}

func TestPinLoggedOnce(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	ctx := context.Background()
	if ok, err := h.bot.LogPin(ctx, bot.Pin{Channel: "crise", MessageID: "m1", Text: "x"}); ok || err != nil {
		t.Fatalf("pin with no incident: %v %v", ok, err)
	}
	h.ok("ouvrir x")
	p := bot.Pin{Channel: "crise", MessageID: "m1", By: incident.User{ID: "u2", Name: "dg"}, Author: incident.User{ID: "u3", Name: "soc"},
		Text: "Le prestataire confirme l'intrusion", Link: "https://chat/pl/m1"}
	for i := range 2 {
		ok, err := h.bot.LogPin(ctx, p)
		if err != nil || ok != (i == 0) {
			t.Fatalf("pin %d: %v %v", i, ok, err)
		}
	}
	es := h.entries("2026-0001")
	last := es[len(es)-1]
	if len(es) != 2 || last.Text != "📌 @soc : Le prestataire confirme l'intrusion" || last.Actor != "@dg" || last.Data["link"] != "https://chat/pl/m1" {
		t.Fatalf("entries %+v", es)
	}
}
