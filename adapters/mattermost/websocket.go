package mattermost

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// pinEmoji is the reaction that logs a message in the main courante.
const pinEmoji = "pushpin"

// Run listens to the server's WebSocket until ctx ends, logging in the main
// courante the messages someone reacts to with :pushpin:. model's client
// does not reconnect: when a connection drops (or its pings stop), Run
// dials again after a delay that doubles from opt.Reconnect to a minute,
// and starts again from opt.Reconnect once a connection has held a minute.
// On its way out it waits (10 s at most) for the card edits under way.
func (a *Adapter) Run(ctx context.Context, h Handler) error {
	defer func() {
		// Leave the cards as they should be before Vigie stops.
		fctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := a.Flush(fctx); err != nil {
			a.log.Warn("mattermost: card updates left unsent", "err", err)
		}
	}()
	delay := a.opt.Reconnect
	for {
		start := time.Now()
		err := a.listen(ctx, h)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if time.Since(start) > time.Minute {
			delay = a.opt.Reconnect
		}
		a.log.Warn("mattermost: websocket down; reconnecting", "in", delay.String(), "err", err)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(delay*2, time.Minute)
	}
}

// wsURL is the server's URL with a WebSocket scheme.
func (a *Adapter) wsURL() string {
	if rest, ok := strings.CutPrefix(a.site, "https://"); ok {
		return "wss://" + rest
	}
	return "ws://" + strings.TrimPrefix(a.site, "http://")
}

// listen runs one connection until it drops or ctx ends. It drains every
// channel of the client, as it must: a full channel blocks its reader,
// then its pings, then the connection.
func (a *Adapter) listen(ctx context.Context, h Handler) error {
	dialer := &websocket.Dialer{HandshakeTimeout: 15 * time.Second, Proxy: websocket.DefaultDialer.Proxy}
	ws, err := model.NewWebSocketClient4WithDialer(dialer, a.wsURL(), a.opt.BotToken)
	if err != nil {
		return err
	}
	ws.Listen()
	a.log.Info("mattermost: websocket connected")
	events, responses, pings := ws.EventChannel, ws.ResponseChannel, ws.PingTimeoutChannel
	done := ctx.Done()
	for {
		select {
		case <-done:
			done = nil
			ws.Close() // the reader ends and closes events
		case <-pings:
			a.log.Warn("mattermost: websocket ping timeout")
			ws.Close()
		case r, ok := <-responses:
			if !ok {
				responses = nil
				continue
			}
			if r.Status == model.StatusFail {
				a.log.Warn("mattermost: websocket request refused", "seq", r.SeqReply, "err", r.Error)
			}
		case ev, ok := <-events:
			if !ok {
				if ws.ListenError != nil {
					return ws.ListenError
				}
				return errors.New("connection closed")
			}
			a.event(ctx, h, ev)
		}
	}
}

// event handles one server event: :pushpin: reactions, and removals from
// a channel (members.go).
func (a *Adapter) event(ctx context.Context, h Handler, ev *model.WebSocketEvent) {
	if a.memberRemoved(ev) {
		return
	}
	re, ok := pinReaction(ev)
	if !ok || re.UserId == a.BotUserID() {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), a.opt.Timeout)
	defer cancel()
	if err := a.pin(ctx, h, re); err != nil {
		a.log.Error("mattermost: pin", "post", re.PostId, "user", re.UserId, "err", err)
	}
}

// pinReaction reads a :pushpin: reaction added to a post out of a server
// event; ok is false for any other event, or one that does not decode.
func pinReaction(ev *model.WebSocketEvent) (re model.Reaction, ok bool) {
	if ev == nil || ev.EventType() != model.WebsocketEventReactionAdded {
		return re, false
	}
	raw, _ := ev.GetData()["reaction"].(string)
	if err := json.Unmarshal([]byte(raw), &re); err != nil || re.EmojiName != pinEmoji || re.PostId == "" {
		return re, false
	}
	return re, true
}

// pin logs the reacted message in the main courante of its channel's open
// incident, with its author and permalink.
func (a *Adapter) pin(ctx context.Context, h Handler, re model.Reaction) error {
	var post *model.Post
	err := a.do(ctx, "get post", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		post, resp, err = a.api.GetPost(ctx, re.PostId, "")
		return resp, err
	})
	if err != nil {
		return err
	}
	text := post.Message
	if strings.TrimSpace(text) == "" {
		// A card: its attachments say what it is.
		var parts []string
		for _, at := range post.Attachments() {
			parts = append(parts, strings.TrimSpace(at.Title+" "+at.Text))
		}
		text = strings.Join(parts, " · ")
	}
	p := bot.Pin{
		Channel: post.ChannelId, MessageID: post.Id, Text: text,
		By:     incident.User{ID: re.UserId, Name: a.userName(ctx, re.UserId)},
		Author: incident.User{ID: post.UserId, Name: a.userName(ctx, post.UserId)},
		Link:   a.permalink(ctx, post.ChannelId, post.Id),
	}
	logged, err := h.LogPin(ctx, p)
	if err != nil {
		return err
	}
	a.log.Info("mattermost: pin", "post", post.Id, "channel", post.ChannelId, "logged", logged)
	return nil
}
