package slack

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// gateHandler holds every event it handles until open is closed, counting
// the events held at once: an event waiting on the disk, as the bot's wait
// for its commit. Then it answers "ok".
type gateHandler struct {
	open    chan struct{}
	holding atomic.Int32
}

func (g *gateHandler) Handle(ctx context.Context, ev bot.Event) bot.Reply {
	g.holding.Add(1)
	<-g.open
	return bot.Reply{Text: "ok"}
}

func (g *gateHandler) LogPin(context.Context, bot.Pin) (bool, error) { return false, nil }

// TestWorkersOutlastTheDisk: by default, more events are handled at once
// than a commit's wait would let eight workers take. With eight, the
// clicks of a busy minute queued behind eight commits at a time: about
// 2 000 a second at most whatever the machine, the cores mostly idle.
func TestWorkersOutlastTheDisk(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-test", SigningSecret: testSecret, Dir: t.TempDir(),
		APIURL: r.fake.GetAPIURL(), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	g := &gateHandler{open: make(chan struct{})}
	mux := http.NewServeMux()
	a.Mount(mux, g)
	srv := httptest.NewServer(mux)
	var opened sync.Once
	open := func() { opened.Do(func() { close(g.open) }) }
	defer func() { open(); srv.Close(); a.Close() }()
	const events = 48
	// Sent at once, as a busy minute's clicks come: over HTTP, each is
	// handled in its own acknowledgement while a place is free (direct.go),
	// the others by the workers.
	acked := make(chan int, events)
	for range events {
		body := interactionBody(r.blockAction(rssi, "1700000000.000100", "x"))
		ts := strconv.FormatInt(time.Now().Unix(), 10)
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/slack/interactions", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Slack-Request-Timestamp", ts)
		req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
		go func() {
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				acked <- 0
				return
			}
			resp.Body.Close()
			acked <- resp.StatusCode
		}()
	}
	deadline := time.Now().Add(10 * time.Second) // a guard against a hang, not a timing
	for g.holding.Load() < events {
		if time.Now().After(deadline) {
			t.Fatalf("%d events handled at once, want %d", g.holding.Load(), events)
		}
		runtime.Gosched()
	}
	open()
	for range events {
		if code := <-acked; code != http.StatusOK {
			t.Fatalf("click acknowledged with %d", code)
		}
	}
}
