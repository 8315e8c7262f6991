package cli

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot/bottest"
)

// slackWeb is the little of Slack's Web API that serve needs in HTTP mode,
// answering with Slack's forms and JSON, and keeping each message's latest
// version as the channel would show it.
type slackWeb struct {
	url      string     // where it is served
	mu       sync.Mutex // guards the fields below
	badAuth  bool
	posts    []url.Values          // chat.postMessage, in order
	updates  []url.Values          // chat.update answered
	shown    map[string]url.Values // ts → the message as the channel shows it
	replies  []string              // texts sent to a response_url
	got      chan struct{}         // a message was posted
	holding  bool                  // chat.update waits for its caller to go away
	held     chan url.Values       // a chat.update is being held
	heldDied chan struct{}         // the caller of a held chat.update went away
}

func (s *slackWeb) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	method := strings.TrimPrefix(r.URL.Path, "/")
	if method == "chat.update" && s.hold(w, r) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	reply := map[string]any{"ok": true}
	switch {
	case method == "auth.test":
		if s.badAuth {
			reply = map[string]any{"ok": false, "error": "invalid_auth"}
		} else {
			reply["team"], reply["user"], reply["user_id"] = "CH Test", "vigie", "UBOT"
		}
	case method == "chat.postMessage":
		ts := fmt.Sprintf("1700000000.%06d", len(s.posts)+1)
		r.Form.Set("ts", ts) // recorded with the message, as Slack's history shows it
		s.posts = append(s.posts, r.Form)
		s.show(ts, r.Form)
		reply["channel"], reply["ts"] = r.Form.Get("channel"), ts
		select {
		case s.got <- struct{}{}:
		default:
		}
	case method == "chat.update":
		ts := r.Form.Get("ts")
		if s.shown[ts] == nil {
			reply = map[string]any{"ok": false, "error": "message_not_found"}
			break
		}
		s.updates = append(s.updates, r.Form)
		s.show(ts, r.Form)
		reply["channel"], reply["ts"] = r.Form.Get("channel"), ts
	case method == "conversations.members":
		reply["members"] = []string{"W111"}
	case strings.HasPrefix(method, "response/"):
		var body struct{ Text string }
		json.NewDecoder(r.Body).Decode(&body)
		s.replies = append(s.replies, body.Text)
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(reply)
}

func (s *slackWeb) show(ts string, form url.Values) {
	if s.shown == nil {
		s.shown = map[string]url.Values{}
	}
	s.shown[ts] = form
}

// hold keeps a chat.update unanswered while holding is set, until its
// caller goes away (a killed Vigie); it is then dropped, as a request that
// never reached Slack. It says whether it held the request.
func (s *slackWeb) hold(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	holding := s.holding
	s.mu.Unlock()
	if !holding {
		return false
	}
	select {
	case s.held <- r.Form:
	default:
	}
	<-r.Context().Done()
	select {
	case s.heldDied <- struct{}{}:
	default:
	}
	return true
}

// holdUpdates makes the next chat.update wait until its caller dies.
func (s *slackWeb) holdUpdates() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holding, s.held, s.heldDied = true, make(chan url.Values, 8), make(chan struct{}, 8)
}

// answerUpdates makes chat.update answer again.
func (s *slackWeb) answerUpdates() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.holding = false
}

// snapshot runs fn under mu, to read what the fake recorded.
func (s *slackWeb) snapshot(fn func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn()
}

// useSlackWeb serves s and returns the configuration's line pointing
// Vigie at it (slack.api_url).
func useSlackWeb(t testing.TB, s *slackWeb) string {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return "  api_url: " + srv.URL + "\n" // no trailing slash: Validate adds it
}

const slackConfig = `
listen: 127.0.0.1:0
organisation: {chain: nouvelle-aquitaine/es-esms}
slack:
  mode: http
  bot_token: xoxb-SECRET-1
  signing_secret: signing-SECRET-2
`

// slackServing waits for serve's "vigie serving" line and returns its
// address.
func slackServing(t *testing.T, logs *bottest.Buffer, done <-chan int) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		for _, line := range strings.Split(logs.String(), "\n") {
			var rec struct{ Msg, Listen string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "vigie serving" {
				return rec.Listen
			}
		}
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d:\n%s", code, logs.String())
		case <-deadline:
			t.Fatalf("serve did not start:\n%s", logs.String())
		case <-time.After(5 * time.Millisecond): // polling a log
		}
	}
}

// slackSigned POSTs body to u signed now with slackConfig's signing
// secret, as Slack signs its requests, and returns the response and its
// body.
func slackSigned(t *testing.T, u, body string) (*http.Response, string) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte("signing-SECRET-2"))
	mac.Write([]byte("v0:" + ts + ":" + body))
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// vigie serve on Slack in HTTP mode: a signed /incident opens the incident
// and its card is posted; SIGTERM stops it cleanly; no secret is logged.
func TestServeSlackHTTP(t *testing.T) {
	web := &slackWeb{got: make(chan struct{}, 1)}
	apiURL := useSlackWeb(t, web)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfg, []byte(slackConfig+apiURL), 0o600)
	logs := &bottest.Buffer{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: logs, Getenv: func(string) string { return "" }}
	go func() {
		done <- Run(ctx, env, []string{"--config", cfg, "--db", filepath.Join(dir, "vigie.db"), "serve"})
	}()
	base := "http://" + slackServing(t, logs, done)

	body := url.Values{"team_id": {"T111"}, "channel_id": {"C111"}, "user_id": {"W111"}, "user_name": {"rssi"},
		"command": {"/incident"}, "text": {"ouvrir Rançongiciel sur le PACS"}, "trigger_id": {"1.2.3"}}.Encode()
	resp, _ := slackSigned(t, base+"/slack/commands", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/slack/commands: %d", resp.StatusCode)
	}
	select {
	case <-web.got:
	case <-time.After(10 * time.Second):
		t.Fatalf("no card posted:\n%s", logs.String())
	}
	var card url.Values
	web.snapshot(func() { card = web.posts[0] })
	if card.Get("channel") != "C111" || !strings.Contains(card.Get("blocks"), "Rançongiciel sur le PACS") {
		t.Fatalf("card %v", card)
	}
	// Unsigned, the same endpoint refuses.
	if resp, err := http.Post(base+"/slack/commands", "application/x-www-form-urlencoded", strings.NewReader(body)); err != nil || resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("unsigned: %v %v", resp, err)
	}

	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Fatalf("exit %d:\n%s", code, logs.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop")
	}
	if _, err := os.Stat(filepath.Join(dir, "slack-inbox.db")); err != nil {
		t.Fatalf("no inbox in the data directory: %v", err)
	}
	for _, secret := range []string{"xoxb-SECRET-1", "signing-SECRET-2"} {
		if strings.Contains(logs.String(), secret) {
			t.Fatalf("secret %q in the logs", secret)
		}
	}
}

// A bot token Slack refuses stops serve at start, naming the key.
func TestServeSlackBadToken(t *testing.T) {
	apiURL := useSlackWeb(t, &slackWeb{badAuth: true})
	dir := t.TempDir()
	cfg := filepath.Join(dir, "vigie.yaml")
	os.WriteFile(cfg, []byte(slackConfig+apiURL), 0o600)
	var stderr strings.Builder
	env := Env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr, Getenv: func(string) string { return "" }}
	code := Run(context.Background(), env, []string{"--config", cfg, "--db", filepath.Join(dir, "vigie.db"), "serve"})
	if code != ExitFailure || !strings.Contains(stderr.String(), "slack.bot_token") || strings.Contains(stderr.String(), "xoxb-SECRET-1") {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
}
