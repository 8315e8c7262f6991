package mattermost_test

// The harness of the tests against a real Mattermost server: the server
// that ../shared/tools/mattermost/start builds and seeds, and Vigie's
// handlers on a loopback listener that the server calls back.

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/adapters/mattermost"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// mmEnv is the seeded server: ids and tokens from the start script's env
// file.
type mmEnv struct {
	URL, AdminToken, TeamID, ChannelID           string
	UserID, UserToken, OutsiderID, OutsiderToken string
	BotUserID, BotToken                          string
}

// realServer returns the seeded server, or skips saying how to get one.
func realServer(tb testing.TB) mmEnv {
	tb.Helper()
	e := mmEnv{
		URL: os.Getenv("MM_URL"), AdminToken: os.Getenv("MM_ADMIN_TOKEN"), TeamID: os.Getenv("MM_TEAM_ID"),
		ChannelID: os.Getenv("MM_CHANNEL_ID"), UserID: os.Getenv("MM_USER_ID"), UserToken: os.Getenv("MM_USER_TOKEN"),
		OutsiderID: os.Getenv("MM_OUTSIDER_ID"), OutsiderToken: os.Getenv("MM_OUTSIDER_TOKEN"),
		BotUserID: os.Getenv("MM_BOT_USER_ID"), BotToken: os.Getenv("MM_BOT_TOKEN"),
	}
	if e.URL == "" || e.AdminToken == "" || e.ChannelID == "" || e.UserToken == "" || e.OutsiderToken == "" || e.BotToken == "" {
		tb.Skip("no real Mattermost server (MM_URL… unset): from the repository root run\n" +
			"  env=$(../shared/tools/mattermost/start) && . \"$env\" && go test ./adapters/mattermost/\n" +
			"(.ci/run does it; ../shared/tools/mattermost/stop stops the server)")
	}
	if testing.Short() {
		tb.Skip("-short: no tests against the real Mattermost server")
	}
	return e
}

// client returns a REST client of the server with token.
func (e mmEnv) client(token string) *model.Client4 {
	c := model.NewAPIv4Client(e.URL)
	c.SetToken(token)
	c.HTTPClient = &http.Client{Timeout: 40 * time.Second}
	return c
}

func (e mmEnv) wsURL() string { return "ws://" + strings.TrimPrefix(e.URL, "http://") }

// secret signs buttons in every Vigie of a test: a restarted Vigie must
// accept the buttons of the one before.
var secret = []byte("e2e-secret-0123456789abcdef")

// vigie is Vigie's serving side as vigie serve wires it: bbolt store,
// bot, Mattermost adapter, HTTP handlers, WebSocket listener.
type vigie struct {
	tb      testing.TB
	e       mmEnv
	dir     string
	addr    string // kept across restarts: the posted buttons call it
	trigger string
	tokens  []string
	logs    *logBuffer
	cfg     bot.Config // the conversation's settings, kept across restarts

	store  *boltstore.Store
	bot    *bot.Bot
	mm     *mattermost.Adapter
	mux    *http.ServeMux
	srv    *http.Server
	cancel context.CancelFunc
	run    chan error
}

// startVigie starts Vigie on addr (127.0.0.1:0 the first time) with the
// database and keys in dir.
func startVigie(tb testing.TB, e mmEnv, dir, addr, trigger string, tokens []string, logs *logBuffer) *vigie {
	tb.Helper()
	return startVigieWith(tb, e, dir, addr, trigger, tokens, logs, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
}

// startVigieWith is startVigie with the conversation's settings cfg
// (its Trigger is the test's).
func startVigieWith(tb testing.TB, e mmEnv, dir, addr, trigger string, tokens []string, logs *logBuffer, cfg bot.Config) *vigie {
	tb.Helper()
	v := &vigie{tb: tb, e: e, dir: dir, trigger: trigger, tokens: tokens, logs: logs, cfg: cfg}
	var ln net.Listener
	var err error
	for range 50 { // the port of a Vigie just stopped may take a moment to free
		if ln, err = net.Listen("tcp", addr); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		tb.Fatal(err)
	}
	v.addr = ln.Addr().String()
	if v.store, err = boltstore.Open(filepath.Join(dir, "vigie.db"), boltstore.Options{}); err != nil {
		tb.Fatal(err)
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelInfo}))
	v.mm, err = mattermost.New(mattermost.Options{
		URL: e.URL, BotToken: e.BotToken, CommandTokens: tokens, Secret: secret,
		PublicURL: v.public(), Trigger: "/" + trigger, Log: log, Reconnect: 100 * time.Millisecond,
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := v.mm.Check(context.Background()); err != nil {
		tb.Fatal(err)
	}
	cat, err := builtin.Catalog()
	if err != nil {
		tb.Fatal(err)
	}
	cfg.Trigger = "/" + trigger
	v.bot = bot.New(cfg, v.store, v.mm, cat, key, log)
	v.mux = http.NewServeMux()
	v.mm.Mount(v.mux, v.bot)
	v.srv = &http.Server{Handler: v.mux, ReadHeaderTimeout: 10 * time.Second}
	go v.srv.Serve(ln)
	ctx, cancel := context.WithCancel(context.Background())
	v.cancel, v.run = cancel, make(chan error, 1)
	go func() { v.run <- v.mm.Run(ctx, v.bot) }()
	return v
}

// startWithCommand starts Vigie with a slash command of its own: the
// command's token is known once the command exists, and the command needs
// Vigie's address, so a first Vigie learns it. Vigie's log is shown when
// the test fails (or runs verbose); Vigie stops at the end of the test.
func startWithCommand(t *testing.T, e mmEnv) (v *vigie, trigger string, logs *logBuffer) {
	t.Helper()
	return startWithCommandConfig(t, e, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
}

// startWithCommandConfig is startWithCommand with the conversation's
// settings cfg.
func startWithCommandConfig(t *testing.T, e mmEnv, cfg bot.Config) (v *vigie, trigger string, logs *logBuffer) {
	t.Helper()
	logs = &logBuffer{}
	dir := t.TempDir()
	v = startVigieWith(t, e, dir, "127.0.0.1:0", "pending", nil, logs, cfg)
	trigger, token := installCommand(t, e, v.public())
	v.stop()
	v = startVigieWith(t, e, dir, v.addr, trigger, []string{token}, logs, cfg)
	t.Cleanup(func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("Vigie's log:\n%s", logs)
		}
	})
	return v, trigger, logs
}

func (v *vigie) public() string { return "http://" + v.addr }

// stop stops Vigie as a shutdown does: listener, loops, then the store.
func (v *vigie) stop() {
	v.cancel()
	<-v.run
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	v.srv.Shutdown(ctx)
	if err := v.store.Close(); err != nil {
		v.tb.Error(err)
	}
}

// restart stops Vigie and starts a new one on the same database, keys and
// address.
func (v *vigie) restart() *vigie {
	v.stop()
	return startVigieWith(v.tb, v.e, v.dir, v.addr, v.trigger, v.tokens, v.logs, v.cfg)
}

// installCommand creates the slash command with a trigger of its own (so
// that tests running at once do not steal each other's calls) pointing at
// v, and removes it at the end of the test.
func installCommand(tb testing.TB, e mmEnv, public string) (trigger, token string) {
	tb.Helper()
	trigger = "incident-e2e-" + strings.ToLower(rand.Text()[:6])
	res, err := mattermost.Setup(context.Background(), mattermost.SetupOptions{
		URL: e.URL, AdminToken: e.AdminToken, Team: e.TeamID, PublicURL: public, Trigger: trigger})
	if err != nil {
		tb.Fatal(err)
	}
	if !res.Created || res.Command.Token == "" || res.Command.URL != public+mattermost.PathCommand {
		tb.Fatalf("setup: %+v", res.Command)
	}
	tb.Cleanup(func() { e.client(e.AdminToken).DeleteCommand(context.Background(), res.Command.Id) })
	return trigger, res.Command.Token
}

// repoint updates the slash command for a Vigie at another address.
func repoint(tb testing.TB, e mmEnv, public, trigger string) {
	tb.Helper()
	if _, err := mattermost.Setup(context.Background(), mattermost.SetupOptions{
		URL: e.URL, AdminToken: e.AdminToken, Team: e.TeamID, PublicURL: public, Trigger: trigger}); err != nil {
		tb.Fatal(err)
	}
}

// logBuffer collects Vigie's logs for the test to read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// eventually polls cond until it holds or 15 s pass.
func eventually(tb testing.TB, what string, cond func() bool) {
	tb.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			tb.Fatalf("after 15 s: %s", what)
		}
	}
}

// dialogs listens to a user's WebSocket and hands over the dialogs the
// server opens for them, as their browser would receive them.
type dialogs struct {
	ws *model.WebSocketClient
	ch chan model.OpenDialogRequest
}

func listenDialogs(tb testing.TB, e mmEnv, token string) *dialogs {
	tb.Helper()
	ws, err := model.NewWebSocketClient4(e.wsURL(), token)
	if err != nil {
		tb.Fatal(err)
	}
	ws.Listen()
	d := &dialogs{ws: ws, ch: make(chan model.OpenDialogRequest, 8)}
	go func() {
		events, responses, pings := ws.EventChannel, ws.ResponseChannel, ws.PingTimeoutChannel
		for {
			select {
			case _, ok := <-responses:
				if !ok {
					responses = nil
				}
			case <-pings:
			case ev, ok := <-events:
				if !ok {
					return
				}
				if ev.EventType() != model.WebsocketEventOpenDialog {
					continue
				}
				var od model.OpenDialogRequest
				if s, _ := ev.GetData()["dialog"].(string); json.Unmarshal([]byte(s), &od) == nil {
					d.ch <- od
				}
			}
		}
	}()
	tb.Cleanup(ws.Close)
	time.Sleep(200 * time.Millisecond) // authenticated before anything is clicked
	return d
}

func (d *dialogs) next(tb testing.TB) model.OpenDialogRequest {
	tb.Helper()
	select {
	case od := <-d.ch:
		return od
	case <-time.After(15 * time.Second):
		tb.Fatal("no dialog opened within 15 s")
	}
	return model.OpenDialogRequest{}
}

// button finds the action labelled label in the attachment whose title
// starts with prefix (any attachment when prefix is empty).
func button(p *model.Post, prefix, label string) (att *model.MessageAttachment, id string) {
	for _, at := range p.Attachments() {
		if !strings.HasPrefix(at.Title, prefix) {
			continue
		}
		for _, ac := range at.Actions {
			if ac.Name == label {
				return at, ac.Id
			}
		}
	}
	return nil, ""
}

// statusOf returns the status code of a failed call, 200 when it worked.
func statusOf(resp *model.Response, err error) int {
	if err == nil {
		return http.StatusOK
	}
	if resp != nil {
		return resp.StatusCode
	}
	var ae *model.AppError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}
