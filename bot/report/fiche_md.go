package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/flows"
)

// This file writes the reflex sheet in Markdown: the same sections as the
// PDF page, in the same order, with the portals' addresses where the PDF
// draws their QR codes and a table to print for the handwritten log.

func sheetMarkdown(w io.Writer, sheets []*sheet, lang flows.Lang) error {
	bw := bufio.NewWriter(w)
	line := func(s string) { bw.WriteString(s + "\n") }
	list := func(items []string) {
		for _, it := range items {
			line("- " + mdLine(it))
		}
		line("")
	}
	for i, sh := range sheets {
		if i > 0 {
			line("---\n")
		}
		line("# " + mdLine(tr(lang, "sheet.title")) + "\n")
		line("## " + mdLine(sh.title) + "\n")
		for _, m := range sh.meta {
			line("_" + mdLine(m) + "_\n")
		}

		if len(sh.phones) > 0 {
			line("### " + tr(lang, "sheet.offline") + "\n")
			var items []string
			for _, p := range sh.phones {
				items = append(items, "**"+p.number+"** — "+p.who+" — "+p.steps)
			}
			list(items)
			line("_" + mdLine(tr(lang, "sheet.console")) + "_\n")
		}

		if len(sh.links) > 0 {
			line("### " + tr(lang, "sheet.links_md") + "\n")
			var items []string
			for _, l := range sh.links {
				items = append(items, l.who+" — "+l.url+" — "+l.steps)
			}
			list(items)
		}

		line("### " + tr(lang, "sheet.own") + "\n")
		var blanks []string
		for _, b := range sh.blanks {
			s := b.label + i18n.T(lang, "sep.field") + strings.Repeat("_", 24)
			if b.hint != "" {
				s += " — " + b.hint
			}
			blanks = append(blanks, s)
		}
		list(blanks)

		line("### " + tr(lang, "sheet.questions") + "\n")
		list(append([]string{sh.t0}, sh.questions...))
		line(mdLine(tr(lang, "sheet.answers_hint")) + "\n")

		line("### " + tr(lang, "sheet.order") + "\n")
		var steps []string
		for _, st := range sh.steps {
			steps = append(steps, "**"+mdLine(st.head)+"** — "+mdLine(spansText(st.body)))
		}
		for _, s := range steps {
			line("- " + s)
		}
		line("")

		line("### " + tr(lang, "sheet.log") + "\n")
		line("_" + mdLine(tr(lang, "sheet.log_hint")) + "_\n")
		cols := strings.Split(tr(lang, "sheet.log_columns"), "|")
		line("| " + strings.Join(cols, " | ") + " |")
		line(strings.Repeat("|---", len(cols)) + "|")
		for range sheetLogRows {
			line(strings.Repeat("|   ", len(cols)) + "|")
		}
		line("")

		line("### " + tr(lang, "sheet.sources") + "\n")
		list(sh.contacts)
		if sh.unchecked {
			line("_" + tr(lang, "sheet.unchecked") + "_\n")
		}
	}
	return bw.Flush()
}

// mdLine keeps a text on one Markdown line and out of HTML.
var mdLineReplacer = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "<", "&lt;", ">", "&gt;")

func mdLine(s string) string { return mdLineReplacer.Replace(s) }
