package slack

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/openloop"
)

// benchClients is how many Slack clients hit the server at once, on
// benchIncidents incidents, each in its channel (one incident taking
// thousands of clicks would measure the bot's history, not the ack).
const (
	benchClients   = 200
	benchIncidents = 50
)

func benchChannel(k int) string { return fmt.Sprintf("C%03d", k) }

// quickBot answers at once: the acknowledgement path alone is measured.
type quickBot struct{ n atomic.Int64 }

func (q *quickBot) Handle(ctx context.Context, ev bot.Event) bot.Reply {
	q.n.Add(1)
	return bot.Reply{Text: "ok"}
}

func (q *quickBot) LogPin(ctx context.Context, p bot.Pin) (bool, error) { return false, nil }

// BenchmarkAckClosedLoop measures, on loopback with 200 concurrent clients
// each sending as soon as it is answered (a closed loop: what it measures
// is throughput, its p99 being clients over throughput; what a person
// waits for is BenchmarkAnswerOpenLoop's), how long Slack waits for the
// acknowledgement of slash commands and
// clicks (half each) in HTTP mode: signature check, decoding, the inbox's
// durable write, queueing, and for commands the short wait for a quick
// reply. In the same run, a bare net/http handler doing one bbolt write
// per request (batched, as the inbox's) is the yardstick: p99-ratio is
// ours over its. bolt-bot has the real bot on boltstore behind, working
// while the acknowledgements are measured; quick-bot answers at once.
//
//	go test -run '^$' -bench AckClosedLoop -benchtime 4000x -cpu 2 ./adapters/slack/
func BenchmarkAckClosedLoop(b *testing.B) {
	b.Run("quick-bot", func(b *testing.B) { benchAck(b, false) })
	b.Run("bolt-bot", func(b *testing.B) { benchAck(b, true) })
}

func benchAck(b *testing.B, realBot bool) {
	dir := b.TempDir()
	bare := openloop.Bare(b, filepath.Join(dir, "bare.db"))
	api := slackStub(b)
	a, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-bench", SigningSecret: testSecret, Dir: dir, APIURL: api,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	var h Handler = &quickBot{}
	if realBot {
		st, err := boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		cat, _ := builtin.Catalog()
		vb := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return t0 }}, st, a, cat,
			ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
		for k := range benchIncidents {
			r := vb.Handle(context.Background(), bot.Event{Channel: benchChannel(k), User: incident.User{ID: rssi}, Text: "ouvrir Bench"})
			if r.Error {
				b.Fatal(r.Text)
			}
		}
		h = vb
	}
	mux := http.NewServeMux()
	a.Mount(mux, h)
	srv := httptest.NewServer(mux)
	defer func() { srv.Close(); a.Close() }()

	reqs := benchRequests(b.N, api)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: benchClients, MaxIdleConnsPerHost: benchClients}}
	// Rounds alternate the two servers, so that the machine's other work
	// weighs on both; after each of ours the bot's backlog is drained
	// (not timed), so that the bare handler runs on a quiet machine.
	const rounds = 8
	bareLat := make([]time.Duration, len(reqs))
	ours := make([]time.Duration, len(reqs))
	b.ResetTimer()
	for k := range rounds {
		lo, hi := k*len(reqs)/rounds, (k+1)*len(reqs)/rounds
		load(b, client, bare.URL, reqs[lo:hi], bareLat[lo:hi])
		load(b, client, srv.URL, reqs[lo:hi], ours[lo:hi])
		b.StopTimer()
		drain(b, a)
		b.StartTimer()
	}
	b.StopTimer()
	var cmds, clicks []time.Duration
	for i, d := range ours {
		if i%2 == 0 {
			cmds = append(cmds, d)
		} else {
			clicks = append(clicks, d)
		}
	}
	for _, l := range [][]time.Duration{bareLat, ours, cmds, clicks} {
		slices.Sort(l)
	}
	p := openloop.Percentile
	b.ReportMetric(p(ours, .50), "p50-ms")
	b.ReportMetric(p(ours, .99), "p99-ms")
	b.ReportMetric(p(cmds, .99), "cmd-p99-ms")
	b.ReportMetric(p(clicks, .99), "click-p99-ms")
	b.ReportMetric(p(bareLat, .50), "bare-p50-ms")
	b.ReportMetric(p(bareLat, .99), "bare-p99-ms")
	if bp := p(bareLat, .99); bp > 0 {
		b.ReportMetric(p(ours, .99)/bp, "p99-ratio")
	}
	b.ReportMetric(0, "ns/op")
}

// drain waits until the adapter has handled every request it holds.
func drain(b *testing.B, a *Adapter) {
	for {
		a.mu.Lock()
		n := len(a.inflight)
		a.mu.Unlock()
		if p, _ := a.inbox.pending(1); n == 0 && len(p) == 0 {
			return
		}
		time.Sleep(time.Millisecond) // polling a backlog, not asserting on time
	}
}

// slackStub answers the Web API calls the bot makes, at the least cost:
// Slack is not on this machine in production, so its work should not
// weigh on the measure. It returns the API's URL.
func slackStub(b *testing.B) string {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/chat.postMessage", "/chat.update":
			fmt.Fprintf(w, `{"ok":true,"channel":"%s","ts":"1700000000.%06d"}`, crisis, n.Add(1))
		case "/conversations.members":
			fmt.Fprintf(w, `{"ok":true,"members":["%s"],"response_metadata":{"next_cursor":""}}`, rssi)
		default:
			io.WriteString(w, `{"ok":true}`)
		}
	}))
	b.Cleanup(srv.Close)
	return srv.URL + "/"
}

type benchRequest struct {
	path, body string
}

// benchRequests makes n requests: slash commands (a note) and clicks (an
// answer), each with its own trigger_id, spread over the incidents.
func benchRequests(n int, api string) []benchRequest {
	out := make([]benchRequest, n)
	for i := range out {
		out[i] = benchRequestFor(i, api)
	}
	return out
}

// benchCard is the message a click's payload carries, as Slack sends it:
// the whole card the button is on (testdata/card.golden, 6 KB), compact,
// without its closing brace (the message's ts follows).
var benchCard = sync.OnceValue(func() string {
	card, err := os.ReadFile("testdata/card.golden")
	if err != nil {
		panic(err)
	}
	var c bytes.Buffer
	if err := json.Compact(&c, card); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(c.String(), "}")
})

// benchRequestFor is request i: a slash command when i is even, else a
// click, on incident i % benchIncidents.
func benchRequestFor(i int, api string) benchRequest {
	k := i % benchIncidents
	ch, id := benchChannel(k), fmt.Sprintf("2026-%04d", k+1)
	if i%2 == 0 {
		f := url.Values{"token": {"x"}, "team_id": {"T111"}, "channel_id": {ch}, "user_id": {rssi}, "user_name": {"rssi"},
			"command": {"/incident"}, "text": {fmt.Sprintf("note relevé %d", i)}, "response_url": {fmt.Sprintf("%sresponse/c%d", api, i)},
			"trigger_id": {fmt.Sprintf("%d.bench", i)}}
		return benchRequest{"/slack/commands", f.Encode()}
	}
	v := "no"
	if i%4 == 1 {
		v = "yes"
	}
	// Each click is on a message of its own: the same button clicked twice
	// within a minute is a double click, which the bot answers without a
	// change (bot/clicks.go), and would not measure one.
	payload := fmt.Sprintf(`{"type":"block_actions","user":{"id":"%s","username":"rssi"},"trigger_id":"%d.bench","container":{"type":"message","message_ts":"1700000000.%06d","channel_id":"%s"},"channel":{"id":"%s"},"response_url":"%sresponse/b%d","actions":[{"action_id":"vigie-0","block_id":"b1-0","value":"#%s repondre capacity_impact %s","type":"button","action_ts":"%d.1"}],"message":%s}`,
		rssi, i, i, ch, ch, api, i, id, v, i, benchCard()+fmt.Sprintf(`,"type":"message","user":"UBOT","ts":"1700000000.%06d"}`, i))
	return benchRequest{"/slack/interactions", "payload=" + url.QueryEscape(payload)}
}

// load sends reqs from benchClients goroutines and writes each request's
// latency in lat.
func load(b *testing.B, client *http.Client, base string, reqs []benchRequest, lat []time.Duration) {
	var next atomic.Int64
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range benchClients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= len(reqs) {
					return
				}
				ts := strconv.FormatInt(time.Now().Unix(), 10)
				req, _ := http.NewRequest(http.MethodPost, base+reqs[i].path, strings.NewReader(reqs[i].body))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Slack-Request-Timestamp", ts)
				req.Header.Set("X-Slack-Signature", sign(testSecret, ts, reqs[i].body))
				start := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				lat[i] = time.Since(start)
				if err != nil || resp.StatusCode != http.StatusOK {
					failed.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d requests failed", n)
	}
}
