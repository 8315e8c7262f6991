package bot

import (
	"context"
	"strings"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// RoleClosing is the closing report, posted once in the incident's
// channel when it is closed, below its card and checklist.
const RoleClosing = "closing"

// ClosingMessage renders the closing report of a closed incident
// (report.Closing): its duration, each obligation with its delay from T0
// against its legal deadline, what was late and by how much, and what
// was left open. The exports carry the same report with the proofs.
func (b *Bot) ClosingMessage(inc *incident.Incident, c *flows.Chain, lang Lang) Message {
	cl := report.NewClosing(inc, c, inc.ClosedAt)
	m := Message{Title: exerciseTitle(inc, lang, tr(lang, "closing.title", inc.ID, inc.Title)), Blocks: []Block{{Text: strings.Join(cl.Headline(lang), "\n")}},
		More: tr(lang, "more.status", b.prefix(), inc.ID)}
	if len(cl.Obligations) > 0 {
		lines := make([]string, len(cl.Obligations))
		for i, o := range cl.Obligations {
			lines[i] = verdictIcon[o.Verdict] + " " + cl.Line(o, lang)
		}
		m.Blocks = append(m.Blocks, Block{Title: tr(lang, "closing.obligations"), Text: strings.Join(lines, "\n")})
	}
	if open := cl.Open(lang); len(open) > 0 {
		m.Blocks = append(m.Blocks, Block{Title: tr(lang, "closing.left_open"), Text: "❓ " + strings.Join(open, "\n❓ ")})
	}
	m.Blocks = append(m.Blocks, Block{Text: tr(lang, "closing.export", inc.ID)})
	return m
}

// verdictIcon marks each obligation of the closing report as the
// checklist marks steps.
var verdictIcon = map[report.Verdict]string{
	report.OnTime: "✅", report.Done: "✅", report.Late: "🟠", report.Overdue: "🔴",
	report.NotDone: "⬜", report.NotApplicable: "➖",
}

// postClosing posts the closing report of a closed incident the first
// time it is delivered, and records where, so that it is posted once.
func (b *Bot) postClosing(ctx context.Context, inc *incident.Incident, c *flows.Chain) error {
	ref, err := b.chat.Post(ctx, inc.Channel, b.ClosingMessage(inc, c, b.cfg.Lang))
	if err != nil {
		b.cfg.Observer.PlatformError(OpPost)
		return err
	}
	_, err = b.store.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		if inc.Messages == nil {
			inc.Messages = map[string]string{}
		}
		inc.Messages[RoleClosing] = ref
		return nil, nil
	})
	return err
}
