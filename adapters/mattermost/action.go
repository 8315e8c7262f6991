package mattermost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// decodeAction reads a click as Mattermost posts it.
func decodeAction(body []byte) (*model.PostActionIntegrationRequest, error) {
	var req model.PostActionIntegrationRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("not a post action: %w", err)
	}
	if req.UserId == "" || req.ChannelId == "" || req.PostId == "" {
		return nil, errors.New("user_id, channel_id or post_id missing")
	}
	return &req, nil
}

// ActionHandler serves the buttons. A click is refused, with a message to
// the person and a line in the log, when its context is not one Vigie
// signed for that channel or has expired, or when the post is not the
// bot's; then the bot refuses whoever is not a member of the incident's
// channel. The answer is shown to the person only; the cards are updated
// in place by the bot.
func (a *Adapter) ActionHandler(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		req, err := decodeAction(body)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		ctx, cancel := a.eventContext(r)
		defer cancel()
		writeJSON(w, a.click(ctx, h, req))
	})
}

func (a *Adapter) click(ctx context.Context, h Handler, req *model.PostActionIntegrationRequest) *model.PostActionIntegrationResponse {
	var lang bot.Lang // the person's, once the context is known to be ours
	answer := func(key string, args ...any) *model.PostActionIntegrationResponse {
		return &model.PostActionIntegrationResponse{EphemeralText: a.msg(lang, key, args...), SkipSlackParsing: true}
	}
	refuse := func(reason, key string, args ...any) *model.PostActionIntegrationResponse {
		a.log.Warn("mattermost: refused click", "reason", reason, "user", req.UserId, "post", req.PostId, "channel", req.ChannelId)
		return answer(key, args...)
	}
	action, err := a.sign.checkButton(req.Context, req.ChannelId, a.now())
	if err != nil && !errors.Is(err, errExpired) {
		// Not a context Vigie signed: no call to the server on its behalf.
		return refuse("forged or altered context", "forged", a.opt.Trigger)
	}
	lang = a.userLang(ctx, req.UserId)
	if err != nil {
		return refuse("expired context", "expired", a.opt.Trigger)
	}
	// A context is signed for a channel, not for a post: one copied into
	// somebody else's post in the same channel is refused here.
	switch why, err := a.botPost(ctx, req.PostId, req.ChannelId); {
	case err != nil:
		a.log.Error("mattermost: clicked post", "post", req.PostId, "err", err)
		return answer("internal")
	case why != "":
		return refuse(why, "not_bot")
	}
	// A double click: the second waits for the first and gets its answer,
	// instead of running the action again; the bot counts it as a repeat.
	key := req.UserId + "\x00" + req.PostId + "\x00" + action
	ev := bot.Event{
		Channel: req.ChannelId, User: incident.User{ID: req.UserId, Name: req.UserName},
		Text: action, Dialogs: req.TriggerId != "", Lang: lang, Click: true,
		ClickID: bot.ClickIdentity("mattermost", req.UserId, req.PostId, action),
	}
	merged := func() {
		if rc, ok := h.(repeatCounter); ok {
			rc.Repeated(ev)
		}
	}
	return a.once(key, merged, func() *model.PostActionIntegrationResponse {
		return a.clickResponse(ctx, req, h.Handle(ctx, ev), lang)
	})
}

// repeatCounter is a Handler that counts the clicks merged into the same
// click in flight, which never reach Handle: the bot, for its metrics
// (bot.Bot.Repeated).
type repeatCounter interface {
	Repeated(ev bot.Event)
}

var _ repeatCounter = (*bot.Bot)(nil)

// clickResponse shows the bot's answer to the person who clicked, or
// opens the dialog it asks for.
func (a *Adapter) clickResponse(ctx context.Context, req *model.PostActionIntegrationRequest, reply bot.Reply, lang bot.Lang) *model.PostActionIntegrationResponse {
	resp := &model.PostActionIntegrationResponse{SkipSlackParsing: true}
	if reply.Dialog != nil {
		if err := a.openDialog(ctx, req.TriggerId, req.ChannelId, req.UserId, req.UserName, reply.Dialog); err != nil {
			a.log.Warn("mattermost: open dialog", "user", req.UserId, "err", err)
			resp.EphemeralText = a.msg(lang, "dialog_failed", a.opt.Trigger, reply.Dialog.Action)
		}
		return resp
	}
	rd := a.renderer(ctx, req.ChannelId)
	text := rd.text(reply.Text)
	if reply.Message != nil {
		if text != "" {
			text += "\n\n"
		}
		text += rd.markdown(*reply.Message, lang)
	}
	resp.EphemeralText = fit(text, maxRunes)
	return resp
}

// maxBotPosts bounds the posts the adapter remembers as the bot's.
const maxBotPosts = 8192

// botPost says why post may not carry Vigie's buttons in channel, or ""
// when it is the bot's post in that channel. A post's author and channel
// never change, so the bot's posts are remembered, from their creation
// (createPost) or their first click: a click on a card costs no GetPost.
func (a *Adapter) botPost(ctx context.Context, postID, channel string) (string, error) {
	a.mu.Lock()
	ch, known := a.botPosts[postID]
	a.mu.Unlock()
	if known {
		if ch != channel {
			return "post not by the bot", nil
		}
		return "", nil
	}
	botID, err := a.botUser(ctx)
	if err != nil {
		return "", fmt.Errorf("bot user: %w", err)
	}
	var post *model.Post
	err = a.do(ctx, "get post", func() (*model.Response, error) {
		var resp *model.Response
		var err error
		post, resp, err = a.api.GetPost(ctx, postID, "")
		return resp, err
	})
	var ae *apiError
	switch {
	case errors.As(err, &ae) && (ae.status == http.StatusNotFound || ae.status == http.StatusForbidden):
		return "post not found", nil
	case err != nil:
		return "", err
	case post.UserId != botID:
		return "post not by the bot", nil
	}
	a.rememberPost(post.Id, post.ChannelId)
	if post.ChannelId != channel {
		return "post not by the bot", nil
	}
	return "", nil
}

// rememberPost records a post of the bot's in channel.
func (a *Adapter) rememberPost(postID, channel string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.botPosts) >= maxBotPosts {
		for k := range a.botPosts { // drop a quarter, at random
			if len(a.botPosts) < maxBotPosts*3/4 {
				break
			}
			delete(a.botPosts, k)
		}
	}
	a.botPosts[postID] = channel
}

// call is a click being handled; others like it wait for its answer.
type call struct {
	done chan struct{}
	resp *model.PostActionIntegrationResponse
}

// once runs fn for key unless a run for key is under way, in which case
// it calls merged, waits for that run and returns its answer.
func (a *Adapter) once(key string, merged func(), fn func() *model.PostActionIntegrationResponse) *model.PostActionIntegrationResponse {
	a.mu.Lock()
	if c, ok := a.inflight[key]; ok {
		a.mu.Unlock()
		merged()
		<-c.done
		if c.resp == nil {
			return &model.PostActionIntegrationResponse{EphemeralText: a.msg("", "internal")}
		}
		return c.resp
	}
	c := &call{done: make(chan struct{})}
	a.inflight[key] = c
	a.mu.Unlock()
	defer func() {
		a.mu.Lock()
		delete(a.inflight, key)
		a.mu.Unlock()
		close(c.done)
	}()
	c.resp = fn()
	return c.resp
}

// botUser returns the bot account's id, asking the server the first time
// (serve calls Check at start, so this is for tests and odd orders).
func (a *Adapter) botUser(ctx context.Context) (string, error) {
	if id := a.BotUserID(); id != "" {
		return id, nil
	}
	if err := a.Check(ctx); err != nil {
		return "", err
	}
	return a.BotUserID(), nil
}
