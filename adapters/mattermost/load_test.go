package mattermost_test

// The load benchmark of design.md §7: 200 clients on loopback sending slash
// commands and clicks to Vigie's HTTP handlers as vigie serve wires them,
// beside a bare net/http handler doing one bbolt write per request, in the
// same run. Run it with
//
//	go test ./adapters/mattermost/ -run '^$' -bench BenchmarkLoadClosedLoop -benchtime 1x
//
// (30 s on each side; add -load.duration=5s, after the package, or set
// VIGIE_LOAD_DURATION=5s for a quick look). Vigie talks to the real
// Mattermost server when MM_URL… are set (see server_test.go), else to the
// in-process fake. On the real server the benchmark keeps 200 channels,
// vigie-charge-000 to -199, with alice and the bot in them, for the next
// run.

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/internal/openloop"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/keyfile"
	"github.com/vigie-sante/vigie/internal/metrics"
)

var loadDuration = flag.Duration("load.duration", 0,
	"how long each side of BenchmarkLoadClosedLoop runs (default: $VIGIE_LOAD_DURATION, else 30s)")

const (
	loadClients = 200
	loadToken   = "load-command-token"
)

// BenchmarkLoadClosedLoop: each of 200 clients, on an incident of its own in a
// channel of its own, alternates "/incident note …" and a click on
// "Rappeler dans 1 h" of the checklist, for the duration; then the same 200
// clients POST to a bare net/http handler that puts one key in bbolt
// (db.Update), for the same duration. A request's latency is the time to
// its full response; a durable action is an answer that says it was done
// (the bot answers after its write is on disk), and the main courante is
// counted at the end to prove it.
func BenchmarkLoadClosedLoop(b *testing.B) {
	d := loadDurationOf(b)
	le := loadBackend(b)
	v := startLoadVigie(b, le)
	targets := v.openIncidents(b, le)
	b.Logf("%s: %d incidents open; %d clients for %v on each side", le.name, len(targets), loadClients, d)

	b.ResetTimer()
	vig := drive(d, func(c *http.Client, i, k int) (bool, error) {
		t := targets[i]
		if k%2 == 0 {
			return v.command(c, t, fmt.Sprintf("note charge : client %d, requête %d", i, k))
		}
		return v.click(c, t)
	})
	// The card edits still waiting go before the bare side starts, and the
	// server gets a moment to settle: the bare side must not pay for them.
	fctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	if err := v.mm.Flush(fctx); err != nil {
		b.Logf("card edits still waiting after a minute: %v", err)
	}
	cancel()
	time.Sleep(2 * time.Second)
	bare := runBare(b, d)
	b.StopTimer()

	// Every durable answer is in the main courante.
	ctx := context.Background()
	logged := 0
	for _, t := range targets {
		all, err := v.store.Entries(ctx, t.id, 0, 0)
		if err != nil {
			b.Fatal(err)
		}
		for _, en := range all {
			if en.Kind == incident.KindNote || en.Kind == incident.KindSnooze {
				logged++
			}
		}
	}
	if logged != vig.ok {
		b.Errorf("%d notes and snoozes in the main courante for %d durable answers", logged, vig.ok)
	}
	if vig.failed > 0 || bare.failed > 0 {
		b.Errorf("failed requests: vigie %d (first: %s), bare %d (first: %s)", vig.failed, vig.firstErr, bare.failed, bare.firstErr)
	}
	if le.fake != nil {
		b.Logf("fake Mattermost served: %d GetPost, %d GetChannelMember, %d PatchPost, %d GetUser",
			le.fake.Calls("GET /api/v4/posts/{id}"), le.fake.Calls("GET /api/v4/channels/{id}/members/{user}"),
			le.fake.Calls("PUT /api/v4/posts/{id}/patch"), le.fake.Calls("GET /api/v4/users/{id}"))
	}

	vp50, vp99 := vig.percentiles()
	bp50, bp99 := bare.percentiles()
	b.ReportMetric(0, "ns/op") // one iteration is the whole run: the metrics below say it
	b.ReportMetric(ms(vp50), "vigie_p50_ms")
	b.ReportMetric(ms(vp99), "vigie_p99_ms")
	b.ReportMetric(vig.perSecond(), "vigie_actions_per_s")
	b.ReportMetric(ms(bp50), "bare_p50_ms")
	b.ReportMetric(ms(bp99), "bare_p99_ms")
	b.ReportMetric(bare.perSecond(), "bare_writes_per_s")
	b.ReportMetric(ms(vp99)/ms(bp99), "ratio_p99")                       // target ≤ 1.5, and p99 ≤ 50 ms
	b.ReportMetric(vig.perSecond()/bare.perSecond(), "ratio_throughput") // target ≥ 0.5
	b.Logf("vigie: %d requests, %d durable, %d refused, %d failed in %v (%.2f cores busy): p50 %v p99 %v, %.0f actions/s",
		len(vig.lat), vig.ok, vig.refused, vig.failed, vig.elapsed.Round(time.Millisecond), vig.cores(), vp50, vp99, vig.perSecond())
	b.Logf("bare:  %d requests, %d written, %d failed in %v (%.2f cores busy): p50 %v p99 %v, %.0f writes/s",
		len(bare.lat), bare.ok, bare.failed, bare.elapsed.Round(time.Millisecond), bare.cores(), bp50, bp99, bare.perSecond())
	if vig.refused > 0 {
		b.Logf("first refusal: %s", vig.firstRefusal)
	}
	ignore := "\x00"
	if le.fake != nil {
		ignore = "websocket down" // the fake has no WebSocket
	}
	if warns := problems(v.logs.String(), ignore); len(warns) > 0 {
		b.Logf("Vigie logged %d warnings and errors; the first:\n%s", len(warns), strings.Join(warns[:min(5, len(warns))], "\n"))
	}
}

// problems are the WARN and ERROR lines of a JSON log, but those that
// contain ignore.
func problems(log, ignore string) []string {
	var out []string
	for line := range strings.Lines(log) {
		if (strings.Contains(line, `"level":"WARN"`) || strings.Contains(line, `"level":"ERROR"`)) && !strings.Contains(line, ignore) {
			out = append(out, strings.TrimSpace(line))
		}
	}
	return out
}

func loadDurationOf(b *testing.B) time.Duration {
	if *loadDuration > 0 {
		return *loadDuration
	}
	if s := os.Getenv("VIGIE_LOAD_DURATION"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil || d <= 0 {
			b.Fatalf("VIGIE_LOAD_DURATION=%q: not a duration", s)
		}
		return d
	}
	return 30 * time.Second
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// loadEnv is the Mattermost server Vigie talks to during the run, and who
// acts where: client i is users[i] in channels[i].
type loadEnv struct {
	name             string
	url, token, team string
	users, channels  []string
	fake             *mattermost.FakeServer // nil on the real server
}

// loadBackend is the real server when MM_URL… are set, else the fake.
func loadBackend(b *testing.B) loadEnv {
	if os.Getenv("MM_URL") != "" {
		return realLoadEnv(b, realServer(b))
	}
	f := mattermost.NewFakeServer(b)
	le := loadEnv{name: "fake Mattermost", url: f.URL(), token: f.BotToken(), team: "team1", fake: f}
	for i := range loadClients {
		// Half the people read English: both catalogues are exercised.
		user, locale := fmt.Sprintf("load-user-%03d", i), []string{"fr", "en"}[i%2]
		ch := fmt.Sprintf("load-channel-%03d", i)
		f.AddUser(user, user, locale)
		f.AddChannel(ch, fmt.Sprintf("charge-%03d", i), user)
		le.users, le.channels = append(le.users, user), append(le.channels, ch)
	}
	return le
}

// realLoadEnv makes sure the 200 channels vigie-charge-000… exist on the
// real server with alice and the bot in them. They are kept for the next
// run: the test server does not fill up with archived channels.
func realLoadEnv(b *testing.B, e mmEnv) loadEnv {
	ctx := context.Background()
	adm := e.client(e.AdminToken)
	le := loadEnv{name: "real Mattermost " + e.URL, url: e.URL, token: e.BotToken, team: e.TeamID}
	for i := range loadClients {
		name := fmt.Sprintf("vigie-charge-%03d", i)
		ch, _, err := adm.GetChannelByNameIncludeDeleted(ctx, name, e.TeamID, "")
		switch {
		case err != nil:
			ch, _, err = adm.CreateChannel(ctx, &model.Channel{TeamId: e.TeamID, Name: name,
				DisplayName: fmt.Sprintf("Vigie charge %03d", i), Type: model.ChannelTypeOpen})
		case ch.DeleteAt != 0:
			ch, _, err = adm.RestoreChannel(ctx, ch.Id)
		}
		if err != nil {
			b.Fatalf("channel %s: %v", name, err)
		}
		for _, u := range []string{e.UserID, e.BotUserID} {
			if _, _, err := adm.GetChannelMember(ctx, ch.Id, u, ""); err == nil {
				continue // already in: nothing to change on the server
			}
			if _, _, err := adm.AddChannelMember(ctx, ch.Id, u); err != nil {
				b.Fatalf("add %s to %s: %v", u, name, err)
			}
		}
		le.users, le.channels = append(le.users, e.UserID), append(le.channels, ch.Id)
	}
	return le
}

// loadVigie is Vigie as vigie serve wires it (internal/cli/serve.go):
// bbolt store, metrics, bot, the adapter's handlers behind the
// acknowledgement timer, the WebSocket listener; no reminder sweeps.
type loadVigie struct {
	store  *boltstore.Store
	mm     *mattermost.Adapter
	addr   string
	logs   *logBuffer
	cancel context.CancelFunc
	run    chan error
	step   string // a step to snooze again and again
}

func startLoadVigie(b *testing.B, le loadEnv) *loadVigie {
	dir := b.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	v := &loadVigie{addr: ln.Addr().String(), logs: &logBuffer{}}
	if v.store, err = boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{}); err != nil {
		b.Fatal(err)
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewJSONHandler(v.logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	v.mm, err = mattermost.New(mattermost.Options{URL: le.url, BotToken: le.token, CommandTokens: []string{loadToken},
		Secret: secret, PublicURL: "http://" + v.addr, Log: log})
	if err != nil {
		b.Fatal(err)
	}
	if err := v.mm.Check(context.Background()); err != nil {
		b.Fatal(err)
	}
	cat, err := builtin.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	chainOf := func(inc *incident.Incident) *flows.Chain {
		c, err := cat.Version(inc.Chain, inc.Version)
		if err != nil {
			return nil
		}
		return c
	}
	m := metrics.New(v.store, chainOf, time.Now, log)
	bt := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Observer: m}, v.store, v.mm, cat, key, log)
	mux, platform := http.NewServeMux(), http.NewServeMux()
	v.mm.Mount(platform, bt)
	mux.Handle("/", m.Acks(platform))
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel, v.run = cancel, make(chan error, 1)
	go func() { v.run <- v.mm.Run(ctx, bt) }()
	b.Cleanup(func() {
		v.cancel()
		<-v.run // the card edits are flushed on the way out
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		if err := v.store.Close(); err != nil {
			b.Error(err)
		}
		if b.Failed() {
			b.Logf("Vigie's log (end):\n%s", tail(v.logs.String(), 4000))
		}
	})
	return v
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// loadTarget is a client's incident: its channel, the checklist's post and
// the signed context of its "Rappeler dans 1 h" button.
type loadTarget struct {
	id, channel, user, post string
	command                 url.Values
	// clicks are two buttons, snoozing for 1 h and for 2 h, clicked in
	// turn: the same button clicked again within a minute would be a
	// double click, which changes nothing (bot/clicks.go).
	clicks [2][]byte
	n      int
}

// openIncidents opens an incident in each channel through the slash
// command, and prepares each client's requests.
func (v *loadVigie) openIncidents(b *testing.B, le loadEnv) []*loadTarget {
	ctx := context.Background()
	c := loadClient()
	targets := make([]*loadTarget, loadClients)
	for i := range targets {
		t := &loadTarget{channel: le.channels[i], user: le.users[i]}
		t.command = url.Values{"token": {loadToken}, "team_id": {le.team}, "channel_id": {t.channel},
			"user_id": {t.user}, "user_name": {"charge"}, "command": {"/incident"}}
		if ok, err := v.command(c, t, fmt.Sprintf("ouvrir Charge %03d", i)); !ok || err != nil {
			b.Fatalf("open in %s: %v\n%s", t.channel, err, tail(v.logs.String(), 2000))
		}
		open, err := v.store.Open(ctx, t.channel)
		if err != nil || len(open) != 1 {
			b.Fatalf("open incidents of %s: %v %v", t.channel, open, err)
		}
		inc := open[0]
		if v.step == "" {
			v.step = snoozable(b, inc)
		}
		t.id, t.post = inc.ID, inc.Messages[bot.RoleChecklist]
		for k, d := range []string{"1h", "2h"} {
			action := fmt.Sprintf("#%s rappel %s %s", inc.ID, v.step, d)
			req := model.PostActionIntegrationRequest{UserId: t.user, UserName: "charge", ChannelId: t.channel, TeamId: le.team,
				PostId: t.post, Type: model.PostActionTypeButton,
				Context: mattermost.SignButtonForTest(secret, action, t.channel, time.Now().Add(24*time.Hour))}
			if t.clicks[k], err = json.Marshal(req); err != nil {
				b.Fatal(err)
			}
		}
		targets[i] = t
	}
	if err := v.mm.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	return targets
}

// snoozable is a pending step whose deadline is hours away, or that has
// none: snoozing it an hour is accepted again and again.
func snoozable(b *testing.B, inc *incident.Incident) string {
	cat, err := builtin.Catalog()
	if err != nil {
		b.Fatal(err)
	}
	c, err := cat.Version(inc.Chain, inc.Version)
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range flows.Evaluate(c, inc.Inputs()).Steps {
		if p.Due.IsZero() || time.Until(p.Due) > 3*time.Hour {
			return p.Step.ID
		}
	}
	b.Fatal("no step to snooze")
	return ""
}

// command runs the slash command text as t's client; ok when the answer
// is not a refusal.
func (v *loadVigie) command(c *http.Client, t *loadTarget, text string) (bool, error) {
	form := url.Values{"text": {text}}
	for k, vs := range t.command {
		form[k] = vs
	}
	req, err := http.NewRequest("POST", "http://"+v.addr+mattermost.PathCommand, strings.NewReader(form.Encode()))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Token "+loadToken)
	var resp model.CommandResponse
	if err := do(c, req, &resp); err != nil {
		return false, err
	}
	return answerOK(resp.Text)
}

// click clicks t's "Rappeler dans 1 h" as Mattermost calls Vigie back.
func (v *loadVigie) click(c *http.Client, t *loadTarget) (bool, error) {
	t.n++ // one client per target: no race
	req, err := http.NewRequest("POST", "http://"+v.addr+mattermost.PathAction, bytes.NewReader(t.clicks[t.n%2]))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	var resp model.PostActionIntegrationResponse
	if err := do(c, req, &resp); err != nil {
		return false, err
	}
	return answerOK(resp.EphemeralText)
}

// refusal is an answer that says nothing was done.
type refusal string

func (r refusal) Error() string { return string(r) }

func answerOK(text string) (bool, error) {
	if text == "" || strings.HasPrefix(text, "⚠️") {
		return false, refusal(text)
	}
	return true, nil
}

// do sends req, reads the whole response and decodes it into v.
func do(c *http.Client, req *http.Request, v any) error {
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %s", resp.StatusCode, tail(string(body), 200))
	}
	if v == nil {
		return nil
	}
	return json.Unmarshal(body, v)
}

// loadClient is the clients' HTTP client: keep-alive connections, one per
// client, as a busy Mattermost server keeps them.
func loadClient() *http.Client {
	return &http.Client{Timeout: time.Minute, Transport: &http.Transport{
		MaxIdleConnsPerHost: loadClients, IdleConnTimeout: time.Minute, DisableCompression: true}}
}

// loadResult is one side of the run.
type loadResult struct {
	lat                    []time.Duration
	ok, refused, failed    int
	elapsed, cpu           time.Duration // wall time, and the process's CPU time meanwhile
	firstErr, firstRefusal string
}

func (r *loadResult) percentiles() (p50, p99 time.Duration) {
	if len(r.lat) == 0 {
		return 0, 0
	}
	slices.Sort(r.lat)
	return r.lat[len(r.lat)/2], r.lat[min(len(r.lat)-1, len(r.lat)*99/100)]
}

func (r *loadResult) perSecond() float64 { return float64(r.ok) / r.elapsed.Seconds() }

func (r *loadResult) cores() float64 { return r.cpu.Seconds() / r.elapsed.Seconds() }

// drive runs loadClients goroutines that call req (client i, its k-th
// request) in a loop for d, and gathers what they saw.
func drive(d time.Duration, req func(c *http.Client, i, k int) (bool, error)) *loadResult {
	c := loadClient()
	defer c.CloseIdleConnections()
	var (
		mu  sync.Mutex // guards out
		out = &loadResult{}
		wg  sync.WaitGroup
	)
	start := make(chan struct{})
	var deadline time.Time
	for i := range loadClients {
		wg.Go(func() {
			var mine loadResult
			<-start
			for k := 0; time.Now().Before(deadline); k++ {
				t0 := time.Now()
				ok, err := req(c, i, k)
				mine.lat = append(mine.lat, time.Since(t0))
				var ref refusal
				switch {
				case ok:
					mine.ok++
				case errors.As(err, &ref):
					mine.refused++
					if mine.firstRefusal == "" {
						mine.firstRefusal = string(ref)
					}
				default:
					mine.failed++
					if mine.firstErr == "" {
						mine.firstErr = err.Error()
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			out.lat = append(out.lat, mine.lat...)
			out.ok, out.refused, out.failed = out.ok+mine.ok, out.refused+mine.refused, out.failed+mine.failed
			out.firstErr = cmp.Or(out.firstErr, mine.firstErr)
			out.firstRefusal = cmp.Or(out.firstRefusal, mine.firstRefusal)
		})
	}
	cpu0 := cpuTime()
	t0 := time.Now()
	deadline = t0.Add(d)
	close(start)
	wg.Wait()
	out.elapsed, out.cpu = time.Since(t0), cpuTime()-cpu0
	return out
}

// cpuTime is the CPU time the process used so far, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// runBare drives the physical anchor (openloop.Bare: one db.Batch per
// request, with the store's options) as Vigie was driven.
func runBare(b *testing.B, d time.Duration) *loadResult {
	target := openloop.Bare(b, filepath.Join(b.TempDir(), "bare.db")).URL + "/write"
	return drive(d, func(c *http.Client, i, k int) (bool, error) {
		body := url.Values{"channel_id": {fmt.Sprintf("load-channel-%03d", i)}, "user_id": {fmt.Sprintf("load-user-%03d", i)},
			"text": {fmt.Sprintf("note charge : client %d, requête %d", i, k)}}.Encode()
		req, err := http.NewRequest("POST", target, strings.NewReader(body))
		if err != nil {
			return false, err
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if err := do(c, req, nil); err != nil {
			return false, err
		}
		return true, nil
	})
}
