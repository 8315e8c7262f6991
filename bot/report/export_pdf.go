package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// writePDF writes the main courante as a report a regulator reads: a
// first page with the structure, the chain and its version (and, under
// the title, a warning when T0 comes before the chain's first version),
// T0, opening, closing and the closing report; the table of obligations (recipient,
// legal deadline, when done, on time or late and by how much, means,
// reference, who) and the steps the answers did not require; the answers
// with who and when; the timeline in Paris time to the second with its
// actors; and in an annex the signed head, how to check it against the
// JSON export with vigie verify, and checkpoints (annex.go): the hashes
// of some entries with the page each is printed on, or of every entry in
// a short main courante. Like the Markdown report, it is read by people
// and cannot itself be verified: the JSON and CSV exports can, and the
// hashes printed here let a reader compare the paper with them.
//
// Everything is taken from the entries, which the head's signature covers,
// rather than from the incident's current state, each section in a pass
// over them. The report is in the export's language, as the Markdown one.
func writePDF(w io.Writer, d *exportDoc) error {
	_, err := renderPDF(w, d, false)
	return err
}

// PDF column widths, in millimetres: each table spans the width between
// the margins (180 mm).
var (
	colsFields      = []float64{52, 128}
	colsObligations = []float64{38, 37, 37, 24, 44}
	colsLeftOut     = []float64{52, 86, 42}
	colsWaiting     = []float64{70, 110}
	colsAnswers     = []float64{16, 37, 22, 75, 30}
	colsTimeline    = []float64{16, 37, 22, 22, 83}
	colsHashes      = []float64{18, 16, 146}
)

// renderPDF writes the report and, with record, returns the lines of text
// it set, in order, for tests that read the PDF back (not otherwise: a
// main courante of 100 000 entries sets half a million lines).
func renderPDF(w io.Writer, d *exportDoc, record bool) ([]string, error) {
	lang := d.lang
	v, err := d.view()
	if err != nil {
		return nil, err
	}
	inc, cl := v.rec.Incident, v.closing
	banner := ""
	if v.exercise {
		banner = tr(lang, "mc.exercise_page")
	}
	title := v.marked(tr(lang, "pdf.mc.title", inc.ID), lang)
	doc := newBannerPDF(w, title, banner, v.marked(tr(lang, "pdf.mc.footer", inc.ID, d.Head.Short()), lang), d.ExportedAt, lang)
	t := &transcript{doc: doc, lang: lang, record: record}

	t.heading(1, title)
	t.para(inc.Title, true)
	if v.notInForce != "" {
		t.para(v.notInForce, true)
	}
	t.heading(2, tr(lang, "mc.structure"))
	t.fields(v.orgRows(lang))
	t.small(tr(lang, "mc.org_source"))
	t.heading(2, tr(lang, "mc.incident_heading"))
	t.fields(v.incidentRows(d))

	t.heading(2, v.closingTitle(lang))
	for _, line := range cl.Summary(lang) {
		t.bullet(line)
	}

	t.heading(2, tr(lang, "mc.obligations"))
	if v.chain == nil {
		t.para(v.chainNote, false)
	} else {
		t.small(tr(lang, "mc.obligations_intro"))
		tb := t.table(colsObligations, tr(lang, "mc.col.step"), tr(lang, "mc.col.deadline"), tr(lang, "mc.col.done"),
			tr(lang, "mc.col.verdict"), tr(lang, "mc.col.proof"))
		for _, o := range cl.Obligations {
			r := v.obligationRow(o, lang)
			step := cell{{face: faceBold, text: r.step}, {face: faceRegular, text: "\n" + r.recipients}}
			deadline := r.rule
			if r.due != "" {
				deadline += "\n" + r.due
			}
			done, proof := "—", "—"
			switch {
			case r.declared != "":
				done = keep(r.declared) + "\n" + r.elapsed + "\n" + tr(lang, "mc.recorded_on", keep(r.recorded))
				proof = r.means
				if r.ref != "" {
					proof += i18n.Ref(r.ref, lang)
				}
				proof += "\n" + tr(lang, "mc.by", r.who)
			case r.recorded != "":
				done = tr(lang, "mc.recorded_on", keep(r.recorded))
				proof = tr(lang, "mc.by", r.who)
			}
			if r.entry > 0 {
				proof += "\n" + tr(lang, "mc.entry", r.entry)
			}
			tb.row(obligationDetail(r, lang), step, text(deadline), text(done), text(r.verdict), text(proof))
		}
		tb.end()

		t.heading(2, tr(lang, "mc.not_required"))
		if len(cl.NotRequired) == 0 {
			t.para(tr(lang, "pdf.mc.none"), false)
		} else {
			tb := t.table(colsLeftOut, tr(lang, "mc.col.step"), tr(lang, "mc.col.why_not"), tr(lang, "mc.col.basis"))
			for _, l := range cl.NotRequired {
				why := givenText(l.Because, lang)
				if l.State.Status != incident.StepPending {
					why += "\n" + tr(lang, "mc.settled_anyway", entryNo(l.Entry, lang))
				}
				tb.row(nil, cell{{face: faceBold, text: stepName(l.Step, lang)}, {face: faceRegular, text: "\n" + recipients(l.Step, lang)}}, text(why), text(l.Rule(lang)))
			}
			tb.end()
		}
		if len(cl.Waiting) > 0 {
			t.heading(2, tr(lang, "mc.waiting"))
			tb := t.table(colsWaiting, tr(lang, "mc.col.step"), tr(lang, "mc.col.waits_on"))
			for _, w := range cl.Waiting {
				qs := make([]string, len(w.On))
				for i, q := range w.On {
					qs[i] = q.Text.In(lang)
				}
				tb.row(nil, bold(stepName(w.Step, lang)), text(strings.Join(qs, "\n")))
			}
			tb.end()
		}
	}

	t.heading(2, tr(lang, "pdf.mc.answers"))
	var tb *tableTranscript
	err = d.each(func(e incident.Entry) error {
		if e.Kind != incident.KindAnswer {
			return nil
		}
		if tb == nil {
			tb = t.table(colsAnswers, tr(lang, "mc.col.no"), tr(lang, "mc.col.time"), tr(lang, "mc.col.who"),
				tr(lang, "mc.col.question"), tr(lang, "mc.col.answer"))
		}
		tb.row(nil, text(fmt.Sprint(e.Seq)), text(keep(stamp(e.Time, lang))), text(e.Actor),
			text(v.questionText(e, lang)), text(answerText(e, lang)))
		return nil
	})
	if err != nil {
		return nil, err
	}
	if tb == nil {
		t.para(tr(lang, "pdf.mc.none"), false)
	} else {
		tb.end()
	}

	t.heading(2, tr(lang, "pdf.mc.timeline", d.count()))
	t.small(tr(lang, "mc.timeline_intro"))
	tb = t.table(colsTimeline, tr(lang, "mc.col.no"), tr(lang, "mc.col.time"), tr(lang, "mc.col.who"),
		tr(lang, "mc.col.kind"), tr(lang, "mc.col.text"))
	tb.detailFrom = 1 // the data under the time, the author and the text, clear of the numbers
	an := newAnnex(d.Head.Seq, citedEntries(cl))
	printedOn := map[uint64]int{} // the page each checkpoint is printed on
	err = d.each(func(e incident.Entry) error {
		var detail cell
		if data := dataLine(e, lang); data != "" {
			detail = text(data)
		}
		tb.row(detail, text(fmt.Sprint(e.Seq)), text(keep(stamp(e.Time, lang))), text(e.Actor), text(kindLabel(e.Kind, lang)), text(e.Text))
		if an.has(e.Seq) {
			printedOn[e.Seq] = doc.p.Pages()
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tb.end()

	t.doc.newPage()
	t.heading(2, tr(lang, "mc.annex"))
	t.fields([][2]string{
		{tr(lang, "pdf.mc.last"), tr(lang, "md.no", d.Head.Seq)},
		{tr(lang, "pdf.mc.head_hash"), d.Head.Hash},
		{tr(lang, "pdf.mc.sig", d.Signature.Alg), d.Signature.Value},
		{tr(lang, "pdf.mc.pubkey"), d.Signature.PublicKey},
		{tr(lang, "pdf.mc.fingerprint"), d.Signature.Fingerprint},
	})
	t.para(tr(lang, "pdf.mc.explain"), false)
	title, steps := verifySteps(inc.ID, lang)
	t.para(title, true)
	for _, s := range steps {
		t.bullet(s)
	}
	t.para(an.intro(lang), false)
	tb = t.table(colsHashes, tr(lang, "mc.col.no"), tr(lang, "mc.col.page"), tr(lang, "mc.col.hash"))
	err = d.each(func(e incident.Entry) error {
		if an.has(e.Seq) {
			tb.row(nil, text(fmt.Sprint(e.Seq)), text(fmt.Sprint(printedOn[e.Seq])), text(e.Hash))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	tb.end()
	return t.lines, doc.output()
}

// obligationDetail is the line under an obligation: why it is required,
// how the chain says to reach its recipients, the proof's note and the
// legal basis.
func obligationDetail(r obligationRow, lang flows.Lang) cell {
	var parts []string
	if r.because != "" {
		parts = append(parts, tr(lang, "mc.required_by", r.because))
	}
	if r.reach != "" {
		parts = append(parts, tr(lang, "mc.reach", r.reach))
	}
	if r.note != "" {
		parts = append(parts, tr(lang, "mc.note", r.note))
	}
	if r.basis != "" {
		parts = append(parts, tr(lang, "mc.basis", r.basis))
	}
	if len(parts) == 0 {
		return nil
	}
	return text(strings.Join(parts, " — "))
}

// transcript writes to a pdfDoc and, for tests, keeps every line of text
// it set.
type transcript struct {
	doc    *pdfDoc
	lang   flows.Lang
	record bool // keep the lines
	lines  []string
}

// set notes that the line s was set.
func (t *transcript) set(s string) {
	if t.record {
		t.lines = append(t.lines, pdfText(s))
	}
}

func (t *transcript) heading(level int, s string) {
	if level > 1 {
		t.doc.keep(30) // a section's heading with the start of its text
	}
	t.doc.heading(level, s)
	t.set(s)
}

func (t *transcript) para(s string, bold bool) {
	t.doc.para(s, bold)
	t.set(s)
}

func (t *transcript) bullet(s string) {
	t.doc.bullet(s)
	t.set("• " + s)
}

func (t *transcript) small(s string) {
	t.doc.small(s)
	t.set(s)
}

// fields sets label and value pairs as a table without a header, the
// labels in bold.
func (t *transcript) fields(rows [][2]string) {
	tb := t.table(colsFields)
	for _, r := range rows {
		tb.row(nil, bold(r[0]), text(r[1]))
	}
	tb.end()
}

// tableTranscript is a table that notes each row it sets in the
// transcript: its cells between " | ", its detail line after "  ↳ ".
type tableTranscript struct {
	*pdfTable
	t *transcript
}

func (t *transcript) table(widths []float64, header ...string) *tableTranscript {
	if len(header) > 0 {
		t.set("[" + strings.Join(header, " | ") + "]")
	}
	return &tableTranscript{t.doc.table(widths, header...), t}
}

func (tt *tableTranscript) row(detail cell, cells ...cell) {
	tt.pdfTable.row(detail, cells...)
	if tt.t.record {
		parts := make([]string, len(cells))
		for i, c := range cells {
			parts[i] = strings.ReplaceAll(c.String(), "\n", " / ")
		}
		tt.t.set(strings.Join(parts, " | "))
		if len(detail) > 0 {
			tt.t.set("  ↳ " + detail.String())
		}
	}
}

func (t *transcript) field(label, value string) {
	t.doc.field(label, value, t.lang)
	sep := i18n.T(t.lang, "sep.field")
	t.set(label + sep + value)
}
