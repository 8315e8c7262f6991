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
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// BenchmarkAnswerOpenLoop measures what a person waits for: from a signed
// request sent on loopback to the answer they see (the reply riding on the
// acknowledgement, or posted to the response_url), at a fixed rate of
// requests whatever the answers (open loop: a slow answer does not slow the
// sender, so queueing shows in the latency). The Web API stub answers in
// 1 ms. In the same run, a bare net/http handler doing one batched bbolt
// write per request, with the same fsync, is the physical anchor:
// p99-ratio is ours over its. The bot runs as serve runs it, on boltstore
// with its outbox delivering cards in the background. Latencies are
// counted from each request's scheduled instant, so a late sender counts
// against us. -benchtime 1x: each rate runs for openLoopFor.
//
//	go test -run '^$' -bench AnswerOpenLoop -benchtime 1x ./adapters/slack/
func BenchmarkAnswerOpenLoop(b *testing.B) {
	for _, rate := range []int{100, 200, 400, 800} {
		b.Run(fmt.Sprintf("rate=%d", rate), func(b *testing.B) { openLoop(b, rate) })
	}
}

const openLoopFor = 4 * time.Second

// answers records when each response_url was posted to.
type answers struct {
	mu sync.Mutex
	at map[string]time.Time
}

func (a *answers) seen(id string) (time.Time, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.at[id]
	return t, ok
}

func openLoop(b *testing.B, rate int) {
	dir := b.TempDir()
	got := &answers{at: map[string]time.Time{}}
	stub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		time.Sleep(time.Millisecond) // the platform's own time
		if id, ok := strings.CutPrefix(r.URL.Path, "/response/"); ok {
			got.mu.Lock()
			got.at[id] = time.Now()
			got.mu.Unlock()
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
	api := stub.URL + "/"
	bare := bareServer(b, filepath.Join(dir, "bare.db"))
	a, err := New(Options{Mode: ModeHTTP, BotToken: "xoxb-bench", SigningSecret: testSecret, Dir: dir, APIURL: api,
		Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	st, err := boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	cat, _ := builtin.Catalog()
	vb := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: time.Now}, st, a, cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	for k := range benchIncidents {
		if r := vb.Handle(context.Background(), bot.Event{Channel: benchChannel(k), User: incident.User{ID: rssi}, Text: "ouvrir Bench"}); r.Error {
			b.Fatal(r.Text)
		}
	}
	ctx, stopOutbox := context.WithCancel(context.Background())
	var outbox sync.WaitGroup
	outbox.Go(func() { vb.RunOutbox(ctx) })
	mux := http.NewServeMux()
	a.Mount(mux, vb)
	srv := httptest.NewServer(mux)
	defer func() { srv.Close(); a.Close(); stopOutbox(); outbox.Wait() }()
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 1000, MaxIdleConnsPerHost: 1000}}

	n := rate * int(openLoopFor/time.Second)
	reqs := benchRequests(n, api)
	b.ResetTimer()
	bareLat := fire(b, client, bare.URL, reqs, rate, nil)
	ourLat := fire(b, client, srv.URL, reqs, rate, got)
	b.StopTimer()

	lost := 0
	for _, d := range ourLat {
		if d < 0 {
			lost++
		}
	}
	ourLat = slices.DeleteFunc(ourLat, func(d time.Duration) bool { return d < 0 })
	slices.Sort(ourLat)
	slices.Sort(bareLat)
	p := percentileMS
	b.ReportMetric(p(ourLat, .50), "p50-ms")
	b.ReportMetric(p(ourLat, .99), "p99-ms")
	b.ReportMetric(p(bareLat, .99), "bare-p99-ms")
	if bp := p(bareLat, .99); bp > 0 {
		b.ReportMetric(p(ourLat, .99)/bp, "p99-ratio")
	}
	b.ReportMetric(float64(lost), "unanswered")
	b.ReportMetric(0, "ns/op")
}

// fire sends reqs at rate per second, each at its scheduled instant
// whatever happened to the others, and returns each one's latency from
// that instant: to the response, or, with got, to the answer posted to
// its response_url when the response carried none (-1: never, within
// 10 s of the last request).
func fire(b *testing.B, client *http.Client, base string, reqs []benchRequest, rate int, got *answers) []time.Duration {
	lat := make([]time.Duration, len(reqs))
	answered := make([]bool, len(reqs))
	start := time.Now().Add(50 * time.Millisecond)
	interval := time.Second / time.Duration(rate)
	var wg sync.WaitGroup
	for i := range reqs {
		at := start.Add(time.Duration(i) * interval)
		time.Sleep(time.Until(at)) // the sender keeps the schedule; requests go out from their own goroutines
		wg.Go(func() {
			ts := strconv.FormatInt(time.Now().Unix(), 10)
			req, _ := http.NewRequest(http.MethodPost, base+reqs[i].path, strings.NewReader(reqs[i].body))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Slack-Request-Timestamp", ts)
			req.Header.Set("X-Slack-Signature", sign(testSecret, ts, reqs[i].body))
			resp, err := client.Do(req)
			if err != nil {
				lat[i] = -1
				return
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			lat[i] = time.Since(at)
			answered[i] = got == nil || strings.Contains(string(body), `"text"`)
		})
	}
	wg.Wait()
	if got == nil {
		return lat
	}
	deadline := time.Now().Add(10 * time.Second)
	for i := range reqs {
		if answered[i] || lat[i] < 0 {
			continue
		}
		id := responseID(reqs[i])
		for {
			if t, ok := got.seen(id); ok {
				lat[i] = t.Sub(start.Add(time.Duration(i) * interval))
				break
			}
			if time.Now().After(deadline) {
				lat[i] = -1
				break
			}
			time.Sleep(time.Millisecond) // polling for answers, not asserting on time
		}
	}
	return lat
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
