package mattermost

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
)

// fakeMM is a Mattermost server on httptest speaking the real JSON of the
// /api/v4 routes the adapter calls, with failures to inject. It is not a
// Go fake of the client: the adapter's model.Client4 talks HTTP to it.
type fakeMM struct {
	t   testing.TB
	srv *httptest.Server

	mu       sync.Mutex // guards all below
	token    string     // the valid bot token
	botID    string
	posts    map[string]*model.Post
	pending  map[string]string // pending post id → post id (the server's dedup)
	members  map[string]map[string]bool
	channels map[string]*model.Channel
	users    map[string]*model.User
	teams    map[string]*model.Team
	fails    map[string][]failure // route pattern → failures to serve first
	calls    map[string]int       // route pattern → calls
	dialogs  []model.OpenDialogRequest
	ephem    []model.PostEphemeral
	files    int
	// ws serves the n-th WebSocket connection (from 1); nil: 404.
	ws  func(n int, c *websocket.Conn)
	wsN int
}

// failure is an answer served instead of the route's: status with an
// optional Retry-After; commit: the route runs first, then the answer is
// lost (as when a proxy times out).
type failure struct {
	status     int
	retryAfter string
	commit     bool
}

func newFakeMM(t testing.TB) *fakeMM {
	f := &fakeMM{t: t, token: "bot-token", botID: "botuserid00000000000000000",
		posts: map[string]*model.Post{}, pending: map[string]string{}, members: map[string]map[string]bool{},
		channels: map[string]*model.Channel{}, users: map[string]*model.User{}, teams: map[string]*model.Team{},
		fails: map[string][]failure{}, calls: map[string]int{}}
	f.teams["team1"] = &model.Team{Id: "team1", Name: "crise", DisplayName: "Cellule de crise"}
	f.channels["chan1"] = &model.Channel{Id: "chan1", TeamId: "team1", Name: "cellule-cyber", Type: model.ChannelTypeOpen}
	f.users[f.botID] = &model.User{Id: f.botID, Username: "vigie", IsBot: true}
	f.users["alice"] = &model.User{Id: "alice", Username: "alice"}
	f.users["bob"] = &model.User{Id: "bob", Username: "bob"}
	f.members["chan1"] = map[string]bool{f.botID: true, "alice": true}

	mux := http.NewServeMux()
	route := func(pattern string, h func(w http.ResponseWriter, r *http.Request)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			scheme, tok, _ := strings.Cut(r.Header.Get("Authorization"), " ")
			if (!strings.EqualFold(scheme, "bearer") || tok != f.token) && !strings.HasSuffix(pattern, "/websocket") {
				appError(w, http.StatusUnauthorized, "api.context.session_expired.app_error", "Invalid or expired session, please login again.")
				return
			}
			f.mu.Lock()
			f.calls[pattern]++
			var fail *failure
			if q := f.fails[pattern]; len(q) > 0 {
				fail = &q[0]
				f.fails[pattern] = q[1:]
			}
			f.mu.Unlock()
			if fail != nil && !fail.commit {
				serveFailure(w, *fail)
				return
			}
			if fail != nil {
				h(httptest.NewRecorder(), r)
				serveFailure(w, *fail)
				return
			}
			h(w, r)
		})
	}
	route("GET /api/v4/users/me", func(w http.ResponseWriter, r *http.Request) { f.json(w, f.users[f.botID]) })
	route("GET /api/v4/users/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.get(w, func() (any, bool) { u, ok := f.users[r.PathValue("id")]; return u, ok })
	})
	route("GET /api/v4/teams/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.get(w, func() (any, bool) { t, ok := f.teams[r.PathValue("id")]; return t, ok })
	})
	route("GET /api/v4/channels/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.get(w, func() (any, bool) { c, ok := f.channels[r.PathValue("id")]; return c, ok })
	})
	route("GET /api/v4/channels/{id}/members", func(w http.ResponseWriter, r *http.Request) {
		ch := r.PathValue("id")
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		per, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if per <= 0 {
			per = 60 // the server's default
		}
		f.mu.Lock()
		users := slices.Sorted(maps.Keys(f.members[ch]))
		_, known := f.channels[ch]
		f.mu.Unlock()
		users = slices.DeleteFunc(users, func(u string) bool { return !f.isMember(ch, u) })
		if !known {
			appError(w, http.StatusNotFound, "app.channel.get.existing.app_error", "Unable to find the existing channel.")
			return
		}
		out := model.ChannelMembers{}
		for _, u := range users[min(len(users), page*per):min(len(users), (page+1)*per)] {
			out = append(out, model.ChannelMember{ChannelId: ch, UserId: u})
		}
		f.json(w, out)
	})
	route("GET /api/v4/channels/{id}/members/{user}", func(w http.ResponseWriter, r *http.Request) {
		f.get(w, func() (any, bool) {
			ch, u := r.PathValue("id"), r.PathValue("user")
			return &model.ChannelMember{ChannelId: ch, UserId: u}, f.members[ch][u]
		})
	})
	route("POST /api/v4/channels", func(w http.ResponseWriter, r *http.Request) {
		var ch model.Channel
		f.decode(r, &ch)
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, c := range f.channels {
			if c.Name == ch.Name && c.TeamId == ch.TeamId {
				appError(w, http.StatusBadRequest, "store.sql_channel.save_channel.exists.app_error", "A channel with that name already exists on the same team.")
				return
			}
		}
		ch.Id = model.NewId()
		f.channels[ch.Id] = &ch
		f.members[ch.Id] = map[string]bool{f.botID: true}
		w.WriteHeader(http.StatusCreated)
		f.jsonLocked(w, &ch)
	})
	route("POST /api/v4/channels/{id}/members", func(w http.ResponseWriter, r *http.Request) {
		var m model.ChannelMember
		f.decode(r, &m)
		f.mu.Lock()
		f.members[r.PathValue("id")][m.UserId] = true
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		f.json(w, &model.ChannelMember{ChannelId: r.PathValue("id"), UserId: m.UserId})
	})
	route("POST /api/v4/posts", func(w http.ResponseWriter, r *http.Request) {
		var p model.Post
		f.decode(r, &p)
		f.mu.Lock()
		defer f.mu.Unlock()
		if id, ok := f.pending[p.PendingPostId]; ok && p.PendingPostId != "" {
			w.WriteHeader(http.StatusCreated)
			f.jsonLocked(w, f.posts[id])
			return
		}
		p.Id, p.UserId, p.CreateAt = model.NewId(), f.botID, model.GetMillis()
		f.posts[p.Id] = &p
		f.pending[p.PendingPostId] = p.Id
		w.WriteHeader(http.StatusCreated)
		f.jsonLocked(w, &p)
	})
	route("POST /api/v4/posts/ephemeral", func(w http.ResponseWriter, r *http.Request) {
		appError(w, http.StatusForbidden, "api.context.permissions.app_error", "You do not have the appropriate permissions.")
	})
	route("PUT /api/v4/posts/{id}/patch", func(w http.ResponseWriter, r *http.Request) {
		var patch model.PostPatch
		f.decode(r, &patch)
		f.mu.Lock()
		defer f.mu.Unlock()
		p, ok := f.posts[r.PathValue("id")]
		if !ok {
			appError(w, http.StatusNotFound, "app.post.get.app_error", "Unable to get the post.")
			return
		}
		p.Patch(&patch)
		p.EditAt = model.GetMillis()
		f.jsonLocked(w, p)
	})
	route("GET /api/v4/posts/{id}", func(w http.ResponseWriter, r *http.Request) {
		f.get(w, func() (any, bool) { p, ok := f.posts[r.PathValue("id")]; return p, ok })
	})
	route("POST /api/v4/files", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			appError(w, http.StatusBadRequest, "api.file.upload_file.app_error", err.Error())
			return
		}
		f.mu.Lock()
		f.files++
		f.mu.Unlock()
		w.WriteHeader(http.StatusCreated)
		f.json(w, &model.FileUploadResponse{FileInfos: []*model.FileInfo{{Id: model.NewId(), Name: r.MultipartForm.File["files"][0].Filename}}})
	})
	route("POST /api/v4/actions/dialogs/open", func(w http.ResponseWriter, r *http.Request) {
		var d model.OpenDialogRequest
		f.decode(r, &d)
		f.mu.Lock()
		f.dialogs = append(f.dialogs, d)
		f.mu.Unlock()
		f.json(w, map[string]string{"status": "OK"})
	})
	route("GET /api/v4/websocket", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.wsN++
		n, serve := f.wsN, f.ws
		f.mu.Unlock()
		if serve == nil {
			http.NotFound(w, r)
			return
		}
		c, err := (&websocket.Upgrader{}).Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		// The client authenticates first, as with the real server.
		var challenge map[string]any
		if err := c.ReadJSON(&challenge); err != nil || challenge["action"] != "authentication_challenge" {
			return
		}
		c.WriteJSON(map[string]any{"status": "OK", "seq_reply": 1})
		serve(n, c)
	})
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	return f
}

func serveFailure(w http.ResponseWriter, f failure) {
	if f.retryAfter != "" {
		w.Header().Set("Retry-After", f.retryAfter)
	}
	appError(w, f.status, "api.fake.failure", http.StatusText(f.status))
}

func appError(w http.ResponseWriter, status int, id, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(&model.AppError{Id: id, Message: msg, StatusCode: status, RequestId: "req"})
}

func (f *fakeMM) decode(r *http.Request, v any) {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		f.t.Errorf("%s %s: %v", r.Method, r.URL.Path, err)
	}
}

func (f *fakeMM) json(w http.ResponseWriter, v any) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jsonLocked(w, v)
}

func (f *fakeMM) jsonLocked(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

func (f *fakeMM) get(w http.ResponseWriter, find func() (any, bool)) {
	f.mu.Lock()
	v, ok := find()
	f.mu.Unlock()
	if !ok {
		appError(w, http.StatusNotFound, "app.fake.not_found", "Not found.")
		return
	}
	f.json(w, v)
}

// fail queues failures for a route pattern.
func (f *fakeMM) fail(pattern string, fs ...failure) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails[pattern] = append(f.fails[pattern], fs...)
}

func (f *fakeMM) called(pattern string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[pattern]
}

func (f *fakeMM) post(id string) *model.Post {
	f.mu.Lock()
	defer f.mu.Unlock()
	if p := f.posts[id]; p != nil {
		return p.Clone()
	}
	return nil
}

// addPost stores a post by someone, as if posted through the server.
func (f *fakeMM) addPost(p *model.Post) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	p.Id = model.NewId()
	f.posts[p.Id] = p
	return p.Id
}

var testSecret = []byte("0123456789abcdef0123456789abcdef")

// testNow is the adapter's clock in unit tests.
var testNow = time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)

// newTestAdapter returns an adapter on f, checked, logging into logs.
func newTestAdapter(t testing.TB, f *fakeMM, logs *bytes.Buffer) *Adapter {
	t.Helper()
	if logs == nil {
		logs = &bytes.Buffer{}
	}
	a, err := New(Options{
		URL: f.srv.URL, BotToken: f.token, CommandTokens: []string{"cmd-token-1", "cmd-token-2"},
		Secret: testSecret, PublicURL: "http://vigie.test", Log: slog.New(slog.NewTextHandler(&syncWriter{w: logs}, nil)),
		Retry:     Retry{Attempts: 3, Base: time.Millisecond, MaxWait: 2 * time.Second},
		Reconnect: 5 * time.Millisecond,
		Now:       func() time.Time { return testNow },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Check(context.Background()); err != nil {
		t.Fatal(err)
	}
	return a
}

// syncWriter makes a buffer safe for concurrent log writes.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// recorder is a Handler that records what it is handed and answers with
// reply (or reply(ev)).
type recorder struct {
	mu      sync.Mutex
	events  []bot.Event
	repeats []bot.Event // clicks merged into one in flight (Repeated)
	pins    []bot.Pin
	reply   func(ev bot.Event) bot.Reply
}

// Repeated records a click the adapter merged, as the bot counts it.
func (r *recorder) Repeated(ev bot.Event) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.repeats = append(r.repeats, ev)
}

func (r *recorder) merged() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.repeats...)
}

func (r *recorder) Handle(ctx context.Context, ev bot.Event) bot.Reply {
	r.mu.Lock()
	r.events = append(r.events, ev)
	fn := r.reply
	r.mu.Unlock()
	if fn == nil {
		return bot.Reply{Text: "ok: " + ev.Text}
	}
	return fn(ev)
}

func (r *recorder) LogPin(ctx context.Context, p bot.Pin) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.pins = append(r.pins, p)
	return true, nil
}

func (r *recorder) handled() []bot.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]bot.Event(nil), r.events...)
}

// serve runs h on a request and returns the recorded response.
func serve(h http.Handler, method, target string, header http.Header, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// isMember says whether user is a member of channel.
func (f *fakeMM) isMember(ch, user string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.members[ch][user]
}
