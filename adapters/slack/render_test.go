package slack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// golden compares v, as indented JSON, with testdata/name.golden.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name+".golden")
	if *update {
		os.MkdirAll("testdata", 0o755)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the rendering (go test -update to accept):\n%s", path, buf.String())
	}
}

// message is what chat.postMessage receives.
type message struct {
	Text   string        `json:"text"`
	Blocks []slack.Block `json:"blocks"`
}

func render(m bot.Message) message {
	return message{Text: fallbackText(m), Blocks: renderMessage(m, "fr", "/incident")}
}

// night plays the scenario into a recording chat and returns the card,
// the checklist and the reminder the bot posts two hours after T0: the
// incident is malicious, the data breach unknown, CERT Santé declared.
func night(t *testing.T) (card, checklist, nag bot.Message, dialog *bot.Dialog) {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	now := t0
	chat := bottest.NewChat()
	b := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return now }}, bottest.NewStore(), chat,
		cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	do := func(text string, dialogs bool) bot.Reply {
		t.Helper()
		r := b.Handle(context.Background(), bot.Event{Channel: crisis, User: incident.User{ID: rssi, Name: "rssi"}, Text: text, Dialogs: dialogs})
		if r.Error {
			t.Fatalf("%s: %s", text, r.Text)
		}
		return r
	}
	do("ouvrir Rançongiciel sur le PACS <urgent> & co", false)
	now = now.Add(15 * time.Minute)
	do("repondre malicious oui", false)
	do("repondre personal_data_breach inconnu", false)
	do("fait cert-sante via=portail ref=CS-1234 at=02:25", false)
	dialog = do("fait ars", true).Dialog
	now = t0.Add(2 * time.Hour)
	before := len(chat.Posts)
	if st, err := b.Sweep(context.Background(), now); err != nil || st.Sent == 0 {
		t.Fatalf("sweep: %+v %v", st, err)
	}
	if len(chat.Posts) != before+1 {
		t.Fatalf("%d nags posted", len(chat.Posts)-before)
	}
	return chat.Message(chat.Posts[0].Ref), chat.Message(chat.Posts[1].Ref), chat.Posts[before].Message, dialog
}

// The Block Kit of the card, the checklist and a reminder, and the modal
// of a proof, as Slack receives them.
func TestGoldenBlockKit(t *testing.T) {
	card, checklist, nag, dialog := night(t)
	golden(t, "card", render(card))
	golden(t, "checklist", render(checklist))
	golden(t, "nag", render(nag))
	if dialog == nil {
		t.Fatal("no dialog for a click on Fait")
	}
	v, err := renderModal(*dialog, crisis, "fr")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "modal", v)
	for name, m := range map[string]bot.Message{"card": card, "checklist": checklist, "nag": nag} {
		checkLimits(t, name, renderMessage(m, "fr", "/incident"))
	}
}

// checkLimits checks a rendering against Slack's limits and the adapter's
// rules: unique block ids, unique action ids per block, values that are
// commands.
func checkLimits(t *testing.T, name string, blocks []slack.Block) {
	t.Helper()
	if len(blocks) > maxBlocks {
		t.Errorf("%s: %d blocks", name, len(blocks))
	}
	ids := map[string]bool{}
	for _, b := range blocks {
		switch b := b.(type) {
		case *slack.HeaderBlock:
			if n := utf8.RuneCountInString(b.Text.Text); n > maxHeaderText {
				t.Errorf("%s: header of %d characters", name, n)
			}
		case *slack.SectionBlock:
			if b.Text != nil && utf8.RuneCountInString(b.Text.Text) > maxSectionText {
				t.Errorf("%s: section of %d characters", name, utf8.RuneCountInString(b.Text.Text))
			}
			if len(b.Fields) > maxFields {
				t.Errorf("%s: %d fields", name, len(b.Fields))
			}
			for _, f := range b.Fields {
				if utf8.RuneCountInString(f.Text) > maxFieldText {
					t.Errorf("%s: field of %d characters", name, utf8.RuneCountInString(f.Text))
				}
			}
		case *slack.ActionBlock:
			if ids[b.BlockID] {
				t.Errorf("%s: block_id %s twice", name, b.BlockID)
			}
			ids[b.BlockID] = true
			actions := map[string]bool{}
			for _, e := range b.Elements.ElementSet {
				btn := e.(*slack.ButtonBlockElement)
				if actions[btn.ActionID] {
					t.Errorf("%s: action_id %s twice in %s", name, btn.ActionID, b.BlockID)
				}
				actions[btn.ActionID] = true
				if utf8.RuneCountInString(btn.Text.Text) > maxButtonText {
					t.Errorf("%s: button label %q", name, btn.Text.Text)
				}
				if !strings.HasPrefix(btn.Value, "#2026-0001 ") {
					t.Errorf("%s: button value %q is not a command", name, btn.Value)
				}
			}
		}
	}
}

// A message beyond Slack's limits is laid out within them: long text
// split, long fields and labels cut, 50 blocks at most with the last one
// saying how to see the rest.
func TestRenderLimits(t *testing.T) {
	long := strings.Repeat("ligne de texte assez longue pour remplir une section\n", 200)
	m := bot.Message{Title: strings.Repeat("Très long titre ", 20)}
	m.Blocks = append(m.Blocks, bot.Block{Title: "Long", Text: long, Fields: []bot.Field{{Label: "x", Value: strings.Repeat("é", 2500)}}})
	for i := range 40 {
		m.Blocks = append(m.Blocks, bot.Block{Title: "Étape", Buttons: []bot.Button{{Label: strings.Repeat("Bouton ", 20), Action: "#2026-0001 fait s" + string(rune('a'+i%26))}}})
	}
	blocks := renderMessage(m, "fr", "/incident")
	checkLimits(t, "long", blocks)
	if len(blocks) != maxBlocks {
		t.Fatalf("%d blocks", len(blocks))
	}
	last, ok := blocks[maxBlocks-1].(*slack.ContextBlock)
	if !ok || !strings.Contains(last.ContextElements.Elements[0].(*slack.TextBlockObject).Text, "`/incident statut`") {
		t.Fatalf("last block %#v", blocks[maxBlocks-1])
	}
	// The long text became several sections, cut at line breaks.
	s1 := blocks[1].(*slack.SectionBlock).Text.Text
	s2 := blocks[2].(*slack.SectionBlock).Text.Text
	if !strings.HasPrefix(s1, "*Long*\n") || strings.HasSuffix(s1, "\n") || !strings.HasPrefix(s2, "ligne") {
		t.Fatalf("split badly: …%q | %q…", s1[len(s1)-20:], s2[:20])
	}
}

func TestMrkdwn(t *testing.T) {
	cases := map[string]string{
		"a < b & c > d":                    "a &lt; b &amp; c &gt; d",
		"voir " + bot.ChannelMention("C1"): "voir <#C1>",
		"<@U123> et <!subteam^S1>":         "<@U123> et <!subteam^S1>",
		"⚠️ @channel : CNIL en retard":     "⚠️ <!channel> : CNIL en retard",
		"(@here)":                          "(<!here>)",
		"a@channel.fr":                     "a@channel.fr",
		"*gras* et `code`":                 "*gras* et `code`",
		"<!channel> tapé par quelqu'un":    "<!channel> tapé par quelqu'un",
		"<https://evil|clic>":              "&lt;https://evil|clic&gt;",
		"📣 " + bot.UserMention(incident.User{ID: "U0G9QF9C6", Name: "jdupont"}) + " (DPO) : à vous.": "📣 <@U0G9QF9C6> (DPO) : à vous.",
		"<@U1|a<b>": "&lt;@U1|a&lt;b&gt;",
	}
	for in, want := range cases {
		if got := mrkdwn(in); got != want {
			t.Errorf("mrkdwn(%q) = %q, want %q", in, got, want)
		}
	}
}
