package mattermost

import (
	"crypto/ed25519"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// TestAnswersReported: on Mattermost the response is the answer: each
// slash command and click answered is reported once, by kind; a request
// refused before any answer (an unknown command token) is not.
func TestAnswersReported(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	var mu sync.Mutex
	heard := map[string]int{}
	a.opt.Answered = func(kind string, d time.Duration) {
		mu.Lock()
		defer mu.Unlock()
		heard[kind]++
	}
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Config{}, bottest.NewStore(), a, cat, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), nil)
	mux := http.NewServeMux()
	a.Mount(mux, b)
	command := func(token, text string) int {
		body := url.Values{"token": {token}, "team_id": {"team1"}, "channel_id": {"chan1"},
			"user_id": {"alice"}, "user_name": {"alice"}, "command": {"/incident"}, "text": {text}}.Encode()
		return serve(mux, "POST", PathCommand, formHeader, body).Code
	}
	if code := command("cmd-token-1", "aide"); code != http.StatusOK {
		t.Fatalf("aide: %d", code)
	}
	if code := command("not-a-token", "aide"); code != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", code)
	}
	post := f.addPost(&model.Post{UserId: f.botID, ChannelId: "chan1", Message: "card"})
	body := mustJSON(t, &model.PostActionIntegrationRequest{UserId: "alice", UserName: "alice", ChannelId: "chan1", PostId: post,
		Context: a.sign.button("statut", "chan1", testNow.Add(time.Hour))})
	if w := serve(mux, "POST", PathAction, nil, body); w.Code != http.StatusOK {
		t.Fatalf("click: %d", w.Code)
	}
	mu.Lock()
	defer mu.Unlock()
	if heard["command"] != 1 || heard["click"] != 1 || len(heard) != 2 {
		t.Errorf("answers heard %v, want one command and one click", heard)
	}
	for k := range heard {
		if !slices.Contains(bot.AnswerKinds, k) {
			t.Errorf("answer of kind %q, not one of bot.AnswerKinds: the metrics would not show it at start", k)
		}
	}
}

// TestPathsMounted: the paths the metrics time by endpoint are those
// Mount serves, each answering a kind of request the metrics know.
func TestPathsMounted(t *testing.T) {
	a := newTestAdapter(t, newFakeMM(t), nil)
	want := []string{PathCommand, PathAction, PathDialog}
	if got := a.Paths(); !slices.Equal(got, want) {
		t.Fatalf("Paths() = %v, want %v", got, want)
	}
	mux := http.NewServeMux()
	a.Mount(mux, nil)
	for _, p := range want {
		if _, pattern := mux.Handler(httptest.NewRequest("POST", p, nil)); pattern != "POST "+p {
			t.Errorf("POST %s: pattern %q, not mounted", p, pattern)
		}
	}
	for _, r := range routes {
		if !slices.Contains(bot.AnswerKinds, r.kind) {
			t.Errorf("%s answers %q, not one of bot.AnswerKinds", r.path, r.kind)
		}
	}
}
