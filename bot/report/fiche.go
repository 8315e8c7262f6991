package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file writes the offline reflex sheet ("fiche réflexe"): for each
// alert chain, what to do when the network is gone, the questions to
// settle, the order of the calls and declarations with every address and
// phone number, and the other useful contacts. It is printed and pinned on
// the crisis-room wall, so it must stand without Vigie, the chat or the
// internet. Everything on it comes from the chains and contacts files; the
// fixed advice comes from the catalogue.

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

// sheetItem is one line of the sheet, rendered as Markdown or PDF.
type sheetItem struct {
	kind string // h1, h2, h3, p, b (bold paragraph), li, small, page
	text string
}

// ReflexSheet writes the reflex sheet of chains in format (md or pdf).
// cat gives the contacts of each chain's region.
func ReflexSheet(w io.Writer, format string, cat *flows.Catalog, chains []*flows.Chain, opt SheetOptions) error {
	if !slices.Contains(SheetFormats, format) {
		return fmt.Errorf("unknown sheet format %q (accepted: %s)", format, strings.Join(SheetFormats, ", "))
	}
	if opt.Lang == "" {
		opt.Lang = flows.FR
	}
	items := sheetItems(cat, chains, opt)
	if format == "pdf" {
		_, err := sheetPDF(w, items, opt, false)
		return err
	}
	return sheetMarkdown(w, items)
}

func sheetItems(cat *flows.Catalog, chains []*flows.Chain, opt SheetOptions) []sheetItem {
	lang := opt.Lang
	var out []sheetItem
	add := func(kind, text string) { out = append(out, sheetItem{kind, text}) }
	sep := i18n.T(lang, "sep.field")
	for i, c := range chains {
		if i > 0 {
			add("page", "")
		}
		add("h1", tr(lang, "sheet.title"))
		if o := opt.Organisation; o.Name != "" {
			id := ""
			if o.FINESS != "" {
				id = " — FINESS " + o.FINESS
			}
			add("p", tr(lang, "sheet.structure")+sep+o.Name+id)
		}
		add("h2", c.Title.In(lang))
		add("small", tr(lang, "sheet.chain", c.ID, c.Version, c.Effective.UTC().Format(time.DateOnly), c.Source.Document))
		add("p", tr(lang, "sheet.edition", formatDay(opt.Now, lang)))
		if opt.KeyFingerprint != "" {
			add("small", tr(lang, "sheet.key", opt.KeyFingerprint))
		}

		// 1. Without the network.
		add("h3", tr(lang, "sheet.offline"))
		listed := map[string]bool{}
		for _, s := range sheetSteps(c, opt.Features) {
			for _, r := range s.Recipients {
				for _, m := range r.Means {
					if m.Kind != "phone" || listed[m.Value] {
						continue
					}
					listed[m.Value] = true
					add("li", tr(lang, "sheet.phone_for", r.Contact.Name.In(lang), m.Value+meansNote(m, lang), s.Order, s.Title.In(lang)))
				}
			}
		}
		for _, ct := range scopeContacts(cat, c.Region) {
			for _, m := range ct.Means {
				if !m.Fallback || listed[m.Value] {
					continue
				}
				listed[m.Value] = true
				add("li", tr(lang, "sheet.fallback", ct.Name.In(lang), tr(lang, "kind."+m.Kind), m.Value+meansNote(m, lang)))
			}
		}
		add("li", tr(lang, "sheet.advice_note"))
		add("li", tr(lang, "sheet.advice_paper"))
		add("li", tr(lang, "sheet.advice_console"))

		// 2. T0 and the questions.
		add("h3", tr(lang, "sheet.questions"))
		add("li", tr(lang, "sheet.t0"))
		for _, q := range c.Questions {
			if q.Feature != "" && !opt.Features[q.Feature] {
				continue
			}
			text := q.Text.In(lang)
			if len(q.When) > 0 {
				text += " (" + sheetCondition(c, q.When, lang) + ")"
			}
			add("li", text)
		}
		add("p", tr(lang, "sheet.answers_hint"))

		// 3. The calls and declarations, in order.
		add("h3", tr(lang, "sheet.order"))
		used := map[string]bool{}
		for _, s := range sheetSteps(c, opt.Features) {
			add("b", fmt.Sprintf("%d. %s — %s", s.Order, s.Title.In(lang), sheetDeadline(c, s.Deadline, lang)))
			when := tr(lang, "sheet.always")
			if len(s.When) > 0 {
				when = sheetCondition(c, s.When, lang)
			}
			add("li", tr(lang, "sheet.when")+sep+when)
			if a := s.Action.In(lang); a != "" {
				add("li", a)
			}
			if s.AnyOf && len(s.Recipients) > 1 {
				add("li", tr(lang, "sheet.any_of"))
			}
			for _, r := range s.Recipients {
				used[r.Contact.ID] = true
				for _, m := range r.Means {
					add("li", r.Contact.Name.In(lang)+" — "+tr(lang, "kind."+m.Kind)+" "+m.Value+meansNote(m, lang))
				}
			}
			if n := s.Note.In(lang); n != "" {
				add("small", n)
			}
		}

		// 4. Every other contact of the chain's scope.
		// Those with no address of their own (a register, "the public")
		// are left out: they are the GIP's and the ARS's, not a number to
		// call.
		var others []*flows.Contact
		for _, ct := range scopeContacts(cat, c.Region) {
			if !used[ct.ID] && slices.ContainsFunc(ct.Means, reachable) {
				others = append(others, ct)
			}
		}
		if len(others) > 0 {
			add("h3", tr(lang, "sheet.others"))
			for _, ct := range others {
				var ms []string
				for _, m := range ct.Means {
					ms = append(ms, tr(lang, "kind."+m.Kind)+" "+m.Value+meansNote(m, lang))
				}
				add("li", ct.Name.In(lang)+" — "+strings.Join(ms, tr(lang, "sheet.means_sep")))
			}
		}
		add("small", tr(lang, "sheet.footer"))
	}
	return out
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

// scopeContacts are the contacts a chain of region sees: the region's,
// then the national ones it does not override.
func scopeContacts(cat *flows.Catalog, region string) []*flows.Contact {
	var out []*flows.Contact
	seen := map[string]bool{}
	if region != "" {
		for _, ct := range cat.Contacts(region) {
			out = append(out, ct)
			seen[ct.ID] = true
		}
	}
	for _, ct := range cat.Contacts(flows.ScopeNational) {
		if !seen[ct.ID] {
			out = append(out, ct)
		}
	}
	return out
}

// reachable reports whether m is an address or a number, not a channel
// described in words.
func reachable(m flows.Means) bool {
	switch m.Kind {
	case "phone", "email", "portal", "form", "web", "chat":
		return true
	}
	return false
}

// meansNote is what follows an address: its label, and the fallback mark.
func meansNote(m flows.Means, lang flows.Lang) string {
	s := ""
	if l := m.Label.In(lang); l != "" {
		s = " (" + l + ")"
	}
	if m.Fallback {
		s += " " + tr(lang, "step.fallback")
	}
	return s
}

// sheetCondition writes a condition in words: "si « L'incident est-il
// d'origine malveillante ? » Oui et …".
func sheetCondition(c *flows.Chain, cond flows.Condition, lang flows.Lang) string {
	parts := make([]string, len(cond))
	for i, cl := range cond {
		q := cl.Key
		if qq := c.Question(cl.Key); qq != nil {
			q = qq.Text.In(lang)
		}
		parts[i] = tr(lang, "sheet.clause", q, i18n.Value(cl.Value, lang))
	}
	return tr(lang, "sheet.if", strings.Join(parts, tr(lang, "sheet.and")))
}

// sheetDeadline writes a deadline as a rule: "sans délai", "T0 + 72 h".
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
	title := d.Anchor
	if s := c.Step(d.Anchor); s != nil {
		title = s.Title.In(lang)
	}
	return tr(lang, "sheet.after_step", d.OffsetString(), title)
}

func formatDay(t time.Time, lang flows.Lang) string {
	if lang == flows.EN {
		return t.In(incident.Paris).Format("2006-01-02")
	}
	return t.In(incident.Paris).Format("02/01/2006")
}

func sheetMarkdown(w io.Writer, items []sheetItem) error {
	bw := bufio.NewWriter(w)
	prev := ""
	for _, it := range items {
		if prev == "li" && it.kind != "li" {
			bw.WriteString("\n")
		}
		text := mdLine(it.text)
		switch it.kind {
		case "page":
			bw.WriteString("---\n\n")
		case "h1":
			bw.WriteString("# " + text + "\n\n")
		case "h2":
			bw.WriteString("## " + text + "\n\n")
		case "h3":
			bw.WriteString("### " + text + "\n\n")
		case "b":
			bw.WriteString("**" + text + "**\n\n")
		case "li":
			bw.WriteString("- " + text + "\n")
		case "small":
			bw.WriteString("_" + text + "_\n\n")
		default:
			bw.WriteString(text + "\n\n")
		}
		prev = it.kind
	}
	if prev == "li" {
		bw.WriteString("\n")
	}
	return bw.Flush()
}

// mdLine keeps a text on one Markdown line and out of HTML.
var mdLineReplacer = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;")

func mdLine(s string) string { return mdLineReplacer.Replace(s) }

// sheetPDF writes the sheet as a PDF, one chain a page (or more), and
// returns the lines it set, for tests.
func sheetPDF(w io.Writer, items []sheetItem, opt SheetOptions, record bool) ([]string, error) {
	lang := opt.Lang
	doc := newPDF(w, tr(lang, "sheet.title"), tr(lang, "sheet.pdf_footer", formatDay(opt.Now, lang)), opt.Now, lang)
	t := &transcript{doc: doc, lang: lang, record: record}
	for _, it := range items {
		switch it.kind {
		case "page":
			doc.newPage()
		case "h1":
			t.heading(1, it.text)
		case "h2":
			t.heading(2, it.text)
		case "h3":
			doc.gap()
			doc.keep(25)
			t.para(it.text, true)
		case "b":
			doc.gap()
			doc.keep(20)
			t.para(it.text, true)
		case "li":
			t.para("• "+it.text, false)
		case "small":
			t.small(it.text)
		default:
			t.para(it.text, false)
		}
	}
	return t.lines, doc.output()
}
