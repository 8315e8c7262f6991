package mattermost

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

func submit(t *testing.T, a *Adapter, h Handler, req model.SubmitDialogRequest) model.SubmitDialogResponse {
	t.Helper()
	w := serve(a.DialogHandler(h), "POST", PathDialog, http.Header{"Content-Type": {"application/json"}}, mustJSON(t, req))
	if w.Code != http.StatusOK {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var resp model.SubmitDialogResponse
	if err := json.Unmarshal(w.Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp
}

func TestDialogSubmit(t *testing.T) {
	f := newFakeMM(t)
	var logs bytes.Buffer
	a := newTestAdapter(t, f, &logs)
	state := a.sign.dialog("#2026-0001 fait cert-sante", "chan1", "alice", "alice", testNow.Add(time.Hour))
	h := &recorder{}
	resp := submit(t, a, h, model.SubmitDialogRequest{Type: "dialog_submission", CallbackId: "vigie", State: state,
		UserId: "alice", ChannelId: "chan1", TeamId: "team1",
		Submission: map[string]any{"via": "portail", "ref": "CS-1234", "at": "", "note": nil, "urgent": true}})
	if resp.Error != "" || len(resp.Errors) != 0 {
		t.Fatalf("resp %+v", resp)
	}
	evs := h.handled()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	ev := evs[0]
	if ev.Text != "#2026-0001 fait cert-sante" || ev.User != (incident.User{ID: "alice", Name: "alice"}) || ev.Dialogs ||
		ev.Fields["via"] != "portail" || ev.Fields["ref"] != "CS-1234" || ev.Fields["urgent"] != "true" {
		t.Fatalf("event %+v", ev)
	}
	if _, ok := ev.Fields["note"]; ok {
		t.Error("an empty value became a field")
	}
	// The bot may not post ephemeral messages here: it stops trying.
	submit(t, a, h, model.SubmitDialogRequest{State: state, UserId: "alice", ChannelId: "chan1", Submission: map[string]any{"via": "email"}})
	if n := f.called("POST /api/v4/posts/ephemeral"); n != 1 {
		t.Errorf("%d ephemeral attempts, want 1", n)
	}
}

func TestDialogRefused(t *testing.T) {
	f := newFakeMM(t)
	var logs bytes.Buffer
	a := newTestAdapter(t, f, &logs)
	good := a.sign.dialog("#2026-0001 fait cert-sante", "chan1", "alice", "alice", testNow.Add(time.Hour))
	var st dialogState
	json.Unmarshal([]byte(good), &st)
	altered := func(fn func(*dialogState)) string {
		s := st
		fn(&s)
		b, _ := json.Marshal(s)
		return string(b)
	}
	for name, tc := range map[string]struct {
		state, user, channel, want string
	}{
		"forged":         {`{"a":"#2026-0001 clore confirmer","exp":"9999999999","n":"alice","sig":"00"}`, "alice", "chan1", "Formulaire refusé"},
		"not json":       {"hello", "alice", "chan1", "Formulaire refusé"},
		"altered action": {altered(func(s *dialogState) { s.Action = "#2026-0001 clore confirmer" }), "alice", "chan1", "Formulaire refusé"},
		"altered name":   {altered(func(s *dialogState) { s.Name = "directeur" }), "alice", "chan1", "Formulaire refusé"},
		"other user":     {good, "bob", "chan1", "Formulaire refusé"},
		"other channel":  {good, "alice", "chan2", "Formulaire refusé"},
		"button context": {mustJSON(t, a.sign.button("#2026-0001 fait cert-sante", "chan1", testNow.Add(time.Hour))), "alice", "chan1", "Formulaire refusé"},
		"expired":        {a.sign.dialog("#2026-0001 fait cert-sante", "chan1", "alice", "alice", testNow.Add(-time.Minute)), "alice", "chan1", "expiré"},
	} {
		h := &recorder{}
		resp := submit(t, a, h, model.SubmitDialogRequest{State: tc.state, UserId: tc.user, ChannelId: tc.channel, Submission: map[string]any{"via": "email"}})
		if !strings.Contains(resp.Error, tc.want) {
			t.Errorf("%s: %+v", name, resp)
		}
		if len(h.handled()) != 0 {
			t.Errorf("%s: reached the bot", name)
		}
	}
	if n := strings.Count(logs.String(), "refused dialog"); n != 8 {
		t.Errorf("%d refusals logged, want 8", n)
	}
}

// A refusal by the bot is shown in the dialog, which stays open; a
// cancelled dialog changes nothing.
func TestDialogBotErrorAndCancel(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	state := a.sign.dialog("#2026-0001 fait cert-sante", "chan1", "alice", "alice", testNow.Add(time.Hour))
	h := &recorder{reply: func(ev bot.Event) bot.Reply {
		return bot.Reply{Text: "⚠️ Moyen « pigeon » inconnu (acceptés : portail, email).", Error: true}
	}}
	resp := submit(t, a, h, model.SubmitDialogRequest{State: state, UserId: "alice", ChannelId: "chan1", Submission: map[string]any{"via": "pigeon"}})
	if resp.Error != "Moyen « pigeon » inconnu (acceptés : portail, email)." {
		t.Fatalf("resp %+v", resp)
	}
	resp = submit(t, a, h, model.SubmitDialogRequest{State: state, UserId: "alice", ChannelId: "chan1", Cancelled: true})
	if resp.Error != "" || len(h.handled()) != 1 {
		t.Fatalf("cancel: %+v, %d events", resp, len(h.handled()))
	}
}

func TestDialogBadJSON(t *testing.T) {
	a := newTestAdapter(t, newFakeMM(t), nil)
	for _, body := range []string{"", "{", `{"state":"x"}`, `"x"`} {
		if w := serve(a.DialogHandler(&recorder{}), "POST", PathDialog, nil, body); w.Code != http.StatusBadRequest {
			t.Errorf("%q: %d", body, w.Code)
		}
	}
}
