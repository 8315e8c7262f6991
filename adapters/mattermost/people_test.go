package mattermost

import (
	"crypto/ed25519"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// TestUserLanguage: each person is answered in the language of their
// Mattermost, by the bot and by the adapter, when Vigie speaks it; in the
// deployment's otherwise. The locale is asked once, then again after
// personTTL.
func TestUserLanguage(t *testing.T) {
	f := newFakeMM(t)
	f.mu.Lock()
	f.users["alice"].Locale = "en"
	f.users["bob"].Locale = "fr"
	f.users["carol"] = &model.User{Id: "carol", Username: "carol", Locale: "pt-br"}
	f.members["chan1"]["bob"], f.members["chan1"]["carol"] = true, true
	f.mu.Unlock()
	a := newTestAdapter(t, f, nil)
	now := testNow
	a.now = func() time.Time { return now }
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Config{}, bottest.NewStore(), a, cat, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), nil)
	mux := http.NewServeMux()
	a.Mount(mux, b)

	command := func(user, text string) string {
		t.Helper()
		body := url.Values{"token": {"cmd-token-1"}, "team_id": {"team1"}, "channel_id": {"chan1"},
			"user_id": {user}, "user_name": {user}, "command": {"/incident"}, "text": {text}}.Encode()
		w := serve(mux, "POST", PathCommand, formHeader, body)
		var resp model.CommandResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); w.Code != http.StatusOK || err != nil {
			t.Fatalf("%s: %d %s", text, w.Code, w.Body)
		}
		return resp.Text
	}
	click := func(user, action string, exp time.Time) string {
		t.Helper()
		post := f.addPost(&model.Post{UserId: f.botID, ChannelId: "chan1", Message: "card"})
		body := mustJSON(t, &model.PostActionIntegrationRequest{UserId: user, UserName: user, ChannelId: "chan1", PostId: post,
			Context: a.sign.button(action, "chan1", exp)})
		w := serve(mux, "POST", PathAction, nil, body)
		var resp model.PostActionIntegrationResponse
		if err := json.Unmarshal(w.Body.Bytes(), &resp); w.Code != http.StatusOK || err != nil {
			t.Fatalf("click %s: %d %s", action, w.Code, w.Body)
		}
		return resp.EphemeralText
	}
	const (
		unknownEN = "Unknown command"
		unknownFR = "Commande inconnue"
		expiredEN = "This button has expired"
		expiredFR = "Ce bouton a expiré"
	)
	later := now.Add(time.Hour)
	for _, tc := range []struct {
		user, got, want string
	}{
		{"alice", command("alice", "frobnicate"), unknownEN},
		{"bob", command("bob", "frobnicate"), unknownFR},
		{"carol (pt-br)", command("carol", "frobnicate"), unknownFR},
		{"alice, click", click("alice", "frobnicate", later), unknownEN},
		{"bob, click", click("bob", "frobnicate", later), unknownFR},
		{"alice, expired", click("alice", "statut", now.Add(-time.Minute)), expiredEN},
		{"bob, expired", click("bob", "statut", now.Add(-time.Minute)), expiredFR},
		// A context Vigie did not sign gets no look-up: the deployment's
		// language.
		{"alice, forged", forgedClick(t, mux, f, "alice"), "Bouton refusé"},
	} {
		if !strings.Contains(tc.got, tc.want) {
			t.Errorf("%s: %q, want %q", tc.user, tc.got, tc.want)
		}
	}
	// One look-up per person (the last click of each is a cache hit).
	if n := f.called("GET /api/v4/users/{id}"); n != 3 {
		t.Errorf("%d user look-ups, want 3", n)
	}

	// Alice switches Mattermost to French: it shows once the cache expires.
	f.mu.Lock()
	f.users["alice"].Locale = "fr"
	f.mu.Unlock()
	if got := command("alice", "frobnicate"); !strings.Contains(got, unknownEN) {
		t.Errorf("within the TTL: %q", got)
	}
	now = now.Add(personTTL + time.Second)
	if got := command("alice", "frobnicate"); !strings.Contains(got, unknownFR) {
		t.Errorf("after the TTL: %q", got)
	}

	// The server failing: the deployment's language, and the event goes on.
	f.mu.Lock()
	f.users["bob"].Locale = "en"
	f.mu.Unlock()
	now = now.Add(personTTL + time.Second)
	f.fail("GET /api/v4/users/{id}", failure{status: 500}, failure{status: 500}, failure{status: 500})
	if got := command("bob", "frobnicate"); !strings.Contains(got, unknownFR) {
		t.Errorf("look-up failed: %q", got)
	}
	calls := f.called("GET /api/v4/users/{id}")
	if got := command("bob", "frobnicate"); !strings.Contains(got, unknownFR) || f.called("GET /api/v4/users/{id}") != calls {
		t.Errorf("a failed look-up is asked again at once: %q", got)
	}
	now = now.Add(personMiss + time.Second)
	if got := command("bob", "frobnicate"); !strings.Contains(got, unknownEN) {
		t.Errorf("after the failure's minute: %q", got)
	}
}

// forgedClick clicks as user a button whose signature is not Vigie's.
func forgedClick(t *testing.T, mux http.Handler, f *fakeMM, user string) string {
	t.Helper()
	post := f.addPost(&model.Post{UserId: f.botID, ChannelId: "chan1", Message: "card"})
	body := mustJSON(t, &model.PostActionIntegrationRequest{UserId: user, ChannelId: "chan1", PostId: post,
		Context: map[string]any{"a": "statut", "exp": "9999999999", "sig": strings.Repeat("ab", 32)}})
	var resp model.PostActionIntegrationResponse
	if err := json.Unmarshal(serve(mux, "POST", PathAction, nil, body).Body.Bytes(), &resp); err != nil {
		t.Fatal(err)
	}
	return resp.EphemeralText
}
