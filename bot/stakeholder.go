package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/notice"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds the messages to stakeholders ("message direction|ars|
// personnel|presse"): from the last situation point, package notice
// writes the note the direction, the ARS, the staff or the press is
// waiting for, to review and send by hand. Each is logged in the main
// courante with the SHA-256 of its text, as the declaration drafts are.
// The patient-identifier guard runs on the text: a point recorded with a
// NIR (forcer=oui) must not flow silently into a message, so the message
// is refused until it is asked masked (masquer=oui); forcer=oui is not
// offered, as no message to stakeholders may carry a patient identifier.

func init() {
	optionKeys["message"] = []string{"masquer", "mask", "forcer", "force"}
}

// identifiersFound refuses, inside the change's transaction, a message
// whose text holds patient identifiers: nothing is recorded.
type identifiersFound struct{ nir, ipp bool }

func (e *identifiersFound) Error() string { return "message holds patient identifiers" }

// stakeholderMessage writes and logs a message to stakeholders.
func (b *Bot) stakeholderMessage(ctx context.Context, r *request) (Reply, error) {
	typed := strings.Join(notice.Typed(r.lang), "|")
	if len(r.cmd.args) == 0 {
		return Reply{}, uerr(EInvalid, r.lang, "err.message_usage", typed)
	}
	a := notice.AudienceOf(r.cmd.args[0])
	if a == nil {
		return Reply{}, uerr(EInvalid, r.lang, "err.message_audience", echo(r.cmd.args[0]), strings.Join(notice.Typed(r.lang), ", "))
	}
	if extra := r.cmd.rest(1); extra != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.message_extra", echo(extra), typed)
	}
	o := r.cmd.opts
	if yes(o["forcer"]) || yes(o["force"]) {
		return Reply{}, uerr(EInvalid, r.lang, "err.message_force")
	}
	mask := yes(o["masquer"]) || yes(o["mask"])
	target, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	if target.Status == incident.StatusClosed {
		return Reply{}, uerr(EConflict, r.lang, "err.closed", target.ID)
	}
	pe, err := b.lastPoint(ctx, target)
	if err != nil {
		return Reply{}, err
	}
	if pe == nil {
		return Reply{}, uerr(EConflict, r.lang, "err.message_no_point", target.ID, b.prefix())
	}
	p := notice.PointOf(*pe)
	var text, hash string
	var masked []string
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		text = b.notices.Render(a, inc, c, p, r.now, b.cfg.Lang)
		masked = nil
		if nir, ipp := guard.Found(text, b.ipp()); nir || ipp {
			if !mask {
				return nil, &identifiersFound{nir, ipp}
			}
			text = guard.Mask(text, b.ipp(), b.cfg.Lang)
			if nir {
				masked = append(masked, "nir")
			}
			if ipp {
				masked = append(masked, "ipp")
			}
		}
		sum := sha256.Sum256([]byte(text))
		hash = hex.EncodeToString(sum[:])
		data := map[string]string{"audience": a.ID, "point": strconv.FormatUint(p.Seq, 10), "sha256": hash}
		if len(masked) > 0 {
			data["masked"] = strings.Join(masked, ",")
		}
		return []incident.Entry{r.entry(incident.KindMessage, tr(b.cfg.Lang, "log.message", a.Name(b.cfg.Lang), p.N, hash[:12]), data)}, nil
	})
	if found, ok := errors.AsType[*identifiersFound](err); ok {
		return b.messageRefused(r, target, a, p, found), nil
	}
	if err != nil {
		return Reply{}, err
	}
	name := a.Name(r.lang)
	var notes []string
	if n := notice.Blanks(text, b.cfg.Lang); n > 0 {
		notes = append(notes, tr(r.lang, "message.blanks", n))
	}
	if len(masked) > 0 {
		notes = append(notes, tr(r.lang, "message.masked", p.N, guardWhat(contains(masked, "nir"), contains(masked, "ipp"), r.lang)))
	}
	if !a.Quotes() {
		notes = append(notes, tr(r.lang, "message.press"))
	}
	notes = append(notes, tr(r.lang, "message.logged", hash[:12], inc.Head.Seq))
	return Reply{
		Text:    tr(r.lang, "message.ok", name, inc.ID, hash[:12]),
		Message: &Message{Title: tr(r.lang, "message.title", name, inc.ID), Blocks: []Block{{Text: text, Keep: strings.Count(text, "\n") + 1}, {Text: strings.Join(notes, "\n")}}},
	}, nil
}

// messageRefused says that the point would carry patient identifiers into
// the message, and offers it masked, as a button and typed.
func (b *Bot) messageRefused(r *request, inc *incident.Incident, a *notice.Audience, p notice.Point, found *identifiersFound) Reply {
	action := "#" + inc.ID + " message " + a.Typed(r.lang) + " " + tr(r.lang, "message.mask_option")
	msg := tr(r.lang, "message.guard_refused", p.N, guardWhat(found.nir, found.ipp, r.lang)) + "\n" + tr(r.lang, "message.guard_how", b.prefix(), action)
	return Reply{Error: true, Text: "⚠️ " + msg, Message: &Message{Blocks: []Block{{
		Text:    "⚠️ " + msg,
		Buttons: []Button{{Label: tr(r.lang, "button.message_masked"), Action: action, Style: StylePrimary}},
	}}}}
}
