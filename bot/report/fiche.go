package report

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file builds the offline reflex sheet ("fiche réflexe"): for each
// alert chain, one A4 page to print and pin on the crisis-room wall, that
// stands without Vigie, the chat or the internet. It holds the numbers to
// call (large, never broken across lines), the portals (with QR codes on
// paper), blanks for the structure's own numbers and for the ARS's number
// when no public source gives one, the questions to settle, the steps in
// order with their deadline and the means the chain uses (no other), a grid
// to keep the main courante by hand, and where each contact comes from.
// fiche_md.go and fiche_pdf.go write the same sheet in Markdown and PDF.

// SheetFormats are the formats of the reflex sheet.
var SheetFormats = []string{"md", "pdf"}

// SheetOptions are the choices of a reflex sheet.
type SheetOptions struct {
	Lang         flows.Lang
	Organisation incident.Organisation
	// Features are the chain switches on (nis2): steps and questions
	// behind another switch are left out.
	Features map[string]bool
	// Now is the edition date printed on the sheet.
	Now time.Time
	// KeyFingerprint, when set, is the fingerprint of the key this Vigie
	// signs exports with, printed so that a checked export can be tied to
	// the structure (vigie verify --key).
	KeyFingerprint string
}

// ReflexSheet writes the reflex sheet of chains in format (md or pdf),
// a page for each chain. cat gives the contacts of each chain's region.
func ReflexSheet(w io.Writer, format string, cat *flows.Catalog, chains []*flows.Chain, opt SheetOptions) error {
	if !slices.Contains(SheetFormats, format) {
		return fmt.Errorf("unknown sheet format %q (accepted: %s)", format, strings.Join(SheetFormats, ", "))
	}
	if opt.Lang == "" {
		opt.Lang = flows.FR
	}
	sheets := make([]*sheet, len(chains))
	for i, c := range chains {
		sheets[i] = newSheet(cat, c, opt)
	}
	if format == "pdf" {
		_, err := sheetPDF(w, sheets, opt)
		return err
	}
	return sheetMarkdown(w, sheets, opt.Lang)
}

// sheet is the reflex sheet of one chain: what its Markdown and its PDF
// both show, in reading order.
type sheet struct {
	title     string   // the chain's
	meta      []string // structure, chain and source, edition, signing key
	phones    []sheetPhone
	blanks    []sheetBlank
	links     []sheetLink
	t0        string
	questions []string // "Q1. …"
	steps     []sheetStep
	contacts  []string // where the contacts on the sheet come from, when checked
	unchecked bool     // no contact says when it was last checked
}

// sheetPhone is a number to call without internet.
type sheetPhone struct {
	number string
	who    string // the contact, and what the number is for
	steps  string // "étapes 1, 16", or "recours, étape 1"
}

// sheetBlank is a number the structure writes in by hand.
type sheetBlank struct{ label, hint string }

// sheetLink is the address of a portal, form or site, drawn as a QR code
// on paper.
type sheetLink struct{ url, who, steps string }

// sheetStep is a step of the chain, on one line if it can: its number,
// condition, title and deadline, then whom to reach and how.
type sheetStep struct {
	head string
	body []span
}

// span is a piece of text; a span that keeps together is never broken
// across lines (a phone number).
type span struct {
	text string
	keep bool
}

func spansText(ss []span) string {
	var b strings.Builder
	for _, s := range ss {
		b.WriteString(s.text)
	}
	return b.String()
}

// arsContact is the id of the ARS's alert point, in the national contacts
// and in each region's: the one the arrêté of 30 October 2017 has
// structures reach "par tout moyen" when the portal cannot be used.
const arsContact = "ars"

// sheetLogRows is the number of rows of the handwritten log in Markdown;
// the PDF fills what is left of its page.
const sheetLogRows = 10

// newSheet gathers the reflex sheet of chain c.
func newSheet(cat *flows.Catalog, c *flows.Chain, opt SheetOptions) *sheet {
	lang := opt.Lang
	sh := &sheet{title: c.Title.In(lang), t0: tr(lang, "sheet.t0")}
	if o := opt.Organisation; o.Name != "" {
		id := ""
		if o.FINESS != "" {
			id = " — FINESS " + o.FINESS
		}
		sh.meta = append(sh.meta, tr(lang, "sheet.structure")+i18n.T(lang, "sep.field")+o.Name+id)
	}
	sh.meta = append(sh.meta,
		tr(lang, "sheet.chain", c.ID, c.Version, formatDay(c.Effective, lang), c.Source.Document.In(lang)),
		tr(lang, "sheet.edition", formatDay(opt.Now, lang)))
	if opt.KeyFingerprint != "" {
		sh.meta = append(sh.meta, tr(lang, "sheet.key", opt.KeyFingerprint))
	}

	// The questions, numbered: the steps' conditions refer to them.
	qnum := map[string]int{}
	for _, q := range c.Questions {
		if q.Feature != "" && !opt.Features[q.Feature] {
			continue
		}
		qnum[q.ID] = len(qnum) + 1
		text := fmt.Sprintf("Q%d. %s", qnum[q.ID], q.Text.In(lang))
		if len(q.When) > 0 {
			text += " (" + sheetCondition(q.When, qnum, lang) + ")"
		}
		sh.questions = append(sh.questions, text)
	}

	steps := sheetSteps(c, opt.Features)
	used := map[string]bool{} // contact ids on the sheet
	var contacts []*flows.Contact
	useContact := func(ct *flows.Contact) {
		if !used[ct.ID] {
			used[ct.ID] = true
			contacts = append(contacts, ct)
		}
	}
	var phones, links []*sheetNumber
	addNumber := func(ct *flows.Contact, m flows.Means, order int, recourse bool) {
		list := &links
		switch {
		case m.Kind == "phone":
			list = &phones
		case !isURL(m):
			return
		}
		i := slices.IndexFunc(*list, func(n *sheetNumber) bool { return n.value == m.Address() })
		if i < 0 {
			n := &sheetNumber{value: m.Address(), who: ct.Name.In(lang), recourse: recourse}
			if l := m.Label.In(lang); l != "" && m.Kind == "phone" {
				n.who += ", " + l
			}
			*list = append(*list, n)
			i = len(*list) - 1
		}
		n := (*list)[i]
		if !slices.Contains(n.steps, order) {
			n.steps = append(n.steps, order)
		}
		n.recourse = n.recourse && recourse
	}

	// The means each step names, then those its own words send to as a
	// recourse ("si le CERT Santé est saturé, … 01 71 75 84 68"): no
	// other contact of the region or the nation is on the sheet.
	structure := !c.Structure.IsZero() // not an authority's own chain
	arsPhone, arsName := false, ""
	for _, s := range steps {
		st := sheetStep{head: stepHead(c, s, qnum, lang)}
		listed := map[string]bool{} // contact id + value, and each value alone
		for i, r := range s.Recipients {
			useContact(r.Contact)
			if i > 0 {
				sep := tr(lang, "sheet.means_sep")
				if s.AnyOf {
					sep = tr(lang, "sheet.or")
				}
				st.body = append(st.body, span{text: sep})
			}
			// A step's only recipient is named by its title.
			st.body = append(st.body, meansSpans(r.Contact, r.Means, len(s.Recipients) > 1, lang)...)
			for _, m := range r.Means {
				addNumber(r.Contact, m, s.Order, false)
				listed[r.Contact.ID+"\x00"+m.Address()] = true
				listed[m.Address()] = true // another contact's same number is no recourse
			}
			if r.Contact.ID == arsContact && structure {
				arsName = r.Contact.Name.In(lang)
				arsPhone = arsPhone || slices.ContainsFunc(r.Contact.Means, func(m flows.Means) bool { return m.Kind == "phone" })
			}
		}
		// The recourses: what the step's words name, and the ARS's phone
		// line, if its contact has one, where the step writes to it (the
		// arrêté of 30/10/2017: "par tout moyen" without the portal).
		words := s.Action.In(lang) + "\n" + s.Note.In(lang)
		for _, ct := range scopeContacts(cat, c.Region) {
			toARS := structure && ct.ID == arsContact && slices.ContainsFunc(s.Recipients, func(r flows.Recipient) bool { return r.Contact == ct })
			var ms []flows.Means
			for _, m := range ct.Means {
				if reachable(m) && !listed[ct.ID+"\x00"+m.Address()] && !listed[m.Address()] && (mentions(words, m.Address()) || toARS && m.Kind == "phone") {
					ms = append(ms, m)
				}
			}
			if len(ms) == 0 {
				continue
			}
			useContact(ct)
			st.body = append(st.body, span{text: tr(lang, "sheet.recourse")})
			st.body = append(st.body, meansSpans(ct, ms, true, lang)...)
			for _, m := range ms {
				addNumber(ct, m, s.Order, true)
				listed[m.Address()] = true
			}
		}
		sh.steps = append(sh.steps, st)
	}
	for _, n := range phones {
		sh.phones = append(sh.phones, sheetPhone{number: n.value, who: n.who, steps: n.stepsText(lang)})
	}
	for _, n := range links {
		sh.links = append(sh.links, sheetLink{url: n.value, who: n.who, steps: n.stepsText(lang)})
	}

	sh.blanks = []sheetBlank{
		{label: tr(lang, "sheet.blank_direction")},
		{label: tr(lang, "sheet.blank_dsi")},
		{label: tr(lang, "sheet.blank_dpo")},
	}
	// A structure that cannot use the portal reports "par tout moyen" to
	// the ARS: with no number in a public source, a box for the one the
	// ARS gives. The authorities' own chains (ARS, GIP) need none.
	if arsName != "" && !arsPhone && !c.Structure.IsZero() {
		sh.blanks = append(sh.blanks, sheetBlank{label: tr(lang, "sheet.blank_ars"), hint: tr(lang, "sheet.blank_ars_hint", arsName)})
	}
	sh.contacts, sh.unchecked = contactSources(c, contacts, lang)
	return sh
}

// stepHead is "10. [si Q3 oui] Signaler à la police — dans les meilleurs
// délais".
func stepHead(c *flows.Chain, s *flows.Step, qnum map[string]int, lang flows.Lang) string {
	head := strconv.Itoa(s.Order) + ". "
	if len(s.When) > 0 {
		head += "[" + sheetCondition(s.When, qnum, lang) + "] "
	}
	return head + s.Title.In(lang) + " — " + sheetDeadline(c, s.Deadline, lang)
}

// meansSpans is "CERT Santé (ANS) — Portail : https://… ; Téléphone :
// 09 72 43 91 25", the numbers kept together; named says whether to
// name the contact. A channel described in words is given by its label,
// short ("selon le contrat"): the sheet is a reminder, Vigie has the rest.
func meansSpans(ct *flows.Contact, ms []flows.Means, named bool, lang flows.Lang) []span {
	var out []span
	if named {
		out = append(out, span{text: ct.Name.In(lang) + " — "})
	}
	for i, m := range ms {
		if i > 0 {
			out = append(out, span{text: tr(lang, "sheet.means_sep")})
		}
		value := m.Value.In(lang)
		if l := m.Label.In(lang); !reachable(m) && l != "" {
			value = l
		}
		// "Téléphone : 17" is not broken either.
		out = append(out, span{text: tr(lang, "kind."+m.Kind) + " " + value, keep: m.Kind == "phone"})
	}
	return out
}

// sheetNumber is a phone number or an address on the sheet: whom it
// reaches and in which steps.
type sheetNumber struct {
	value, who string
	steps      []int
	recourse   bool // named only in the steps' words, as a recourse
}

// stepsText is "étape 1", "étapes 1, 16" or "recours, étape 1".
func (n *sheetNumber) stepsText(lang flows.Lang) string {
	s := make([]string, len(n.steps))
	for i, o := range n.steps {
		s[i] = strconv.Itoa(o)
	}
	key := "sheet.steps"
	if n.recourse {
		key = "sheet.recourse_steps"
	}
	return tr(lang, key, len(n.steps), strings.Join(s, ", "))
}

// sheetSteps are the chain's steps, without those behind a switch that is
// off.
func sheetSteps(c *flows.Chain, features map[string]bool) []*flows.Step {
	var out []*flows.Step
	for _, s := range c.Steps {
		if s.Feature == "" || features[s.Feature] {
			out = append(out, s)
		}
	}
	return out
}

// sheetCondition writes a condition with the questions' numbers: "si Q3
// oui et Q4 oui".
func sheetCondition(cond flows.Condition, qnum map[string]int, lang flows.Lang) string {
	cond = slices.Clone(cond)
	slices.SortStableFunc(cond, func(a, b flows.Clause) int { return qnum[a.Key] - qnum[b.Key] })
	parts := make([]string, len(cond))
	for i, cl := range cond {
		q := cl.Key
		if n, ok := qnum[cl.Key]; ok {
			q = "Q" + strconv.Itoa(n)
		}
		parts[i] = q + " " + strings.ToLower(i18n.Value(cl.Value, lang))
	}
	return tr(lang, "sheet.if", strings.Join(parts, tr(lang, "sheet.and")))
}

// sheetDeadline writes a deadline as a rule: "sans délai", "T0 + 72h",
// "15m après l'étape 2".
func sheetDeadline(c *flows.Chain, d flows.Deadline, lang flows.Lang) string {
	switch d.Kind {
	case flows.Immediate:
		return tr(lang, "sheet.immediate")
	case flows.None:
		return tr(lang, "deadline.none")
	}
	if d.Anchor == flows.AnchorT0 {
		return "T0 + " + d.OffsetString()
	}
	if s := c.Step(d.Anchor); s != nil {
		return tr(lang, "sheet.after_step", d.OffsetString(), s.Order)
	}
	return tr(lang, "sheet.after_step_id", d.OffsetString(), d.Anchor)
}

func formatDay(t time.Time, lang flows.Lang) string {
	if lang == flows.EN {
		return t.In(incident.Paris).Format("2006-01-02")
	}
	return t.In(incident.Paris).Format("02/01/2006")
}
