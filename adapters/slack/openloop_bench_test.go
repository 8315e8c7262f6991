package slack

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/gctune"
	"github.com/vigie-sante/vigie/internal/metrics"
	"github.com/vigie-sante/vigie/internal/openloop"
)

// BenchmarkAnswerOpenLoop measures what a person waits for: from a signed
// request sent on loopback to the answer they see (the reply riding on the
// acknowledgement, or posted to the response_url), at fixed rates whatever
// the answers (open loop, internal/openloop: queueing shows in the
// latency), half slash commands (a note), half clicks (an answer). The Web
// API stub answers in 1 ms. In the same run, a bare net/http handler doing
// one batched bbolt write per request, with the same fsync, is the
// physical anchor. The bot runs as serve runs it: on boltstore, metrics
// around the handlers, its outbox delivering cards in the background.
// Sub-benchmarks (openloop.Benchmark): the saturation rate of both and
// its ratio, then 100 req/s, then half the bare handler's saturation.
// BenchmarkProtocolOpenLoop runs the same requests against Slack's
// protocol alone, the floor under these figures.
//
//	go test -run '^$' -bench AnswerOpenLoop -benchtime 1x ./adapters/slack/
func BenchmarkAnswerOpenLoop(b *testing.B) {
	openloop.Benchmark(b, newSlackLoop)
}

// answerWait is how long a request waits for its answer on the
// response_url: beyond, it counts as unanswered.
const answerWait = 10 * time.Second

// responses hands each response_url's answer to the request waiting for
// it, with the instant the stub received it.
type responses struct {
	mu      sync.Mutex // guards waiting
	waiting map[string]chan time.Time
}

func (r *responses) expect(id string) chan time.Time {
	ch := make(chan time.Time, 1)
	r.mu.Lock()
	r.waiting[id] = ch
	r.mu.Unlock()
	return ch
}

func (r *responses) forget(id string) {
	r.mu.Lock()
	delete(r.waiting, id)
	r.mu.Unlock()
}

func (r *responses) arrived(id string, at time.Time) {
	r.mu.Lock()
	ch := r.waiting[id]
	r.mu.Unlock()
	if ch != nil {
		select {
		case ch <- at:
		default:
		}
	}
}

// slackLoop is Vigie on Slack in HTTP mode, beside the bare handler.
type slackLoop struct {
	a      *Adapter
	st     *boltstore.Store
	url    string // Vigie's
	api    string // the Web API stub's
	resp   *responses
	client *http.Client
	seq    atomic.Int64 // request numbers, unique across runs
}

// newSlackLoop starts Vigie as serve wires it, on a stub of the Web API
// that answers in 1 ms, with benchIncidents incidents open, and the bare
// handler.
func newSlackLoop(b *testing.B) openloop.Target {
	dir := b.TempDir()
	l := &slackLoop{resp: &responses{waiting: map[string]chan time.Time{}}, client: openloop.Client()}
	l.startStub(b)
	bare := openloop.Bare(b, filepath.Join(dir, "bare.db"))
	log := slog.New(slog.DiscardHandler)
	a, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-bench", SigningSecret: testSecret, Dir: dir, APIURL: l.api, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	l.a = a
	if l.st, err = boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{}); err != nil {
		b.Fatal(err)
	}
	cat, _ := builtin.Catalog()
	chainOf := func(inc *incident.Incident) *flows.Chain {
		c, _ := cat.Version(inc.Chain, inc.Version)
		return c
	}
	m := metrics.New(l.st, chainOf, time.Now, log)
	vb := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: time.Now, Observer: m}, l.st, a, cat,
		ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	for k := range benchIncidents {
		if r := vb.Handle(context.Background(), bot.Event{Channel: benchChannel(k), User: incident.User{ID: rssi}, Text: "ouvrir Bench"}); r.Error {
			b.Fatal(r.Text)
		}
	}
	ctx, stopOutbox := context.WithCancel(context.Background())
	var outbox sync.WaitGroup
	outbox.Go(func() { vb.RunOutbox(ctx) })
	outbox.Go(func() { gctune.Run(ctx, log) }) // as serve tunes the collector
	platform, mux := http.NewServeMux(), http.NewServeMux()
	a.Mount(platform, vb)
	mux.Handle("/", m.Acks(platform))
	srv := httptest.NewServer(mux)
	l.url = srv.URL
	b.Cleanup(func() { srv.Close(); a.Close(); stopOutbox(); outbox.Wait(); l.st.Close() })
	return openloop.Target{
		Ours: l.send,
		Bare: openloop.BareSend(l.client, bare.URL+"/write", func(i int) (string, io.Reader) {
			return "application/x-www-form-urlencoded", strings.NewReader(benchRequestFor(i, l.api).body)
		}),
		Quiet: func() { l.quiet(b) },
	}
}

// startStub starts the Web API stub, which answers in 1 ms and hands each
// response_url's answer to the request waiting for it, and sets l.api.
func (l *slackLoop) startStub(b *testing.B) {
	stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(time.Millisecond) // the platform's own time
		if id, ok := strings.CutPrefix(r.URL.Path, "/response/"); ok {
			l.resp.arrived(id, time.Now())
		}
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/chat.postMessage", "/chat.update":
			fmt.Fprintf(w, `{"ok":true,"channel":"%s","ts":"1700000000.%06d"}`, crisis, time.Now().UnixNano()%1e6)
		case "/conversations.members":
			fmt.Fprintf(w, `{"ok":true,"members":["%s"],"response_metadata":{"next_cursor":""}}`, rssi)
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	b.Cleanup(stub.Close)
	l.api = stub.URL + "/"
}

// send sends the next request, signed now as Slack signs it, and returns
// when its answer came: on the acknowledgement, or on the response_url.
func (l *slackLoop) send(int) (time.Time, error) {
	r := benchRequestFor(int(l.seq.Add(1)), l.api)
	id := responseID(r)
	answer := l.resp.expect(id)
	defer l.resp.forget(id)
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req, err := http.NewRequest(http.MethodPost, l.url+r.path, strings.NewReader(r.body))
	if err != nil {
		return time.Time{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, r.body))
	resp, err := l.client.Do(req)
	if err != nil {
		return time.Time{}, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	switch {
	case err != nil:
		return time.Time{}, err
	case resp.StatusCode != http.StatusOK:
		return time.Time{}, fmt.Errorf("status %d: %.200s", resp.StatusCode, body)
	case strings.Contains(string(body), `"text"`):
		return time.Now(), nil // the answer rode on the acknowledgement
	}
	select {
	case at := <-answer:
		return at, nil
	case <-time.After(answerWait):
		return time.Time{}, openloop.ErrNoAnswer
	}
}

// quiet waits until the adapter holds no request and the outbox owes no
// card (a minute at most).
func (l *slackLoop) quiet(b *testing.B) {
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); {
		l.a.mu.Lock()
		n := len(l.a.inflight)
		l.a.mu.Unlock()
		p, _ := l.a.inbox.pending(1)
		owed, _ := l.st.Owed(context.Background())
		if n == 0 && len(p) == 0 && len(owed) == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond) // polling a backlog, not asserting on time
	}
	b.Logf("Vigie still busy a minute after a run")
}

// responseID is the tail of a request's response_url ("c12", "b13").
func responseID(r benchRequest) string {
	i := strings.Index(r.body, "response%2F")
	if i < 0 {
		return ""
	}
	rest := r.body[i+len("response%2F"):]
	end := strings.IndexAny(rest, "&%")
	if end < 0 {
		end = len(rest)
	}
	return rest[:end]
}
