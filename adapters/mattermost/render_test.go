package mattermost

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// golden compares got with testdata/name.golden, or rewrites it.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test ./adapters/mattermost -run %s -update)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the rendering (go test ./adapters/mattermost -run %s -update):\n%s", path, t.Name(), got)
	}
}

// nightMessages runs the start of the night of design.md §1 on the real bot
// with a recording chat, and returns the card, the checklist and the first
// reminder it posted.
func nightMessages(t *testing.T) (card, checklist, nag bot.Message) {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 1, 25, 0, 0, time.UTC) // 02:25 in Paris
	chat, store := bottest.NewChat(), bottest.NewStore()
	b := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return now }},
		store, chat, cat, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), nil)
	rssi := incident.User{ID: "u1", Name: "rssi"}
	for _, cmd := range []string{
		"ouvrir Rançongiciel sur le PACS t0=02:10",
		"repondre capacity_impact non",
		"repondre malicious oui",
		"repondre personal_data_breach inconnu",
		"fait cert-sante via=portail ref=CS-1234 at=02:20",
	} {
		if r := b.Handle(context.Background(), bot.Event{Channel: "chan1", User: rssi, Text: cmd}); r.Error {
			t.Fatalf("%s: %s", cmd, r.Text)
		}
	}
	inc, err := store.Incident(context.Background(), "2026-0001")
	if err != nil {
		t.Fatal(err)
	}
	card, checklist = chat.Messages[inc.Messages[bot.RoleCard]], chat.Messages[inc.Messages[bot.RoleChecklist]]
	before := len(chat.Posts)
	if _, err := b.Sweep(context.Background(), now.Add(20*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if len(chat.Posts) != before+1 {
		t.Fatalf("the sweep posted %d messages, want 1", len(chat.Posts)-before)
	}
	return card, checklist, chat.Posts[before].Message
}

// alnum is Mattermost's route for actions: /actions/{action_id:[A-Za-z0-9]+}.
var alnum = regexp.MustCompile(`^[A-Za-z0-9]+$`)

func goldenRenderer() *renderer {
	return &renderer{sign: &signer{key: testSecret}, actionURL: "https://vigie.example.fr/mattermost/action", channel: "chan1",
		exp: time.Date(2026, 12, 23, 1, 25, 0, 0, time.UTC), link: func(id string) string { return "~" + id }}
}

func postJSON(t *testing.T, p *model.Post) []byte {
	t.Helper()
	b, err := json.MarshalIndent(map[string]any{"message": p.Message, "props": p.GetProps()}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// The card, the checklist and a reminder as Mattermost receives them: the
// attachments, their buttons and their signed contexts.
func TestRenderGolden(t *testing.T) {
	card, checklist, nag := nightMessages(t)
	r := goldenRenderer()
	for name, m := range map[string]bot.Message{"card": card, "checklist": checklist, "nag": nag} {
		t.Run(name, func(t *testing.T) {
			p := r.post(m)
			golden(t, name, postJSON(t, p))
			// Every button calls Vigie with a context Vigie accepts, and has
			// an id Mattermost's route accepts, unique in the post.
			seen := map[string]bool{}
			for _, at := range p.Attachments() {
				for _, ac := range at.Actions {
					if !alnum.MatchString(ac.Id) || seen[ac.Id] {
						t.Errorf("action id %q", ac.Id)
					}
					seen[ac.Id] = true
					if ac.Integration.URL != r.actionURL {
						t.Errorf("url %q", ac.Integration.URL)
					}
					if _, err := r.sign.checkButton(ac.Integration.Context, "chan1", r.exp.Add(-time.Hour)); err != nil {
						t.Errorf("%s: %v", ac.Name, err)
					}
				}
			}
			if name != "nag" && len(seen) == 0 {
				t.Error("no buttons")
			}
		})
	}
	// A status shown to one person: the same blocks as text.
	golden(t, "status-markdown", []byte(r.markdown(card, "fr")+"\n"))
}

func TestRenderMentionAndPlainMessage(t *testing.T) {
	r := goldenRenderer()
	p := r.post(bot.Message{Blocks: []bot.Block{{Text: "Incident #2026-0002 ouvert dans " + bot.ChannelMention("abc123") + "."}}})
	if p.Message != "Incident #2026-0002 ouvert dans ~abc123." || len(p.Attachments()) != 0 {
		t.Fatalf("%+v", p)
	}
}

func TestRenderLongTextFits(t *testing.T) {
	r := goldenRenderer()
	huge := strings.Repeat("é", 3*maxRunes)
	p := r.post(bot.Message{Title: huge, Blocks: []bot.Block{{Title: "x", Text: huge, Fields: []bot.Field{{Label: "l", Value: huge}}}}})
	if n := utf8.RuneCountInString(p.Message); n > maxRunes {
		t.Errorf("message of %d runes", n)
	}
	at := p.Attachments()[0]
	if n := utf8.RuneCountInString(at.Text); n > maxRunes || !strings.HasSuffix(at.Text, "…") {
		t.Errorf("attachment text of %d runes", n)
	}
	if err := p.IsValid(maxRunes); err != nil {
		// Id and dates are the server's; only the sizes matter here.
		if strings.Contains(err.Error(), "message") || strings.Contains(err.Error(), "props") {
			t.Error(err)
		}
	}
}

func TestSplit(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want []string
	}{
		{"abc", 5, []string{"abc"}},
		{"ab\ncd\nef", 5, []string{"ab\ncd", "ef"}},
		{"abcdefgh", 3, []string{"abc", "def", "gh"}},
		{"é\néé\nééé", 4, []string{"é\néé", "ééé"}},
	} {
		got := split(tc.in, tc.n)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("split(%q, %d) = %q", tc.in, tc.n, got)
		}
	}
}

func TestFitBytes(t *testing.T) {
	for in, want := range map[string]string{
		"Sans objet":                   "Sans objet",
		"Preuve : Déclarer l'incident": "Preuve : Déclarer l'…",
		"ééééééééééééééééééééééééééééé": "éééééééééé…",
	} {
		got := fitBytes(in, 24)
		if got != want || len(got) > 24 || !utf8.ValidString(got) {
			t.Errorf("fitBytes(%q) = %q", in, got)
		}
	}
}
