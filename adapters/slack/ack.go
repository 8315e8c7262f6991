package slack

import (
	"encoding/json"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
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

// acknowledge has an inbound request handled, or recorded to be, and
// returns what to acknowledge it with (nil: an empty acknowledgement):
//   - in HTTP mode, a command, a click or a form is handled before its
//     acknowledgement when a place is free (direct.go): a command's answer
//     rides on it, a click's follows through the response_url;
//   - else it is recorded in the inbox and handled by a worker: a slash
//     command waits ReplyWithin for the bot unless it is busy, so that a
//     quick answer rides on the acknowledgement, else the answer follows
//     through the response_url; clicks and pins are acknowledged at once;
//   - a modal submitted waits SubmitWithin at most, so that a refusal
//     shows in the modal under the field at fault, else the modal closes
//     and the answer follows.
//
// dup says Slack had sent the request before: nothing is done twice. An
// error means the request could not be recorded, and Slack should send it
// again.
func (a *Adapter) acknowledge(in *inbound) (payload any, dup bool, err error) {
	r, ok, dup, err := a.take(in)
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
		if !ok || (r.Text == "" && r.Message == nil) {
			return nil, false, nil
		}
		if a.opt.ReplyWithin < 0 {
			a.later(in, r)
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
		if ok {
			a.later(in, r)
		}
		return nil, false, nil
	}
}

// take has in handled in its acknowledgement when it can (direct), else
// records it in the inbox for a worker and waits as its kind does; ok
// says r is the bot's reply, for the acknowledgement to show. The time
// spent waiting for a place counts in the kind's wait, so that the
// acknowledgement never waits longer than without places.
func (a *Adapter) take(in *inbound) (r bot.Reply, ok, dup bool, err error) {
	in.Received = a.now() // before any wait: answers are timed from here
	start := time.Now()
	if a.directs(in.Kind) {
		if a.place(a.placeWithin(in.Kind)) {
			return a.direct(in, time.Since(start))
		}
		// Every place taken while it could wait: the inbox holds it.
	}
	j, dup, err := a.accept(in)
	if err != nil || dup {
		return bot.Reply{}, false, dup, err
	}
	var wait time.Duration
	switch in.Kind {
	case kindCommand:
		if !a.busy() {
			wait = a.opt.ReplyWithin
		}
	case kindSubmit:
		wait = a.opt.SubmitWithin - time.Since(start)
	}
	r, ok = a.await(j, wait)
	return r, ok, false, nil
}

// placeWithin is how long a request of kind may wait for a place:
// PlaceWithin, but never beyond what its acknowledgement may wait for
// the bot.
func (a *Adapter) placeWithin(kind string) time.Duration {
	d := min(a.opt.PlaceWithin, a.opt.DirectWithin)
	if kind == kindSubmit && a.opt.SubmitWithin > 0 {
		d = min(d, a.opt.SubmitWithin)
	}
	return d
}

// place takes one of a.places, waiting up to d for one; false when none
// came free.
func (a *Adapter) place(d time.Duration) bool {
	select {
	case a.places <- struct{}{}:
		return true
	default:
	}
	if d <= 0 {
		return false
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case a.places <- struct{}{}:
		return true
	case <-t.C:
		return false
	}
}

// answered reports the answer to in shown now (Options.Answered).
func (a *Adapter) answered(in *inbound) {
	var kind string
	switch in.Kind {
	case kindCommand:
		kind = bot.AnswerCommand
	case kindAction:
		kind = bot.AnswerClick
	case kindSubmit:
		kind = bot.AnswerForm
	default:
		return
	}
	a.opt.Answered(kind, a.now().Sub(in.Received))
}
