package slack

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// Kinds of inbound requests.
const (
	kindCommand = "command" // a slash command
	kindAction  = "action"  // a button clicked
	kindSubmit  = "submit"  // a modal submitted
	kindPin     = "pin"     // a :pushpin: reaction
)

// inbound is one thing a person did in Slack, as the inbox keeps it until
// it is handled: the bot's event and how to answer the person.
type inbound struct {
	// Key identifies the request across Slack's retries: "tr:" trigger_id,
	// "ev:" event_id, else the envelope or the signature.
	Key         string    `json:"key"`
	Kind        string    `json:"kind"`
	Event       bot.Event `json:"event"`
	ResponseURL string    `json:"response_url,omitempty"`
	TriggerID   string    `json:"trigger_id,omitempty"`
	Received    time.Time `json:"received"`
	Pin         *pinRef   `json:"pin,omitempty"`
	// FirstField is a submitted modal's first input, where a refusal
	// shows when it names no field.
	FirstField string `json:"first_field,omitempty"`

	seq uint64 // the inbox key
}

// pinRef is the message a :pushpin: reaction points at.
type pinRef struct {
	Channel string `json:"channel"`
	TS      string `json:"ts"`
	By      string `json:"by"`
}

// errIgnored is a valid request Vigie has nothing to do with (another
// reaction, a modal closed); it is acknowledged and dropped.
var errIgnored = errors.New("nothing to do")

// decodeCommand reads a slash command's form body, as slack.SlashCommandParse
// does but from the raw bytes that were verified. sslCheck says it is
// Slack's periodic check of the command URL's certificate (ssl_check=1),
// which is no command.
func decodeCommand(body []byte) (cmd slack.SlashCommand, sslCheck bool, err error) {
	f, err := url.ParseQuery(string(body))
	if err != nil {
		return slack.SlashCommand{}, false, fmt.Errorf("slash command form: %w", err)
	}
	return slack.SlashCommand{
		Token: f.Get("token"), TeamID: f.Get("team_id"), TeamDomain: f.Get("team_domain"),
		EnterpriseID: f.Get("enterprise_id"), ChannelID: f.Get("channel_id"), ChannelName: f.Get("channel_name"),
		UserID: f.Get("user_id"), UserName: f.Get("user_name"), Command: f.Get("command"), Text: f.Get("text"),
		ResponseURL: f.Get("response_url"), TriggerID: f.Get("trigger_id"), APIAppID: f.Get("api_app_id"),
	}, f.Get("ssl_check") == "1", nil
}

// decodeInteraction reads an interactivity body: a form whose payload
// field is the JSON of the interaction.
func decodeInteraction(body []byte) (slack.InteractionCallback, error) {
	payload, err := formValue(body, "payload")
	if err != nil {
		return slack.InteractionCallback{}, fmt.Errorf("interaction form: %w", err)
	}
	if len(payload) == 0 {
		return slack.InteractionCallback{}, errors.New("interaction without payload")
	}
	var c click
	if err := json.Unmarshal(withoutMessage(payload), &c); err != nil {
		return slack.InteractionCallback{}, fmt.Errorf("interaction payload: %w", err)
	}
	if c.Type == slack.InteractionTypeBlockActions {
		cb, err := c.callback()
		if err != nil {
			return slack.InteractionCallback{}, fmt.Errorf("interaction payload: %w", err)
		}
		return cb, nil
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal(payload, &cb); err != nil {
		return slack.InteractionCallback{}, fmt.Errorf("interaction payload: %w", err)
	}
	return cb, nil
}

// click is what Vigie reads of a block_actions payload. Slack sends the
// whole message clicked with it, a card's blocks included, which
// slack.InteractionCallback decodes block by block (BenchmarkDecodeClick);
// a click needs none of it, and withoutMessage removes it before decoding.
// The actions are read as slack-go reads them;
// FuzzDecodeInteraction checks that both decodings make the same inbound.
type click struct {
	Type slack.InteractionType `json:"type"`
	User struct {
		ID       string `json:"id"`
		Username string `json:"username"`
		Name     string `json:"name"`
	} `json:"user"`
	TriggerID   string `json:"trigger_id"`
	ResponseURL string `json:"response_url"`
	Channel     struct {
		ID string `json:"id"`
	} `json:"channel"`
	Container struct {
		ChannelID string `json:"channel_id"`
		MessageTs string `json:"message_ts"`
	} `json:"container"`
	Actions []json.RawMessage `json:"actions"`
}

// callback is the click as slack-go decodes it, the fields
// fromInteraction reads set: an action is a block's when it has a
// block_id (slack.ActionCallbacks), else an attachment's, which Vigie
// does not read.
func (c *click) callback() (slack.InteractionCallback, error) {
	cb := slack.InteractionCallback{Type: c.Type, TriggerID: c.TriggerID, ResponseURL: c.ResponseURL,
		Container: slack.Container{ChannelID: c.Container.ChannelID, MessageTs: c.Container.MessageTs}}
	cb.User.ID, cb.User.Name, cb.User.Username = c.User.ID, c.User.Name, c.User.Username
	cb.Channel.ID = c.Channel.ID
	for _, raw := range c.Actions {
		var keys map[string]any
		if err := json.Unmarshal(raw, &keys); err != nil {
			return slack.InteractionCallback{}, err
		}
		if _, ok := keys["block_id"].(string); !ok {
			continue
		}
		a := &slack.BlockAction{}
		if err := json.Unmarshal(raw, a); err != nil {
			return slack.InteractionCallback{}, err
		}
		cb.ActionCallback.BlockActions = append(cb.ActionCallback.BlockActions, a)
	}
	return cb, nil
}

// decodeEvent reads an Events API body. The signature is checked before,
// so the deprecated verification token is not.
func decodeEvent(body []byte) (slackevents.EventsAPIEvent, error) {
	return slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
}

// fromCommand makes the inbound of a slash command.
func fromCommand(cmd slack.SlashCommand) (*inbound, error) {
	if cmd.UserID == "" || cmd.ChannelID == "" {
		return nil, errors.New("slash command without user_id or channel_id")
	}
	in := &inbound{Kind: kindCommand, ResponseURL: cmd.ResponseURL, TriggerID: cmd.TriggerID,
		Event: bot.Event{Channel: cmd.ChannelID, User: incident.User{ID: cmd.UserID, Name: cmd.UserName}, Text: cmd.Text}}
	if cmd.TriggerID != "" {
		in.Key = "tr:" + cmd.TriggerID
	}
	return in, nil
}

// fromInteraction makes the inbound of a click or a modal submitted.
func fromInteraction(cb slack.InteractionCallback) (*inbound, error) {
	user := incident.User{ID: cb.User.ID, Name: cb.User.Username}
	if user.Name == "" {
		user.Name = cb.User.Name
	}
	if user.ID == "" {
		return nil, errors.New("interaction without user")
	}
	in := &inbound{ResponseURL: cb.ResponseURL, TriggerID: cb.TriggerID}
	switch cb.Type {
	case slack.InteractionTypeBlockActions:
		if len(cb.ActionCallback.BlockActions) == 0 {
			return nil, errors.New("block_actions without action")
		}
		act := cb.ActionCallback.BlockActions[0]
		if act.Value == "" || act.Type != "button" {
			return nil, errIgnored // not one of Vigie's buttons
		}
		ch := cb.Channel.ID
		if ch == "" {
			ch = cb.Container.ChannelID
		}
		if ch == "" {
			return nil, errors.New("block_actions without channel")
		}
		in.Kind = kindAction
		in.Event = bot.Event{Channel: ch, User: user, Text: act.Value, Click: true,
			ClickID: bot.ClickIdentity("slack", user.ID, cb.Container.MessageTs, act.ActionID+":"+act.Value)}
		in.Key = "act:" + ch + ":" + act.ActionTs + ":" + user.ID
	case slack.InteractionTypeViewSubmission:
		meta, fields, err := submission(cb.View)
		if err != nil {
			return nil, err
		}
		in.Kind = kindSubmit
		in.Event = bot.Event{Channel: meta.Channel, User: user, Text: meta.Action, Fields: fields}
		in.FirstField = firstInput(cb.View)
		in.Key = "view:" + cb.View.ID + ":" + cb.View.Hash
	default:
		return nil, errIgnored
	}
	if cb.TriggerID != "" {
		in.Key = "tr:" + cb.TriggerID
	}
	return in, nil
}

// fromEvent makes the inbound of an Events API event: a :pushpin: on a
// message; anything else is ignored.
func fromEvent(ev slackevents.EventsAPIEvent) (*inbound, error) {
	cb, ok := ev.Data.(*slackevents.EventsAPICallbackEvent)
	if !ok || ev.Type != slackevents.CallbackEvent {
		return nil, errIgnored
	}
	ra, ok := ev.InnerEvent.Data.(*slackevents.ReactionAddedEvent)
	if !ok || ra.Reaction != "pushpin" || ra.Item.Type != "message" || ra.Item.Channel == "" || ra.Item.Timestamp == "" || ra.User == "" {
		return nil, errIgnored
	}
	in := &inbound{Kind: kindPin, Pin: &pinRef{Channel: ra.Item.Channel, TS: ra.Item.Timestamp, By: ra.User},
		Event: bot.Event{Channel: ra.Item.Channel, User: incident.User{ID: ra.User}}}
	if cb.EventID != "" {
		in.Key = "ev:" + cb.EventID
	} else {
		in.Key = "pin:" + ra.Item.Channel + ":" + ra.Item.Timestamp + ":" + ra.User
	}
	return in, nil
}
