package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// writeMarkdown writes the main courante as a report for people, in the
// export's language: the incident, every entry with its time in
// Europe/Paris and in UTC, then the signed head and how to check it. The
// report itself cannot be verified; the JSON and CSV exports can.
func writeMarkdown(w io.Writer, d *exportDoc) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	lang, inc := d.lang, d.Incident
	row := func(label, value string) { p("| %s | %s |\n", label, value) }
	item := func(label, value string) { p("%s\n", tr(lang, "md.item", label, value)) }

	p("# %s\n\n", tr(lang, "pdf.mc.title", mdCell(inc.ID)))
	p("| %s | %s |\n|---|---|\n", tr(lang, "md.field"), tr(lang, "md.value"))
	row(tr(lang, "pdf.mc.incident"), mdCell(inc.ID))
	row(tr(lang, "pdf.mc.incident_title"), mdCell(inc.Title))
	if inc.Chain != "" {
		row(tr(lang, "pdf.mc.chain"), tr(lang, "pdf.mc.chain_version", mdCell(inc.Chain), mdCell(inc.Version)))
	}
	row(tr(lang, "pdf.mc.t0"), mdTime(inc.T0, lang))
	row(tr(lang, "md.opened_by"), tr(lang, "md.who_on", mdCell(inc.OpenedBy.String()), mdTime(inc.OpenedAt, lang)))
	row(tr(lang, "pdf.mc.status"), mdStatus(inc.Status, lang))
	if !inc.ClosedAt.IsZero() {
		row(tr(lang, "md.closed_by"), tr(lang, "md.who_on", mdCell(inc.ClosedBy.String()), mdTime(inc.ClosedAt, lang)))
	}
	row(tr(lang, "pdf.mc.exported"), mdTime(d.ExportedAt, lang))

	p("\n## %s\n\n", tr(lang, "md.entries", d.count()))
	p("%s\n", tr(lang, "md.columns"))
	p("|---:|---|---|---|---|---|---|---|---|\n")
	err := d.each(func(e incident.Entry) error {
		_, err := fmt.Fprintf(bw, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", e.Seq,
			parisTime(e.Time, lang), formatTime(e.Time),
			mdCell(e.Actor), mdCell(kindLabel(e.Kind, lang)), mdCell(e.Text), mdData(e.Data, lang), mdCode(e.Prev), mdCode(e.Hash))
		return err
	})
	if err != nil {
		return err
	}

	p("\n## %s\n\n", tr(lang, "pdf.mc.signature"))
	item(tr(lang, "pdf.mc.last"), tr(lang, "md.no", d.Head.Seq))
	item(tr(lang, "pdf.mc.head_hash"), mdCode(d.Head.Hash))
	item(tr(lang, "pdf.mc.sig", d.Signature.Alg), mdCode(d.Signature.Value))
	item(tr(lang, "pdf.mc.pubkey"), mdCode(d.Signature.PublicKey))
	item(tr(lang, "pdf.mc.fingerprint"), mdCode(d.Signature.Fingerprint))
	p("\n%s\n", wrap(tr(lang, "pdf.mc.explain"), 104))
	p("\n%s\n", tr(lang, "md.verify"))
	return bw.Flush()
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

func mdTime(t time.Time, lang flows.Lang) string {
	if t.IsZero() {
		return "—"
	}
	return parisTime(t, lang) + " (" + formatTime(t) + ")"
}

func mdStatus(s incident.Status, lang flows.Lang) string {
	switch s {
	case incident.StatusOpen:
		return tr(lang, "status.open")
	case incident.StatusClosed:
		return tr(lang, "status.closed")
	}
	return mdCell(string(s))
}

// mdCellReplacer keeps a value inside its table cell: "|" would end the
// cell and a line break the row. "<" and ">" are written as entities so
// that a note is never taken for HTML by a renderer.
var mdCellReplacer = strings.NewReplacer(
	"|", `\|`, "\r\n", "<br>", "\n", "<br>", "\r", "<br>", "<", "&lt;", ">", "&gt;",
)

func mdCell(s string) string { return mdCellReplacer.Replace(s) }

// mdCode shows a hash or key in code style; these never hold a backtick.
func mdCode(s string) string {
	if s == "" {
		return "—"
	}
	return "`" + mdCell(s) + "`"
}

func mdData(data map[string]string, lang flows.Lang) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = tr(lang, "md.data", mdCell(k), mdCell(data[k]))
	}
	return strings.Join(parts, "<br>")
}
