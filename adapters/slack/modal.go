package slack

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/slack-go/slack"

	"github.com/vigie-sante/vigie/bot"
)

// callbackDialog marks the modals of Vigie's dialogs.
const callbackDialog = "vigie-dialog"

// inputAction is the action_id of every input of a modal; the block_id is
// the dialog field's name.
const inputAction = "v"

// Slack's limits on modals.
const (
	maxModalTitle   = 24
	maxLabel        = 2000
	maxOptionText   = 75
	maxOptionValue  = 150
	maxInputBlocks  = 100
	maxPrivateMeta  = 3000
	maxInitialValue = 3000
)

// dialogMeta travels in the modal's private_metadata: what to do with the
// values, and in which channel (a view_submission names no channel).
type dialogMeta struct {
	Action  string `json:"a"`
	Channel string `json:"c"`
}

// renderModal lays a dialog out as a modal: the full title as the first
// line (a modal's title holds 24 characters), then one input per field:
// text, multi-line text or a static select.
func renderModal(d bot.Dialog, channel string, lang bot.Lang) (slack.ModalViewRequest, error) {
	meta, err := json.Marshal(dialogMeta{Action: d.Action, Channel: channel})
	if err != nil {
		return slack.ModalViewRequest{}, err
	}
	if len(meta) > maxPrivateMeta {
		return slack.ModalViewRequest{}, errors.New("dialog action too long for a modal")
	}
	submit := d.Submit
	if submit == "" {
		submit = "OK"
	}
	v := slack.ModalViewRequest{
		Type:            slack.VTModal,
		CallbackID:      callbackDialog,
		PrivateMetadata: string(meta),
		Title:           plain(trimTo(d.Title, maxModalTitle)),
		Submit:          plain(trimTo(submit, maxModalTitle)),
		Close:           plain(word(lang, "cancel")),
	}
	var blocks []slack.Block
	if len([]rune(d.Title)) > maxModalTitle {
		blocks = append(blocks, slack.NewSectionBlock(mrkdwnText("*"+mrkdwn(trimTo(d.Title, maxSectionText-2))+"*"), nil, nil))
	}
	for _, f := range d.Fields {
		if len(blocks) >= maxInputBlocks {
			break
		}
		var el slack.BlockElement
		switch f.Kind {
		case "select":
			var opts []*slack.OptionBlockObject
			var initial *slack.OptionBlockObject
			for _, o := range f.Options {
				ob := slack.NewOptionBlockObject(trimTo(o.Value, maxOptionValue), plain(trimTo(o.Label, maxOptionText)), nil)
				if o.Value == f.Default {
					initial = ob
				}
				opts = append(opts, ob)
			}
			sel := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, nil, inputAction, opts...)
			sel.InitialOption = initial
			el = sel
		default:
			in := slack.NewPlainTextInputBlockElement(nil, inputAction)
			in.Multiline = f.Kind == "textarea"
			in.InitialValue = trimTo(f.Default, maxInitialValue)
			el = in
		}
		var hint *slack.TextBlockObject
		if f.Help != "" {
			hint = plain(trimTo(f.Help, maxLabel))
		}
		in := slack.NewInputBlock(f.Name, plain(trimTo(f.Label, maxLabel)), hint, el)
		in.Optional = f.Optional
		blocks = append(blocks, in)
	}
	v.Blocks = slack.Blocks{BlockSet: blocks}
	return v, nil
}

// openDialog opens d as a modal with the trigger of the person's click or
// command, its own words in the person's language lang (empty: the
// deployment's).
func (a *Adapter) openDialog(ctx context.Context, trigger, channel string, d bot.Dialog, lang bot.Lang) error {
	if lang == "" {
		lang = a.opt.Lang
	}
	v, err := renderModal(d, channel, lang)
	if err != nil {
		return err
	}
	return a.call(ctx, "views.open", func() error {
		_, err := a.api.OpenViewContext(ctx, trigger, v)
		return err
	})
}

// submission reads a submitted modal: the dialog's action and channel from
// the private metadata, the values by field name. Empty values are left
// out, as the console leaves out an optional field not filled.
func submission(view slack.View) (dialogMeta, map[string]string, error) {
	var meta dialogMeta
	if view.CallbackID != callbackDialog {
		return meta, nil, fmt.Errorf("view %q is not a Vigie dialog", view.CallbackID)
	}
	if err := json.Unmarshal([]byte(view.PrivateMetadata), &meta); err != nil || meta.Action == "" || meta.Channel == "" {
		return meta, nil, errors.New("view without its dialog's action")
	}
	fields := map[string]string{}
	if view.State == nil {
		return meta, fields, nil
	}
	for block, actions := range view.State.Values {
		act, ok := actions[inputAction]
		if !ok {
			continue
		}
		v := act.Value
		if act.SelectedOption.Value != "" {
			v = act.SelectedOption.Value
		}
		if v = strings.TrimSpace(v); v != "" {
			fields[block] = v
		}
	}
	return meta, fields, nil
}

// fieldErrors places a refusal in the modal: under the fields whose value
// the message quotes (the bot names the input that is wrong), else under
// the first field.
func fieldErrors(msg string, fields map[string]string, first string) map[string]string {
	errs := map[string]string{}
	names := make([]string, 0, len(fields))
	for name := range fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if v := fields[name]; len(v) >= 2 && strings.Contains(msg, v) {
			errs[name] = msg
		}
	}
	if len(errs) == 0 && first != "" {
		errs[first] = msg
	}
	return errs
}

// firstInput is the block id of a submitted view's first input.
func firstInput(view slack.View) string {
	for _, b := range view.Blocks.BlockSet {
		if in, ok := b.(*slack.InputBlock); ok {
			return in.BlockID
		}
	}
	return ""
}
