package report

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// writeMarkdown writes the main courante as a report for people, in the
// export's language, with the PDF's sections in short tables: the
// warning when T0 comes before the chain's first version, the structure
// and the incident, the closing report, the obligations (their
// deadlines, then their proofs) and the steps not required, the answers,
// the timeline in Paris time to the second, and in an annex the signed
// head, how to check it and the PDF's checkpoints (annex.go). The report
// itself cannot be verified; the JSON and CSV exports can.
func writeMarkdown(w io.Writer, d *exportDoc) error {
	lang := d.lang
	v, err := d.view()
	if err != nil {
		return err
	}
	inc, cl := v.rec.Incident, v.closing
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	head := func(cols ...string) {
		p("\n| %s |\n|", strings.Join(cols, " | "))
		for range cols {
			p("---|")
		}
		p("\n")
	}
	row := func(cells ...string) {
		for i := range cells {
			cells[i] = mdCell(cells[i])
		}
		p("| %s |\n", strings.Join(cells, " | "))
	}
	fields := func(rows [][2]string) {
		head(tr(lang, "md.field"), tr(lang, "md.value"))
		for _, r := range rows {
			row(r[0], r[1])
		}
	}

	p("# %s\n\n", v.marked(tr(lang, "pdf.mc.title", mdCell(inc.ID)), lang))
	if v.exercise {
		p("> **%s**\n\n", tr(lang, "mc.exercise_banner"))
	}
	p("**%s**\n", mdCell(inc.Title))
	if v.notInForce != "" {
		p("\n> %s\n", mdCell(v.notInForce))
	}
	p("\n## %s\n", tr(lang, "mc.structure"))
	fields(v.orgRows(lang))
	p("\n_%s_\n", tr(lang, "mc.org_source"))
	p("\n## %s\n", tr(lang, "mc.incident_heading"))
	fields(v.incidentRows(d))

	p("\n## %s\n\n", v.closingTitle(lang))
	for _, line := range cl.Summary(lang) {
		p("- %s\n", mdItem(mdCell(line)))
	}

	p("\n## %s\n\n", tr(lang, "mc.obligations"))
	if v.chain == nil {
		p("%s\n", v.chainNote)
	} else {
		rows := make([]obligationRow, len(cl.Obligations))
		for i, o := range cl.Obligations {
			rows[i] = v.obligationRow(o, lang)
		}
		p("%s\n", tr(lang, "mc.obligations_intro"))
		head(tr(lang, "mc.col.step_only"), tr(lang, "mc.col.rule"), tr(lang, "mc.col.due"), tr(lang, "mc.col.done"), tr(lang, "mc.col.verdict"))
		for _, r := range rows {
			done := "—"
			if r.declared != "" {
				done = r.declared + " (" + r.elapsed + ")"
			}
			row(r.step, r.rule, dash(r.due), done, r.verdict)
		}
		p("\n### %s\n", tr(lang, "mc.proofs"))
		head(tr(lang, "mc.col.step_only"), tr(lang, "mc.col.recipient"), tr(lang, "mc.col.means"), tr(lang, "mc.col.recorded"), tr(lang, "mc.col.who"), tr(lang, "mc.col.no"))
		for _, r := range rows {
			means := r.means
			if r.ref != "" {
				means += i18n.Ref(r.ref, lang)
			}
			row(r.step, r.recipients, dash(means), dash(r.recorded), dash(r.who), dash(entryNo(r.entry, lang)))
		}
		p("\n### %s\n\n", tr(lang, "mc.reach_basis"))
		for _, r := range rows {
			p("- **%s** — %s\n", mdCell(r.step), mdCell(obligationDetail(r, lang).String()))
		}

		p("\n## %s\n", tr(lang, "mc.not_required"))
		if len(cl.NotRequired) == 0 {
			p("\n%s\n", tr(lang, "pdf.mc.none"))
		} else {
			head(tr(lang, "mc.col.step_only"), tr(lang, "mc.col.why_not"), tr(lang, "mc.col.basis"))
			for _, l := range cl.NotRequired {
				why := givenText(l.Because, lang)
				if l.State.Status != incident.StepPending {
					why += "\n" + tr(lang, "mc.settled_anyway", entryNo(l.Entry, lang))
				}
				row(stepName(l.Step, lang), why, l.Rule(lang))
			}
		}
		if len(cl.Waiting) > 0 {
			p("\n## %s\n", tr(lang, "mc.waiting"))
			head(tr(lang, "mc.col.step_only"), tr(lang, "mc.col.waits_on"))
			for _, w := range cl.Waiting {
				qs := make([]string, len(w.On))
				for i, q := range w.On {
					qs[i] = q.Text.In(lang)
				}
				row(stepName(w.Step, lang), strings.Join(qs, "\n"))
			}
		}
	}

	p("\n## %s\n", tr(lang, "pdf.mc.answers"))
	n := 0
	err = d.each(func(e incident.Entry) error {
		if e.Kind != incident.KindAnswer {
			return nil
		}
		if n++; n == 1 {
			head(tr(lang, "mc.col.no"), tr(lang, "mc.col.time"), tr(lang, "mc.col.who"), tr(lang, "mc.col.question"), tr(lang, "mc.col.answer"))
		}
		row(fmt.Sprint(e.Seq), stamp(e.Time, lang), e.Actor, v.questionText(e, lang), answerText(e, lang))
		return nil
	})
	if err != nil {
		return err
	}
	if n == 0 {
		p("\n%s\n", tr(lang, "pdf.mc.none"))
	}

	p("\n## %s\n", tr(lang, "pdf.mc.timeline", d.count()))
	head(tr(lang, "mc.col.no"), tr(lang, "mc.col.time"), tr(lang, "mc.col.who"), tr(lang, "mc.col.kind"), tr(lang, "mc.col.text"))
	err = d.each(func(e incident.Entry) error {
		text := mdCell(e.Text)
		if data := dataLine(e, lang); data != "" {
			text += "<br>_" + mdCell(data) + "_"
		}
		_, err := fmt.Fprintf(bw, "| %d | %s | %s | %s | %s |\n", e.Seq, stamp(e.Time, lang), mdCell(e.Actor), mdCell(kindLabel(e.Kind, lang)), text)
		return err
	})
	if err != nil {
		return err
	}

	p("\n## %s\n\n", tr(lang, "mc.annex"))
	item := func(label, value string) { p("%s\n", tr(lang, "md.item", label, value)) }
	item(tr(lang, "pdf.mc.last"), tr(lang, "md.no", d.Head.Seq))
	item(tr(lang, "pdf.mc.head_hash"), mdCode(d.Head.Hash))
	item(tr(lang, "pdf.mc.sig", d.Signature.Alg), mdCode(d.Signature.Value))
	item(tr(lang, "pdf.mc.pubkey"), mdCode(d.Signature.PublicKey))
	item(tr(lang, "pdf.mc.fingerprint"), mdCode(d.Signature.Fingerprint))
	p("\n%s\n", wrap(tr(lang, "pdf.mc.explain"), 104))
	title, steps := verifySteps(inc.ID, lang)
	p("\n%s\n\n", title)
	for _, s := range steps {
		p("- %s\n", s) // unwrapped: a command never breaks in two
	}
	an := newAnnex(d.Head.Seq, citedEntries(cl))
	p("\n%s\n", wrap(an.intro(lang), 104))
	p("\n| %s | %s |\n|---:|---|\n", tr(lang, "mc.col.no"), tr(lang, "mc.col.hash"))
	err = d.each(func(e incident.Entry) error {
		if !an.has(e.Seq) {
			return nil
		}
		_, err := fmt.Fprintf(bw, "| %d | %s |\n", e.Seq, mdCode(e.Hash))
		return err
	})
	if err != nil {
		return err
	}
	if v.exercise { // at the bottom too: the end of a long report is read alone
		p("\n> **%s**\n", tr(lang, "mc.exercise_banner"))
	}
	return bw.Flush()
}

// listNumber is a number and a dot opening a line, which Markdown would
// read as a numbered list.
var listNumber = regexp.MustCompile(`^(\d+)\.`)

// mdItem keeps a line that starts with a step's number ("7. Ajuster…")
// the text of its list item.
func mdItem(s string) string { return listNumber.ReplaceAllString(s, `$1\.`) }

// dash is s, or a dash for nothing.
func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// kindLabel is the name of an entry kind in the reports; a kind the
// catalogue does not know is shown as recorded.
func kindLabel(kind string, lang flows.Lang) string {
	if key := "entry." + kind; messages.Has(key) {
		return tr(lang, key)
	}
	return kind
}

// wrap breaks s into lines of at most width characters, at spaces.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for i, w := range strings.Fields(s) {
		l := utf8.RuneCountInString(w)
		switch {
		case i == 0:
		case n+1+l > width:
			b.WriteByte('\n')
			n = 0
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(w)
		n += l
	}
	return b.String()
}

// parisLayout shows the zone abbreviation (CET or CEST), which tells apart
// the two 02:30 of the night clocks go back; parisLayoutEN is the same in
// the order English readers expect of a date.
const (
	parisLayout   = "02/01/2006 15:04:05 MST"
	parisLayoutEN = "2006-01-02 15:04:05 MST"
)

// parisTime writes t in Paris time, with its zone.
func parisTime(t time.Time, lang flows.Lang) string {
	if lang == flows.EN {
		return t.In(incident.Paris).Format(parisLayoutEN)
	}
	return t.In(incident.Paris).Format(parisLayout)
}

// mdCellReplacer keeps a value inside its table cell: "|" would end the
// cell and a line break the row. "<" and ">" are written as entities so
// that a note is never taken for HTML by a renderer.
var mdCellReplacer = strings.NewReplacer(
	"|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>", "<", "&lt;", ">", "&gt;", nbsp, " ",
)

func mdCell(s string) string { return mdCellReplacer.Replace(s) }

// mdCode shows a hash or key in code style; these never hold a backtick.
func mdCode(s string) string {
	if s == "" {
		return "—"
	}
	return "`" + mdCell(s) + "`"
}
