package report

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// writePDF writes the main courante as a printable report: the incident,
// the answers given to the chain's questions, every notification with its
// proof, the whole timeline with each entry's hash, then the signed head
// and how to check it. Like the Markdown report, it is read by people and
// cannot itself be verified: the JSON and CSV exports can, and the hashes
// printed here let a reader compare the paper with them.
//
// Everything is taken from the entries, which the head's signature covers,
// rather than from the incident's current state. The report is in the
// export's language, as the Markdown one.
func writePDF(w io.Writer, d *exportDoc) error {
	_, err := renderPDF(w, d, false)
	return err
}

// renderPDF writes the report and, with record, returns the lines of text
// it set, in order, for tests that read the PDF back (not otherwise: a
// main courante of 100 000 entries sets half a million lines).
func renderPDF(w io.Writer, d *exportDoc, record bool) ([]string, error) {
	lang := d.lang
	inc := d.Incident
	doc := newPDF(w, tr(lang, "pdf.mc.title", inc.ID), tr(lang, "pdf.mc.footer", inc.ID, d.Head.Short()), d.ExportedAt, lang)
	t := &transcript{doc: doc, lang: lang, record: record}

	t.heading(1, tr(lang, "pdf.mc.title", inc.ID))
	t.field(tr(lang, "pdf.mc.incident"), inc.ID)
	t.field(tr(lang, "pdf.mc.incident_title"), inc.Title)
	if inc.Chain != "" {
		t.field(tr(lang, "pdf.mc.chain"), tr(lang, "pdf.mc.chain_version", inc.Chain, inc.Version))
	}
	t.field(tr(lang, "pdf.mc.t0"), pdfTime(inc.T0, lang))
	t.field(tr(lang, "pdf.mc.opened"), tr(lang, "pdf.mc.by_on", inc.OpenedBy.String(), pdfTime(inc.OpenedAt, lang)))
	t.field(tr(lang, "pdf.mc.status"), mdStatus(inc.Status, lang))
	if !inc.ClosedAt.IsZero() {
		t.field(tr(lang, "pdf.mc.closed"), tr(lang, "pdf.mc.by_on", inc.ClosedBy.String(), pdfTime(inc.ClosedAt, lang)))
	}
	t.field(tr(lang, "pdf.mc.exported"), pdfTime(d.ExportedAt, lang))
	t.field(tr(lang, "pdf.mc.head"), d.Head.Short())

	t.heading(2, tr(lang, "pdf.mc.answers"))
	n := 0
	err := d.each(func(e incident.Entry) error {
		if e.Kind == incident.KindAnswer {
			n++
			t.para(tr(lang, "pdf.mc.answer", e.Seq, pdfTime(e.Time, lang), e.Actor, e.Text), false)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		t.para(tr(lang, "pdf.mc.none"), false)
	}

	t.heading(2, tr(lang, "pdf.mc.notifications"))
	n = 0
	err = d.each(func(e incident.Entry) error {
		switch e.Kind {
		case incident.KindDone:
			n++
			t.doc.gap()
			t.doc.keep(35)
			t.para(e.Text, true)
			t.field(tr(lang, "pdf.mc.step"), e.Data["step"])
			t.field(tr(lang, "pdf.mc.means"), i18n.Means(e.Data["means"], lang))
			if ref := e.Data["ref"]; ref != "" {
				t.field(tr(lang, "pdf.mc.ref"), ref)
			}
			if at := e.Data["declared_at"]; at != "" {
				t.field(tr(lang, "pdf.mc.declared_at"), pdfRFC3339(at, lang))
			}
			t.field(tr(lang, "pdf.mc.recorded"), tr(lang, "pdf.mc.by_on", e.Actor, pdfTime(e.Time, lang)))
			if note := e.Data["note"]; note != "" {
				t.field(tr(lang, "pdf.mc.note"), note)
			}
			t.small(tr(lang, "pdf.mc.proof", e.Seq, e.Hash))
		case incident.KindNA:
			n++
			t.doc.gap()
			t.doc.keep(20)
			t.para(e.Text, true)
			if s := e.Data["step"]; s != "" {
				t.field(tr(lang, "pdf.mc.step"), s)
			}
			t.field(tr(lang, "pdf.mc.recorded"), tr(lang, "pdf.mc.by_on", e.Actor, pdfTime(e.Time, lang)))
			t.small(tr(lang, "pdf.mc.proof", e.Seq, e.Hash))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if n == 0 {
		t.para(tr(lang, "pdf.mc.none"), false)
	}

	t.heading(2, tr(lang, "pdf.mc.timeline", d.count()))
	err = d.each(func(e incident.Entry) error {
		if e.Seq > 1 {
			t.doc.rule()
		}
		t.doc.keep(20)
		t.para(tr(lang, "pdf.mc.entry", e.Seq, parisTime(e.Time, lang), formatTime(e.Time), e.Actor, kindLabel(e.Kind, lang)), true)
		t.para(e.Text, false)
		if len(e.Data) > 0 {
			keys := make([]string, 0, len(e.Data))
			for k := range e.Data {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			parts := make([]string, len(keys))
			for i, k := range keys {
				parts[i] = tr(lang, "md.data", k, e.Data[k])
			}
			t.small(strings.Join(parts, " · "))
		}
		t.small(tr(lang, "pdf.mc.hash", e.Hash))
		return nil
	})
	if err != nil {
		return nil, err
	}

	t.doc.keep(60)
	t.heading(2, tr(lang, "pdf.mc.signature"))
	t.field(tr(lang, "pdf.mc.last"), fmt.Sprint(d.Head.Seq))
	t.field(tr(lang, "pdf.mc.head_hash"), d.Head.Hash)
	t.field(tr(lang, "pdf.mc.sig", d.Signature.Alg), d.Signature.Value)
	t.field(tr(lang, "pdf.mc.pubkey"), d.Signature.PublicKey)
	t.field(tr(lang, "pdf.mc.fingerprint"), d.Signature.Fingerprint)
	t.doc.gap()
	t.para(tr(lang, "pdf.mc.explain"), false)
	t.para(tr(lang, "pdf.mc.verify"), false)
	return t.lines, doc.output()
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
	t.doc.heading(level, s)
	t.set(s)
}

func (t *transcript) para(s string, bold bool) {
	t.doc.para(s, bold)
	t.set(s)
}

func (t *transcript) small(s string) {
	t.doc.small(s)
	t.set(s)
}

func (t *transcript) field(label, value string) {
	t.doc.field(label, value, t.lang)
	sep := i18n.T(t.lang, "sep.field")
	t.set(label + sep + value)
}

// pdfTime writes an instant in Paris time with its zone, then in UTC.
func pdfTime(t time.Time, lang flows.Lang) string { return mdTime(t, lang) }

// pdfRFC3339 writes a time stored as RFC 3339 text as pdfTime does; text
// that is not a time is shown as it is.
func pdfRFC3339(s string, lang flows.Lang) string {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return s
	}
	return mdTime(t, lang)
}
