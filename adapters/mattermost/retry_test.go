package mattermost

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

var card = bot.Message{Title: "🚨 Incident #2026-0001 — PACS", Blocks: []bot.Block{{Title: "❓ Malveillant ?",
	Buttons: []bot.Button{{Label: "Oui", Action: "#2026-0001 repondre malicious yes", Style: bot.StylePrimary}}}}}

func TestPost429RetryAfterThenSuccess(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.fail("POST /api/v4/posts", failure{status: http.StatusTooManyRequests, retryAfter: "1"})
	start := time.Now()
	ref, err := a.Post(context.Background(), "chan1", card)
	if err != nil {
		t.Fatal(err)
	}
	if waited := time.Since(start); waited < time.Second {
		t.Errorf("retried after %v, before the server's Retry-After of 1 s", waited)
	}
	if n := f.called("POST /api/v4/posts"); n != 2 {
		t.Errorf("%d calls, want 2", n)
	}
	if p := f.post(ref); p == nil || p.UserId != f.botID {
		t.Fatalf("post %s not stored as the bot's: %+v", ref, p)
	}
}

func TestPost5xxThenSuccess(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.fail("POST /api/v4/posts", failure{status: http.StatusBadGateway}, failure{status: http.StatusServiceUnavailable})
	if _, err := a.Post(context.Background(), "chan1", card); err != nil {
		t.Fatal(err)
	}
	if n := f.called("POST /api/v4/posts"); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

// A post the server made but whose answer was lost is not made twice: the
// retry carries the same pending post id, which the server deduplicates.
func TestPostRetryAfterLostAnswerPostsOnce(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.fail("POST /api/v4/posts", failure{status: http.StatusGatewayTimeout, commit: true})
	ref, err := a.Post(context.Background(), "chan1", card)
	if err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	n := len(f.posts)
	f.mu.Unlock()
	if n != 1 || f.post(ref) == nil {
		t.Fatalf("%d posts after a lost answer and a retry, want 1 (ref %s)", n, ref)
	}
}

// Persistent trouble comes back as bot.ErrTemporary, with the server's
// delay, for the sweep to try again later; nothing is lost.
func TestPostOutageIsTemporary(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.fail("POST /api/v4/posts", failure{status: 503}, failure{status: 503}, failure{status: 503, retryAfter: "7"})
	_, err := a.Post(context.Background(), "chan1", card)
	if !errors.Is(err, bot.ErrTemporary) {
		t.Fatalf("err %v, want bot.ErrTemporary", err)
	}
	var ra bot.RetryAfter
	if !errors.As(err, &ra) || ra.RetryAfter() != 7*time.Second {
		t.Fatalf("err %v: no RetryAfter of 7 s", err)
	}
	if n := f.called("POST /api/v4/posts"); n != 3 {
		t.Errorf("%d calls, want 3", n)
	}
}

// A Retry-After longer than a person should wait is not waited in line:
// the error says it, and the sweep honours it.
func TestLongRetryAfterNotWaitedInLine(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.fail("PUT /api/v4/posts/{id}/patch", failure{status: http.StatusTooManyRequests, retryAfter: "120"})
	ref, err := a.Post(context.Background(), "chan1", card)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = a.update(context.Background(), "chan1", ref, card)
	var ra bot.RetryAfter
	if !errors.Is(err, bot.ErrTemporary) || !errors.As(err, &ra) || ra.RetryAfter() != 2*time.Minute {
		t.Fatalf("err %v, want temporary with Retry-After 2m", err)
	}
	if time.Since(start) > time.Second {
		t.Error("waited in line for a long Retry-After")
	}
}

func TestClientErrorNotRetried(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	err := a.update(context.Background(), "chan1", "nosuchpost", card)
	if err == nil || errors.Is(err, bot.ErrTemporary) {
		t.Fatalf("err %v, want a permanent error", err)
	}
	if n := f.called("PUT /api/v4/posts/{id}/patch"); n != 1 {
		t.Errorf("%d calls, want 1", n)
	}
}

func TestServerDownIsTemporary(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.srv.Close()
	_, err := a.Post(context.Background(), "chan1", card)
	if !errors.Is(err, bot.ErrTemporary) {
		t.Fatalf("err %v, want bot.ErrTemporary", err)
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		h    http.Header
		want time.Duration
	}{
		{http.Header{"Retry-After": {"3"}}, 3 * time.Second},
		{http.Header{"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)}}, 90 * time.Second},
		{http.Header{"X-Ratelimit-Reset": {"4"}}, 4 * time.Second},
		{http.Header{"Retry-After": {"99999999"}}, time.Hour},
		{http.Header{"Retry-After": {"-5"}}, 0},
		{http.Header{"Retry-After": {"soon"}}, 0},
		{http.Header{}, 0},
	} {
		if got := parseRetryAfter(tc.h, now); got != tc.want {
			t.Errorf("%v: %v, want %v", tc.h, got, tc.want)
		}
	}
}

func TestCheckBadToken(t *testing.T) {
	f := newFakeMM(t)
	a, err := New(Options{URL: f.srv.URL, BotToken: "wrong", Secret: testSecret, PublicURL: "http://vigie.test"})
	if err != nil {
		t.Fatal(err)
	}
	err = a.Check(context.Background())
	want := "mattermost.bot_token rejected by " + f.srv.URL + ": Invalid or expired session"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("err %v, want %q", err, want)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Error("the error shows the token")
	}
}

func TestCheckUnreachable(t *testing.T) {
	f := newFakeMM(t)
	f.srv.Close()
	a, err := New(Options{URL: f.srv.URL, BotToken: "t", Secret: testSecret, PublicURL: "http://vigie.test", Retry: Retry{Attempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(context.Background()); err == nil || !strings.Contains(err.Error(), "mattermost.url "+f.srv.URL) {
		t.Fatalf("err %v", err)
	}
}

func TestCheckGood(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	if a.BotUserID() != f.botID {
		t.Fatalf("bot id %q", a.BotUserID())
	}
}

func TestNewRefusesBadOptions(t *testing.T) {
	for _, opt := range []Options{
		{URL: "chat.example.fr", BotToken: "t", Secret: testSecret, PublicURL: "http://v"},
		{URL: "https://chat", BotToken: "", Secret: testSecret, PublicURL: "http://v"},
		{URL: "https://chat", BotToken: "t", Secret: []byte("short"), PublicURL: "http://v"},
		{URL: "https://chat", BotToken: "t", Secret: testSecret, PublicURL: "vigie:8080"},
	} {
		if _, err := New(opt); err == nil {
			t.Errorf("%+v accepted", opt)
		}
	}
}

// Card edits go in the background: the newest rendering wins, renderings
// that arrive while one is sent are coalesced, and an edit refused by an
// outage is sent once the server is back.
func TestUpdatesCoalesceAndSurviveOutage(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	ref, err := a.Post(context.Background(), "chan1", card)
	if err != nil {
		t.Fatal(err)
	}
	f.fail("PUT /api/v4/posts/{id}/patch", failure{status: 503}, failure{status: 503}, failure{status: 503, retryAfter: "1"})
	for i := range 20 {
		m := card
		m.Title = "version " + strconv.Itoa(i)
		if err := a.Update(context.Background(), "chan1", ref, m); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := a.Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.post(ref).Message; got != "**version 19**" {
		t.Fatalf("post reads %q, want the last version", got)
	}
	if n := f.called("PUT /api/v4/posts/{id}/patch"); n > 6 {
		t.Errorf("%d edits sent for 20 renderings", n)
	}
	if p := f.post(ref); p.GetProp(model.PostPropsFromBot) != "true" || len(p.Attachments()) != 1 {
		t.Errorf("props after edit: %v", p.GetProps())
	}
}
