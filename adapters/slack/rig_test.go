package slack

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// The signing secret of Slack's published test vector, reused by the rig.
const testSecret = "8f742231b10e8888abcd99yyyzzz85a5"

const (
	crisis   = "C111" // the crisis cell's channel
	rssi     = "W111" // a member of it
	outsider = "W999" // not a member
)

// t0 is 02:10 Paris time, the night of the scenario.
var t0 = time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)

// rig is a bot on the adapter against the fake Slack, in one mode.
type rig struct {
	t     *testing.T
	fake  *fakeSlack
	a     *Adapter
	bot   *bot.Bot
	store *bottest.Store
	srv   *httptest.Server // HTTP mode
	logs  *lockedBuffer
	n     atomic.Int64 // trigger and request numbers

	mu  sync.Mutex // guards now
	now time.Time
}

func (r *rig) clock() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.now
}

func (r *rig) advance(d time.Duration) {
	r.mu.Lock()
	r.now = r.now.Add(d)
	r.mu.Unlock()
}

// newRig starts the adapter in mode with the bot of the es-esms chain.
func newRig(t *testing.T, mode string, tweak ...func(*Options)) *rig {
	t.Helper()
	r := &rig{t: t, fake: newFakeSlack(t), now: t0, logs: &lockedBuffer{}}
	r.fake.members[crisis] = []string{rssi, "W222", "UBOT"}
	opt := Options{Mode: mode, BotToken: "xoxb-test", AppToken: "xapp-test", SigningSecret: testSecret,
		Dir: t.TempDir(), APIURL: r.fake.GetAPIURL(), Now: r.clock,
		Log: slog.New(slog.NewTextHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		// No pings from slacktest's WebSocket.
		socketOptions: []socketmode.Option{socketmode.OptionPingInterval(time.Hour)},
		afterRun:      func(in *inbound) { r.fake.record(func() { r.fake.handled[in.Key]++ }) }}
	for _, f := range tweak {
		f(&opt)
	}
	a, err := New(opt)
	if err != nil {
		t.Fatal(err)
	}
	r.a = a
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	r.store = bottest.NewStore()
	r.bot = bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: r.clock}, r.store, a, cat,
		ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), nil)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("adapter logs:\n%s", r.logs.String())
		}
	})
	switch mode {
	case ModeHTTP:
		mux := http.NewServeMux()
		a.Mount(mux, r.bot)
		r.srv = httptest.NewServer(mux)
		t.Cleanup(func() { r.srv.Close(); a.Close() })
	default:
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- a.Run(ctx, r.bot) }()
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	return r
}

// signed POSTs body to the adapter's path, signed now as Slack does.
func (r *rig) signed(path, body string, header ...string) (*http.Response, string) {
	r.t.Helper()
	ts := strconv.FormatInt(r.clock().Unix(), 10)
	req, _ := http.NewRequest(http.MethodPost, r.srv.URL+path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", sign(testSecret, ts, body))
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return r.do(req)
}

func (r *rig) do(req *http.Request) (*http.Response, string) {
	r.t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// commandForm is a slash command's form as Slack sends it (the fields of
// the published signing vector's body).
func (r *rig) commandForm(user, text string) url.Values {
	n := r.n.Add(1)
	return url.Values{"token": {"xyzz0WbapA4vBCDEFasx0q6G"}, "team_id": {"T111"}, "team_domain": {"ch-test"},
		"channel_id": {crisis}, "channel_name": {"cellule-crise"}, "user_id": {user}, "user_name": {"rssi"},
		"command": {"/incident"}, "text": {text}, "response_url": {r.fake.responseURLFor(fmt.Sprint("cmd", n))},
		"trigger_id": {fmt.Sprintf("%d.111.trigger", n)}, "api_app_id": {"A111"}}
}

// blockAction is a click as bolt-python's tests send it.
func (r *rig) blockAction(user, messageTS, value string) map[string]any {
	n := r.n.Add(1)
	return map[string]any{
		"type": "block_actions", "user": map[string]any{"id": user, "username": "rssi", "team_id": "T111"},
		"api_app_id": "A111", "token": "verification_token", "trigger_id": fmt.Sprintf("%d.222.trigger", n),
		"container":    map[string]any{"type": "message", "message_ts": messageTS, "channel_id": crisis, "is_ephemeral": false},
		"channel":      map[string]any{"id": crisis, "name": "cellule-crise"},
		"response_url": r.fake.responseURLFor(fmt.Sprint("act", n)),
		"actions": []map[string]any{{"action_id": "vigie-0", "block_id": "b1-0", "value": value, "type": "button",
			"action_ts": fmt.Sprintf("1700000100.%06d", n), "text": map[string]any{"type": "plain_text", "text": "x"}}},
	}
}

// viewSubmission submits the modal v with values by field name, as
// bolt-python's tests send it.
func (r *rig) viewSubmission(user string, v slack.ModalViewRequest, values map[string]string) map[string]any {
	n := r.n.Add(1)
	state := map[string]any{}
	for _, b := range v.Blocks.BlockSet {
		in, ok := b.(*slack.InputBlock)
		if !ok {
			continue
		}
		val, set := values[in.BlockID]
		switch in.Element.(type) {
		case *slack.SelectBlockElement:
			if set {
				state[in.BlockID] = map[string]any{inputAction: map[string]any{"type": "static_select", "selected_option": map[string]any{"value": val, "text": map[string]any{"type": "plain_text", "text": val}}}}
			} else {
				state[in.BlockID] = map[string]any{inputAction: map[string]any{"type": "static_select", "selected_option": nil}}
			}
		default:
			state[in.BlockID] = map[string]any{inputAction: map[string]any{"type": "plain_text_input", "value": val}}
		}
	}
	blocks, _ := json.Marshal(v.Blocks)
	return map[string]any{
		"type": "view_submission", "team": map[string]any{"id": "T111"},
		"user":       map[string]any{"id": user, "username": "rssi", "name": "rssi", "team_id": "T111"},
		"api_app_id": "A111", "trigger_id": fmt.Sprintf("%d.333.trigger", n),
		"view": map[string]any{"id": fmt.Sprintf("V%d", n), "team_id": "T111", "type": "modal", "callback_id": v.CallbackID,
			"private_metadata": v.PrivateMetadata, "blocks": json.RawMessage(blocks), "hash": "h" + fmt.Sprint(n),
			"state": map[string]any{"values": state}},
	}
}

func interactionBody(payload map[string]any) string {
	b, _ := json.Marshal(payload)
	return "payload=" + url.QueryEscape(string(b))
}

// buttons returns the buttons' values of a posted message's blocks.
func buttons(blocks json.RawMessage) []string {
	var bs []struct {
		Type     string `json:"type"`
		Elements []struct {
			Type  string `json:"type"`
			Value string `json:"value"`
		} `json:"elements"`
	}
	json.Unmarshal(blocks, &bs)
	var out []string
	for _, b := range bs {
		for _, e := range b.Elements {
			if e.Type == "button" {
				out = append(out, e.Value)
			}
		}
	}
	return out
}

// button finds the value of a button of blocks containing part.
func button(t *testing.T, blocks json.RawMessage, part string) string {
	t.Helper()
	for _, v := range buttons(blocks) {
		if strings.Contains(v, part) {
			return v
		}
	}
	t.Fatalf("no button %q in %v", part, buttons(blocks))
	return ""
}

// openIncident opens the night's incident by slash command over HTTP and
// returns the card and the checklist as posted.
func (r *rig) openIncident() (card, checklist sent) {
	r.t.Helper()
	resp, body := r.signed("/slack/commands", r.commandForm(rssi, "ouvrir Rançongiciel sur le PACS").Encode())
	if resp.StatusCode != http.StatusOK {
		r.t.Fatalf("command: %d %s", resp.StatusCode, body)
	}
	r.fake.wait("card and checklist posted", func() bool { return len(r.fake.posts) >= 2 })
	r.fake.snapshot(func() { card, checklist = r.fake.posts[0], r.fake.posts[1] })
	return card, checklist
}

// incident reads the incident from the bot's store.
func (r *rig) incident(id string) *incident.Incident {
	r.t.Helper()
	inc, err := r.store.Incident(context.Background(), id)
	if err != nil {
		r.t.Fatal(err)
	}
	return inc
}

// sign is the signature Slack sends for body at ts.
func sign(secret, ts, body string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":" + body))
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// lockedBuffer collects logs written from several goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
