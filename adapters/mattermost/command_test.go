package mattermost

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

func commandBody(token, text, trigger string) string {
	v := url.Values{"token": {token}, "team_id": {"team1"}, "team_domain": {"crise"}, "channel_id": {"chan1"},
		"channel_name": {"cellule-cyber"}, "user_id": {"alice"}, "user_name": {"alice"}, "command": {"/incident"},
		"text": {text}, "trigger_id": {trigger}, "response_url": {"http://mm/hooks/commands/x"}}
	return v.Encode()
}

var formHeader = http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}

func withAuth(token string) http.Header {
	return http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Authorization": {"Token " + token}}
}

func TestCommandTokenRefused(t *testing.T) {
	f := newFakeMM(t)
	var logs bytes.Buffer
	a := newTestAdapter(t, f, &logs)
	h := &recorder{}
	for name, tc := range map[string]struct {
		header http.Header
		body   string
	}{
		"wrong header":          {withAuth("cmd-token-X"), commandBody("cmd-token-1", "statut", "")},
		"wrong field":           {formHeader, commandBody("cmd-token-3", "statut", "")},
		"none":                  {formHeader, commandBody("", "statut", "")},
		"prefix":                {withAuth("cmd-token"), commandBody("", "statut", "")},
		"longer":                {withAuth("cmd-token-11"), commandBody("", "statut", "")},
		"other scheme":          {http.Header{"Authorization": {"Bearer cmd-token-1"}}, commandBody("cmd-token-1", "statut", "")},
		"empty token, no token": {withAuth(""), commandBody("", "statut", "")},
	} {
		w := serve(a.CommandHandler(h), "POST", PathCommand, tc.header, tc.body)
		if w.Code != http.StatusUnauthorized && w.Code != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 401", name, w.Code)
		}
	}
	if n := len(h.handled()); n != 0 {
		t.Fatalf("%d commands reached the bot", n)
	}
	if !strings.Contains(logs.String(), "refused slash command") || strings.Contains(logs.String(), "cmd-token-1") {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestCommandAccepted(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	h := &recorder{}
	// Either token of the configuration, in the header or in the form.
	for _, tc := range []struct {
		header http.Header
		body   string
	}{
		{withAuth("cmd-token-2"), commandBody("cmd-token-2", "statut", "trig1")},
		{formHeader, commandBody("cmd-token-1", "note PACS isolé", "")},
	} {
		w := serve(a.CommandHandler(h), "POST", PathCommand, tc.header, tc.body)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/json" {
			t.Fatalf("status %d: %s", w.Code, w.Body)
		}
		var resp model.CommandResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
			t.Fatal(err)
		}
		if resp.ResponseType != model.CommandResponseTypeEphemeral || !strings.HasPrefix(resp.Text, "ok: ") {
			t.Fatalf("response %+v", resp)
		}
	}
	evs := h.handled()
	want := []bot.Event{
		{Channel: "chan1", User: incident.User{ID: "alice", Name: "alice"}, Text: "statut", Dialogs: true},
		{Channel: "chan1", User: incident.User{ID: "alice", Name: "alice"}, Text: "note PACS isolé"},
	}
	if len(evs) != 2 || evs[0].Text != want[0].Text || evs[0].User != want[0].User || !evs[0].Dialogs ||
		evs[1].Text != want[1].Text || evs[1].Dialogs || evs[0].Channel != "chan1" {
		t.Fatalf("events %+v", evs)
	}
}

func TestCommandBadForm(t *testing.T) {
	a := newTestAdapter(t, newFakeMM(t), nil)
	h := &recorder{}
	for _, body := range []string{"%zz", "token=cmd-token-1&text=x", ""} {
		if w := serve(a.CommandHandler(h), "POST", PathCommand, formHeader, body); w.Code != http.StatusBadRequest {
			t.Errorf("%q: status %d", body, w.Code)
		}
	}
}

// A reply with a message is shown as attachments without buttons (the
// buttons are on the card); a reply longer than a post is split.
func TestCommandReplyMessageAndSplit(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	long := strings.Repeat("ligne de l'aide\n", 2000) // 32 000 runes
	h := &recorder{reply: func(ev bot.Event) bot.Reply {
		if ev.Text == "aide" {
			return bot.Reply{Text: long}
		}
		return bot.Reply{Message: &card}
	}}
	w := serve(a.CommandHandler(h), "POST", PathCommand, withAuth("cmd-token-1"), commandBody("cmd-token-1", "statut", ""))
	var resp model.CommandResponse
	json.Unmarshal(w.Body.Bytes(), &resp)
	if !strings.Contains(resp.Text, "Incident #2026-0001") || len(resp.Attachments) != 1 || len(resp.Attachments[0].Actions) != 0 {
		t.Fatalf("status reply %s", w.Body)
	}
	w = serve(a.CommandHandler(h), "POST", PathCommand, withAuth("cmd-token-1"), commandBody("cmd-token-1", "aide", ""))
	resp = model.CommandResponse{}
	json.Unmarshal(w.Body.Bytes(), &resp)
	parts := append([]string{resp.Text}, func() (s []string) {
		for _, e := range resp.ExtraResponses {
			s = append(s, e.Text)
		}
		return
	}()...)
	if len(parts) != 2 {
		t.Fatalf("%d parts", len(parts))
	}
	total := 0
	for _, p := range parts {
		if n := len([]rune(p)); n > maxRunes || strings.HasSuffix(p, "ligne de l") {
			t.Errorf("part of %d runes, cut mid-line: %q", n, p[len(p)-20:])
		}
		total += len([]rune(p)) + 1
	}
	if total-1 != len([]rune(long)) {
		t.Errorf("split lost text: %d of %d runes", total, len([]rune(long)))
	}
}

// A command the bot answers with a dialog opens it with the trigger id
// and a signed state, and answers nothing visible.
func TestCommandOpensDialog(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	h := &recorder{reply: func(ev bot.Event) bot.Reply { return bot.Reply{Dialog: &proofDialog} }}
	w := serve(a.CommandHandler(h), "POST", PathCommand, withAuth("cmd-token-1"), commandBody("cmd-token-1", "point", "trig-42"))
	var resp model.CommandResponse
	json.Unmarshal(w.Body.Bytes(), &resp)
	if resp.Text != "" || len(f.dialogs) != 1 {
		t.Fatalf("resp %+v, dialogs %d", resp, len(f.dialogs))
	}
	d := f.dialogs[0]
	if d.TriggerId != "trig-42" || d.URL != "http://vigie.test"+PathDialog {
		t.Fatalf("dialog %+v", d)
	}
	if _, err := a.sign.checkDialog(d.Dialog.State, "chan1", "alice", testNow); err != nil {
		t.Fatalf("state: %v", err)
	}
}

func TestTokenCompareChecksEveryToken(t *testing.T) {
	a := newAdapter(Options{CommandTokens: []string{"aaaa", "", "bbbb"}, Secret: testSecret}, nil)
	for tok, want := range map[string]bool{"aaaa": true, "bbbb": true, "": false, "aaa": false, "bbbbb": false, "cccc": false} {
		if got := a.commandTokenOK(tok); got != want {
			t.Errorf("%q: %v", tok, got)
		}
	}
}
