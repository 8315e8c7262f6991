package slack

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/slack-go/slack"
)

// gateAPI answers users.info and conversations.members once open is
// closed, counting the calls; the other methods are not called here.
type gateAPI struct {
	slackAPI
	open         chan struct{}
	users, lists atomic.Int32
}

func (g *gateAPI) wait(ctx context.Context) error {
	select {
	case <-g.open:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gateAPI) GetUserInfoContext(ctx context.Context, id string, _ ...slack.GetUserInfoOption) (*slack.User, error) {
	g.users.Add(1)
	if err := g.wait(ctx); err != nil {
		return nil, err
	}
	return &slack.User{ID: id, Name: "alice", Locale: "en-US"}, nil
}

func (g *gateAPI) GetUsersInConversationContext(ctx context.Context, _ *slack.GetUsersInConversationParameters) ([]string, string, error) {
	g.lists.Add(1)
	if err := g.wait(ctx); err != nil {
		return nil, "", err
	}
	return []string{"U1"}, "", nil
}

// TestLookUpsShared: the events that need a person's language or a
// channel's members not yet known, all at once, share one call to Slack,
// and each gets its answer, even when the event that made the call gave up.
func TestLookUpsShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		g := &gateAPI{open: make(chan struct{})}
		a := &Adapter{api: g, log: slog.New(slog.DiscardHandler), now: time.Now}
		a.members = newMemberCache(g, time.Minute, time.Now)
		const events = 20
		gone, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		langs := make([]string, events)
		members := make([]bool, events)
		for i := range events {
			ctx := context.Background()
			if i == 0 {
				ctx = gone // the first asker gives up while waiting
			}
			wg.Go(func() { langs[i] = string(a.userLang(ctx, "U1")) })
			wg.Go(func() { members[i], _ = a.IsMember(ctx, "C1", "U1") })
			if i == 0 {
				synctest.Wait() // the first asks Slack
			}
		}
		synctest.Wait() // every event waits: on Slack, or on the question asked
		cancel()
		synctest.Wait()
		close(g.open)
		wg.Wait()
		if n := g.users.Load(); n != 1 {
			t.Errorf("%d users.info for %d events at once, want 1", n, events)
		}
		if n := g.lists.Load(); n != 1 {
			t.Errorf("%d conversations.members for %d events at once, want 1", n, events)
		}
		for i := range events {
			if langs[i] != "en" || !members[i] {
				t.Errorf("event %d: language %q, member %v; want en, true", i, langs[i], members[i])
			}
		}
	})
}
