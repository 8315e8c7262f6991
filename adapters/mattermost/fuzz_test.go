package mattermost

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
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

// FuzzPinReaction: any WebSocket frame the server (or whoever speaks in its
// place) sends decodes or is ignored, never panics; what is taken is a
// :pushpin: on a post.
func FuzzPinReaction(f *testing.F) {
	f.Add(`{"event":"reaction_added","data":{"reaction":"{\"user_id\":\"u\",\"post_id\":\"p\",\"emoji_name\":\"pushpin\"}"},"broadcast":{},"seq":1}`)
	f.Add(`{"event":"reaction_added","data":{"reaction":42}}`)
	f.Add(`{"event":"posted","data":{}}`)
	f.Add(`{"event":"reaction_added","data":{"reaction":"{\"post_id\":\"\",\"emoji_name\":\"pushpin\"}"}}`)
	f.Add(`not json`)
	f.Fuzz(func(t *testing.T, frame string) {
		ev, err := model.WebSocketEventFromJSON(strings.NewReader(frame))
		if err != nil {
			return
		}
		if re, ok := pinReaction(ev); ok && (re.EmojiName != pinEmoji || re.PostId == "") {
			t.Fatalf("took %+v", re)
		}
	})
}

// FuzzRetryAfter: whatever a server says in Retry-After or
// X-Ratelimit-Reset, the wait is between zero and an hour.
func FuzzRetryAfter(f *testing.F) {
	now := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	for _, s := range []string{"5", "0", "-1", "Sun, 06 Dec 2026 03:00:30 GMT", "Wed, 21 Oct 2099 07:28:00 GMT", "9999999999999", " 7 ", ""} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, retryAfter, reset string) {
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-Ratelimit-Reset", reset)
		if d := parseRetryAfter(h, now); d < 0 || d > time.Hour {
			t.Fatalf("Retry-After %q, reset %q: wait %v", retryAfter, reset, d)
		}
	})
}
