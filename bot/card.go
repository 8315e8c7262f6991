package bot

import (
	"fmt"
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
	m := Message{Title: exerciseTitle(inc, lang, tr(lang, "card.title", inc.ID, inc.Title)), More: tr(lang, "more.status", b.prefix(), inc.ID)}
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
	if h := b.holders(inc, lang); h != "" {
		m.Blocks[len(m.Blocks)-1].Fields = append(m.Blocks[len(m.Blocks)-1].Fields, Field{tr(lang, "card.roles"), h})
	}
	if w := i18n.NotInForce(c, inc.T0, lang); w != "" {
		m.Blocks = append(m.Blocks, Block{Text: w})
	}
	open := inc.Status == incident.StatusOpen
	if c == nil {
		blk := Block{Title: tr(lang, "card.ask_chain")}
		// Buttons carry the structure in plain words and act by chain id,
		// which the text shows for typing.
		for _, sc := range b.structureChoices(now, lang) {
			blk.Text += fmt.Sprintf("• %s — `%s`\n", sc.label, sc.chain.ID)
			if open {
				blk.Buttons = append(blk.Buttons, Button{Label: sc.label, Action: fmt.Sprintf("#%s chaine %s", inc.ID, sc.chain.ID)})
			}
		}
		blk.Text = strings.TrimSuffix(blk.Text, "\n")
		m.Blocks = append(m.Blocks, blk)
		return m
	}
	plan := flows.Evaluate(c, inc.Inputs())
	if open {
		if blk, ok := standInBlock(c, plan, lang); ok {
			m.Blocks = append(m.Blocks, blk)
		}
	}
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
			blk.Text += tr(lang, "card.typed", b.prefix(), q.ID)
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

// standInBlock says which regional contacts (the ARS, the regional CSIRT)
// the deployment has not given, for the steps the plan requires: those
// steps name a national stand-in ("ARS concernée") without an address, and
// the crisis cell must know why.
func standInBlock(c *flows.Chain, plan flows.Plan, lang Lang) (Block, bool) {
	steps := make([]*flows.Step, 0, len(plan.Steps))
	for _, p := range plan.Steps {
		steps = append(steps, p.Step)
	}
	var lines []string
	seen := map[string]bool{}
	for _, id := range c.Regional {
		for _, s := range steps {
			for _, r := range s.Recipients {
				if r.Contact.ID != id || !c.StandIn(r.Contact) || seen[id] {
					continue
				}
				seen[id] = true
				lines = append(lines, tr(lang, "card.configure_line", r.Contact.Name.In(lang), stepLabel(s), "contacts."+id))
			}
		}
	}
	if len(lines) == 0 {
		return Block{}, false
	}
	return Block{Title: tr(lang, "card.configure"), Text: strings.Join(lines, "\n")}, true
}

// structureChoice is a chain the structure picker offers, with its label.
type structureChoice struct {
	chain *flows.Chain
	label string
}

// structureChoices are the chains the structure picker offers at now: those
// a structure follows, labelled in lang with the structure label of the
// chain's data and where it holds: the region whose ARS drew the chart, in
// plain words, or all regions, so that no one takes another region's chart
// for the chain id alone. The ARS's and the GIP's own roles are not
// offered. A catalog without any structure label offers every chain under
// its title.
func (b *Bot) structureChoices(now time.Time, lang Lang) []structureChoice {
	var out []structureChoice
	chains := b.cat.Structures(now)
	if len(chains) == 0 {
		for _, c := range b.cat.Chains(now) {
			out = append(out, structureChoice{c, c.Title.In(lang)})
		}
		return out
	}
	for _, c := range chains {
		label := tr(lang, "card.structure_national", c.Structure.In(lang))
		if c.Region != "" {
			label = tr(lang, "card.structure_regional", c.Structure.In(lang), flows.RegionName(c.Region))
		}
		out = append(out, structureChoice{c, label})
	}
	return out
}

// structureList writes the structure picker's choices for a message:
// "Professionnel de santé libéral — nouvelle-aquitaine/ps-liberal ; …".
func (b *Bot) structureList(now time.Time, lang Lang) string {
	var parts []string
	for _, sc := range b.structureChoices(now, lang) {
		parts = append(parts, sc.label+" — "+sc.chain.ID)
	}
	return strings.Join(parts, tr(lang, "sep.list"))
}

func valueButton(v flows.Value, lang Lang) string {
	if v == flows.Unknown {
		return tr(lang, "button.unknown")
	}
	return i18n.Value(v, lang)
}
