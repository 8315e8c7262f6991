package mattermost

import (
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// SignButtonForTest signs a button context as the adapter does, for the
// tests against the real server to stand for a context copied from a card.
func SignButtonForTest(key []byte, action, channel string, exp time.Time) map[string]any {
	return (&signer{key: key}).button(action, channel, exp)
}

// ActionIDForTest is the id the adapter gives the button of action.
func ActionIDForTest(action string) string { return actionID(action, map[string]bool{}) }

// FakeServer is the in-process fake Mattermost (fake_test.go), for the
// tests of package mattermost_test that run without the real server.
type FakeServer struct{ f *fakeMM }

// NewFakeServer starts a fake Mattermost, closed at the end of the test.
func NewFakeServer(tb testing.TB) *FakeServer { return &FakeServer{f: newFakeMM(tb)} }

// URL is the fake's site URL.
func (s *FakeServer) URL() string { return s.f.srv.URL }

// BotToken is the token the fake accepts, the bot account's.
func (s *FakeServer) BotToken() string { return s.f.token }

// BotID is the bot account's user id.
func (s *FakeServer) BotID() string { return s.f.botID }

// AddUser adds a user with a Mattermost locale ("" says none).
func (s *FakeServer) AddUser(id, name, locale string) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.users[id] = &model.User{Id: id, Username: name, Locale: locale}
}

// AddChannel adds an open channel of team1 whose members are the bot and
// members.
func (s *FakeServer) AddChannel(id, name string, members ...string) {
	s.f.mu.Lock()
	defer s.f.mu.Unlock()
	s.f.channels[id] = &model.Channel{Id: id, TeamId: "team1", Name: name, Type: model.ChannelTypeOpen}
	m := map[string]bool{s.f.botID: true}
	for _, u := range members {
		m[u] = true
	}
	s.f.members[id] = m
}

// Calls says how many times the fake served the route pattern.
func (s *FakeServer) Calls(pattern string) int { return s.f.called(pattern) }
