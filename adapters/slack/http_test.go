package slack

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// The night over HTTP: a slash command posts the card and the checklist, a
// click updates the card in place, "Fait" opens a modal whose submission
// records the proof.
func TestHTTPCommandClickAndProof(t *testing.T) {
	// The reply to the command follows through the response_url.
	r := newRig(t, ModeHTTP, func(o *Options) { o.ReplyWithin = -1 })

	card, checklist := r.openIncident()
	if card.Channel != crisis || !strings.Contains(string(card.Blocks), `"type":"header"`) || !strings.Contains(string(card.Blocks), "Rançongiciel sur le PACS") {
		t.Fatalf("card not posted as Block Kit: %+v", card)
	}
	r.fake.wait("the reply to the opener", func() bool { return len(r.fake.responses) == 1 })
	r.fake.snapshot(func() {
		if got := r.fake.responses[0]; !strings.Contains(got.Text, "2026-0001") || got.Body["response_type"] != "ephemeral" {
			t.Errorf("reply through the response_url: %+v", got.Body)
		}
	})

	// A click on "Oui" to "malicious": acknowledged empty, then the card is
	// edited in place.
	yes := button(t, card.Blocks, "repondre malicious yes")
	resp, body := r.signed("/slack/interactions", interactionBody(r.blockAction(rssi, card.TS, yes)))
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Fatalf("block_actions ack: %d %q", resp.StatusCode, body)
	}
	r.fake.wait("the card updated", func() bool {
		for _, u := range r.fake.updates {
			if u.TS == card.TS && !strings.Contains(string(u.Blocks), "repondre malicious yes") {
				return true
			}
		}
		return false
	})
	if a, ok := r.incident("2026-0001").Answer("malicious"); !ok || a.Value != "yes" || a.By.ID != rssi {
		t.Fatalf("answer not recorded: %+v", a)
	}

	// "Fait" on the CERT Santé step opens the proof's modal.
	done := button(t, checklist.Blocks, "fait cert-sante")
	r.signed("/slack/interactions", interactionBody(r.blockAction(rssi, checklist.TS, done)))
	r.fake.wait("the modal opened", func() bool { return len(r.fake.views) == 1 })
	var view = r.fake.views[0]
	if !strings.Contains(view.PrivateMetadata, `"a":"#2026-0001 fait cert-sante"`) || !strings.Contains(view.PrivateMetadata, crisis) {
		t.Fatalf("private_metadata %q", view.PrivateMetadata)
	}

	// A time that is no time is refused inside the modal, under its field.
	resp, body = r.signed("/slack/interactions", interactionBody(r.viewSubmission(rssi, view, map[string]string{"via": "portail", "at": "25:99"})))
	var vr struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &vr); err != nil || vr.Action != "errors" || vr.Errors["at"] == "" {
		t.Fatalf("refusal not shown in the modal: %d %s", resp.StatusCode, body)
	}

	// The proof, submitted: the modal closes, the step is done.
	resp, body = r.signed("/slack/interactions", interactionBody(r.viewSubmission(rssi, view, map[string]string{"via": "portail", "ref": "CS-1234", "note": "ticket ouvert"})))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"response_action":"clear"`) {
		t.Fatalf("view_submission ack: %d %s", resp.StatusCode, body)
	}
	st := r.incident("2026-0001").Steps["cert-sante"]
	if st == nil || st.Status != incident.StepDone || st.Proof.Ref != "CS-1234" || st.Proof.Means != "portail" || st.Proof.By.ID != rssi || st.Proof.Note != "ticket ouvert" {
		t.Fatalf("proof not recorded: %+v", st)
	}
	r.fake.wait("the checklist updated with the proof", func() bool {
		for _, u := range r.fake.updates {
			if u.TS == checklist.TS && strings.Contains(string(u.Blocks), "CS-1234") {
				return true
			}
		}
		return false
	})
}

// A quick answer (help) rides on the slash command's acknowledgement.
func TestHTTPQuickReplyOnAck(t *testing.T) {
	r := newRig(t, ModeHTTP, func(o *Options) { o.ReplyWithin = 2 * time.Second })
	resp, body := r.signed("/slack/commands", r.commandForm(rssi, "aide").Encode())
	var reply struct {
		ResponseType string            `json:"response_type"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &reply); err != nil || resp.StatusCode != 200 || reply.ResponseType != "ephemeral" || len(reply.Blocks) == 0 {
		t.Fatalf("help not on the ack: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("Content-Type") != "application/json" {
		t.Fatalf("content type %q", resp.Header.Get("Content-Type"))
	}
}

// Slack checks the Request URL of events with a signed challenge.
func TestHTTPURLVerification(t *testing.T) {
	r := newRig(t, ModeHTTP)
	resp, body := r.signed("/slack/events", `{"token":"Jhj5dZrVaK7ZwHHjRyZWjbDl","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`)
	if resp.StatusCode != 200 || body != "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P" {
		t.Fatalf("challenge: %d %q", resp.StatusCode, body)
	}
	// Unsigned, the challenge is not answered.
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/slack/events", strings.NewReader(`{"challenge":"x","type":"url_verification"}`))
	if resp, _ := r.do(req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned challenge: %d", resp.StatusCode)
	}
}

// Every endpoint refuses what Slack did not sign, before reading it: the
// bot sees nothing.
func TestHTTPRefusesUnsigned(t *testing.T) {
	r := newRig(t, ModeHTTP)
	form := r.commandForm(rssi, "ouvrir Faux incident").Encode()
	ts := func(d time.Duration) string { return strconvUnix(r.clock().Add(d)) }
	cases := []struct {
		name, path, body, ts, sig string
	}{
		{"no headers", "/slack/commands", form, "", ""},
		{"no signature", "/slack/commands", form, ts(0), ""},
		{"stale", "/slack/commands", form, ts(-6 * time.Minute), sign(testSecret, ts(-6*time.Minute), form)},
		{"future", "/slack/commands", form, ts(6 * time.Minute), sign(testSecret, ts(6*time.Minute), form)},
		{"tampered body", "/slack/commands", form + "x", ts(0), sign(testSecret, ts(0), form)},
		{"wrong secret", "/slack/commands", form, ts(0), sign("another-secret", ts(0), form)},
		{"not v0", "/slack/interactions", "payload=%7B%7D", ts(0), strings.Replace(sign(testSecret, ts(0), "payload=%7B%7D"), "v0=", "v1=", 1)},
		{"event", "/slack/events", `{"type":"event_callback"}`, ts(0), "v0=00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodPost, r.srv.URL+c.path, strings.NewReader(c.body))
			if c.ts != "" {
				req.Header.Set("X-Slack-Request-Timestamp", c.ts)
			}
			if c.sig != "" {
				req.Header.Set("X-Slack-Signature", c.sig)
			}
			if resp, body := r.do(req); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
	}
	if open, _ := r.store.Open(t.Context(), crisis); len(open) != 0 {
		t.Fatalf("an unsigned command opened an incident")
	}
	if p, _ := r.a.inbox.pending(10); len(p) != 0 {
		t.Fatalf("unsigned requests reached the inbox: %d", len(p))
	}
}

// Only members of the incident's channel act; an outsider's click changes
// nothing and is told why.
func TestHTTPOutsiderRefused(t *testing.T) {
	r := newRig(t, ModeHTTP, func(o *Options) { o.ReplyWithin = -1 })
	card, _ := r.openIncident()
	yes := button(t, card.Blocks, "repondre malicious yes")
	r.signed("/slack/interactions", interactionBody(r.blockAction(outsider, card.TS, yes)))
	r.fake.wait("the refusal", func() bool {
		for _, s := range r.fake.responses {
			if strings.Contains(s.Text, "membres du canal") {
				return true
			}
		}
		return false
	})
	if _, ok := r.incident("2026-0001").Answer("malicious"); ok {
		t.Fatal("an outsider's answer was recorded")
	}
}

// A slash command in a channel the bot cannot see says to invite it.
func TestHTTPChannelBotCannotSee(t *testing.T) {
	r := newRig(t, ModeHTTP, func(o *Options) { o.ReplyWithin = -1 })
	f := r.commandForm(rssi, "statut")
	f.Set("channel_id", "GPRIVATE")
	r.signed("/slack/commands", f.Encode())
	r.fake.wait("the advice", func() bool {
		return len(r.fake.responses) == 1 && strings.Contains(r.fake.responses[0].Text, "/invite @Vigie")
	})
}

func strconvUnix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// A modal cannot open once the click's trigger has expired: the person
// gets the typed form of the command instead, and nothing changes.
func TestHTTPExpiredTriggerFallsBack(t *testing.T) {
	r := newRig(t, ModeHTTP)
	_, checklist := r.openIncident()
	click := r.blockAction(rssi, checklist.TS, button(t, checklist.Blocks, "fait ars"))
	click["trigger_id"] = "expired"
	r.signed("/slack/interactions", interactionBody(click))
	r.fake.wait("the typed form", func() bool {
		for _, s := range r.fake.responses {
			if strings.Contains(s.Text, "via=") {
				return true
			}
		}
		return false
	})
	if st := r.incident("2026-0001").Steps["ars"]; st != nil && st.Status == incident.StepDone {
		t.Fatal("step done without proof")
	}
}

// TestHTTPSSLCheck: Slack's periodic certificate check of the command URL
// gets 200 with nothing in it, once signed, and reaches nobody.
func TestHTTPSSLCheck(t *testing.T) {
	r := newRig(t, ModeHTTP)
	resp, body := r.signed("/slack/commands", "ssl_check=1&token=gIkuvaNzQIHg97ATvDxqgjtO")
	if resp.StatusCode != http.StatusOK || body != "" {
		t.Fatalf("ssl_check: %d %q, want 200 and no body", resp.StatusCode, body)
	}
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/slack/commands", strings.NewReader("ssl_check=1"))
	if resp, _ := r.do(req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned ssl_check: %d", resp.StatusCode)
	}
	if p, _ := r.a.inbox.pending(10); len(p) != 0 {
		t.Fatalf("ssl_check reached the inbox: %d", len(p))
	}
}

// TestHTTPBodyBounded: a body beyond maxBody is refused with 413, whether
// it announces its length or comes in chunks; one just within is read
// whole (here, refused only for its signature).
func TestHTTPBodyBounded(t *testing.T) {
	r := newRig(t, ModeHTTP)
	big := "text=" + strings.Repeat("a", maxBody)
	for _, c := range []struct {
		name string
		body io.Reader
		want int
	}{
		{"announced", strings.NewReader(big), http.StatusRequestEntityTooLarge},
		{"chunked", io.MultiReader(strings.NewReader(big)), http.StatusRequestEntityTooLarge},
		{"within", io.MultiReader(strings.NewReader(big[:maxBody])), http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest(http.MethodPost, r.srv.URL+"/slack/commands", c.body)
		if resp, body := r.do(req); resp.StatusCode != c.want {
			t.Errorf("%s body of %d bytes: %d %.80q, want %d", c.name, len(big), resp.StatusCode, body, c.want)
		}
	}
}

// firstRead records the room the first Read is given.
type firstRead struct{ room int }

func (f *firstRead) Read(p []byte) (int, error) {
	if f.room == 0 {
		f.room = len(p)
	}
	return 0, io.ErrUnexpectedEOF
}

// TestReadBodyPresized: a body is read into a buffer of the size it
// announces, up to presized only, so that a client announcing a megabyte
// and sending nothing holds no megabyte.
func TestReadBodyPresized(t *testing.T) {
	for _, c := range []struct {
		announced int64
		min, max  int
	}{
		{15000, 15000, 15000 + bytes.MinRead},
		{maxBody, 1, presized},
		{-1, 1, presized},
	} {
		f := &firstRead{}
		req := httptest.NewRequest(http.MethodPost, "/slack/interactions", nil)
		req.Body, req.ContentLength = io.NopCloser(f), c.announced
		if _, err := readBody(req); err == nil {
			t.Fatalf("announced %d: a body cut short read without error", c.announced)
		}
		if f.room < c.min || f.room > c.max {
			t.Errorf("announced %d: first read given %d bytes, want %d to %d", c.announced, f.room, c.min, c.max)
		}
	}
}
