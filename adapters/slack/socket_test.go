package slack

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/vigie-sante/vigie/bot/incident"
)

// envelope wraps a payload as Socket Mode sends it.
func envelope(typ, id string, retry int, payload any) string {
	b, _ := json.Marshal(map[string]any{"type": typ, "envelope_id": id, "payload": payload,
		"accepts_response_payload": typ != "events_api", "retry_attempt": retry})
	return string(b)
}

// acked waits for the acknowledgement of envelope id and returns it.
func (r *rig) acked(id string) map[string]any {
	r.t.Helper()
	var ack map[string]any
	r.fake.wait("the ack of "+id, func() bool {
		for _, m := range r.fake.seen {
			var a map[string]any
			if json.Unmarshal([]byte(m), &a) == nil && a["envelope_id"] == id {
				ack = a
				return true
			}
		}
		return false
	})
	return ack
}

// slashPayload is a slash command as Socket Mode carries it (JSON).
func (r *rig) slashPayload(user, text string) map[string]string {
	f := r.commandForm(user, text)
	p := map[string]string{}
	for k := range f {
		p[k] = f.Get(k)
	}
	return p
}

func entriesOf(t *testing.T, r *rig, kind string) []incident.Entry {
	t.Helper()
	es, err := r.store.Entries(context.Background(), "2026-0001", 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []incident.Entry
	for _, e := range es {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// The same night through Socket Mode envelopes over slacktest's WebSocket:
// each envelope is acknowledged, redeliveries change nothing twice, and a
// :pushpin: logs the message once.
func TestSocketModeNight(t *testing.T) {
	r := newRig(t, ModeSocket)

	r.fake.SendToWebsocket(envelope("slash_commands", "e1", 0, r.slashPayload(rssi, "ouvrir Rançongiciel sur le PACS")))
	r.acked("e1")
	r.fake.wait("card and checklist posted", func() bool { return len(r.fake.posts) >= 2 })
	var card, checklist sent
	r.fake.snapshot(func() { card, checklist = r.fake.posts[0], r.fake.posts[1] })

	// A click: acknowledged, then the card is edited in place.
	click := r.blockAction(rssi, card.TS, button(t, card.Blocks, "repondre malicious yes"))
	r.fake.SendToWebsocket(envelope("interactive", "e2", 0, click))
	r.acked("e2")
	r.fake.wait("the card updated", func() bool {
		for _, u := range r.fake.updates {
			if u.TS == card.TS && !strings.Contains(string(u.Blocks), "repondre malicious yes") {
				return true
			}
		}
		return false
	})
	// Slack redelivers the click (same payload, same trigger): nothing
	// changes twice; the answer has one record.
	r.fake.SendToWebsocket(envelope("interactive", "e2-bis", 1, click))
	r.acked("e2-bis")

	// "Fait" opens the modal; its submission is acknowledged with "clear"
	// and records the proof.
	r.fake.SendToWebsocket(envelope("interactive", "e3", 0, r.blockAction(rssi, checklist.TS, button(t, checklist.Blocks, "fait ars"))))
	r.acked("e3")
	r.fake.wait("the modal opened", func() bool { return len(r.fake.views) == 1 })
	sub := r.viewSubmission(rssi, r.fake.views[0], map[string]string{"via": "email", "ref": "courriel 02:31"})
	r.fake.SendToWebsocket(envelope("interactive", "e4", 0, sub))
	ack := r.acked("e4")
	if p, _ := ack["payload"].(map[string]any); p["response_action"] != "clear" {
		t.Fatalf("view_submission ack %v", ack)
	}
	if st := r.incident("2026-0001").Steps["ars"]; st == nil || st.Status != incident.StepDone || st.Proof.Ref != "courriel 02:31" || st.Proof.Means != "email" {
		t.Fatalf("proof not recorded: %+v", st)
	}

	// A typed note, then its redelivery: one entry.
	note := r.slashPayload(rssi, "note PACS isolé du réseau")
	r.fake.SendToWebsocket(envelope("slash_commands", "e5", 0, note))
	r.acked("e5")
	r.fake.SendToWebsocket(envelope("slash_commands", "e5", 1, note))
	r.fake.wait("the redelivery acknowledged", func() bool {
		n := 0
		for _, m := range r.fake.seen {
			if strings.Contains(m, `"envelope_id":"e5"`) {
				n++
			}
		}
		return n == 2
	})

	// 📌 on a message of the channel, delivered twice by Slack.
	r.fake.snapshot(func() {
		r.fake.messages[crisis+"|1700000500.000100"] = slack.Message{Msg: slack.Msg{Timestamp: "1700000500.000100", User: "W222", Text: "Le PACS est isolé, bascule papier aux urgences."}}
	})
	pin := func(env string) string {
		return envelope("events_api", env, 0, map[string]any{"token": "x", "team_id": "T111", "api_app_id": "A111", "type": "event_callback",
			"event_id": "Ev0PIN", "event_time": 1700000510,
			"event": map[string]any{"type": "reaction_added", "user": rssi, "reaction": "pushpin", "item_user": "W222",
				"item": map[string]any{"type": "message", "channel": crisis, "ts": "1700000500.000100"}, "event_ts": "1700000510.000200"}})
	}
	r.fake.SendToWebsocket(pin("e6"))
	r.acked("e6")
	r.fake.SendToWebsocket(pin("e7"))
	r.acked("e7")

	// Another reaction is acknowledged and ignored.
	r.fake.SendToWebsocket(envelope("events_api", "e8", 0, map[string]any{"type": "event_callback", "event_id": "Ev0OTHER",
		"event": map[string]any{"type": "reaction_added", "user": rssi, "reaction": "thumbsup", "item": map[string]any{"type": "message", "channel": crisis, "ts": "1"}}}))
	r.acked("e8")

	// What was acknowledged is handled: wait for the inbox to empty.
	r.fake.wait("every request handled", func() bool { return r.fake.handled["ev:Ev0PIN"] == 1 && r.fake.handled["tr:"+note["trigger_id"]] == 1 })
	if n := len(entriesOf(t, r, incident.KindNote)); n != 2 {
		t.Fatalf("%d note entries, want the note and the pin once each:\n%v", n, entriesOf(t, r, incident.KindNote))
	}
	var pinned incident.Entry
	for _, e := range entriesOf(t, r, incident.KindNote) {
		if e.Data["message"] != "" {
			pinned = e
		}
	}
	if !strings.Contains(pinned.Text, "bascule papier") || pinned.Data["link"] == "" || !strings.Contains(pinned.Actor, "name-w111") {
		t.Fatalf("pin entry %+v", pinned)
	}
	if a := r.incident("2026-0001").Answers["malicious"]; len(a) != 1 {
		t.Fatalf("the redelivered click was counted: %d answers", len(a))
	}
	r.fake.snapshot(func() {
		if len(r.fake.posts) != 2 {
			t.Fatalf("%d posts, want the card and the checklist only", len(r.fake.posts))
		}
	})
}

// In Socket Mode a quick answer rides on the acknowledgement's payload.
func TestSocketModeQuickReply(t *testing.T) {
	r := newRig(t, ModeSocket, func(o *Options) { o.ReplyWithin = 2 * time.Second })
	r.fake.SendToWebsocket(envelope("slash_commands", "q1", 0, r.slashPayload(rssi, "aide")))
	ack := r.acked("q1")
	p, _ := ack["payload"].(map[string]any)
	if p["response_type"] != "ephemeral" || p["blocks"] == nil {
		t.Fatalf("ack %v", ack)
	}
	r.fake.snapshot(func() {
		if len(r.fake.responses) != 0 || len(r.fake.ephemeral) != 0 {
			t.Fatalf("the reply was sent twice")
		}
	})
}

// An app-level token Slack refuses ends the Socket Mode loop with an error
// naming the key, and later checks (/readyz) report it.
func TestSocketModeRefusedAppToken(t *testing.T) {
	fake := newFakeSlack(t)
	fake.badApp = true
	a, err := New(Options{BotToken: "xoxb-t", AppToken: "xapp-revoked", Dir: t.TempDir(), APIURL: fake.GetAPIURL()})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Run(context.Background(), &quickBot{})
	if err == nil || !strings.Contains(err.Error(), "slack.app_token") {
		t.Fatalf("Run: %v", err)
	}
	if err := a.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "slack.app_token") {
		t.Fatalf("Check after the loop stopped: %v", err)
	}
}
