package mattermost

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// maxBody bounds what Vigie reads of a callback: a slash command or a
// click is a few hundred bytes, a dialog a few kilobytes.
const maxBody = 256 << 10

// commandForm is a slash command as Mattermost posts it (a form).
type commandForm struct {
	Token     string // from Authorization: Token …, else the token field
	TeamID    string
	ChannelID string
	UserID    string
	UserName  string
	Command   string // the trigger, "/incident"
	Text      string // what follows the trigger
	TriggerID string // lets Vigie open a dialog in answer
}

// decodeCommand reads a slash command form. Mattermost sends the token
// both in the Authorization header and in the form.
func decodeCommand(header http.Header, body []byte) (commandForm, error) {
	v, err := url.ParseQuery(string(body))
	if err != nil {
		return commandForm{}, fmt.Errorf("not a form: %w", err)
	}
	c := commandForm{
		Token: v.Get("token"), TeamID: v.Get("team_id"), ChannelID: v.Get("channel_id"),
		UserID: v.Get("user_id"), UserName: v.Get("user_name"), Command: v.Get("command"),
		Text: v.Get("text"), TriggerID: v.Get("trigger_id"),
	}
	if auth := header.Get("Authorization"); auth != "" {
		scheme, tok, ok := strings.Cut(auth, " ")
		if !ok || !strings.EqualFold(scheme, "Token") {
			return commandForm{}, errors.New("Authorization is not a Token")
		}
		c.Token = strings.TrimSpace(tok)
	}
	if c.ChannelID == "" || c.UserID == "" {
		return commandForm{}, errors.New("channel_id or user_id missing")
	}
	return c, nil
}

// commandTokenOK compares the token with every configured one, in time
// that does not depend on where they differ nor on which one matches.
func (a *Adapter) commandTokenOK(token string) bool {
	got := sha256.Sum256([]byte(token))
	ok := 0
	for _, t := range a.tokens {
		ok |= subtle.ConstantTimeCompare(got[:], t[:])
	}
	return ok == 1 && token != ""
}

// readBody reads a callback's body, bounded.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	return io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
}

// CommandHandler serves the slash command: the token checked, the command
// handed to the bot, its answer shown to the person only.
func (a *Adapter) CommandHandler(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		c, err := decodeCommand(r.Header, body)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if !a.commandTokenOK(c.Token) {
			a.log.Warn("mattermost: refused slash command: unknown token", "user", c.UserID, "channel", c.ChannelID, "remote", r.RemoteAddr)
			http.Error(w, "unauthorized: this slash command's token is not in mattermost.command_tokens", http.StatusUnauthorized)
			return
		}
		ctx, cancel := a.eventContext(r)
		defer cancel()
		lang := a.userLang(ctx, c.UserID)
		reply := h.Handle(ctx, bot.Event{
			Channel: c.ChannelID, User: incident.User{ID: c.UserID, Name: c.UserName},
			Text: c.Text, Dialogs: c.TriggerID != "", Lang: lang,
		})
		writeJSON(w, a.commandResponse(ctx, c, reply, lang))
	})
}

// commandResponse is the answer to a slash command: shown to the person
// only. A dialog is opened instead of answering; a long answer is split
// into several messages.
func (a *Adapter) commandResponse(ctx context.Context, c commandForm, reply bot.Reply, lang bot.Lang) *model.CommandResponse {
	resp := &model.CommandResponse{ResponseType: model.CommandResponseTypeEphemeral, SkipSlackParsing: true}
	if reply.Dialog != nil {
		if err := a.openDialog(ctx, c.TriggerID, c.ChannelID, c.UserID, c.UserName, reply.Dialog); err != nil {
			a.log.Warn("mattermost: open dialog", "user", c.UserID, "err", err)
			resp.Text = a.msg(lang, "dialog_failed", a.opt.Trigger, reply.Dialog.Action)
		}
		return resp
	}
	rd := a.renderer(ctx, c.ChannelID)
	text := rd.text(reply.Text)
	var blocks []bot.Block
	if m := reply.Message; m != nil {
		if m.Title != "" {
			text = strings.TrimSpace(text + "\n**" + rd.text(m.Title) + "**")
		}
		blocks = m.Blocks
	}
	parts := split(text, maxRunes)
	resp.Text = parts[0]
	for _, p := range parts[1:] {
		resp.ExtraResponses = append(resp.ExtraResponses, &model.CommandResponse{
			ResponseType: model.CommandResponseTypeEphemeral, Text: p, SkipSlackParsing: true})
	}
	if len(blocks) > 0 {
		// The buttons stay on the card: this answer is not the bot's post.
		resp.Attachments = rd.attachments(blocks, false)
	}
	return resp
}

// writeJSON answers 200 with v as JSON.
func writeJSON(w http.ResponseWriter, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(buf.Bytes())
}
