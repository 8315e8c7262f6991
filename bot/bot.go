package bot

import (
	"context"
	"crypto/ed25519"
	"errors"
	"log/slog"
	"regexp"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vigie-sante/vigie/bot/draft"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/notice"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// Lang is a language of the bot: French first, English second.
type Lang = flows.Lang

// Chat is what the bot needs from a chat platform. Each adapter implements
// it; optional abilities are separate interfaces found by type assertion.
type Chat interface {
	// Post posts m in channel and returns the platform's reference to it.
	Post(ctx context.Context, channel string, m Message) (ref string, err error)
	// Update replaces the message ref of channel with m.
	Update(ctx context.Context, channel, ref string, m Message) error
}

// Uploader is a Chat that can hand a file to a channel. The terminal writes
// it to the data directory and says where.
type Uploader interface {
	Upload(ctx context.Context, channel, name string, data []byte) (where string, err error)
}

// Event is something a person did in the chat: a typed command, a click on
// a button (whose action is a command), or a dialog submitted.
type Event struct {
	Channel string
	User    incident.User
	// Text is the command: what was typed after the trigger, or a button's
	// action, or the action of the dialog submitted.
	Text string
	// Fields are a submitted dialog's values by field name.
	Fields map[string]string
	// Dialogs says the platform can open a dialog in answer to this event.
	Dialogs bool
	// Lang is the person's language when the platform says it; zero: the
	// deployment's.
	Lang Lang
	// Click says the event is a button (for metrics).
	Click bool
	// ClickID identifies a click: platform, user, message and action. A
	// repeat within ClickWindow (two clicks 5 ms or 60 ms apart, a retry,
	// before or after a restart) answers as the first did and records
	// nothing. Empty: every event counts.
	ClickID string
}

// Reply is the bot's answer to the person who acted; the channel sees the
// cards, updated in place.
type Reply struct {
	Text    string   // shown to the person only
	Message *Message // a fuller answer shown to the person only (status, help)
	Dialog  *Dialog  // a dialog to open instead of answering
	Error   bool     // the event was refused; nothing changed
}

// Config is the deployment's choices that the bot reads.
type Config struct {
	Lang    Lang   // default language: French
	Trigger string // the slash command, "/incident" by default
	// Bare says commands are typed without the trigger (the terminal,
	// which accepts it but does not need it): the help and the hints
	// show "ouvrir TITRE", not "/incident ouvrir TITRE".
	Bare bool
	// Chain is the chain of the deployment's organisation profile, such as
	// nouvelle-aquitaine/es-esms; empty: the card asks the structure type.
	Chain    string
	Features map[string]bool // chain switches on by default (nis2)
	Now      func() time.Time
	// Remind holds the cadences the chains do not give (DefaultRemind when
	// zero).
	Remind RemindConfig
	// EscalateTo are the mentions an escalation calls (the crisis
	// director's handle, a group); empty: the whole channel.
	EscalateTo []string
	// LateAfter is how long after its scheduled instant a reminder is
	// said late (default 2 min: Vigie was down or the platform refused).
	LateAfter time.Duration
	// Declarations says who may record that a step was done (confirm.go).
	Declarations Declarations
	// Roles are the crisis cell's roles (roles.go), with the holders an
	// incident starts with; empty: DefaultRoles, held by nobody.
	Roles []Role
	// Observer hears commands, sweeps and platform errors (metrics).
	Observer Observer

	// Regulator outputs (declaration.go, screen.go).
	// Organisation names the structure in declaration drafts.
	Organisation incident.Organisation
	// IPP matches the structure's patient identifiers, which the guard
	// keeps out of the main courante with the NIR; nil: guard.DefaultIPP.
	IPP *regexp.Regexp
}

// Bot runs the conversation of the crisis cell.
type Bot struct {
	cfg   Config
	store Store
	chat  Chat
	cat   *flows.Catalog
	key   ed25519.PrivateKey
	// drafts writes the declaration drafts (brouillon).
	drafts *draft.Writer
	// notices writes the messages to stakeholders (message).
	notices *notice.Writer
	// exports writes the main courante exports (exporter), signed with
	// key, with the chain's obligations and the organisation.
	exports *report.Exporter
	log     *slog.Logger
	now     func() time.Time

	// refreshMu serializes the card refreshes of each incident, so that an
	// older rendering never overwrites a newer one. Incidents are spread
	// over the stripes by id (refreshLock): one lock for all made the
	// refreshes of 200 busy incidents wait in line (the Mattermost load
	// benchmark's main contention).
	refreshMu [64]sync.Mutex
	// sweepMu serializes reminder sweeps: two at once would nag twice.
	sweepMu sync.Mutex
	// openMu serializes openings, so that one channel never gets two.
	openMu sync.Mutex
	// outboxOn says RunOutbox delivers cards in the background; owedCh
	// wakes it (outbox.go).
	outboxOn atomic.Bool
	owedCh   chan struct{}
	// started is when this process's bot began: a reminder that fell due
	// before it, the incident already open, fell due while Vigie was not
	// running, and is said late (sweep.go).
	started time.Time
	// alarmMu guards alarmed: for each incident whose broken main
	// courante was announced, or is being announced, a channel closed once
	// the announcement is over, which later callers wait for.
	alarmMu sync.Mutex
	alarmed map[string]chan struct{}
	// clicks keeps the answers to recent clicks, for their repeats.
	clicks clickReplies
}

// New returns a bot. key signs the head of exported main courantes.
func New(cfg Config, store Store, chat Chat, cat *flows.Catalog, key ed25519.PrivateKey, log *slog.Logger) *Bot {
	if cfg.Lang == "" {
		cfg.Lang = flows.FR
	}
	if cfg.Trigger == "" {
		cfg.Trigger = "/incident"
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	if cfg.Remind.PointEvery == 0 && cfg.Remind.OverdueEvery == 0 && cfg.Remind.Reask == 0 {
		cfg.Remind.PointEvery, cfg.Remind.OverdueEvery, cfg.Remind.Reask = DefaultRemind.PointEvery, DefaultRemind.OverdueEvery, DefaultRemind.Reask
	}
	if cfg.Remind.OverdueEvery <= 0 {
		cfg.Remind.OverdueEvery = DefaultRemind.OverdueEvery
	}
	drafts := &draft.Writer{Org: cfg.Organisation, Contacts: cat}
	exports := &report.Exporter{Key: key, Catalog: cat, Org: cfg.Organisation}
	notices := &notice.Writer{Org: cfg.Organisation}
	return &Bot{cfg: cfg, store: store, chat: chat, cat: cat, key: key, drafts: drafts, notices: notices, exports: exports, log: log, now: now, owedCh: make(chan struct{}, 1), started: now().UTC()}
}

// request is one event being handled.
type request struct {
	ev   Event
	cmd  *command
	lang Lang
	now  time.Time // read once per event
	// exercise says the command is about an exercise (target, open): its
	// reply is marked (markReply).
	exercise bool
}

type handler func(b *Bot, ctx context.Context, r *request) (Reply, error)

var handlers map[string]handler

func init() {
	handlers = map[string]handler{
		"open":    (*Bot).open,
		"status":  (*Bot).status,
		"detail":  (*Bot).detail,
		"answer":  (*Bot).answer,
		"done":    (*Bot).done,
		"na":      (*Bot).notApplicable,
		"snooze":  (*Bot).snooze,
		"note":    (*Bot).note,
		"point":   (*Bot).point,
		"t0":      (*Bot).setT0,
		"export":  (*Bot).export,
		"close":   (*Bot).close,
		"help":    (*Bot).help,
		"chain":   (*Bot).setChain,
		"draft":   (*Bot).draft, // brouillon: declaration drafts (declaration.go)
		"role":    (*Bot).roleCommand,
		"confirm": (*Bot).confirm,
		// releve: the hand-over between shifts (handover.go).
		"handover": (*Bot).handover,
		// message: the messages to stakeholders (stakeholder.go).
		"message": (*Bot).stakeholderMessage,
		"list":    (*Bot).list, // liste: the channel's incidents, read only (list.go)
	}
}

// Handle runs one event and returns the answer for the person who acted.
// State changes are durable before Handle returns: a reply that says
// something was done means it was stored.
func (b *Bot) Handle(ctx context.Context, ev Event) Reply {
	lang := ev.Lang
	if lang == "" {
		lang = b.cfg.Lang
	}
	start := time.Now()
	verb, outcome := VerbUnknown, OutcomeOK
	defer func() { b.cfg.Observer.Command(verb, ev.Click, outcome, time.Since(start)) }()
	// What reaches the main courante must be text a reader sees as it was
	// hashed (input.go): control characters, bidi overrides and invalid
	// UTF-8 are refused, not replaced.
	ev.User.Name = scrub(ev.User.Name)
	text, err := cleanInput(ev.Text, "", lang)
	if err != nil {
		outcome = OutcomeRefused
		return b.fail(ev, lang, err)
	}
	ev.Text = text
	fields := make(map[string]string, len(ev.Fields))
	for k, v := range ev.Fields {
		if fields[k], err = cleanInput(v, k, lang); err != nil {
			outcome = OutcomeRefused
			return b.fail(ev, lang, err)
		}
	}
	ev.Fields = fields
	cmd, err := parseCommand(ev.Text, lang)
	if err != nil {
		outcome = OutcomeRefused
		return b.fail(ev, lang, err)
	}
	verb = cmd.verb
	for k, v := range ev.Fields {
		cmd.opts[k] = v
	}
	r := &request{ev: ev, cmd: cmd, lang: lang, now: b.now().UTC()}
	reply, err := b.guarded(ctx, r, handlers[cmd.verb]) // patient-identifier screen (screen.go)
	reply = markReply(r, reply)
	if errors.Is(err, errRepeatClick) {
		outcome = OutcomeRepeat
		return b.clicks.first(ev.ClickID, lang)
	}
	if err == nil && ev.ClickID != "" {
		b.clicks.remember(ev.ClickID, reply, r.now)
	}
	if err != nil {
		outcome = OutcomeError
		if _, ok := ErrorMessage(err); ok {
			outcome = OutcomeRefused
		}
		return markReply(r, b.fail(ev, lang, err))
	}
	if reply.Error {
		outcome = OutcomeRefused
	}
	return reply
}

// prefix is what the help and the hints show before a typed command: the
// trigger and a space, or nothing where commands are typed bare.
func (b *Bot) prefix() string {
	if b.cfg.Bare {
		return ""
	}
	return b.cfg.Trigger + " "
}

// alarmWait bounds how long a refused command waits for the alarm of a
// broken main courante to be posted.
const alarmWait = 10 * time.Second

func (b *Bot) fail(ev Event, lang Lang, err error) Reply {
	if msg, ok := ErrorMessage(err); ok {
		return Reply{Text: "⚠️ " + msg, Error: true}
	}
	var d interface{ Damaged() bool } // a store's damaged file
	if errors.As(err, &d) && d.Damaged() {
		b.log.Error("the database is damaged", "channel", ev.Channel, "err", err)
		return Reply{Text: "⛔ " + tr(lang, "err.damaged"), Error: true}
	}
	if be, ok := errors.AsType[*incident.BrokenError](err); ok {
		// Not the request's context: the alarm is posted even if the
		// person gave up; bounded, as the person waits for it.
		ctx, cancel := context.WithTimeout(context.Background(), alarmWait)
		b.Alarm(ctx, be)
		cancel()
		return Reply{Text: "⛔ " + tr(lang, "err.broken", be.Incident), Error: true}
	}
	b.log.Error("handle event", "channel", ev.Channel, "user", ev.User.ID, "err", err)
	return Reply{Text: "⚠️ " + tr(lang, "err.internal"), Error: true}
}

// change runs fn on the target incident in one store transaction, refusing
// closed incidents, then refreshes its cards.
func (b *Bot) change(ctx context.Context, r *request, fn func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error)) (*incident.Incident, error) {
	target, err := b.target(ctx, r)
	if err != nil {
		return nil, err
	}
	ch := incident.Change{Seen: target, ClickWindow: ClickWindow}
	if r.ev.ClickID != "" {
		ch.Click = clickOf(r.ev.ClickID, r.now) // in the change's transaction: exactly once
	}
	inc, err := b.store.Change(ctx, target.ID, ch, func(inc *incident.Incident) ([]incident.Entry, error) {
		if inc.Status == incident.StatusClosed {
			return nil, uerr(EConflict, r.lang, "err.closed", inc.ID)
		}
		c, err := b.chainOf(inc)
		if err != nil {
			return nil, err
		}
		entries, err := fn(inc, c)
		if err == nil {
			// Let the next sweep look at what the change brought due.
			inc.Wake = r.now
		}
		return entries, err
	})
	if err != nil {
		return nil, err
	}
	b.owe(ctx, inc.ID)
	return inc, nil
}

// entry makes a main-courante entry by the person acting now.
func (r *request) entry(kind, text string, data map[string]string) incident.Entry {
	return incident.Entry{Time: r.now, Actor: r.ev.User.String(), Kind: kind, Text: text, Data: data}
}
