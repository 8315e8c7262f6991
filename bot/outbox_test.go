package bot_test

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// rateLimited is a platform's 429 with Retry-After.
type rateLimited struct{ after time.Duration }

func (e rateLimited) Error() string             { return fmt.Sprintf("rate limited, retry after %v", e.after) }
func (e rateLimited) RetryAfter() time.Duration { return e.after }
func (e rateLimited) Unwrap() error             { return bot.ErrTemporary }

// outboxBot is a bot on store and chat whose outbox runs until the test
// ends, in the synctest bubble.
func outboxBot(t *testing.T, store *bottest.Store, chat bot.Chat) *bot.Bot {
	t.Helper()
	b, stop := startOutboxBot(t, store, chat)
	t.Cleanup(stop)
	return b
}

// startOutboxBot is outboxBot with its stop, for a test that stops it
// before another bot takes over the store: a restart.
func startOutboxBot(t *testing.T, store *bottest.Store, chat bot.Chat) (*bot.Bot, func()) {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	b := bot.New(bot.Config{Chain: "nouvelle-aquitaine/es-esms", Now: time.Now}, store, chat, cat, ed25519.NewKeyFromSeed(make([]byte, 32)), nil)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { b.RunOutbox(ctx) })
	synctest.Wait() // the outbox is running, its first pass done
	return b, func() { cancel(); wg.Wait() }
}

func act(t *testing.T, b *bot.Bot, text string) {
	t.Helper()
	if r := b.Handle(context.Background(), bot.Event{Channel: "crise", User: incident.User{ID: "u1", Name: "rssi"}, Text: text}); r.Error {
		t.Fatalf("%q refused: %s", text, r.Text)
	}
}

// cardHead is the head the card posted in chat shows ("#3 …"), or "".
func cardHead(chat *bottest.Chat) string {
	if len(chat.Posts) == 0 {
		return ""
	}
	m := chat.Message(chat.Posts[0].Ref)
	for _, bl := range m.Blocks {
		for _, f := range bl.Fields {
			if strings.HasPrefix(f.Value, "#") {
				return strings.Fields(f.Value)[0]
			}
		}
	}
	return "?"
}

// TestOutboxDeliversWhatWasOwedAtStart: actions acknowledged while the
// chat was down (or before a kill -9) leave their cards owed in the store;
// the next Vigie delivers them at start, showing every action.
func TestOutboxDeliversWhatWasOwedAtStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := bottest.NewStore()
		down := bottest.NewChat()
		down.SetFail(fmt.Errorf("%w: connection refused", bot.ErrTemporary))
		first := outboxBot(t, store, down)
		act(t, first, "ouvrir Rançongiciel")
		act(t, first, "repondre malicious oui")
		act(t, first, "note PACS isolé")
		if owed, _ := store.Owed(context.Background()); len(owed) != 1 {
			t.Fatalf("owed %v after three acknowledged actions with the chat down", owed)
		}

		up := bottest.NewChat()
		outboxBot(t, store, up) // a restart: nothing typed, the outbox delivers
		synctest.Wait()
		if got := cardHead(up); got != "#3" {
			t.Fatalf("the card after restart shows head %q, want #3 (all three actions)", got)
		}
		if owed, _ := store.Owed(context.Background()); len(owed) != 0 {
			t.Fatalf("still owed after delivery: %v", owed)
		}
	})
}

// flaky fails its first calls with a platform error, then works.
type flaky struct {
	*bottest.Chat
	mu    sync.Mutex
	fails []error
}

func (f *flaky) next() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.fails) == 0 {
		return nil
	}
	err := f.fails[0]
	f.fails = f.fails[1:]
	return err
}

func (f *flaky) Post(ctx context.Context, ch string, m bot.Message) (string, error) {
	if err := f.next(); err != nil {
		return "", err
	}
	return f.Chat.Post(ctx, ch, m)
}

// TestOutboxHonoursRetryAfter: a card refused with 429 and Retry-After is
// posted after the wait the platform asked for, not before, and the action
// was acknowledged at once.
func TestOutboxHonoursRetryAfter(t *testing.T) {
	for _, after := range []time.Duration{2 * time.Second, 5 * time.Second, time.Minute} {
		t.Run(after.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				chat := &flaky{Chat: bottest.NewChat(), fails: []error{rateLimited{after}}}
				b := outboxBot(t, bottest.NewStore(), chat)
				start := time.Now()
				act(t, b, "ouvrir Rançongiciel")
				if time.Since(start) != 0 {
					t.Fatalf("the action waited %v on the chat", time.Since(start))
				}
				synctest.Wait()
				time.Sleep(after - time.Millisecond)
				synctest.Wait()
				if posts, _ := chat.Counts(); posts != 0 {
					t.Fatalf("posted %d before the Retry-After of %v", posts, after)
				}
				time.Sleep(time.Millisecond)
				synctest.Wait()
				if got := cardHead(chat.Chat); got != "#1" {
					t.Fatalf("after the wait the card shows %q, want #1", got)
				}
			})
		})
	}
}

// slowChat holds every update until released, as a slow platform would.
type slowChat struct {
	*bottest.Chat
	release chan struct{}
}

func (s *slowChat) Update(ctx context.Context, ch, ref string, m bot.Message) error {
	<-s.release
	return s.Chat.Update(ctx, ch, ref, m)
}

// TestOutboxCoalesces: actions never wait on a slow chat, and the card
// shows the latest state after a few edits, not one per action.
func TestOutboxCoalesces(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chat := &slowChat{Chat: bottest.NewChat(), release: make(chan struct{})}
		b := outboxBot(t, bottest.NewStore(), chat)
		act(t, b, "ouvrir Rançongiciel")
		synctest.Wait() // card and checklist posted
		for i := range 30 {
			act(t, b, fmt.Sprintf("note %d", i))
		}
		close(chat.release)
		time.Sleep(time.Second) // past the gap between two deliveries of an incident
		synctest.Wait()
		_, updates := chat.Counts()
		if got := cardHead(chat.Chat); got != "#31" {
			t.Fatalf("the card shows %q, want #31", got)
		}
		if updates > 4 { // the one held, then one with the latest state; card and checklist each
			t.Fatalf("%d edits for 30 notes, want them coalesced", updates)
		}
	})
}

// TestOutboxSpacesDeliveries: a lone change shows at once; a burst of
// changes to an incident makes one delivery when the gap since the last
// one has passed, with the latest state.
func TestOutboxSpacesDeliveries(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		chat := bottest.NewChat()
		b := outboxBot(t, bottest.NewStore(), chat)
		act(t, b, "ouvrir Rançongiciel")
		synctest.Wait()
		time.Sleep(time.Second)
		act(t, b, "note seule")
		synctest.Wait()
		if got := cardHead(chat); got != "#2" {
			t.Fatalf("a lone change: the card shows %q, want #2 at once", got)
		}
		_, before := chat.Counts()
		for i := range 5 {
			act(t, b, fmt.Sprintf("note %d", i))
		}
		synctest.Wait()
		if got := cardHead(chat); got != "#2" {
			t.Fatalf("within the gap the card shows %q, want #2", got)
		}
		time.Sleep(time.Second)
		synctest.Wait()
		_, after := chat.Counts()
		if got := cardHead(chat); got != "#7" || after-before != 2 {
			t.Fatalf("after the gap: the card shows %q after %d edits, want #7 after 2 (card and checklist)", got, after-before)
		}
	})
}

// flakyUpdates fails its first edits with a platform error, then works.
type flakyUpdates struct {
	*bottest.Chat
	mu    sync.Mutex
	fails []error
}

func (f *flakyUpdates) Update(ctx context.Context, ch, ref string, m bot.Message) error {
	f.mu.Lock()
	var err error
	if len(f.fails) > 0 {
		err, f.fails = f.fails[0], f.fails[1:]
	}
	f.mu.Unlock()
	if err != nil {
		return err
	}
	return f.Chat.Update(ctx, ch, ref, m)
}

// TestOutboxUpdateHonoursRetryAfter: an edit of the card refused with 429
// and Retry-After is made after the wait, with the latest state.
func TestOutboxUpdateHonoursRetryAfter(t *testing.T) {
	for _, after := range []time.Duration{2 * time.Second, 5 * time.Second, time.Minute} {
		t.Run(after.String(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				chat := &flakyUpdates{Chat: bottest.NewChat()}
				b := outboxBot(t, bottest.NewStore(), chat)
				act(t, b, "ouvrir Rançongiciel")
				synctest.Wait()         // posted
				time.Sleep(time.Second) // past the gap between two deliveries of an incident
				chat.mu.Lock()
				chat.fails = []error{rateLimited{after}}
				chat.mu.Unlock()
				act(t, b, "note un")
				act(t, b, "note deux")
				synctest.Wait()
				time.Sleep(after - time.Millisecond)
				synctest.Wait()
				if got := cardHead(chat.Chat); got != "#1" {
					t.Fatalf("before the Retry-After of %v the card shows %q, want #1", after, got)
				}
				time.Sleep(time.Millisecond)
				synctest.Wait()
				if got := cardHead(chat.Chat); got != "#3" {
					t.Fatalf("after the wait the card shows %q, want #3", got)
				}
			})
		})
	}
}

// roomsChat creates the incident channel "chan-new" (canal=nouveau), and
// fails the posts to the channels in down with their error.
type roomsChat struct {
	*bottest.Chat
	mu   sync.Mutex // guards down
	down map[string]error
}

func (c *roomsChat) CreateChannel(ctx context.Context, name, display, from, opener string) (string, error) {
	return "chan-new", nil
}

func (c *roomsChat) Post(ctx context.Context, ch string, m bot.Message) (string, error) {
	c.mu.Lock()
	err := c.down[ch]
	c.mu.Unlock()
	if err != nil {
		return "", err
	}
	return c.Chat.Post(ctx, ch, m)
}

// links are the posts in channel that link to the incident channel.
func links(chat *bottest.Chat, channel string) int {
	n := 0
	for _, p := range chat.Posts {
		if p.Channel == channel && strings.Contains(p.Message.Blocks[0].Text, bot.ChannelMention("chan-new")) {
			n++
		}
	}
	return n
}

// TestOutboxLinksNewChannel: the message that links the channel an
// incident was opened from to the incident's own channel (canal=nouveau)
// is owed in the store with the cards: the opening is acknowledged while
// that channel refuses posts, and the next Vigie posts the link, once.
func TestOutboxLinksNewChannel(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := bottest.NewStore()
		chat := &roomsChat{Chat: bottest.NewChat(), down: map[string]error{"crise": fmt.Errorf("%w: 503", bot.ErrTemporary)}}
		b, stop := startOutboxBot(t, store, chat)
		defer func() { stop() }() // the bot running when the test ends
		act(t, b, "ouvrir Rançongiciel canal=nouveau")
		synctest.Wait()
		if got := cardHead(chat.Chat); got != "#1" || chat.Posts[0].Channel != "chan-new" {
			t.Fatalf("card %q in %s, want #1 in chan-new", got, chat.Posts[0].Channel)
		}
		if owed, _ := store.Owed(context.Background()); len(owed) != 1 {
			t.Fatalf("owed %v while the link could not be posted", owed)
		}
		stop() // as a kill would: the link only in the store

		chat.mu.Lock()
		chat.down = nil
		chat.mu.Unlock()
		_, stop = startOutboxBot(t, store, chat)
		synctest.Wait()
		if n := links(chat.Chat, "crise"); n != 1 {
			t.Fatalf("%d links in the channel of opening after the restart, want 1", n)
		}
		if owed, _ := store.Owed(context.Background()); len(owed) != 0 {
			t.Fatalf("still owed: %v", owed)
		}
		if posts, _ := chat.Counts(); posts != 3 {
			t.Fatalf("%d posts, want the card, the checklist and the link", posts)
		}
	})
}

// TestOutboxLinkRefusedForGood: a channel of opening where the bot may not
// post (a refusal that is not temporary) does not keep the incident owed
// forever: the link is given up, the card is shown.
func TestOutboxLinkRefusedForGood(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		store := bottest.NewStore()
		chat := &roomsChat{Chat: bottest.NewChat(), down: map[string]error{"crise": errors.New("not_in_channel")}}
		b := outboxBot(t, store, chat)
		act(t, b, "ouvrir Rançongiciel canal=nouveau")
		synctest.Wait()
		if owed, _ := store.Owed(context.Background()); len(owed) != 0 {
			t.Fatalf("owed %v after the link was refused for good", owed)
		}
		if got := cardHead(chat.Chat); got != "#1" {
			t.Fatalf("card %q, want #1", got)
		}
	})
}
