package slack

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	unknownEN = "Unknown command"
	unknownFR = "Commande inconnue"
)

// usersInfoCalls is how many times users.info was called.
func (r *rig) usersInfoCalls() int {
	var n int
	r.fake.snapshot(func() { n = r.fake.calls["users.info"] })
	return n
}

// reply sends body to path over HTTP and returns the text of the reply
// that follows through the response_url.
func (r *rig) reply(path, body string) string {
	r.t.Helper()
	var before int
	r.fake.snapshot(func() { before = len(r.fake.responses) })
	if resp, b := r.signed(path, body); resp.StatusCode != http.StatusOK {
		r.t.Fatalf("%s: %d %s", path, resp.StatusCode, b)
	}
	var text string
	r.fake.wait("the reply", func() bool {
		if len(r.fake.responses) > before {
			text = r.fake.responses[before].Text
			return true
		}
		return false
	})
	return text
}

// TestUserLanguage: each person is answered in the language of their
// Slack (users.info's locale) when Vigie speaks it, in the deployment's
// otherwise, for slash commands, clicks and modals; the locale is asked
// once per person, again after personTTL; a failed users.info is
// remembered for personMiss and the event is still handled.
func TestUserLanguage(t *testing.T) {
	r := newRig(t, ModeHTTP, func(o *Options) { o.ReplyWithin = -1 })
	const (
		en, fr, pt = "WEN", "WFR", "WPT"
	)
	r.fake.mu.Lock()
	r.fake.locales[en], r.fake.locales[fr], r.fake.locales[pt] = "en-US", "fr-FR", "pt-BR"
	r.fake.members[crisis] = append(r.fake.members[crisis], en, fr)
	r.fake.mu.Unlock()
	command := func(user, text string) string {
		t.Helper()
		return r.reply("/slack/commands", r.commandForm(user, text).Encode())
	}

	for _, tc := range []struct{ name, user, want string }{
		{"en-US", en, unknownEN},
		{"fr-FR", fr, unknownFR},
		{"pt-BR: the deployment's", pt, unknownFR},
		{"en-US again", en, unknownEN},
		{"fr-FR again", fr, unknownFR},
	} {
		if got := command(tc.user, "frobnicate"); !strings.Contains(got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	if n := r.usersInfoCalls(); n != 3 {
		t.Errorf("%d users.info calls, want 3 (one per person)", n)
	}

	// A click: the person's language too.
	var before int
	r.fake.snapshot(func() { before = len(r.fake.responses) })
	card, checklist := r.openIncident() // by rssi, whose Slack says no locale
	r.fake.wait("the reply to the opener", func() bool { return len(r.fake.responses) > before })
	if got := r.reply("/slack/interactions", interactionBody(r.blockAction(en, card.TS, "frobnicate"))); !strings.Contains(got, unknownEN) {
		t.Errorf("click, en-US: %q", got)
	}
	// A modal opened and refused in the person's language.
	done := button(t, checklist.Blocks, "fait cert-sante")
	r.signed("/slack/interactions", interactionBody(r.blockAction(en, checklist.TS, done)))
	r.fake.wait("the modal opened", func() bool { return len(r.fake.views) == 1 })
	var view = r.fake.views[0]
	if view.Close == nil || view.Close.Text != "Cancel" {
		t.Errorf("modal's close button %+v, want Cancel", view.Close)
	}
	_, body := r.signed("/slack/interactions", interactionBody(r.viewSubmission(en, view, map[string]string{"via": "portail", "at": "25:99"})))
	var vr struct {
		Errors map[string]string `json:"errors"`
	}
	if err := json.Unmarshal([]byte(body), &vr); err != nil || !strings.Contains(vr.Errors["at"], "Unreadable time") {
		t.Errorf("submission, en-US: refusal %s", body)
	}
	if n := r.usersInfoCalls(); n != 4 { // rssi's, once
		t.Errorf("%d users.info calls, want 4", n)
	}

	// The person switches Slack to French: it shows once the cache expires.
	r.fake.mu.Lock()
	r.fake.locales[en] = "fr-FR"
	r.fake.mu.Unlock()
	if got := command(en, "frobnicate"); !strings.Contains(got, unknownEN) {
		t.Errorf("within the TTL: %q", got)
	}
	r.advance(personTTL + time.Second)
	if got := command(en, "frobnicate"); !strings.Contains(got, unknownFR) {
		t.Errorf("after the TTL: %q", got)
	}

	// users.info failing: the event is handled, in the deployment's
	// language, and the failure is not asked again at once.
	r.fake.mu.Lock()
	r.fake.locales[fr], r.fake.badUsers = "en-US", true
	r.fake.mu.Unlock()
	r.advance(personTTL + time.Second)
	if got := command(fr, "frobnicate"); !strings.Contains(got, unknownFR) {
		t.Errorf("users.info failed: %q", got)
	}
	calls := r.usersInfoCalls()
	r.fake.mu.Lock()
	r.fake.badUsers = false
	r.fake.mu.Unlock()
	if got := command(fr, "frobnicate"); !strings.Contains(got, unknownFR) || r.usersInfoCalls() != calls {
		t.Errorf("a failed look-up is asked again at once: %q", got)
	}
	r.advance(personMiss + time.Second)
	if got := command(fr, "frobnicate"); !strings.Contains(got, unknownEN) {
		t.Errorf("after the failure's minute: %q", got)
	}
}

// In Socket Mode too, the acknowledgement speaks the person's language.
func TestSocketModeUserLanguage(t *testing.T) {
	r := newRig(t, ModeSocket, func(o *Options) { o.ReplyWithin = 2 * time.Second })
	r.fake.mu.Lock()
	r.fake.locales[rssi] = "en-US"
	r.fake.mu.Unlock()
	for i, want := range []string{unknownEN, unknownEN} {
		id := fmt.Sprint("l", i)
		r.fake.SendToWebsocket(envelope("slash_commands", id, 0, r.slashPayload(rssi, "frobnicate")))
		p, _ := r.acked(id)["payload"].(map[string]any)
		if text, _ := p["text"].(string); !strings.Contains(text, want) {
			t.Errorf("ack %d: %v, want %q", i, p, want)
		}
	}
	if n := r.usersInfoCalls(); n != 1 {
		t.Errorf("%d users.info calls, want 1", n)
	}
}
