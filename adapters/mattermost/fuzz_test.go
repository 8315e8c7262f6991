package mattermost

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// The decoders take whatever reaches Vigie's public URL: none may panic,
// and what they accept has the fields the handlers rely on.

func FuzzDecodeCommand(f *testing.F) {
	f.Add("Token cmd-token-1", []byte(commandBody("cmd-token-1", "ouvrir Rançongiciel sur le PACS", "trig")))
	f.Add("", []byte("token=x&channel_id=c&user_id=u&text=%E9"))
	f.Add("Bearer x", []byte("%zz&&=="))
	f.Add("Token", []byte(url.Values{"channel_id": {"c"}, "user_id": {"u"}, "text": {"#2026-0001 statut <#abc>"}}.Encode()))
	a := newTestAdapter(f, newFakeMM(f), nil)
	h := &recorder{reply: func(ev bot.Event) bot.Reply { return bot.Reply{Text: ev.Text, Message: &card} }}
	f.Fuzz(func(t *testing.T, auth string, body []byte) {
		c, err := decodeCommand(http.Header{"Authorization": {auth}}, body)
		if err == nil && (c.ChannelID == "" || c.UserID == "") {
			t.Fatalf("accepted without channel or user: %+v", c)
		}
		serve(a.CommandHandler(h), "POST", PathCommand, http.Header{"Authorization": {auth}}, string(body))
	})
}

func FuzzDecodeAction(f *testing.F) {
	s := &signer{key: testSecret}
	good := mustJSON(f, map[string]any{"user_id": "alice", "user_name": "alice", "channel_id": "chan1", "post_id": "p1", "trigger_id": "t",
		"type": "button", "context": s.button("#2026-0001 repondre malicious yes", "chan1", testNow.Add(time.Hour))})
	f.Add([]byte(good))
	f.Add([]byte(`{"user_id":"u","channel_id":"c","post_id":"p","context":{"a":1,"exp":null,"sig":[]}}`))
	f.Add([]byte(`{"context":"x"}`))
	f.Add([]byte(`null`))
	a := newTestAdapter(f, newFakeMM(f), nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeAction(body)
		if err == nil {
			if req.UserId == "" || req.ChannelId == "" || req.PostId == "" {
				t.Fatalf("accepted %+v", req)
			}
			s.checkButton(req.Context, req.ChannelId, testNow)
		}
		serve(a.ActionHandler(&recorder{}), "POST", PathAction, nil, string(body))
	})
}

func FuzzDecodeDialog(f *testing.F) {
	s := &signer{key: testSecret}
	good := mustJSON(f, map[string]any{"type": "dialog_submission", "callback_id": "vigie", "user_id": "alice", "channel_id": "chan1",
		"state":      s.dialog("#2026-0001 fait ars", "chan1", "alice", "alice", testNow.Add(time.Hour)),
		"submission": map[string]any{"via": "email", "ref": "R-1", "n": 3.5, "b": true, "z": nil}})
	f.Add([]byte(good))
	f.Add([]byte(`{"user_id":"u","channel_id":"c","state":"{\"a\":\"x\"}","submission":{"k":[1,{"x":2}]}}`))
	f.Add([]byte(`{"cancelled":true,"user_id":"u","channel_id":"c"}`))
	a := newTestAdapter(f, newFakeMM(f), nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeDialog(body)
		if err == nil {
			s.checkDialog(req.State, req.ChannelId, req.UserId, testNow)
			fields(req.Submission)
		}
		serve(a.DialogHandler(&recorder{}), "POST", PathDialog, nil, string(body))
	})
}
