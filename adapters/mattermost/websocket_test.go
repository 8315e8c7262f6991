package mattermost

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"
)

// reactionEvent is a reaction_added event as the server sends it: the
// reaction is a JSON string inside the data.
func reactionEvent(t *testing.T, seq int, postID, userID, emoji string) map[string]any {
	return map[string]any{
		"event":     "reaction_added",
		"data":      map[string]any{"reaction": mustJSON(t, &model.Reaction{UserId: userID, PostId: postID, EmojiName: emoji, CreateAt: model.GetMillis(), ChannelId: "chan1"})},
		"broadcast": map[string]any{"channel_id": "chan1"},
		"seq":       seq,
	}
}

// The listener logs :pushpin: reactions, ignores the rest, and when the
// connection drops, dials again and carries on.
func TestWebSocketDropReconnectPins(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	p1 := f.addPost(&model.Post{UserId: "alice", ChannelId: "chan1", Message: "PACS isolé du réseau"})
	p2 := f.addPost(&model.Post{UserId: "bob", ChannelId: "chan1", Message: "Sauvegardes intactes"})
	f.ws = func(n int, c *websocket.Conn) {
		switch n {
		case 1:
			c.WriteJSON(map[string]any{"event": "posted", "data": map[string]any{"post": `{"id":"x"}`}, "seq": 1})
			c.WriteJSON(reactionEvent(t, 2, p1, "alice", "thumbsup"))
			c.WriteJSON(reactionEvent(t, 3, p1, f.botID, "pushpin")) // the bot's own: ignored
			c.WriteJSON(reactionEvent(t, 4, p1, "alice", "pushpin"))
			c.WriteJSON(map[string]any{"event": "reaction_added", "data": map[string]any{"reaction": "{not json"}, "seq": 5})
			time.Sleep(50 * time.Millisecond)
			c.UnderlyingConn().Close() // dropped, no close frame
		case 2:
			c.WriteJSON(reactionEvent(t, 1, p2, "alice", "pushpin"))
			for {
				if _, _, err := c.ReadMessage(); err != nil {
					return
				}
			}
		default:
			t.Errorf("connection %d: the listener did not stay connected", n)
		}
	}
	h := &recorder{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, h) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		h.mu.Lock()
		n := len(h.pins)
		h.mu.Unlock()
		if n >= 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d pins logged after 10 s", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Run returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.pins) != 2 {
		t.Fatalf("pins %+v", h.pins)
	}
	pin := h.pins[0]
	if pin.MessageID != p1 || pin.Channel != "chan1" || pin.Text != "PACS isolé du réseau" || pin.By.Name != "alice" ||
		pin.Author.Name != "alice" || pin.Link != f.srv.URL+"/crise/pl/"+p1 {
		t.Errorf("pin %+v", pin)
	}
	if h.pins[1].MessageID != p2 || h.pins[1].Author.Name != "bob" {
		t.Errorf("pin %+v", h.pins[1])
	}
}

// With the server down, Run keeps trying with backoff and still returns
// at once when asked to stop.
func TestWebSocketServerDownStops(t *testing.T) {
	f := newFakeMM(t)
	a := newTestAdapter(t, f, nil)
	f.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := a.Run(ctx, &recorder{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run returned %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Fatal("Run did not stop promptly")
	}
}

func TestWSURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://chat.example.fr":     "wss://chat.example.fr",
		"http://127.0.0.1:8065/":      "ws://127.0.0.1:8065",
		"https://chat.example.fr/mm/": "wss://chat.example.fr/mm",
	} {
		a, err := New(Options{URL: in, BotToken: "t", Secret: testSecret, PublicURL: "http://v"})
		if err != nil {
			t.Fatal(err)
		}
		if got := a.wsURL(); got != want {
			t.Errorf("%s: %s", in, got)
		}
	}
}
