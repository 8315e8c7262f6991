package bot

import (
	"context"

	"github.com/vigie-sante/vigie/bot/incident"
)

// Alarm announces that the stored main courante of an incident does not
// verify: an error in the operators' log, the ChainBroken metric, and a
// message in the incident's channel telling the cell to go on on paper and
// call the administrator. The store refuses the incident's new entries;
// the alarm is raised once per incident, however often they are refused.
// A caller that finds it being raised (the background audit and a refused
// command at once) returns when it has been: the person who was refused
// sees the alarm in the channel before the refusal.
func (b *Bot) Alarm(ctx context.Context, be *incident.BrokenError) {
	b.alarmMu.Lock()
	raising, seen := b.alarmed[be.Incident]
	if !seen {
		if b.alarmed == nil {
			b.alarmed = map[string]chan struct{}{}
		}
		raising = make(chan struct{})
		b.alarmed[be.Incident] = raising
	}
	b.alarmMu.Unlock()
	if seen {
		select {
		case <-raising:
		case <-ctx.Done():
		}
		return
	}
	defer close(raising)
	b.log.Error("main courante broken: the incident refuses new entries", "incident", be.Incident, "err", be.Err)
	b.cfg.Observer.ChainBroken()
	inc, err := b.store.Incident(ctx, be.Incident)
	if err != nil || inc.Status != incident.StatusOpen {
		return // a closed incident's channel has moved on: the log and the metric say it
	}
	text := "⛔ " + tr(b.cfg.Lang, "alarm.broken", be.Incident, be.Err.Error())
	if inc.Exercise || incident.IsExerciseID(inc.ID) { // the ID says it when the record lost the mark
		text = markTitle(b.cfg.Lang, text)
	}
	m := Message{Blocks: []Block{{Text: text}}}
	if _, err := b.chat.Post(ctx, inc.Channel, m); err != nil {
		b.cfg.Observer.PlatformError(OpPost)
		b.log.Error("post the broken main courante alarm", "incident", be.Incident, "err", err)
	}
}
