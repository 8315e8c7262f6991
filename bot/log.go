package bot

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// note writes a free line in the main courante.
func (b *Bot) note(ctx context.Context, r *request) (Reply, error) {
	text := strings.TrimSpace(r.cmd.rest(0))
	if text == "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.note_usage")
	}
	if len([]rune(text)) > maxNote {
		return Reply{}, uerr(EInvalid, r.lang, "err.note_long", maxNote)
	}
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		return []incident.Entry{r.entry(incident.KindNote, text, nil)}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "note.ok", inc.ID, inc.Head.Seq)}, nil
}

// point records a situation point: conditions, actions, needs (the
// tactical report of crisis cells).
func (b *Bot) point(ctx context.Context, r *request) (Reply, error) {
	o := r.cmd.opts
	if o["besoins"] == "" && o["needs"] != "" {
		o["besoins"] = o["needs"]
	}
	if o["conditions"] == "" && o["actions"] == "" && o["besoins"] == "" {
		if r.ev.Dialogs {
			target, err := b.target(ctx, r)
			if err != nil {
				return Reply{}, err
			}
			return Reply{Dialog: &Dialog{
				Title: tr(r.lang, "dialog.point.title"), Submit: tr(r.lang, "dialog.point.submit"),
				Action: "#" + target.ID + " point",
				Fields: []DialogField{
					{Name: "conditions", Label: tr(r.lang, "point.conditions"), Kind: "textarea"},
					{Name: "actions", Label: tr(r.lang, "point.actions"), Kind: "textarea", Optional: true},
					{Name: "besoins", Label: tr(r.lang, "point.needs"), Kind: "textarea", Optional: true},
				},
			}}, nil
		}
		return Reply{}, uerr(EInvalid, r.lang, "err.point_usage")
	}
	if extra := r.cmd.rest(0); extra != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.point_extra", echo(extra))
	}
	for _, k := range []string{"conditions", "actions", "besoins"} {
		if utf8.RuneCountInString(o[k]) > maxNote {
			return Reply{}, uerr(EInvalid, r.lang, "err.point_long", k, maxNote)
		}
	}
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		inc.Points++
		inc.LastPointAt = r.now
		inc.LastPoint = inc.Head.Seq + 1 // the entry returned below
		var text strings.Builder
		fmt.Fprintf(&text, tr(b.cfg.Lang, "log.point"), inc.Points)
		data := map[string]string{"n": fmt.Sprint(inc.Points)}
		for _, k := range []string{"conditions", "actions", "besoins"} {
			if v := strings.TrimSpace(o[k]); v != "" {
				text.WriteString(tr(b.cfg.Lang, "log.point_part", tr(b.cfg.Lang, "point."+map[string]string{"conditions": "conditions", "actions": "actions", "besoins": "needs"}[k]), v))
				data[k] = v
			}
		}
		return []incident.Entry{r.entry(incident.KindPoint, text.String(), data)}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "point.ok", inc.ID, inc.Points)}, nil
}

// export hands the main courante to the channel as a file and records that
// it did, with the head it exported.
func (b *Bot) export(ctx context.Context, r *request) (Reply, error) {
	format := strings.ToLower(r.cmd.opts["format"])
	if len(r.cmd.args) > 1 {
		return Reply{}, uerr(EInvalid, r.lang, "err.export_usage")
	}
	if len(r.cmd.args) == 1 {
		format = strings.ToLower(r.cmd.args[0])
	}
	if format == "" {
		format = "md"
	}
	if !contains(report.ExportFormats, format) {
		return Reply{}, uerr(EInvalid, r.lang, "err.export_format", echo(format), strings.Join(report.ExportFormats, ", "))
	}
	up, ok := b.chat.(Uploader)
	if !ok {
		return Reply{}, uerr(EConflict, r.lang, "err.no_upload")
	}
	inc, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	// The file is uploaded whole; its entries are read a page at a time.
	var buf bytes.Buffer
	if _, err := b.exports.Export(&buf, format, r.lang, inc, report.Pages(ctx, b.store, inc.ID), r.now); err != nil {
		return Reply{}, err
	}
	name := fmt.Sprintf("main-courante-%s-%d.%s", inc.ID, inc.Head.Seq, format)
	where, err := up.Upload(ctx, inc.Channel, name, buf.Bytes())
	if err != nil {
		return Reply{}, fmt.Errorf("upload export: %w", err)
	}
	_, err = b.store.Update(ctx, inc.ID, func(i *incident.Incident) ([]incident.Entry, error) {
		return []incident.Entry{r.entry(incident.KindExport, tr(b.cfg.Lang, "log.export", format, inc.Head.Short()),
			map[string]string{"format": format, "head_seq": fmt.Sprint(inc.Head.Seq), "head": inc.Head.Hash, "file": name})}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	b.owe(ctx, inc.ID)
	return Reply{Text: tr(r.lang, "export.ok", inc.ID, format, where)}, nil
}

// close ends an incident. With required steps still pending it needs an
// explicit confirmation, and the main courante lists what was left.
func (b *Bot) close(ctx context.Context, r *request) (Reply, error) {
	confirm := false
	for _, a := range r.cmd.args {
		switch strings.ToLower(a) {
		case "confirmer", "confirm":
			confirm = true
		default:
			return Reply{}, uerr(EInvalid, r.lang, "err.close_usage", echo(a))
		}
	}
	var left []string
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		left = b.leftUndone(inc, c, r.lang)
		if len(left) > 0 && !confirm {
			return nil, &Error{Code: EConflict, Message: tr(r.lang, "err.close_pending", inc.ID, strings.Join(left, "\n• "), inc.ID)}
		}
		inc.Status, inc.ClosedBy, inc.ClosedAt = incident.StatusClosed, r.ev.User, r.now
		data := map[string]string{}
		text := tr(b.cfg.Lang, "log.closed")
		if len(left) > 0 {
			data["left"] = strings.Join(b.leftUndone(inc, c, b.cfg.Lang), "; ")
			text = tr(b.cfg.Lang, "log.closed_left", data["left"])
		}
		return []incident.Entry{r.entry(incident.KindClosed, text, data)}, nil
	})
	var ue *Error
	if errors.As(err, &ue) && ue.Code == EConflict && len(left) > 0 && !confirm {
		// Offer the confirmation as a button too.
		id := r.cmd.incident
		if target, terr := b.target(ctx, r); terr == nil {
			id = target.ID
		}
		return Reply{Error: true, Text: "⚠️ " + ue.Message, Message: &Message{Blocks: []Block{{
			Text:    "⚠️ " + ue.Message,
			Buttons: []Button{{Label: tr(r.lang, "button.close_anyway"), Action: "#" + id + " clore confirmer", Style: StyleDanger}},
		}}}}, nil
	}
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "close.ok", inc.ID)}, nil
}

// leftUndone lists the required steps not done nor declared without object,
// and the questions still open.
func (b *Bot) leftUndone(inc *incident.Incident, c *flows.Chain, lang Lang) []string {
	if c == nil {
		return []string{tr(lang, "close.no_chain")}
	}
	var left []string
	plan := flows.Evaluate(c, inc.Inputs())
	for _, p := range plan.Steps {
		if st := inc.Steps[p.Step.ID]; st == nil || st.Status == incident.StepPending {
			left = append(left, fmt.Sprintf("%d. %s", p.Step.Order, p.Step.Title.In(lang)))
		}
	}
	for _, q := range plan.Questions {
		left = append(left, tr(lang, "close.question", q.Text.In(lang)))
	}
	return left
}
