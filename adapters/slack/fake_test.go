package slack

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slacktest"
)

// fakeSlack is slacktest's server with the routes it lacks (chat.update,
// views.open, files.*, conversations.members, .history, .replies,
// chat.getPermalink, a response_url) and recording ones for what it has,
// all speaking the Web API's real forms and JSON.
type fakeSlack struct {
	*slacktest.Server
	t testing.TB

	mu        sync.Mutex // guards the fields below
	changed   chan struct{}
	n         int
	posts     []sent // chat.postMessage
	updates   []sent // chat.update
	ephemeral []sent // chat.postEphemeral
	responses []sent // posts to a response_url
	views     []slack.ModalViewRequest
	triggers  []string
	uploads   map[string][]byte // file name → content
	shared    []string          // channels files were shared in
	created   []url.Values      // conversations.create forms
	invited   []url.Values
	members   map[string][]string      // channel → user ids
	messages  map[string]slack.Message // "channel|ts" → message
	limited   map[string]int           // method → 429s still to answer
	calls     map[string]int
	badAuth   bool
	badApp    bool              // apps.connections.open refuses the app-level token
	seen      []string          // what the app wrote on the WebSocket (acks)
	handled   map[string]int    // requests the adapter handled, by key
	locales   map[string]string // user id → users.info's locale (include_locale)
	badUsers  bool              // users.info fails
}

// sent is one message the app sent.
type sent struct {
	Channel, TS, User, Text string
	Blocks                  json.RawMessage
	Body                    map[string]any // a response_url's JSON
}

func newFakeSlack(t testing.TB) *fakeSlack {
	f := &fakeSlack{t: t, changed: make(chan struct{}), uploads: map[string][]byte{}, members: map[string][]string{},
		messages: map[string]slack.Message{}, limited: map[string]int{}, calls: map[string]int{}, handled: map[string]int{},
		locales: map[string]string{}}
	routes := map[string]http.HandlerFunc{
		"/auth.test":                    f.authTest,
		"/chat.postMessage":             f.postMessage,
		"/chat.update":                  f.update,
		"/chat.postEphemeral":           f.postEphemeral,
		"/views.open":                   f.openView,
		"/files.getUploadURLExternal":   f.uploadURL,
		"/upload/":                      f.upload,
		"/files.completeUploadExternal": f.completeUpload,
		"/conversations.members":        f.conversationMembers,
		"/conversations.history":        f.history,
		"/conversations.replies":        f.history,
		"/conversations.create":         f.create,
		"/conversations.invite":         f.invite,
		"/chat.getPermalink":            f.permalink,
		"/users.info":                   f.userInfo,
		"/response/":                    f.responseURL,
		"/conversations.setPurpose":     func(w http.ResponseWriter, r *http.Request) { f.ok(w, nil) },
		"/apps.connections.open":        f.connectionsOpen,
	}
	f.Server = slacktest.NewTestServer(func(c slacktest.Customize) {
		for path, h := range routes {
			method := strings.Trim(path, "/")
			c.Handle(path, f.limit(method, h))
		}
	})
	f.Start()
	// The WebSocket server blocks until what it reads is taken from
	// SeenFeed: drain it.
	go func() {
		for m := range f.SeenFeed {
			f.record(func() { f.seen = append(f.seen, m) })
		}
	}()
	t.Cleanup(f.Stop)
	return f
}

// limit answers 429 with Retry-After: 1 while limited[method] > 0.
func (f *fakeSlack) limit(method string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.calls[method]++
		n := f.limited[method]
		if n > 0 {
			f.limited[method] = n - 1
		}
		f.mu.Unlock()
		if n > 0 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		h(w, r)
	}
}

// record changes the fake's state under mu and wakes wait.
func (f *fakeSlack) record(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
	close(f.changed)
	f.changed = make(chan struct{})
}

// wait returns once cond holds (checked under mu after each call the fake
// receives), failing the test after 10 s.
func (f *fakeSlack) wait(what string, cond func() bool) {
	f.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		f.mu.Lock()
		ok, ch := cond(), f.changed
		f.mu.Unlock()
		if ok {
			return
		}
		select {
		case <-ch:
		case <-deadline:
			f.t.Fatalf("waited 10 s for %s", what)
		}
	}
}

// snapshot runs fn under mu, to read the recorded calls.
func (f *fakeSlack) snapshot(fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn()
}

func (f *fakeSlack) ok(w http.ResponseWriter, v map[string]any) {
	if v == nil {
		v = map[string]any{}
	}
	v["ok"] = true
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeSlack) fail(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{"ok": false, "error": code})
}

func form(r *http.Request) url.Values {
	r.ParseMultipartForm(1 << 20)
	return r.Form
}

func (f *fakeSlack) authTest(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	bad := f.badAuth
	f.mu.Unlock()
	if bad {
		f.fail(w, "invalid_auth")
		return
	}
	f.ok(w, map[string]any{"url": "https://vigie-test.slack.com/", "team": "CH Test", "user": "vigie", "team_id": "T111", "user_id": "UBOT"})
}

func (f *fakeSlack) connectionsOpen(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	bad := f.badApp
	f.mu.Unlock()
	if bad {
		f.fail(w, "invalid_auth")
		return
	}
	f.ok(w, map[string]any{"url": f.GetWSURL()})
}

func (f *fakeSlack) postMessage(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	var ts string
	f.record(func() {
		f.n++
		ts = fmt.Sprintf("1700000000.%06d", f.n)
		f.posts = append(f.posts, sent{Channel: v.Get("channel"), TS: ts, Text: v.Get("text"), Blocks: json.RawMessage(v.Get("blocks"))})
	})
	f.ok(w, map[string]any{"channel": v.Get("channel"), "ts": ts})
}

func (f *fakeSlack) update(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.record(func() {
		f.updates = append(f.updates, sent{Channel: v.Get("channel"), TS: v.Get("ts"), Text: v.Get("text"), Blocks: json.RawMessage(v.Get("blocks"))})
	})
	f.ok(w, map[string]any{"channel": v.Get("channel"), "ts": v.Get("ts")})
}

func (f *fakeSlack) postEphemeral(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.record(func() {
		f.ephemeral = append(f.ephemeral, sent{Channel: v.Get("channel"), User: v.Get("user"), Text: v.Get("text"), Blocks: json.RawMessage(v.Get("blocks"))})
	})
	f.ok(w, map[string]any{"message_ts": "1700000000.999999"})
}

func (f *fakeSlack) openView(w http.ResponseWriter, r *http.Request) {
	var req struct {
		TriggerID string                 `json:"trigger_id"`
		View      slack.ModalViewRequest `json:"view"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		f.fail(w, "invalid_json")
		return
	}
	if req.TriggerID == "expired" {
		f.fail(w, "expired_trigger_id")
		return
	}
	f.record(func() {
		f.views = append(f.views, req.View)
		f.triggers = append(f.triggers, req.TriggerID)
	})
	f.ok(w, map[string]any{"view": map[string]any{"id": fmt.Sprintf("V%d", len(f.views)), "hash": "h1"}})
}

func (f *fakeSlack) uploadURL(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.ok(w, map[string]any{"upload_url": f.GetAPIURL() + "upload/" + url.PathEscape(v.Get("filename")), "file_id": "F" + v.Get("length")})
}

func (f *fakeSlack) upload(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/upload/")
	file, _, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	data, _ := io.ReadAll(file)
	f.record(func() { f.uploads[name] = data })
	w.WriteHeader(http.StatusOK)
}

func (f *fakeSlack) completeUpload(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	var files []slack.FileSummary
	json.Unmarshal([]byte(v.Get("files")), &files)
	f.record(func() { f.shared = append(f.shared, v.Get("channel_id")) })
	f.ok(w, map[string]any{"files": files})
}

func (f *fakeSlack) conversationMembers(w http.ResponseWriter, r *http.Request) {
	ch := form(r).Get("channel")
	f.mu.Lock()
	m, ok := f.members[ch]
	f.mu.Unlock()
	if !ok {
		f.fail(w, "channel_not_found")
		return
	}
	f.ok(w, map[string]any{"members": m, "response_metadata": map[string]string{"next_cursor": ""}})
}

func (f *fakeSlack) history(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	ts := v.Get("latest")
	if ts == "" {
		ts = v.Get("ts")
	}
	f.mu.Lock()
	m, ok := f.messages[v.Get("channel")+"|"+ts]
	f.mu.Unlock()
	msgs := []slack.Message{}
	if ok {
		msgs = append(msgs, m)
	}
	f.ok(w, map[string]any{"messages": msgs, "has_more": false})
}

func (f *fakeSlack) create(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.record(func() { f.created = append(f.created, v) })
	f.ok(w, map[string]any{"channel": map[string]any{"id": "CNEW", "name": v.Get("name"), "is_private": v.Get("is_private") == "true"}})
}

func (f *fakeSlack) invite(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.record(func() { f.invited = append(f.invited, v) })
	f.ok(w, map[string]any{"channel": map[string]any{"id": v.Get("channel")}})
}

func (f *fakeSlack) permalink(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	f.ok(w, map[string]any{"channel": v.Get("channel"), "permalink": "https://vigie-test.slack.com/archives/" + v.Get("channel") + "/p" + strings.ReplaceAll(v.Get("message_ts"), ".", "")})
}

// userInfo is users.info: the locale only when include_locale is true, as
// Slack does.
func (f *fakeSlack) userInfo(w http.ResponseWriter, r *http.Request) {
	v := form(r)
	id := v.Get("user")
	f.mu.Lock()
	locale, bad := f.locales[id], f.badUsers
	f.mu.Unlock()
	if bad {
		f.fail(w, "fatal_error")
		return
	}
	u := map[string]any{"id": id, "name": "name-" + strings.ToLower(id)}
	if locale != "" && v.Get("include_locale") == "true" {
		u["locale"] = locale
	}
	f.ok(w, map[string]any{"user": u})
}

func (f *fakeSlack) responseURL(w http.ResponseWriter, r *http.Request) {
	var body map[string]any
	json.NewDecoder(r.Body).Decode(&body)
	text, _ := body["text"].(string)
	blocks, _ := json.Marshal(body["blocks"])
	f.record(func() {
		f.responses = append(f.responses, sent{TS: r.URL.Path, Text: text, Blocks: blocks, Body: body})
	})
	f.ok(w, nil)
}

// responseURL is a response_url on the fake, which the adapter trusts as
// it trusts hooks.slack.com.
func (f *fakeSlack) responseURLFor(id string) string { return f.GetAPIURL() + "response/" + id }
