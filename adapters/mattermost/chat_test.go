package mattermost

import (
	"context"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

func TestUpload(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	where, err := a.Upload(context.Background(), "chan1", "main-courante-2026-0001-8.json", []byte(`{"entries":[]}`))
	if err != nil {
		t.Fatal(err)
	}
	id, ok := strings.CutPrefix(where, f.srv.URL+"/crise/pl/")
	if !ok {
		t.Fatalf("where %q is not a permalink", where)
	}
	p := f.post(id)
	if p == nil || len(p.FileIds) != 1 || p.UserId != f.botID || !strings.Contains(p.Message, "main-courante-2026-0001-8.json") {
		t.Fatalf("post %+v", p)
	}
}

func TestUploadOutage(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.fail("POST /api/v4/files", failure{status: 502}, failure{status: 502}, failure{status: 502})
	if _, err := a.Upload(context.Background(), "chan1", "x.md", []byte("x")); err == nil {
		t.Fatal("no error")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.posts) != 0 {
		t.Fatal("a post without its file")
	}
}

// canal=nouveau: a public channel in the team of the channel the incident
// was opened from, with the opener in it; a name taken gets a suffix.
func TestCreateChannel(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	name := "crise-20261123-0210-rancongiciel-sur-le-pacs"
	id1, err := a.CreateChannel(context.Background(), name, "Crise cyber — Rançongiciel sur le PACS", "chan1", "alice")
	if err != nil {
		t.Fatal(err)
	}
	id2, err := a.CreateChannel(context.Background(), name, "Crise cyber — Rançongiciel sur le PACS", "chan1", "bob")
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	c1, c2 := *f.channels[id1], *f.channels[id2]
	f.mu.Unlock()
	if c1.Name != name || c1.TeamId != "team1" || c1.Type != model.ChannelTypeOpen || c1.DisplayName != "Crise cyber — Rançongiciel sur le PACS" {
		t.Errorf("channel %+v", c1)
	}
	if !strings.HasPrefix(c2.Name, "crise-20261123-0210-rancongiciel-sur-le") || c2.Name == name || len(c2.Name) > model.ChannelNameMaxLength {
		t.Errorf("second channel named %q", c2.Name)
	}
	for ch, user := range map[string]string{id1: "alice", id2: "bob"} {
		if ok, err := a.IsMember(context.Background(), ch, user); !ok || err != nil {
			t.Errorf("%s not in %s: %v", user, ch, err)
		}
	}
	// The bot's link to it renders as a ~channel link.
	ref, err := a.Post(context.Background(), "chan1", bot.Message{Blocks: []bot.Block{{Text: "La cellule se tient dans " + bot.ChannelMention(id1) + "."}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := f.post(ref).Message; got != "La cellule se tient dans ~"+name+"." {
		t.Errorf("link %q", got)
	}
}
