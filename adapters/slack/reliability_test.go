package slack

import (
	"context"
	"crypto/ed25519"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

func pinEvent(eventID string) string {
	return `{"token":"x","team_id":"T111","api_app_id":"A111","type":"event_callback","event_id":"` + eventID + `","event_time":1700000510,` +
		`"event":{"type":"reaction_added","user":"` + rssi + `","reaction":"pushpin","item_user":"W222",` +
		`"item":{"type":"message","channel":"` + crisis + `","ts":"1700000500.000100"},"event_ts":"1700000510.000200"}}`
}

// Slack retries an event (X-Slack-Retry-Num) and a replayed command is
// the same request: nothing changes twice, and the retry is told to stop.
func TestHTTPRetriesDeduplicated(t *testing.T) {
	r := newRig(t, ModeHTTP)
	r.openIncident()
	r.fake.snapshot(func() {
		r.fake.messages[crisis+"|1700000500.000100"] = slack.Message{Msg: slack.Msg{Timestamp: "1700000500.000100", User: "W222", Text: "Rançon demandée : 50 BTC."}}
	})
	resp, _ := r.signed("/slack/events", pinEvent("Ev1"))
	if resp.StatusCode != 200 || resp.Header.Get("X-Slack-No-Retry") != "" {
		t.Fatalf("first delivery: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = r.signed("/slack/events", pinEvent("Ev1"), "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout")
	if resp.StatusCode != 200 || resp.Header.Get("X-Slack-No-Retry") != "1" {
		t.Fatalf("retry: %d %v", resp.StatusCode, resp.Header)
	}

	// The same signed command sent twice (a replay within the window).
	body := r.commandForm(rssi, "note sauvegardes hors ligne intactes").Encode()
	resp1, _ := r.signed("/slack/commands", body)
	resp2, _ := r.signed("/slack/commands", body)
	if resp1.StatusCode != 200 || resp2.StatusCode != 200 || resp2.Header.Get("X-Slack-No-Retry") != "1" {
		t.Fatalf("replayed command: %d %d", resp1.StatusCode, resp2.StatusCode)
	}
	r.fake.wait("the pin and the note handled", func() bool { return r.fake.handled["ev:Ev1"] == 1 && len(r.fake.handled) >= 3 })
	notes := entriesOf(t, r, incident.KindNote)
	text := ""
	for _, e := range notes {
		text += e.Text + "\n"
	}
	if len(notes) != 2 || strings.Count(text, "50 BTC") != 1 || strings.Count(text, "sauvegardes") != 1 {
		t.Fatalf("entries %v", notes)
	}
	r.fake.snapshot(func() {
		for k, n := range r.fake.handled {
			if n != 1 {
				t.Errorf("%s handled %d times", k, n)
			}
		}
	})
}

// A 429 with a short Retry-After is waited out and retried once: the card
// is posted all the same.
func TestRateLimitedRetried(t *testing.T) {
	r := newRig(t, ModeHTTP)
	r.fake.snapshot(func() { r.fake.limited["chat.postMessage"] = 1 })
	start := time.Now()
	card, _ := r.openIncident()
	if card.TS == "" || time.Since(start) < time.Second {
		t.Fatalf("posted after %v: %+v", time.Since(start), card)
	}
	r.fake.snapshot(func() {
		if r.fake.calls["chat.postMessage"] != 3 { // 429, the card, the checklist
			t.Fatalf("%d calls", r.fake.calls["chat.postMessage"])
		}
	})
}

// A 429 longer than the adapter waits is bot.ErrTemporary with its
// Retry-After: the reminders sweep backs off and sends the nag later;
// nothing is lost.
func TestRateLimitedReminderComesAgain(t *testing.T) {
	r := newRig(t, ModeHTTP, func(o *Options) { o.MaxRetryWait = -1 })
	r.openIncident()
	r.fake.snapshot(func() { r.fake.limited["chat.postMessage"] = 1 })

	// The adapter's error says what the sweep needs.
	_, err := r.a.Post(context.Background(), crisis, bot.Message{Title: "x"})
	var ra bot.RetryAfter
	if !errors.Is(err, bot.ErrTemporary) || !errors.As(err, &ra) || ra.RetryAfter() != time.Second {
		t.Fatalf("429 not temporary with Retry-After: %v", err)
	}

	// Fifteen minutes on, the CERT Santé step is nagged; the post is
	// refused once, then sent by a later sweep.
	r.advance(16 * time.Minute)
	r.fake.snapshot(func() { r.fake.limited["chat.postMessage"] = 1 })
	st, err := r.bot.Sweep(context.Background(), r.clock())
	if err != nil || st.Failed != 1 || st.Sent != 0 {
		t.Fatalf("first sweep: %+v %v", st, err)
	}
	r.advance(2 * time.Minute)
	st, err = r.bot.Sweep(context.Background(), r.clock())
	if err != nil || st.Sent == 0 {
		t.Fatalf("second sweep: %+v %v", st, err)
	}
	r.fake.snapshot(func() {
		last := r.fake.posts[len(r.fake.posts)-1]
		if !strings.Contains(string(last.Blocks), "CERT Santé") {
			t.Fatalf("nag not posted: %s", last.Blocks)
		}
	})
}

// blockingHandler stands for a bot that has not finished when the process
// dies.
type blockingHandler struct {
	mu   sync.Mutex
	seen []bot.Event
	gate chan struct{}
}

func (h *blockingHandler) Handle(ctx context.Context, ev bot.Event) bot.Reply {
	h.mu.Lock()
	h.seen = append(h.seen, ev)
	h.mu.Unlock()
	select {
	case <-h.gate:
		return bot.Reply{}
	case <-ctx.Done():
		// As the bot does when its calls are cut: refused, nothing changed.
		return bot.Reply{Text: "⚠️ internal", Error: true}
	}
}

func (h *blockingHandler) LogPin(ctx context.Context, p bot.Pin) (bool, error) { return false, nil }

// What was acknowledged is not lost: a click acknowledged by a Vigie that
// stops before the bot is done (the workers are not given time, the
// inbox keeps it) is handled by the next Vigie on the same directory.
func TestAcknowledgedSurvivesRestart(t *testing.T) {
	r := newRig(t, ModeHTTP)
	card, _ := r.openIncident()
	value := button(t, card.Blocks, "repondre malicious yes")

	// A second Vigie, on its own directory, whose bot never finishes.
	dir := t.TempDir()
	stuck := &blockingHandler{gate: make(chan struct{})}
	// The click is handled in its acknowledgement (direct.go) until
	// DirectWithin, then recorded in the inbox and acknowledged.
	first, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-test", SigningSecret: testSecret, Dir: dir, APIURL: r.fake.GetAPIURL(), Now: r.clock,
		DirectWithin: 10 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	first.Mount(mux, stuck)
	in, err := fromInteraction(mustInteraction(t, interactionBody(r.blockAction(rssi, card.TS, value))))
	if err != nil {
		t.Fatal(err)
	}
	if payload, dup, err := first.acknowledge(in); err != nil || dup || payload != nil {
		t.Fatalf("ack: %v %v %v", payload, dup, err)
	}
	// Closing cancels the stuck bot after the grace period; the click
	// stays in the inbox. (The grace period is cut short here.)
	first.mu.Lock()
	stop := first.stop
	first.mu.Unlock()
	stop()
	if err := first.Close(); err != nil {
		t.Fatal(err)
	}

	// The next Vigie, with the real bot, on the same directory.
	cat, _ := builtin.Catalog()
	next, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-test", SigningSecret: testSecret, Dir: dir, APIURL: r.fake.GetAPIURL(), Now: r.clock,
		afterRun: func(in *inbound) { r.fake.record(func() { r.fake.handled["restart:"+in.Key]++ }) }})
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: r.clock}, r.store, next, cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- next.Run(ctx, b) }()
	r.fake.wait("the click handled after the restart", func() bool { return r.fake.handled["restart:"+in.Key] == 1 })
	cancel()
	<-done
	if a, ok := r.incident("2026-0001").Answer("malicious"); !ok || a.Value != "yes" {
		t.Fatalf("the acknowledged click was lost: %+v", a)
	}
	// The same click arriving again (Slack never saw the first ack) is
	// known after the restart too.
	again, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-test", SigningSecret: testSecret, Dir: dir, APIURL: r.fake.GetAPIURL(), Now: r.clock})
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	again.start(b)
	in2, _ := fromInteraction(mustInteraction(t, interactionBody(r.blockAction(rssi, card.TS, value))))
	in2.Key = in.Key
	if _, dup, err := again.acknowledge(in2); err != nil || !dup {
		t.Fatalf("redelivery after restart not recognized: dup=%v err=%v", dup, err)
	}
}

func mustInteraction(t *testing.T, body string) slack.InteractionCallback {
	t.Helper()
	cb, err := decodeInteraction([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	return cb
}

// The inbox is one Vigie's: a second one on the same directory is told so.
func TestInboxInUse(t *testing.T) {
	dir := t.TempDir()
	a, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-t", SigningSecret: "s", Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	_, err = New(Options{Mode: ModeHTTP, BotToken: "xoxb-t", SigningSecret: "s", Dir: dir})
	if err == nil || !strings.Contains(err.Error(), "in use") {
		t.Fatalf("second inbox: %v", err)
	}
}

// bottest is used for its store in the rig; keep the import honest.
var _ = bottest.NewStore
