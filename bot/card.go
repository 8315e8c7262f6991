package bot

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// Message roles: the incident card and its checklist, each one message
// edited in place.
const (
	RoleCard      = "card"
	RoleChecklist = "checklist"
)

// refreshLock is the lock of incident id's deliveries: a stripe of
// refreshMu, by FNV-1a hash of the id.
func (b *Bot) refreshLock(id string) *sync.Mutex {
	h := uint32(2166136261)
	for i := 0; i < len(id); i++ {
		h = (h ^ uint32(id[i])) * 16777619
	}
	return &b.refreshMu[h%uint32(len(b.refreshMu))]
}

// Card renders the incident card: who, when, which chain, the questions
// still open with their buttons, and the short head of the main courante.
// Each question's explanation and typed form are in the full form
// (statut complet, detail Qn).
func (b *Bot) Card(inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang) Message {
	return b.card(inc, c, now, lang, false)
}

func (b *Bot) card(inc *incident.Incident, c *flows.Chain, now time.Time, lang Lang, full bool) Message {
	m := Message{Title: tr(lang, "card.title", inc.ID, inc.Title)}
	chain := tr(lang, "card.no_chain")
	if c != nil {
		chain = fmt.Sprintf("%s v%s", c.ID, c.Version)
		if full {
			chain = fmt.Sprintf("%s (%s v%s)", c.Title.In(lang), c.ID, c.Version)
		}
	}
	status := tr(lang, "status.open")
	if inc.Status == incident.StatusClosed {
		status = tr(lang, "status.closed", b.when(inc.ClosedAt, lang), inc.ClosedBy.String())
	}
	m.Blocks = append(m.Blocks, Block{Fields: []Field{
		{tr(lang, "card.t0"), b.when(inc.T0, lang)},
		{tr(lang, "card.opened"), tr(lang, "card.opened_by", inc.OpenedBy.String(), b.when(inc.OpenedAt, lang))},
		{tr(lang, "card.chain"), chain},
		{tr(lang, "card.status"), status},
		{tr(lang, "card.head"), inc.Head.Short()},
	}})
	open := inc.Status == incident.StatusOpen
	if c == nil {
		blk := Block{Title: tr(lang, "card.ask_chain")}
		// The structures' chains first, the authorities' (national/…) after;
		// buttons carry the short id, the text the full title.
		chains := b.cat.Chains(now)
		sort.SliceStable(chains, func(i, j int) bool {
			return !strings.HasPrefix(chains[i].ID, "national/") && strings.HasPrefix(chains[j].ID, "national/")
		})
		for _, ch := range chains {
			blk.Text += fmt.Sprintf("• %s — `%s`\n", ch.Title.In(lang), ch.ID)
			if open {
				blk.Buttons = append(blk.Buttons, Button{Label: ch.ID, Action: fmt.Sprintf("#%s chaine %s", inc.ID, ch.ID)})
			}
		}
		blk.Text = strings.TrimSuffix(blk.Text, "\n")
		m.Blocks = append(m.Blocks, blk)
		return m
	}
	plan := flows.Evaluate(c, inc.Inputs())
	for _, q := range plan.Questions {
		blk := Block{Title: "❓ " + questionLabel(c, q) + " — " + q.Text.In(lang)}
		if full {
			blk.Text = q.Help.In(lang)
		} else {
			blk.Detail = q.Help.In(lang)
		}
		if a, ok := inc.Answer(q.ID); ok && a.Value == flows.Unknown {
			blk.Text = strings.TrimSpace(blk.Text + "\n" + tr(lang, "card.unknown_since", a.By.String(), b.when(a.At, lang)))
		}
		if open {
			for _, v := range q.Answers {
				if a, ok := inc.Answer(q.ID); ok && a.Value == v {
					continue
				}
				style := ""
				if v == flows.Yes {
					style = StylePrimary
				}
				blk.Buttons = append(blk.Buttons, Button{Label: valueButton(v, lang), Action: fmt.Sprintf("#%s repondre %s %s", inc.ID, q.ID, v), Style: style})
			}
		}
		if full {
			blk.Text += tr(lang, "card.typed", b.cfg.Trigger, q.ID)
		}
		m.Blocks = append(m.Blocks, blk)
	}
	var answered []string
	for _, q := range c.Questions {
		if a, ok := inc.Answer(q.ID); ok && a.Value != flows.Unknown && b.asked(c, inc, q) {
			answered = append(answered, tr(lang, "card.answer", q.Text.In(lang), i18n.Value(a.Value, lang), a.By.String(), b.when(a.At, lang)))
		}
	}
	if len(answered) > 0 {
		m.Blocks = append(m.Blocks, Block{Title: tr(lang, "card.answers"), Text: strings.Join(answered, "\n")})
	}
	return m
}

func valueButton(v flows.Value, lang Lang) string {
	if v == flows.Unknown {
		return tr(lang, "button.unknown")
	}
	return i18n.Value(v, lang)
}
