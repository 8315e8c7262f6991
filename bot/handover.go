package bot

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds the hand-over between shifts ("releve", "handover"): at
// the end of a night the cell writes down for the next shift what was done
// since the last hand-over, what is still owed with its legal deadline,
// the questions still open, who holds which role and the last situation
// point. The summary is recorded as an entry of the main courante
// (KindHandover, with the entries it covers and the hash of its text) and
// owed to the channel in the same transaction: the outbox posts it, after
// a platform outage too.

// RoleHandover is the last hand-over posted in the incident's channel.
const RoleHandover = "handover"

// handoverPage is how many entries a hand-over reads from the store at a
// time: a shift without hand-over may have left thousands of reminders.
const handoverPage = 500

// handover writes the summary for the next shift, records it and has it
// posted in the channel.
func (b *Bot) handover(ctx context.Context, r *request) (Reply, error) {
	if extra := r.cmd.rest(0); extra != "" {
		return Reply{}, uerr(EInvalid, r.lang, "err.handover_usage", echo(extra))
	}
	target, err := b.target(ctx, r)
	if err != nil {
		return Reply{}, err
	}
	if target.Status == incident.StatusClosed {
		return Reply{}, uerr(EConflict, r.lang, "err.closed", target.ID)
	}
	since := target.HandedOver
	covered, to, err := b.entriesSince(ctx, target.ID, since)
	if err != nil {
		return Reply{}, err
	}
	point, err := b.lastPoint(ctx, target)
	if err != nil {
		return Reply{}, err
	}
	var (
		seq  uint64
		hash string
	)
	inc, err := b.change(ctx, r, func(inc *incident.Incident, c *flows.Chain) ([]incident.Entry, error) {
		if inc.HandedOver != since {
			// Another hand-over was recorded since the entries were
			// read: this one would cover them twice.
			return nil, uerr(EConflict, r.lang, "err.handover_race", inc.ID)
		}
		ho := b.handoverSummary(inc, c, covered, since, point, r, b.cfg.Lang)
		text := ho.text()
		sum := sha256.Sum256([]byte(text))
		hash = hex.EncodeToString(sum[:])
		seq = inc.Head.Seq + 1
		inc.HandedOver, inc.HandoverOwed = to, seq
		data := map[string]string{"from": strconv.FormatUint(since+1, 10), "to": strconv.FormatUint(to, 10), "text": text, "sha256": hash}
		if len(ho.pendingIDs) > 0 {
			data["pending"] = strings.Join(ho.pendingIDs, ",")
		}
		if len(ho.questionIDs) > 0 {
			data["questions"] = strings.Join(ho.questionIDs, ",")
		}
		logText := tr(b.cfg.Lang, "log.handover", since+1, to, ho.listed, len(ho.pendingIDs), len(ho.questionIDs), hash[:12])
		return []incident.Entry{r.entry(incident.KindHandover, logText, data)}, nil
	})
	if err != nil {
		return Reply{}, err
	}
	return Reply{Text: tr(r.lang, "handover.ok", inc.ID, seq, hash[:12])}, nil
}

// entriesSince reads the entries after since that a hand-over lists
// (handoverKinds, and the previous hand-over), and returns them with the
// last sequence number read.
func (b *Bot) entriesSince(ctx context.Context, id string, since uint64) ([]incident.Entry, uint64, error) {
	var kept []incident.Entry
	to := since
	for {
		page, err := b.store.Entries(ctx, id, to, handoverPage)
		if err != nil {
			return nil, 0, err
		}
		for _, e := range page {
			if handoverKinds[e.Kind] || e.Kind == incident.KindHandover {
				kept = append(kept, e)
			}
			to = e.Seq
		}
		if len(page) < handoverPage {
			return kept, to, nil
		}
	}
}

// lastPoint returns the entry of the incident's last situation point, nil
// when there is none. Incidents whose points were recorded before
// Incident.LastPoint was kept are walked once.
func (b *Bot) lastPoint(ctx context.Context, inc *incident.Incident) (*incident.Entry, error) {
	if inc.LastPoint > 0 {
		es, err := b.store.Entries(ctx, inc.ID, inc.LastPoint-1, 1)
		if err != nil {
			return nil, err
		}
		if len(es) == 1 && es[0].Kind == incident.KindPoint {
			return &es[0], nil
		}
	}
	if inc.Points == 0 {
		return nil, nil
	}
	var last *incident.Entry
	for after := uint64(0); ; {
		page, err := b.store.Entries(ctx, inc.ID, after, handoverPage)
		if err != nil {
			return nil, err
		}
		for i := range page {
			if page[i].Kind == incident.KindPoint {
				last = &page[i]
			}
			after = page[i].Seq
		}
		if len(page) < handoverPage {
			return last, nil
		}
	}
}

// postHandover posts the hand-over the channel is owed, as recorded, and
// clears what is owed. A temporary failure is returned: it stays owed. A
// refusal for good is logged and the post given up: the person who asked
// was answered, and the main courante holds the text.
func (b *Bot) postHandover(ctx context.Context, inc *incident.Incident) error {
	seq := inc.HandoverOwed
	es, err := b.store.Entries(ctx, inc.ID, seq-1, 1)
	if err != nil {
		return err
	}
	ref := ""
	if len(es) == 1 && es[0].Kind == incident.KindHandover {
		title, body, _ := strings.Cut(es[0].Data["text"], "\n")
		// Kept whole on a screen that folds: it is what the next shift reads.
		ref, err = b.chat.Post(ctx, inc.Channel, Message{Title: title, Blocks: []Block{{Text: body, Keep: strings.Count(body, "\n") + 1}}})
		if err != nil {
			b.cfg.Observer.PlatformError(OpPost)
			if temporary(err) {
				return err
			}
			b.log.Warn("hand-over refused by the platform; given up", "incident", inc.ID, "entry", seq, "err", err)
		}
	}
	_, err = b.store.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		if ref != "" {
			if inc.Messages == nil {
				inc.Messages = map[string]string{}
			}
			inc.Messages[RoleHandover] = ref
		}
		if inc.HandoverOwed == seq {
			inc.HandoverOwed = 0
		}
		return nil, nil
	})
	return err
}
