package mattermost_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot/incident"
)

// TestRealServerMemberRemoved: Vigie keeps for a while that a person is a
// member of the incident's channel (no call per action), and a person
// removed from it is refused at once: the server's user_removed event, on
// Vigie's WebSocket, makes it forget.
func TestRealServerMemberRemoved(t *testing.T) {
	e := realServer(t)
	ctx := context.Background()
	v, trigger, logs := startWithCommand(t, e)
	defer func() { v.stop() }()
	admin, alice, bob := e.client(e.AdminToken), e.client(e.UserToken), e.client(e.OutsiderToken)
	// A channel of its own: the seeded one keeps its members for the
	// other tests.
	name := "crise-membres-" + strings.ToLower(rand.Text()[:6])
	ch, _, err := admin.CreateChannel(ctx, &model.Channel{TeamId: e.TeamID, Name: name, DisplayName: name, Type: model.ChannelTypeOpen})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.DeleteChannel(context.Background(), ch.Id) })
	for _, u := range []string{e.UserID, e.OutsiderID, e.BotUserID} {
		if _, _, err := admin.AddChannelMember(ctx, ch.Id, u); err != nil {
			t.Fatalf("add %s: %v", u, err)
		}
	}
	run := func(c *model.Client4, channel, text string) string {
		t.Helper()
		resp, _, err := c.ExecuteCommand(ctx, channel, "/"+trigger+" "+text)
		if err != nil {
			t.Fatalf("/%s %s: %v", trigger, text, err)
		}
		return resp.Text
	}
	eventually(t, "Vigie's WebSocket connects", func() bool { return strings.Contains(logs.String(), "websocket connected") })
	run(alice, ch.Id, "ouvrir Membres")
	open, err := v.store.Open(ctx, ch.Id)
	if err != nil || len(open) != 1 {
		t.Fatalf("open incidents %v %v", open, err)
	}
	id := open[0].ID
	town, _, err := bob.GetChannelByName(ctx, "town-square", e.TeamID, "")
	if err != nil {
		t.Fatal(err)
	}
	// Bob, a member, is answered, from another channel too (the yes kept).
	for range 2 {
		if r := run(bob, town.Id, "#"+id+" statut"); !strings.Contains(r, "#"+id) || strings.Contains(r, "⚠️") {
			t.Fatalf("bob, a member: %q", r)
		}
	}
	if _, err := admin.RemoveUserFromChannel(ctx, ch.Id, e.OutsiderID); err != nil {
		t.Fatal(err)
	}
	eventually(t, "Vigie sees the removal", func() bool {
		return strings.Contains(logs.String(), "membership revoked") && strings.Contains(logs.String(), e.OutsiderID)
	})
	if r := run(bob, town.Id, "#"+id+" note encore là"); !strings.Contains(r, "seuls les membres") && !strings.Contains(r, "only members") {
		t.Errorf("bob, removed: %q", r)
	}
	all, err := v.store.Entries(ctx, id, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, en := range all {
		if en.Kind == incident.KindNote {
			t.Errorf("a note recorded after bob's removal: %+v", en)
		}
	}
}
