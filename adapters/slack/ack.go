package slack

import (
	"encoding/json"
	"strings"

	"github.com/slack-go/slack"
)

// maxAck is the largest acknowledgement payload: Socket Mode drops 20 KB
// and more; beyond, the reply goes through the response_url.
const maxAck = 16 << 10

// commandReply is a slash command's immediate answer, shown to the person
// only.
type commandReply struct {
	ResponseType string        `json:"response_type"`
	Text         string        `json:"text"`
	Blocks       []slack.Block `json:"blocks,omitempty"`
}

// acknowledge records an inbound request and returns what to acknowledge
// it with (nil: an empty acknowledgement):
//   - a slash command waits ReplyWithin for the bot unless it is busy, so
//     that a quick answer rides on the acknowledgement, else the answer
//     follows through the response_url;
//   - a modal submitted waits SubmitWithin, so that a refusal shows in the
//     modal under the field at fault, else the modal closes and the
//     answer follows;
//   - clicks and pins are acknowledged at once and handled after.
//
// dup says Slack had sent the request before: nothing is done twice. An
// error means the request could not be recorded, and Slack should send it
// again.
func (a *Adapter) acknowledge(in *inbound) (payload any, dup bool, err error) {
	j, dup, err := a.accept(in)
	if err != nil {
		if in.Kind == kindCommand {
			// A person typed it: say so rather than fail silently.
			return commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: "⚠️ " + word(a.opt.Lang, "unavailable")}, false, err
		}
		return nil, false, err
	}
	if dup {
		if in.Kind == kindSubmit {
			return slack.NewClearViewSubmissionResponse(), true, nil
		}
		return nil, true, nil
	}
	switch in.Kind {
	case kindCommand:
		wait := a.opt.ReplyWithin
		if a.busy() {
			wait = 0
		}
		r, ok := a.await(j, wait)
		if !ok || (r.Text == "" && r.Message == nil) {
			return nil, false, nil
		}
		reply := commandReply{ResponseType: slack.ResponseTypeEphemeral, Text: mrkdwn(r.Text)}
		if r.Message != nil {
			reply.Text = fallbackText(*r.Message)
			reply.Blocks = renderMessage(*r.Message, a.opt.Lang, a.opt.Trigger)
		}
		if b, err := json.Marshal(reply); err != nil || len(b) > maxAck {
			a.later(in, r)
			return nil, false, nil
		}
		a.answered(in)
		return reply, false, nil
	case kindSubmit:
		r, ok := a.await(j, a.opt.SubmitWithin)
		if ok && r.Error {
			msg := strings.TrimSpace(strings.TrimPrefix(r.Text, "⚠️"))
			if errs := fieldErrors(msg, in.Event.Fields, in.FirstField); len(errs) > 0 {
				a.answered(in)
				return slack.NewErrorsViewSubmissionResponse(errs), false, nil
			}
		}
		if ok {
			a.later(in, r)
		}
		return slack.NewClearViewSubmissionResponse(), false, nil
	default:
		a.await(j, 0)
		return nil, false, nil
	}
}

// answered reports the answer to in shown now (Options.Answered).
func (a *Adapter) answered(in *inbound) {
	var kind string
	switch in.Kind {
	case kindCommand:
		kind = "command"
	case kindAction:
		kind = "click"
	case kindSubmit:
		kind = "form"
	default:
		return
	}
	a.opt.Answered(kind, a.now().Sub(in.Received))
}
