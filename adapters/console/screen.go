package console

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"github.com/vigie-sante/vigie/bot"
)

// This file lays out what one command prints: the cards it posted or
// changed, then its reply, within the screen's height. Cards are folded
// step by step until they fit: first the text of blocks without buttons
// (what is done, answers, lists) is cut to its first line, then the text
// of blocks with buttons (what is still to do) too; then buttons go on
// their block's title line, then both texts are left out, then the recall
// of buttons still offered. Titles, fields, buttons and the lines a block
// keeps (bot.Block.Keep: a pending step's recipients and deadline) always
// stay, and a folded screen says how to see it all. A reply the person
// asked for (statut, aide) is never folded: the terminal's scrollback
// keeps what goes past the top.

// shownBlock is a block as the terminal shows it.
type shownBlock struct {
	id      string // what identifies the block from one version to the next
	title   string
	fields  []string
	keep    []string // the first lines of the text, never folded
	text    []string // the rest
	buttons []bot.Button
	keys    string // "[a] Oui  [b] Non"
}

// blocks lays each block of m out as lines, giving its buttons their keys;
// the caller holds mu.
func (c *Console) blocks(m bot.Message) []shownBlock {
	var out []shownBlock
	for i, blk := range m.Blocks {
		b := shownBlock{id: blockID(blk.Title, i), title: blk.Title, buttons: blk.Buttons}
		for _, f := range blk.Fields {
			b.fields = append(b.fields, "  "+f.Label+c.colon()+f.Value)
		}
		if blk.Text != "" {
			for i, l := range strings.Split(bot.PlainMentions(blk.Text), "\n") {
				if i < blk.Keep {
					b.keep = append(b.keep, "  "+l)
				} else {
					b.text = append(b.text, "  "+l)
				}
			}
		}
		var ks []string
		for _, btn := range blk.Buttons {
			// A button's key and label are one word for wrap: no-break
			// spaces, printed as spaces.
			k := fmt.Sprintf("[%s] %s", c.key(btn.Action, btn.Label), btn.Label)
			ks = append(ks, strings.ReplaceAll(k, " ", nbsp))
		}
		b.keys = strings.Join(ks, "  ")
		out = append(out, b)
	}
	return out
}

// blockID is a block's title without its leading state icon (⬜ 1. becomes
// ✅ 1. when done), or its place when it has no title.
func blockID(title string, i int) string {
	if title == "" {
		return fmt.Sprintf("#%d", i)
	}
	return strings.TrimLeftFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// card is a message to print: one posted, or what changed in one updated.
type card struct {
	title string
	parts []part
	more  string // the command that shows it whole (bot.Message.More)
}

// part is a block to print: whole, what changed in it, or only recalled
// for its buttons (brief).
type part struct {
	title string
	fixed []string // never folded: fields
	keep  []string // never folded: the text's first lines the block keeps
	text  []string
	keys  string
	brief bool
}

func whole(b shownBlock) part {
	return part{title: b.title, fixed: b.fields, keep: b.keep, text: b.text, keys: b.keys}
}

// posted is a message printed whole.
func posted(title string, blocks []shownBlock) *card {
	d := &card{title: title}
	for _, b := range blocks {
		d.parts = append(d.parts, whole(b))
	}
	return d
}

// updated is what changed from before to after, nil when nothing did. A
// block seen before shows its new lines; an unchanged block with buttons
// is recalled on one line. With no before, every block is new.
func updated(title string, before, after []shownBlock) *card {
	old := map[string]shownBlock{}
	for _, b := range before {
		old[b.id] = b
	}
	d := &card{title: "↻ " + title}
	now := map[string]bool{}
	for _, b := range after {
		now[b.id] = true
	}
	changed := slices.ContainsFunc(before, func(b shownBlock) bool { return !now[b.id] }) // a block gone
	onlyFields := !changed
	for _, b := range after {
		o, seen := old[b.id]
		switch {
		case before == nil || !seen:
			d.parts = append(d.parts, whole(b))
			changed, onlyFields = true, false
		case o.title == b.title && slices.Equal(o.fields, b.fields) && slices.Equal(o.keep, b.keep) && slices.Equal(o.text, b.text) && o.keys == b.keys:
			if b.keys != "" {
				d.parts = append(d.parts, part{title: b.title, keys: b.keys, brief: true})
			}
		default:
			p := part{title: b.title, fixed: added(o.fields, b.fields), keep: added(o.keep, b.keep), text: added(o.text, b.text), keys: b.keys}
			if o.title == b.title && o.keys == b.keys && len(p.fixed)+len(p.keep)+len(p.text) == 0 {
				// It only lost lines (a question answered leaves the
				// list of steps waiting): no heading with nothing under.
				if b.keys != "" {
					d.parts = append(d.parts, part{title: b.title, keys: b.keys, brief: true})
				}
				continue
			}
			d.parts = append(d.parts, p)
			changed = true
			onlyFields = onlyFields && b.title == "" && o.title == "" && len(p.keep) == 0 && len(p.text) == 0 && o.keys == b.keys
		}
	}
	if !changed {
		return nil
	}
	if onlyFields {
		// A field changed alone (the main courante's head after a note):
		// that line says it; the buttons on screen did not move.
		d.parts = slices.DeleteFunc(d.parts, func(p part) bool { return p.brief })
	}
	return d
}

// added are the lines of after that before did not have.
func added(before, after []string) []string {
	var out []string
	for _, l := range after {
		if !slices.Contains(before, l) {
			out = append(out, l)
		}
	}
	return out
}

// screen is what one command prints: the cards it changed, then its reply.
type screen struct {
	cards []*card
	reply []line // never folded
}

// line is a line to print, and how to style it on a terminal.
type line struct {
	text  string
	style string
}

// folds are how far a card is folded to fit the screen: what is done or
// only said (blocks without buttons) goes first, then what is still to do;
// then the screen is made denser (buttons on their title's line), then
// what is said is left out, then the recall of the buttons still offered.
// The lines a block keeps are never folded.
const (
	foldNone   = iota
	foldQuiet  // text of blocks without buttons: its first line, and how many more
	foldFirst  // and of blocks with buttons: its first line
	foldInline // and the buttons of a block on its title's line, where they fit; no blank line between cards
	foldBare   // and text of titled blocks without buttons: how many lines, on the title's; of blocks with buttons: none
	foldAction // and no recall of buttons
)

// render lays d out folded to level, and says whether it folded anything.
// From foldBare, the parts in firstLine keep their first line.
func (c *Console) render(d *card, level int, firstLine map[*part]bool) ([]line, bool) {
	var out []line
	if d.title != "" {
		out = append(out, line{"━━ " + d.title + " ━━", bold})
	}
	folded := false
	var still []string
	for i := range d.parts {
		p := &d.parts[i]
		if p.brief {
			if level >= foldAction {
				folded = true
				continue
			}
			still = append(still, strings.TrimSpace(p.title+"  "+p.keys))
			continue
		}
		title, text := p.title, p.text
		switch {
		case p.keys == "" && level >= foldBare && title != "" && len(text) > 0:
			title += fmt.Sprintf(" … (+%d)", len(text))
			text = nil
			folded = true
		case p.keys == "" && level >= foldQuiet && len(text) > 1:
			text = append(text[:1:1], fmt.Sprintf("  … (+%d)", len(p.text)-1))
			folded = true
		case p.keys != "" && level >= foldFirst && level < foldBare && len(text) > 1:
			text = text[:1]
			folded = true
		case p.keys != "" && level >= foldBare && firstLine[p] && len(text) > 1:
			text = text[:1]
			folded = true
		case p.keys != "" && level >= foldBare && !firstLine[p] && len(text) > 0:
			text = nil
			folded = true
		}
		keys := p.keys
		switch {
		case level >= foldInline && title != "" && keys != "" && width(title+"  "+keys) <= c.opt.Width:
			out = append(out, line{c.style(bold, title) + "  " + c.style(cyan, keys), ""})
			keys = ""
		case title != "":
			out = append(out, line{title, bold})
		}
		for _, f := range p.fixed {
			out = append(out, line{f, ""})
		}
		for _, k := range p.keep {
			out = append(out, line{k, ""})
		}
		for _, t := range text {
			out = append(out, line{t, ""})
		}
		if keys != "" {
			out = append(out, line{"  " + keys, cyan})
		}
	}
	if len(still) > 0 {
		out = append(out, line{c.tr("still"), dim})
		for _, s := range still {
			out = append(out, line{"  " + s, cyan})
		}
	}
	if level >= foldInline {
		return out, true // the hint after the cards parts them from the reply
	}
	return append(out, line{}), folded
}

// layout folds the cards of s as little as makes the screen fit: the line
// typed, what the command prints, and the next prompt. When the text of
// blocks with buttons must go, the first lines that still fit are put
// back, the shortest first (a step's action and phone number often fit
// where a question's help does not). When it folded something, a last
// line says how to see it all.
func (c *Console) layout(s *screen) []line {
	budget := c.opt.Height - 2
	var out []line
	for level := foldNone; level <= foldAction; level++ {
		out = c.lay(s, level, nil)
		if c.height(out) <= budget {
			if level >= foldBare {
				out = c.unfold(s, level, budget, out)
			}
			break
		}
	}
	return c.wrapLines(out)
}

// lay lays s out at one level of folding.
func (c *Console) lay(s *screen, level int, firstLine map[*part]bool) []line {
	var out []line
	folded := false
	var more []string // the commands that show the folded cards whole
	for _, d := range s.cards {
		ls, f := c.render(d, level, firstLine)
		out, folded = append(out, ls...), folded || f
		if f && d.more != "" && !slices.Contains(more, d.more) {
			more = append(more, d.more)
		}
	}
	switch {
	case len(more) > 0:
		out = append(out, line{c.tr("folded_as", strings.Join(more, c.tr("sep"))), dim}, line{})
	case folded:
		out = append(out, line{c.tr("folded"), dim}, line{})
	}
	return append(out, s.reply...)
}

// unfold puts back, at level (foldBare or further), the first line of the
// blocks with buttons that still fit, the shortest first.
func (c *Console) unfold(s *screen, level, budget int, out []line) []line {
	var cands []*part
	for _, d := range s.cards {
		for i := range d.parts {
			if p := &d.parts[i]; !p.brief && p.keys != "" && len(p.text) > 0 {
				cands = append(cands, p)
			}
		}
	}
	slices.SortStableFunc(cands, func(a, b *part) int {
		return rows(a.text[0], c.opt.Width) - rows(b.text[0], c.opt.Width)
	})
	firstLine := map[*part]bool{}
	for _, p := range cands {
		firstLine[p] = true
		if more := c.lay(s, level, firstLine); c.height(more) <= budget {
			out = more
		} else {
			delete(firstLine, p)
		}
	}
	return out
}

// height is how many rows lines take on the screen.
func (c *Console) height(lines []line) int {
	n := 0
	for _, l := range lines {
		n += rows(l.text, c.opt.Width)
	}
	return n
}

// wrapLines breaks the lines on a terminal; plain output keeps them whole
// for scripts and transcripts.
func (c *Console) wrapLines(lines []line) []line {
	if !c.opt.TTY {
		return lines
	}
	var out []line
	for _, l := range lines {
		for _, r := range wrap(l.text, c.opt.Width) {
			out = append(out, line{r, l.style})
		}
	}
	return out
}

// print writes lines; the caller holds mu.
func (c *Console) print(lines []line) {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(c.style(l.style, strings.ReplaceAll(l.text, nbsp, " ")) + "\n")
	}
	c.write(b.String())
}

// replyLines lays out the bot's answer to a command; the caller holds mu.
func (c *Console) replyLines(r bot.Reply) []line {
	switch {
	case r.Message != nil:
		blocks := c.blocks(*r.Message)
		c.offer("reply", blocks)
		ls, _ := c.render(posted(r.Message.Title, blocks), foldNone, nil)
		return ls
	case r.Text != "":
		var out []line
		for _, l := range strings.Split(r.Text, "\n") {
			out = append(out, line{l, ""})
		}
		return append(out, line{})
	}
	return nil
}
