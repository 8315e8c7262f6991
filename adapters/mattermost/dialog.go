package mattermost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// openDialog opens d for the person who clicked or typed, with the
// trigger id Mattermost gave that event (valid a few seconds).
func (a *Adapter) openDialog(ctx context.Context, triggerID, channel, userID, userName string, d *bot.Dialog) error {
	if triggerID == "" {
		return errors.New("no trigger id")
	}
	req := model.OpenDialogRequest{TriggerId: triggerID, URL: a.public + PathDialog, Dialog: a.dialog(d, channel, userID, userName)}
	return a.do(ctx, "open dialog", func() (*model.Response, error) {
		return a.api.OpenInteractiveDialog(ctx, req)
	})
}

// dialog lays out a bot dialog for Mattermost, which limits titles and
// labels to 24 bytes: a longer title moves to the introduction, a label's
// parenthesis to the placeholder, else the whole label to the help.
func (a *Adapter) dialog(d *bot.Dialog, channel, userID, userName string) model.Dialog {
	md := model.Dialog{
		CallbackId:  "vigie",
		Title:       fitBytes(d.Title, model.DialogTitleMaxLength),
		SubmitLabel: fitBytes(d.Submit, 24),
		State:       a.sign.dialog(d.Action, channel, userID, userName, a.now().Add(a.opt.DialogTTL)),
	}
	if md.Title != d.Title {
		md.IntroductionText = "**" + d.Title + "**"
	}
	for _, f := range d.Fields {
		el := model.DialogElement{Name: f.Name, DisplayName: f.Label, Default: f.Default, Optional: f.Optional, HelpText: f.Help}
		switch f.Kind {
		case "select":
			el.Type = "select"
			for _, o := range f.Options {
				el.Options = append(el.Options, &model.PostActionOptions{Text: o.Label, Value: o.Value})
			}
		case "textarea":
			el.Type, el.MaxLength = "textarea", model.DialogElementTextareaMaxLength
		default:
			el.Type, el.MaxLength = "text", model.DialogElementTextMaxLength
		}
		if len(el.DisplayName) > model.DialogElementDisplayNameMaxLength {
			if head, rest, ok := strings.Cut(f.Label, " ("); ok && len(head) <= model.DialogElementDisplayNameMaxLength && el.Type != "select" {
				el.DisplayName, el.Placeholder = head, strings.TrimSuffix(rest, ")")
			} else {
				el.DisplayName = fitBytes(f.Label, model.DialogElementDisplayNameMaxLength)
				el.HelpText = strings.TrimSpace(f.Label + ". " + el.HelpText)
			}
		}
		el.HelpText = fitBytes(el.HelpText, model.DialogElementHelpTextMaxLength)
		el.Placeholder = fitBytes(el.Placeholder, model.DialogElementTextMaxLength)
		md.Elements = append(md.Elements, el)
	}
	return md
}

// decodeDialog reads a dialog submission as Mattermost posts it.
func decodeDialog(body []byte) (*model.SubmitDialogRequest, error) {
	var req model.SubmitDialogRequest
	if err := json.Unmarshal(body, &req); err != nil {
		return nil, fmt.Errorf("not a dialog submission: %w", err)
	}
	if req.UserId == "" || req.ChannelId == "" {
		return nil, errors.New("user_id or channel_id missing")
	}
	return &req, nil
}

// fields turns submitted values into the strings the bot reads.
func fields(sub map[string]any) map[string]string {
	out := make(map[string]string, len(sub))
	for k, v := range sub {
		switch v := v.(type) {
		case string:
			out[k] = v
		case bool:
			out[k] = strconv.FormatBool(v)
		case float64:
			out[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case nil:
		default:
			out[k] = fmt.Sprint(v)
		}
	}
	return out
}

// DialogHandler serves dialog submissions: the state checked (signed by
// Vigie for this user in this channel, not expired), the values handed to
// the bot with the dialog's action. A refusal by the bot is shown in the
// dialog, which stays open; a cancelled dialog is ignored.
func (a *Adapter) DialogHandler(h Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := readBody(w, r)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		req, err := decodeDialog(body)
		if err != nil {
			http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if req.Cancelled {
			writeJSON(w, &model.SubmitDialogResponse{})
			return
		}
		ctx, cancel := a.eventContext(r)
		defer cancel()
		st, err := a.sign.checkDialog(req.State, req.ChannelId, req.UserId, a.now())
		if err != nil {
			key, lang := "dialog_forged", bot.Lang("")
			if errors.Is(err, errExpired) { // ours: the person's language
				key, lang = "dialog_expired", a.userLang(ctx, req.UserId)
			}
			a.log.Warn("mattermost: refused dialog", "reason", err.Error(), "user", req.UserId, "channel", req.ChannelId)
			writeJSON(w, &model.SubmitDialogResponse{Error: a.msg(lang, key)})
			return
		}
		reply := h.Handle(ctx, bot.Event{
			Channel: req.ChannelId, User: incident.User{ID: req.UserId, Name: st.Name},
			Text: st.Action, Fields: fields(req.Submission), Lang: a.userLang(ctx, req.UserId),
		})
		if reply.Error || reply.Dialog != nil {
			writeJSON(w, &model.SubmitDialogResponse{Error: strings.TrimSpace(strings.TrimPrefix(reply.Text, "⚠️"))})
			return
		}
		if reply.Text != "" {
			a.tell(ctx, req.ChannelId, req.UserId, a.renderer(ctx, req.ChannelId).text(reply.Text))
		}
		writeJSON(w, &model.SubmitDialogResponse{})
	})
}

// tell shows text to one person, when the bot may create ephemeral posts
// (create_post_ephemeral is the system admins' by default). Otherwise the
// card, updated in place, says what was done.
func (a *Adapter) tell(ctx context.Context, channel, userID, text string) {
	a.mu.Lock()
	off := a.noEphem
	a.mu.Unlock()
	if off {
		return
	}
	err := a.do(ctx, "create ephemeral post", func() (*model.Response, error) {
		_, resp, err := a.api.CreatePostEphemeral(ctx, &model.PostEphemeral{UserID: userID,
			Post: &model.Post{ChannelId: channel, Message: fit(text, maxRunes)}})
		return resp, err
	})
	var ae *apiError
	switch {
	case errors.As(err, &ae) && ae.status == http.StatusForbidden:
		a.mu.Lock()
		a.noEphem = true
		a.mu.Unlock()
		a.log.Info("mattermost: the bot may not create ephemeral posts (create_post_ephemeral); dialog confirmations show on the cards only")
	case err != nil:
		a.log.Warn("mattermost: ephemeral confirmation", "user", userID, "err", err)
	}
}
