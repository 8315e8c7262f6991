package slack

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// inboxWrites is the inbox's sequence (how many requests were ever
// written to it) and the requests and ids it holds.
func inboxWrites(t *testing.T, a *Adapter) (seq uint64, requests, ids int) {
	t.Helper()
	err := a.inbox.db.View(func(tx *bolt.Tx) error {
		q := tx.Bucket(bucketInbox)
		seq, requests, ids = q.Sequence(), q.Stats().KeyN, tx.Bucket(bucketSeen).Stats().KeyN
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq, requests, ids
}

// Over HTTP, a command and a click are handled in their acknowledgement:
// the inbox is never written, the command's answer rides on its
// acknowledgement, the click's follows through its response_url.
func TestDirectSkipsInbox(t *testing.T) {
	r := newRig(t, ModeHTTP)
	card, _ := r.openIncident()
	resp, body := r.signed("/slack/commands", r.commandForm(rssi, "aide").Encode())
	var reply struct {
		ResponseType string            `json:"response_type"`
		Blocks       []json.RawMessage `json:"blocks"`
	}
	if err := json.Unmarshal([]byte(body), &reply); err != nil || resp.StatusCode != http.StatusOK || len(reply.Blocks) == 0 {
		t.Fatalf("help not on the acknowledgement: %d %s", resp.StatusCode, body)
	}
	if got := r.reply("/slack/interactions", interactionBody(r.blockAction(rssi, card.TS, button(t, card.Blocks, "repondre malicious yes")))); got == "" {
		t.Fatal("the click's answer is empty")
	}
	if a, ok := r.incident("2026-0001").Answer("malicious"); !ok || a.Value != "yes" {
		t.Fatalf("click not recorded: %+v", a)
	}
	if seq, n, ids := inboxWrites(t, r.a); seq != 0 || n != 0 || ids != 0 {
		t.Fatalf("inbox written: sequence %d, %d requests, %d ids", seq, n, ids)
	}
}

// gatedAdapter is an adapter over HTTP whose bot holds every event until
// the gate opens (once, also when the test fails).
func gatedAdapter(t *testing.T, r *rig, tweak func(*Options)) (a *Adapter, g *gateHandler, srv *httptest.Server, open func()) {
	t.Helper()
	opt := Options{Mode: ModeHTTP, BotToken: "xoxb-test", SigningSecret: testSecret, Dir: t.TempDir(),
		APIURL: r.fake.GetAPIURL(), Now: r.clock, Log: slog.New(slog.DiscardHandler)}
	if tweak != nil {
		tweak(&opt)
	}
	a, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	g = &gateHandler{open: make(chan struct{})}
	mux := http.NewServeMux()
	a.Mount(mux, g)
	srv = httptest.NewServer(mux)
	var once sync.Once
	open = func() { once.Do(func() { close(g.open) }) }
	t.Cleanup(func() { open(); srv.Close(); a.Close() })
	return a, g, srv, open
}

// lateAdapter is a gated adapter whose requests are recorded late, at
// once (DirectWithin 10 ms), counting the requests handled.
func lateAdapter(t *testing.T, r *rig) (a *Adapter, g *gateHandler, srv *httptest.Server, open func(), ran *atomic.Int32) {
	t.Helper()
	ran = new(atomic.Int32)
	a, g, srv, open = gatedAdapter(t, r, func(o *Options) {
		o.DirectWithin = 10 * time.Millisecond
		o.afterRun = func(*inbound) { ran.Add(1) }
	})
	return a, g, srv, open, ran
}

// post sends a signed request to srv and returns its status and headers.
func post(t *testing.T, r *rig, srv *httptest.Server, path, body string) (int, http.Header) {
	t.Helper()
	ts := strconvUnix(r.clock())
	req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header
}

// answers is how many answers were posted to response_urls.
func (r *rig) answers() (n int) {
	r.fake.snapshot(func() { n = len(r.fake.responses) })
	return n
}

// waitFor polls cond: a guard against a hang, not a timing.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("waited 10 s for %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// A bot slower than DirectWithin: the click is recorded in the inbox and
// acknowledged while the bot still holds it; no rescan hands it to a
// worker meanwhile, nor after the bot is done, from a reading of the
// inbox made before; once the bot is done, the inbox forgets it, the
// answer is posted, and the click counts as handled once.
func TestDirectLate(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, g, srv, open, ran := lateAdapter(t, r)
	code, _ := post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, "1700000000.000100", "x")))
	if code != http.StatusOK {
		t.Fatalf("click acknowledged with %d", code)
	}
	if g.holding.Load() != 1 {
		t.Fatalf("acknowledged before the bot had it: %d held", g.holding.Load())
	}
	pending, err := a.inbox.pending(10)
	if err != nil || len(pending) != 1 {
		t.Fatalf("acknowledged and not in the inbox: %d, %v", len(pending), err)
	}
	rescanned := func() *job { j := newJob(pending[0]); j.rescanned = true; return j }
	if a.enqueue(rescanned()) {
		t.Fatal("a rescan would hand the click held by its acknowledgement to a worker")
	}
	open()
	waitFor(t, "the answer", func() bool { return r.answers() == 1 })
	waitFor(t, "the inbox to forget the click", func() bool { _, n, _ := inboxWrites(t, a); return n == 0 })
	waitFor(t, "the click released", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return len(a.inflight) == 0 })

	// A rescan that read the inbox before the bot was done queues it now.
	if !a.enqueue(rescanned()) {
		t.Fatal("the rescan's job was not queued")
	}
	waitFor(t, "the worker to drop it", func() bool { a.mu.Lock(); defer a.mu.Unlock(); return len(a.inflight) == 0 })
	if n := g.holding.Load(); n != 1 {
		t.Fatalf("the click was handled %d times", n)
	}
	if n := ran.Load(); n != 1 {
		t.Fatalf("the click counted as handled %d times", n)
	}
}

// bbolt runs a batch's functions again when one of them fails, and the
// late record's then claims another sequence number: each claim is held,
// and all but the one written are released.
func TestDirectLateClaimsAgain(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, _, _, _ := gatedAdapter(t, r, nil)
	a.inbox.db.MaxBatchDelay, a.inbox.db.MaxBatchSize = time.Minute, 2 // the batch runs when both are in
	failed := make(chan error, 1)
	go func() {
		failed <- a.inbox.db.Batch(func(tx *bolt.Tx) error {
			if _, err := tx.Bucket(bucketInbox).NextSequence(); err != nil {
				return err
			}
			return errors.New("another request's failure")
		})
	}()
	in, err := fromInteraction(mustInteraction(t, interactionBody(r.blockAction(rssi, "1700000000.000100", "x"))))
	if err != nil {
		t.Fatal(err)
	}
	in.Received = r.clock()
	j := &directJob{in: in, result: make(chan handled, 1), recorded: make(chan uint64, 1)}
	if _, _, dup, err := a.late(j); err != nil || dup {
		t.Fatalf("late: dup %v, %v", dup, err)
	}
	if err := <-failed; err == nil {
		t.Fatal("the other function did not fail")
	}
	seq := <-j.recorded
	a.mu.Lock()
	defer a.mu.Unlock()
	if seq == 0 || len(a.inflight) != 1 || a.inflight[seq] != 1 {
		t.Fatalf("written as %d; held: %v", seq, a.inflight)
	}
}

// When the inbox cannot record a request the bot is still handling, the
// request is acknowledged all the same, and the bot's answer follows: a
// failed acknowledgement would say nothing happened, then the answer
// would show.
func TestDirectLateInboxFails(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, _, srv, open, ran := lateAdapter(t, r)
	a.inbox.db.Close() // the inbox's disk failed
	code, h := post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, "1700000000.000100", "x")))
	if code != http.StatusOK || h.Get("X-Slack-No-Retry") != "" {
		t.Fatalf("click acknowledged with %d, no-retry %q", code, h.Get("X-Slack-No-Retry"))
	}
	open()
	waitFor(t, "the answer", func() bool { return r.answers() == 1 })
	waitFor(t, "the click counted as handled", func() bool { return ran.Load() == 1 })
}

// With every place taken and no wait for one, a request goes through the
// inbox and a worker; the same click sent again while the first is held
// is a duplicate.
func TestDirectPlacesTaken(t *testing.T) {
	r := &rig{t: t, fake: newFakeSlack(t), now: t0}
	a, g, srv, open := gatedAdapter(t, r, func(o *Options) { o.Workers, o.PlaceWithin = 1, -1 })
	first := interactionBody(r.blockAction(rssi, "1700000000.000100", "x"))
	acked := make(chan int, 1)
	go func() { code, _ := post(t, r, srv, "/slack/interactions", first); acked <- code }()
	waitFor(t, "the first click held", func() bool { return g.holding.Load() == 1 })

	if code, h := post(t, r, srv, "/slack/interactions", first); code != http.StatusOK || h.Get("X-Slack-No-Retry") != "1" {
		t.Fatalf("the same click again: %d, no-retry %q", code, h.Get("X-Slack-No-Retry"))
	}
	if code, _ := post(t, r, srv, "/slack/interactions", interactionBody(r.blockAction(rssi, "1700000000.000100", "y"))); code != http.StatusOK {
		t.Fatalf("second click acknowledged with %d", code)
	}
	if seq, n, _ := inboxWrites(t, a); seq != 1 || n != 1 {
		t.Fatalf("inbox: sequence %d, %d requests; want the second click only", seq, n)
	}
	waitFor(t, "the worker to hold the second click", func() bool { return g.holding.Load() == 2 })
	open()
	if code := <-acked; code != http.StatusOK {
		t.Fatalf("first click acknowledged with %d", code)
	}
	waitFor(t, "both answers", func() bool { return r.answers() == 2 })
	waitFor(t, "the inbox to forget the second click", func() bool { _, n, _ := inboxWrites(t, a); return n == 0 })
}
