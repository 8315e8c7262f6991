package report

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/bot/incident"
)

// writeMarkdown writes the main courante as a report for people: the
// incident, every entry with its time in Europe/Paris and in UTC, then the
// signed head and how to check it. The report itself cannot be verified;
// the JSON and CSV exports can.
func writeMarkdown(w io.Writer, d *exportDoc) error {
	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	inc := d.Incident

	p("# Main courante — incident %s\n\n", mdCell(inc.ID))
	p("| Champ | Valeur |\n|---|---|\n")
	p("| Incident | %s |\n", mdCell(inc.ID))
	p("| Titre | %s |\n", mdCell(inc.Title))
	if inc.Chain != "" {
		p("| Chaîne d'alerte | %s, version %s |\n", mdCell(inc.Chain), mdCell(inc.Version))
	}
	p("| T0 (prise de connaissance) | %s |\n", mdTime(inc.T0))
	p("| Ouvert par | %s, le %s |\n", mdCell(inc.OpenedBy.String()), mdTime(inc.OpenedAt))
	p("| Statut | %s |\n", mdStatus(inc.Status))
	if !inc.ClosedAt.IsZero() {
		p("| Clos par | %s, le %s |\n", mdCell(inc.ClosedBy.String()), mdTime(inc.ClosedAt))
	}
	p("| Exporté le | %s |\n", mdTime(d.ExportedAt))

	p("\n## Entrées (%d)\n\n", d.count())
	p("| N° | Heure (Europe/Paris) | Heure (UTC) | Auteur | Type | Texte | Données | Empreinte précédente | Empreinte |\n")
	p("|---:|---|---|---|---|---|---|---|---|\n")
	err := d.each(func(e incident.Entry) error {
		kind := kindLabels[e.Kind]
		if kind == "" {
			kind = e.Kind
		}
		_, err := fmt.Fprintf(bw, "| %d | %s | %s | %s | %s | %s | %s | %s | %s |\n", e.Seq,
			e.Time.In(incident.Paris).Format(parisLayout), formatTime(e.Time),
			mdCell(e.Actor), mdCell(kind), mdCell(e.Text), mdData(e.Data), mdCode(e.Prev), mdCode(e.Hash))
		return err
	})
	if err != nil {
		return err
	}

	p("\n## Tête de la chaîne et signature\n\n")
	p("- Dernière entrée : n° %d\n", d.Head.Seq)
	p("- Empreinte (SHA-256) : %s\n", mdCode(d.Head.Hash))
	p("- Signature (%s) : %s\n", d.Signature.Alg, mdCode(d.Signature.Value))
	p("- Clé publique : %s\n", mdCode(d.Signature.PublicKey))
	p("- Empreinte de la clé : %s\n", mdCode(d.Signature.Fingerprint))
	p("\nChaque entrée contient l'empreinte de la précédente ; la signature porte sur l'en-tête du document\n")
	p("(incident, titre, chaîne, T0, ouverture, état, clôture, date d'export) et sur le numéro et l'empreinte\n")
	p("de la dernière entrée. Toute modification de l'en-tête, et toute modification, suppression ou inversion\n")
	p("d'une entrée, se voit donc à la vérification de l'export JSON ou CSV. Une copie imprimée se compare à un\n")
	p("export JSON vérifié par l'empreinte de sa dernière entrée et l'empreinte de la clé.\n")
	p("\nVérification : `vigie verify <fichier .json ou .csv>`\n")
	return bw.Flush()
}

// kindLabels are the French names of entry kinds in the Markdown report.
var kindLabels = map[string]string{
	incident.KindOpened:   "ouverture",
	incident.KindChain:    "chaîne",
	incident.KindAnswer:   "réponse",
	incident.KindDone:     "fait",
	incident.KindNA:       "sans objet",
	incident.KindSnooze:   "rappel reporté",
	incident.KindNote:     "note",
	incident.KindPoint:    "point de situation",
	incident.KindT0:       "T0",
	incident.KindExport:   "export",
	incident.KindClosed:   "clôture",
	incident.KindReminder: "rappel",
	incident.KindFacts:    "informations",
	incident.KindDraft:    "brouillon",
	incident.KindGuard:    "identifiant",
}

// parisLayout shows the zone abbreviation (CET or CEST), which tells apart
// the two 02:30 of the night clocks go back.
const parisLayout = "02/01/2006 15:04:05 MST"

func mdTime(t time.Time) string {
	if t.IsZero() {
		return "—"
	}
	return t.In(incident.Paris).Format(parisLayout) + " (" + formatTime(t) + ")"
}

func mdStatus(s incident.Status) string {
	switch s {
	case incident.StatusOpen:
		return "en cours"
	case incident.StatusClosed:
		return "clos"
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

func mdData(data map[string]string) string {
	keys := make([]string, 0, len(data))
	for k := range data {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = mdCell(k) + " : " + mdCell(data[k])
	}
	return strings.Join(parts, "<br>")
}
