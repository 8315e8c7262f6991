package mattermost

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/mattermost/mattermost/server/public/model"
)

// gateAPI answers GetUser and the channel members once open is closed,
// counting the calls; the other methods are not called here.
type gateAPI struct {
	api
	open                chan struct{}
	users, joins, lists atomic.Int32
}

func (g *gateAPI) GetUser(ctx context.Context, id, _ string) (*model.User, *model.Response, error) {
	g.users.Add(1)
	select {
	case <-g.open:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	return &model.User{Id: id, Username: "alice", Locale: "en"}, &model.Response{StatusCode: 200}, nil
}

func (g *gateAPI) GetChannelMembers(ctx context.Context, ch string, _, _ int, _ string) (model.ChannelMembers, *model.Response, error) {
	g.lists.Add(1)
	select {
	case <-g.open:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	return model.ChannelMembers{{ChannelId: ch, UserId: "alice"}, {ChannelId: ch, UserId: "bob"}}, &model.Response{StatusCode: 200}, nil
}

func (g *gateAPI) GetChannelMember(ctx context.Context, ch, user, _ string) (*model.ChannelMember, *model.Response, error) {
	g.joins.Add(1)
	select {
	case <-g.open:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	return &model.ChannelMember{ChannelId: ch, UserId: user}, &model.Response{StatusCode: 200}, nil
}

// TestLookUpsShared: the events that need a person or a membership not yet
// known, all at once (a burst of clicks as the cell arrives, or the minute
// a membership is forgotten), share one question to the server, and each
// gets its answer; an event that gives up does not end the question for
// the others.
func TestLookUpsShared(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		a, err := New(Options{URL: "http://mattermost.test", BotToken: "t", Secret: testSecret, PublicURL: "http://vigie.test"})
		if err != nil {
			t.Fatal(err)
		}
		g := &gateAPI{open: make(chan struct{})}
		a.api = g
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
			wg.Go(func() { langs[i] = string(a.userLang(ctx, "alice")) })
			wg.Go(func() { members[i], _ = a.IsMember(ctx, "chan1", "alice") })
			if i == 0 {
				synctest.Wait() // the first asks the server
			}
		}
		synctest.Wait() // every event waits: on the server, or on the question asked
		cancel()
		synctest.Wait()
		close(g.open)
		wg.Wait()
		if n := g.users.Load(); n != 1 {
			t.Errorf("%d GetUser for %d events at once, want 1", n, events)
		}
		if n := g.lists.Load(); n != 1 {
			t.Errorf("%d GetChannelMembers for %d events at once, want 1", n, events)
		}
		if n := g.joins.Load(); n != 0 {
			t.Errorf("%d GetChannelMember: the channel's list answers", n)
		}
		for i := range events {
			if langs[i] != "en" || !members[i] {
				t.Errorf("event %d: language %q, member %v; want en, true", i, langs[i], members[i])
			}
		}
	})
}
