// Package slack is Vigie's Slack adapter, on slack-go.
//
// It receives what people do over Socket Mode (the default: an outbound
// WebSocket, no public URL, the usual setting behind a hospital firewall)
// or over HTTP (POST /slack/commands, /slack/interactions and /slack/events,
// each checked against Slack's signature over the raw body before anything
// else). It renders the bot's messages as Block Kit, its dialogs as modals,
// and implements bot.Chat, bot.Uploader, bot.MemberChecker and
// bot.ChannelCreator.
//
// Slack wants an acknowledgement within 3 seconds and the bot's work may
// take longer. Over HTTP, a command, a click or a form is handled before
// its acknowledgement when one of the workers' places is free, and the
// bot's commit is its durable record (direct.go); otherwise, and for
// events and everything in Socket Mode, the request is first written to
// a small bbolt inbox in the data directory, then acknowledged, then
// handled by a bounded pool of workers. What was acknowledged and not yet
// handled when the process died is handled at the next start. The inbox
// also remembers the ids it recorded (event_id, trigger_id, envelope), so
// that Slack's retries and Socket Mode redeliveries change nothing twice;
// double clicks are the bot's own idempotency.
//
// Each person is answered in the language of their Slack when Vigie speaks
// it, else in the deployment's; the cards and the main courante stay in
// the deployment's (people.go).
//
// It implements the conversation's Chat and its optional abilities (bot)
// on the domain types (incident); it must not import another adapter, a
// store or the command line: internal/cli wires it to a store.
package slack

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sync/singleflight"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"

	"github.com/vigie-sante/vigie/bot"
)

// slackAPI is the part of slack.Client the adapter uses: a seam for tests
// and a list of what the app's scopes must allow.
type slackAPI interface {
	AuthTestContext(ctx context.Context) (*slack.AuthTestResponse, error)
	StartSocketModeContext(ctx context.Context) (*slack.SocketModeConnection, string, error)
	PostMessageContext(ctx context.Context, channel string, opts ...slack.MsgOption) (string, string, error)
	UpdateMessageContext(ctx context.Context, channel, ts string, opts ...slack.MsgOption) (string, string, string, error)
	PostEphemeralContext(ctx context.Context, channel, user string, opts ...slack.MsgOption) (string, error)
	OpenViewContext(ctx context.Context, triggerID string, view slack.ModalViewRequest) (*slack.ViewResponse, error)
	UploadFileContext(ctx context.Context, p slack.UploadFileParameters) (*slack.FileSummary, error)
	GetUsersInConversationContext(ctx context.Context, p *slack.GetUsersInConversationParameters) ([]string, string, error)
	CreateConversationContext(ctx context.Context, p slack.CreateConversationParams) (*slack.Channel, error)
	InviteUsersToConversationContext(ctx context.Context, channel string, users ...string) (*slack.Channel, error)
	SetPurposeOfConversationContext(ctx context.Context, channel, purpose string) (*slack.Channel, error)
	GetConversationHistoryContext(ctx context.Context, p *slack.GetConversationHistoryParameters) (*slack.GetConversationHistoryResponse, error)
	GetConversationRepliesContext(ctx context.Context, p *slack.GetConversationRepliesParameters) ([]slack.Message, bool, string, error)
	GetPermalinkContext(ctx context.Context, p *slack.PermalinkParameters) (string, error)
	GetUserInfoContext(ctx context.Context, user string, opts ...slack.GetUserInfoOption) (*slack.User, error)
}

var _ slackAPI = (*slack.Client)(nil)

// Handler is what the adapter hands events to: the bot.
type Handler interface {
	Handle(ctx context.Context, ev bot.Event) bot.Reply
	LogPin(ctx context.Context, p bot.Pin) (bool, error)
}

// Modes of receiving events.
const (
	ModeSocket = "socket"
	ModeHTTP   = "http"
)

// Options configure an Adapter. The tokens come from the configuration's
// slack section.
type Options struct {
	Mode          string // ModeSocket (default) or ModeHTTP
	BotToken      string // xoxb-…
	AppToken      string // xapp-…, Socket Mode only
	SigningSecret string // HTTP mode only
	// Dir is the data directory; the inbox is slack-inbox.db there.
	Dir     string
	Lang    bot.Lang // the deployment's language, for the adapter's own words
	Trigger string   // "/incident"
	Log     *slog.Logger

	// APIURL replaces https://slack.com/api/ (tests).
	APIURL string
	// HTTPClient replaces the default client of the Web API.
	HTTPClient *http.Client
	// Now is the clock of signature checks and trigger ages.
	Now func() time.Time
	// Answered, when set, hears each answer shown to the person who sent a
	// request: its kind (command, click, form) and the time from the
	// request received, on the acknowledgement or posted after it.
	Answered func(kind string, d time.Duration)
	// Workers bounds the events handled at once (64 by default). Most of
	// an event's time is spent waiting for its commit, not on a core: with
	// 8, the clicks of a busy minute waited behind 8 commits at a time,
	// about 2 000 a second whatever the machine.
	Workers int
	// ReplyWithin is how long a slash command recorded in the inbox waits
	// for the bot when it is not busy, so that a quick answer (help,
	// status) rides on its acknowledgement; a slower one follows through
	// the response_url. 25 ms by default; negative: never wait, and a
	// command's answer always follows through the response_url, even when
	// handled in the acknowledgement.
	ReplyWithin time.Duration
	// DirectWithin is how long, in HTTP mode, a command, a click or a form
	// submitted is handled before its acknowledgement, without the inbox,
	// when one of the Workers places is free (direct.go): 2 s by default,
	// within Slack's 3 s; negative: never, every request goes through
	// the inbox.
	DirectWithin time.Duration
	// PlaceWithin is how long such a request waits for a place when all
	// are taken, before the inbox takes it: a quarter of DirectWithin by
	// default, never more than DirectWithin (nor SubmitWithin for a form),
	// and the time waited counts in those; negative: no wait. Places are freed as fast as the bot works: at 5 000 requests
	// a second, one request in nine found none free and paid the inbox's
	// two commits, which slowed the bot further.
	PlaceWithin time.Duration
	// SubmitWithin is how long a modal's submission waits for the bot, so
	// that a refusal shows in the modal itself (2 s by default, within
	// Slack's 3 s).
	SubmitWithin time.Duration
	// MaxRetryWait is the longest Retry-After the adapter sleeps through
	// itself before retrying a rate-limited call once (2 s by default;
	// negative: never). Longer waits are returned as bot.ErrTemporary with
	// RetryAfter, so that reminders back off and come again.
	MaxRetryWait time.Duration
	// MemberTTL is how long a channel's member list is trusted (1 min).
	MemberTTL time.Duration

	socketOptions []socketmode.Option // tests: no pings from slacktest
	afterRun      func(*inbound)      // tests: a request was handled
}

// Adapter is Vigie on Slack. It implements bot.Chat, bot.Uploader,
// bot.MemberChecker and bot.ChannelCreator.
type Adapter struct {
	opt    Options
	client *slack.Client // Socket Mode needs the concrete client
	api    slackAPI
	log    *slog.Logger
	now    func() time.Time
	inbox  *inbox
	seen   *lru // ids seen lately, before the inbox's durable check

	members *memberCache
	names   *nameCache
	people  persons            // users' languages (people.go)
	flights singleflight.Group // people being looked up (people.go)

	places    chan struct{}  // held by requests handled in their acknowledgement
	idle      atomic.Int32   // workers waiting for a request
	acking    atomic.Int32   // requests between begin and end
	workers   sync.WaitGroup // workers and late deliveries
	crew      *crew          // runs direct requests and deliveries (crew.go)
	requests  sync.WaitGroup // inbound requests between accept and ack
	startOnce sync.Once
	// mu guards the fields below.
	mu          sync.Mutex
	h           Handler
	queue       chan *job
	queueClosed bool
	inflight    map[uint64]int // inbox entries queued or being handled: holds on each
	closing     bool
	base        context.Context    // the workers' context
	stop        context.CancelFunc // ends it
	quit        chan struct{}      // ends the rescans
	rescanned   chan struct{}      // closed when the rescans ended
	appChecked  bool               // the app-level token was accepted once
	runErr      error              // why the Socket Mode loop stopped for good
}

var (
	_ bot.Chat           = (*Adapter)(nil)
	_ bot.Uploader       = (*Adapter)(nil)
	_ bot.MemberChecker  = (*Adapter)(nil)
	_ bot.ChannelCreator = (*Adapter)(nil)
)

// New returns an adapter and opens its inbox. It makes no network call:
// Check does.
func New(opt Options) (*Adapter, error) {
	if opt.Mode == "" {
		opt.Mode = ModeSocket
	}
	switch opt.Mode {
	case ModeSocket, ModeHTTP:
	default:
		return nil, fmt.Errorf("slack.mode: %q is not accepted (accepted: socket, http)", opt.Mode)
	}
	if opt.BotToken == "" {
		return nil, errors.New("slack.bot_token: missing")
	}
	if opt.Mode == ModeHTTP && opt.SigningSecret == "" {
		return nil, errors.New("slack.signing_secret: missing (needed in HTTP mode)")
	}
	if opt.Dir == "" {
		return nil, errors.New("slack: no data directory for the inbox")
	}
	opts := []slack.Option{}
	if opt.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(opt.AppToken))
	}
	if opt.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(opt.APIURL))
	}
	if opt.HTTPClient != nil {
		opts = append(opts, slack.OptionHTTPClient(opt.HTTPClient))
	} else {
		opts = append(opts, slack.OptionHTTPClient(&http.Client{Timeout: 20 * time.Second, Transport: transport()}))
	}
	client := slack.New(opt.BotToken, opts...)
	a, err := newAdapter(opt, client)
	if err != nil {
		return nil, err
	}
	a.client = client
	return a, nil
}

// transport carries the Web API calls and the replies to response_urls.
// Every click and command makes one or two while the outbox edits cards
// beside them, so under load far more than net/http's default of two idle
// connections per host are busy at once: with the default, every call
// beyond two dialled a new connection and left it in TIME_WAIT (5 to 9 %
// of the CPU of BenchmarkAnswerOpenLoop).
func transport() http.RoundTripper {
	d, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by the program: its choice
		return http.DefaultTransport
	}
	t := d.Clone()
	t.MaxIdleConns, t.MaxIdleConnsPerHost = 256, 256
	return t
}

// newAdapter is New with the Web API given: the seam of tests.
func newAdapter(opt Options, api slackAPI) (*Adapter, error) {
	if opt.Log == nil {
		opt.Log = slog.New(slog.DiscardHandler)
	}
	if opt.Answered == nil {
		opt.Answered = func(string, time.Duration) {}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Workers <= 0 {
		opt.Workers = 64
	}
	if opt.ReplyWithin == 0 {
		opt.ReplyWithin = 25 * time.Millisecond
	}
	if opt.DirectWithin == 0 {
		opt.DirectWithin = 2 * time.Second
	}
	if opt.PlaceWithin == 0 {
		opt.PlaceWithin = opt.DirectWithin / 4
	}
	if opt.SubmitWithin == 0 {
		opt.SubmitWithin = 2 * time.Second
	}
	if opt.MaxRetryWait == 0 {
		opt.MaxRetryWait = 2 * time.Second
	}
	if opt.MemberTTL <= 0 {
		opt.MemberTTL = time.Minute
	}
	if opt.Trigger == "" {
		opt.Trigger = "/incident"
	}
	if opt.Lang == "" {
		opt.Lang = "fr"
	}
	in, err := openInbox(opt.Dir)
	if err != nil {
		return nil, err
	}
	a := &Adapter{opt: opt, api: api, log: opt.Log.With("platform", "slack"), now: opt.Now, inbox: in,
		seen: newLRU(4096), inflight: map[uint64]int{}, places: make(chan struct{}, opt.Workers)}
	a.members = newMemberCache(api, opt.MemberTTL, a.now)
	a.names = newNameCache(api)
	return a, nil
}

// Check verifies the credentials: auth.test with the bot token and, in
// Socket Mode, apps.connections.open with the app-level token, once (Slack
// allows about one call a minute; the Socket Mode loop makes its own). A
// token Slack refuses is reported naming its configuration key. Later
// checks (/readyz) also report a Socket Mode loop that stopped for good.
func (a *Adapter) Check(ctx context.Context) error {
	a.mu.Lock()
	runErr, appChecked := a.runErr, a.appChecked
	a.mu.Unlock()
	if runErr != nil {
		return runErr
	}
	resp, err := a.api.AuthTestContext(ctx)
	if err != nil {
		if refused(err) {
			return fmt.Errorf("slack.bot_token: Slack refuses it (%v); copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions", err)
		}
		return fmt.Errorf("slack: auth.test: %w", classify(err))
	}
	if a.opt.Mode != ModeSocket || appChecked {
		return nil
	}
	a.log.Info("slack: authenticated", "team", resp.Team, "bot", resp.User, "bot_id", resp.UserID)
	if _, _, err := a.api.StartSocketModeContext(ctx); err != nil {
		if refused(err) {
			return fmt.Errorf("slack.app_token: Slack refuses it (%v); create an app-level token with the connections:write scope (Basic Information → App-Level Tokens) and enable Socket Mode", err)
		}
		return fmt.Errorf("slack: apps.connections.open: %w", classify(err))
	}
	a.mu.Lock()
	a.appChecked = true
	a.mu.Unlock()
	return nil
}

// refused says whether Slack turned a token down.
func refused(err error) bool {
	var se slack.SlackErrorResponse
	if errors.As(err, &se) {
		switch se.Err {
		case "invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "not_allowed_token_type":
			return true
		}
	}
	return false
}

// Close stops the workers and closes the inbox. Run does it when its
// context ends; tests that only Mount call it. Requests being
// acknowledged finish; the workers get a few seconds to finish what they
// hold, and what they do not handle stays in the inbox for the next start.
func (a *Adapter) Close() error {
	a.mu.Lock()
	if a.closing {
		a.mu.Unlock()
		return nil
	}
	a.closing = true
	started := a.queue != nil
	a.mu.Unlock()
	if started {
		a.requests.Wait()
		close(a.quit)
		<-a.rescanned
		a.mu.Lock()
		a.queueClosed = true
		close(a.queue)
		a.mu.Unlock()
		done := make(chan struct{})
		go func() { a.workers.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			a.stop()
			<-done
		}
		a.stop()
	}
	return a.inbox.close()
}
