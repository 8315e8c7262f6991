// Package mattermost is the Mattermost channel of Vigie: the /incident
// slash command, the buttons of the cards and their dialogs over HTTP, the
// posts through the REST API (model.Client4) as the bot account, and a
// WebSocket listener that logs a message in the main courante when someone
// reacts to it with :pushpin:.
//
// Mattermost signs nothing it sends to an integration, and any user can
// post a button aimed at Vigie's URL with a context of their choosing. So
// every button context and every dialog state carries our own HMAC over
// the action, its expiry and the channel (and, for a dialog, the user); a
// click is also refused when the post does not belong to the bot account,
// and the bot refuses whoever is not a member of the incident's channel
// (IsMember). Slash commands are checked against their tokens in constant
// time.
//
// Platform trouble (429, 5xx, a server out of reach) is retried a few times
// with backoff honouring Retry-After, then returned wrapped in
// bot.ErrTemporary with the delay to wait, so that the reminder sweep tries
// again later: an outage delays posts and nags, it never loses them. Posts
// carry a pending post id, so that a retry never posts twice; the edits of
// the cards go in the background, newest first (update.go), so that a
// click is answered without waiting for them.
//
// Each person is answered in the language of their Mattermost when Vigie
// speaks it, else in the deployment's; the cards and the main courante stay
// in the deployment's (people.go).
//
// It implements the conversation's Chat and its optional abilities (bot)
// on the domain types (incident); it must not import another adapter, a
// store or the command line: internal/cli wires it to a store.
package mattermost

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/internal/expiring"
)

// Endpoints Vigie serves for Mattermost, under the public URL.
const (
	PathCommand = "/mattermost/command"
	PathAction  = "/mattermost/action"
	PathDialog  = "/mattermost/dialog"
)

// Handler is what the adapter hands events to: the bot.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) bot.Reply
	LogPin(ctx context.Context, p bot.Pin) (bool, error)
}

// Options configure an Adapter.
type Options struct {
	URL           string   // the Mattermost site URL, https://chat.example.fr
	BotToken      string   // the bot account's access token
	CommandTokens []string // the tokens of the slash commands aimed at Vigie
	// Secret is the HMAC key of button contexts and dialog states (at
	// least 16 bytes).
	Secret []byte
	// PublicURL is how Mattermost reaches Vigie: buttons and dialogs call
	// back PublicURL + PathAction and PathDialog.
	PublicURL string
	Trigger   string   // the slash command, "/incident" by default
	Lang      bot.Lang // the deployment's language, for people whose Mattermost language Vigie does not speak
	Log       *slog.Logger

	// ButtonTTL is how long a button stays valid after its post was last
	// rendered (30 days by default); every refresh of a card signs again.
	ButtonTTL time.Duration
	// DialogTTL is how long an opened dialog may be submitted (2 h).
	DialogTTL time.Duration
	// Retry bounds the retries of a REST call on 429 and 5xx.
	Retry Retry
	// Reconnect is the first delay before the WebSocket reconnects after a
	// drop (1 s by default); it doubles up to a minute.
	Reconnect time.Duration
	// SyncUpdates makes Update edit the post before it returns, instead of
	// in the background (see update.go). serve sets it: the bot's outbox
	// keeps what is owed durably and must hear whether an edit was made.
	SyncUpdates bool
	// EditGap is the least time between two edits of one post in the
	// background (500 ms by default; see update.go).
	EditGap time.Duration
	// Timeout bounds one event's handling, well inside Mattermost's
	// OutgoingIntegrationRequestsTimeout (30 s): 20 s by default.
	Timeout time.Duration
	Now     func() time.Time
	// HTTPClient carries the REST calls (a 20 s timeout by default).
	HTTPClient *http.Client
	// Answered, when set, hears each answer Vigie gives in its response to
	// a slash command (kind command), a click (click) or a dialog (form),
	// with the time from the request received: on Mattermost the response
	// is what the person sees.
	Answered func(kind string, d time.Duration)
}

// Adapter implements bot.Chat, bot.Uploader, bot.MemberChecker and
// bot.ChannelCreator on Mattermost, and serves the slash command, button
// and dialog callbacks.
type Adapter struct {
	opt    Options
	api    api
	log    *slog.Logger
	now    func() time.Time
	sign   *signer
	tokens [][32]byte // SHA-256 of each command token
	site   string     // the site URL without a trailing slash
	public string     // the public URL without a trailing slash

	mu       sync.Mutex             // guards the fields below
	botID    string                 // the bot account's user id, known after Check
	names    map[string]channelInfo // channel id → name and team
	teams    map[string]string      // team id → name, for permalinks
	noEphem  bool                   // the bot may not create ephemeral posts
	inflight map[string]*call       // clicks being handled, by user, post and action
	botPosts map[string]string      // post id → channel, of posts known to be the bot's (action.go)

	upd    updates // card edits not yet sent
	people persons // users' names and languages (people.go)

	members  expiring.Map[string, struct{}] // channel NUL user, of members lately checked (members.go)
	removals atomic.Uint64                  // user_removed events seen, for members.go
	flights  singleflight.Group             // look-ups of people and members being made (people.go, members.go)
}

var (
	_ bot.Chat           = (*Adapter)(nil)
	_ bot.Uploader       = (*Adapter)(nil)
	_ bot.MemberChecker  = (*Adapter)(nil)
	_ bot.ChannelCreator = (*Adapter)(nil)
)

// api is the part of model.Client4 the adapter uses, so that tests may
// swap it; model.Client4 satisfies it.
type api interface {
	GetMe(ctx context.Context, etag string) (*model.User, *model.Response, error)
	GetUser(ctx context.Context, userID, etag string) (*model.User, *model.Response, error)
	GetTeam(ctx context.Context, teamID, etag string) (*model.Team, *model.Response, error)
	GetChannel(ctx context.Context, channelID string) (*model.Channel, *model.Response, error)
	GetChannelMember(ctx context.Context, channelID, userID, etag string) (*model.ChannelMember, *model.Response, error)
	GetChannelMembers(ctx context.Context, channelID string, page, perPage int, etag string) (model.ChannelMembers, *model.Response, error)
	CreateChannel(ctx context.Context, channel *model.Channel) (*model.Channel, *model.Response, error)
	AddChannelMember(ctx context.Context, channelID, userID string) (*model.ChannelMember, *model.Response, error)
	CreatePost(ctx context.Context, post *model.Post) (*model.Post, *model.Response, error)
	CreatePostEphemeral(ctx context.Context, post *model.PostEphemeral) (*model.Post, *model.Response, error)
	// DoAPIPutJSON edits posts (update.go): PatchPost would decode the
	// post the server sends back, which Vigie does not read.
	DoAPIPutJSON(ctx context.Context, url string, data any) (*http.Response, error)
	GetPost(ctx context.Context, postID, etag string) (*model.Post, *model.Response, error)
	UploadFile(ctx context.Context, data []byte, channelID, filename string) (*model.FileUploadResponse, *model.Response, error)
	OpenInteractiveDialog(ctx context.Context, request model.OpenDialogRequest) (*model.Response, error)
}

var _ api = (*model.Client4)(nil)

// New returns an adapter for the server at opt.URL. It does not contact
// the server: Check does.
func New(opt Options) (*Adapter, error) {
	if u, err := url.Parse(opt.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mattermost: url %q is not an http(s) URL", opt.URL)
	}
	if u, err := url.Parse(opt.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("mattermost: public URL %q is not an http(s) URL", opt.PublicURL)
	}
	if opt.BotToken == "" {
		return nil, errors.New("mattermost: no bot token")
	}
	if len(opt.Secret) < 16 {
		return nil, errors.New("mattermost: the action secret must be at least 16 bytes")
	}
	c := model.NewAPIv4Client(opt.URL)
	c.SetToken(opt.BotToken)
	if opt.HTTPClient != nil {
		c.HTTPClient = opt.HTTPClient
	} else {
		c.HTTPClient = &http.Client{Timeout: 20 * time.Second, Transport: transport()}
	}
	return newAdapter(opt, c), nil
}

// transport carries the REST calls. Every click and command makes a call
// or two while the card edits run beside them, so under load far more than
// net/http's default of two idle connections per host are busy at once:
// with the default, every call beyond two dialled a new connection and
// left it in TIME_WAIT (8 % of the CPU of the load benchmark).
func transport() http.RoundTripper {
	d, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: its choice
		return http.DefaultTransport
	}
	t := d.Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 256
	return t
}

// newAdapter fills the defaults around a REST client.
func newAdapter(opt Options, c api) *Adapter {
	if opt.Trigger == "" {
		opt.Trigger = "/incident"
	}
	if opt.Lang == "" {
		opt.Lang = "fr"
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.ButtonTTL <= 0 {
		opt.ButtonTTL = 30 * 24 * time.Hour
	}
	if opt.DialogTTL <= 0 {
		opt.DialogTTL = 2 * time.Hour
	}
	if opt.Reconnect <= 0 {
		opt.Reconnect = time.Second
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 20 * time.Second
	}
	if opt.EditGap <= 0 {
		opt.EditGap = 500 * time.Millisecond
	}
	opt.Retry = opt.Retry.withDefaults()
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	a := &Adapter{
		opt: opt, api: c, log: opt.Log, now: now,
		sign:   &signer{key: opt.Secret},
		site:   strings.TrimRight(opt.URL, "/"),
		public: strings.TrimRight(opt.PublicURL, "/"),
		names:  map[string]channelInfo{}, teams: map[string]string{},
		inflight: map[string]*call{}, botPosts: map[string]string{},
	}
	for _, t := range opt.CommandTokens {
		if t != "" {
			a.tokens = append(a.tokens, sha256.Sum256([]byte(t)))
		}
	}
	return a
}

// Check verifies the bot token with GetMe and learns the bot's user id.
// A rejected token is reported as such, naming the setting.
func (a *Adapter) Check(ctx context.Context) error {
	var me *model.User
	err := a.do(ctx, "get me", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		me, resp, err = a.api.GetMe(ctx, "")
		return resp, err
	})
	var ae *apiError
	switch {
	case errors.As(err, &ae) && (ae.status == http.StatusUnauthorized || ae.status == http.StatusForbidden):
		return fmt.Errorf("mattermost.bot_token rejected by %s: %s", a.site, ae.message())
	case err != nil:
		return fmt.Errorf("mattermost.url %s: cannot check the bot token: %w", a.site, err)
	case me == nil || me.Id == "":
		return fmt.Errorf("mattermost.url %s: GetMe returned no user", a.site)
	}
	if !me.IsBot && a.BotUserID() == "" {
		a.log.Warn("mattermost: the token is a person's, not a bot account's; posts will carry that person's name", "user", me.Username)
	}
	a.mu.Lock()
	first := a.botID == ""
	a.botID = me.Id
	a.mu.Unlock()
	if first { // Check also answers /readyz: say it once
		a.log.Info("mattermost: connected", "url", a.site, "bot", me.Username)
	}
	return nil
}

// BotUserID returns the bot account's user id (empty before Check).
func (a *Adapter) BotUserID() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.botID
}

// routes are the callbacks Mount registers, by path, with the kind of
// request each answers (bot.AnswerKinds); Paths lists the same.
var routes = []struct {
	path, kind string
	handler    func(a *Adapter, h Handler) http.Handler
}{
	{PathCommand, bot.AnswerCommand, (*Adapter).CommandHandler},
	{PathAction, bot.AnswerClick, (*Adapter).ActionHandler},
	{PathDialog, bot.AnswerForm, (*Adapter).DialogHandler},
}

// Mount registers the callbacks on mux.
func (a *Adapter) Mount(mux *http.ServeMux, h Handler) {
	for _, r := range routes {
		mux.Handle("POST "+r.path, a.timed(r.kind, r.handler(a, h)))
	}
}

// Paths are the paths Mount serves, for metrics by endpoint.
func (a *Adapter) Paths() []string {
	var ps []string
	for _, r := range routes {
		ps = append(ps, r.path)
	}
	return ps
}

// timed reports to Options.Answered the answers next gives (a 200: a
// refused request, such as a bad token, is nobody's answer).
func (a *Adapter) timed(kind string, next http.Handler) http.Handler {
	if a.opt.Answered == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := a.now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		if sw.status == http.StatusOK {
			a.opt.Answered(kind, a.now().Sub(start))
		}
	})
}

// statusWriter keeps the status of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// eventContext is the context an event is handled in: detached from the
// request, so that Mattermost giving up on a slow answer does not cut a
// change in half, and bounded.
func (a *Adapter) eventContext(r *http.Request) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.WithoutCancel(r.Context()), a.opt.Timeout)
}
