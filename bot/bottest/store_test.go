package bottest_test

import (
	"context"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/storetest"
)

func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store { return bottest.NewStore() })
}

func TestStoreReplay(t *testing.T) {
	storetest.Run(t, func(t *testing.T) bot.Store {
		s := bottest.NewStore()
		s.Replay = true
		return s
	})
}

func TestReplayRunsFnTwice(t *testing.T) {
	s := bottest.NewStore()
	s.Replay = true
	ctx := context.Background()
	inc, err := s.Create(ctx, storetest.NewIncident("C1", time.Date(2026, 3, 28, 1, 0, 0, 0, time.UTC)), nil)
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	got, err := s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		calls++
		inc.Points++
		return []incident.Entry{{Kind: incident.KindNote, Text: "n"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 2 || got.Points != 1 || got.Head.Seq != 1 {
		t.Errorf("Replay: %d calls, points %d, head %+v; want 2 calls, one effect", calls, got.Points, got.Head)
	}
}
