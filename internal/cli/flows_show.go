package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// flowsShow prints a chain in full: where it comes from, its questions and
// its steps with every recipient and means, condition, deadline, reminders,
// basis and source.
func flowsShow(_ Env, w io.Writer, lang flows.Lang, o *flowsFlags, pos []string, usage string) error {
	version := &o.version
	cat, err := flowsCatalog()
	if err != nil {
		return err
	}
	id, err := chainIDArg(pos, usage, cat)
	if err != nil {
		return err
	}
	t := now()
	c, err := lookupChain(cat, id, *version, t)
	if err != nil {
		return err
	}
	writeChainHeader(w, cat, c, t, lang)
	fmt.Fprintf(w, "\n%s (%d)\n", inLang(lang, "Questions", "Questions"), len(c.Questions))
	if len(c.Questions) == 0 {
		fmt.Fprintf(w, "  %s\n", inLang(lang, "aucune", "none"))
	}
	for _, q := range c.Questions {
		writeChainQuestion(w, q, lang)
	}
	fmt.Fprintf(w, "\n%s (%d)\n", inLang(lang, "Étapes", "Steps"), len(c.Steps))
	for _, s := range c.Steps {
		writeChainStep(w, s, lang)
	}
	fmt.Fprintf(w, "\n%s %s\n", inLang(lang, "Fin :", "End:"), c.End.In(lang))
	if hasOffChart(c) {
		fmt.Fprintf(w, "\n%s\n", inLang(lang,
			"* : hors du schéma d'alerte source ; la référence extérieure est donnée.",
			"*: not on the source alert chart; the outside reference is given."))
	}
	return nil
}

func writeChainHeader(w io.Writer, cat *flows.Catalog, c *flows.Chain, t time.Time, lang flows.Lang) {
	fmt.Fprintf(w, "%s — %s\n", c.ID, c.Title.In(lang))
	fmt.Fprintf(w, "Version %s, %s", c.Version, versionState(cat, c, t, lang))
	var others []string
	for _, v := range cat.Versions(c.ID) {
		if v != c {
			others = append(others, fmt.Sprintf("%s (%s)", v.Version, dayOf(v.Effective)))
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(w, inLang(lang, " ; autres versions : %s", "; other versions: %s"), strings.Join(others, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, inLang(lang, "Profil : %s · Région : %s\n", "Profile: %s · Region: %s\n"), orDash(c.Profile), orDash(c.Region))
	doc := c.Source.Document
	if c.Source.Ref != "" {
		doc += " — " + c.Source.Ref
	}
	fmt.Fprintf(w, "%s %s\n", inLang(lang, "Document source :", "Source document:"), doc)
	if c.Source.Note != "" {
		fmt.Fprintf(w, "  %s\n", c.Source.Note)
	}
	fmt.Fprintf(w, "%s %s\n", inLang(lang, "Fichier :", "File:"), embeddedPrefix+c.File)
	if d := c.Description.In(lang); d != "" {
		fmt.Fprintf(w, "\n%s\n", d)
	}
}

// versionState says whether c is the version in force at t, a version to
// come, or one replaced by a later version.
func versionState(cat *flows.Catalog, c *flows.Chain, t time.Time, lang flows.Lang) string {
	if c.Effective.After(t) {
		return fmt.Sprintf(inLang(lang, "en vigueur à partir du %s (à venir)", "in force from %s (upcoming)"), dayOf(c.Effective))
	}
	if current, _ := cat.Current(c.ID, t); current == c {
		return inLang(lang, "en vigueur depuis le ", "in force since ") + dayOf(c.Effective)
	}
	var next *flows.Chain // the version that replaced c
	for _, v := range cat.Versions(c.ID) {
		if v.Effective.After(c.Effective) && (next == nil || v.Effective.Before(next.Effective)) {
			next = v
		}
	}
	if next == nil { // cannot happen: a newer version in force replaced c
		return inLang(lang, "en vigueur à partir du ", "in force from ") + dayOf(c.Effective)
	}
	return fmt.Sprintf(inLang(lang, "en vigueur à partir du %s, remplacée le %s par la version %s",
		"in force from %s, replaced on %s by version %s"), dayOf(c.Effective), dayOf(next.Effective), next.Version)
}

func writeChainQuestion(w io.Writer, q *flows.Question, lang flows.Lang) {
	fmt.Fprintf(w, "- %s%s%s%s\n", q.ID, offChartMark(q.Source), inLang(lang, " : ", ": "), q.Text.In(lang))
	if h := q.Help.In(lang); h != "" {
		fmt.Fprintf(w, "    %s %s\n", inLang(lang, "Aide :", "Help:"), h)
	}
	fmt.Fprintf(w, "    %s %s\n", inLang(lang, "Réponses :", "Answers:"), valuesText(q.Answers))
	fmt.Fprintf(w, "    %s %s\n", inLang(lang, "Posée :", "Asked:"),
		conditionText(q.When, inLang(lang, "toujours", "always"), lang))
	if q.Feature != "" {
		fmt.Fprintf(w, inLang(lang, "    Fonction : %s (la question n'existe que si elle est activée)\n",
			"    Feature: %s (the question exists only when it is on)\n"), q.Feature)
	}
	if q.Reask > 0 {
		fmt.Fprintf(w, inLang(lang, "    Reposée si inconnu : toutes les %s\n", "    Asked again when unknown: every %s\n"),
			flows.FormatDuration(q.Reask))
	}
	fmt.Fprintf(w, "    %s %s\n", inLang(lang, "Source :", "Source:"), sourceText(q.Source, lang))
}

func writeChainStep(w io.Writer, s *flows.Step, lang flows.Lang) {
	const in = "   "
	fmt.Fprintf(w, "%d. %s [%s]%s\n", s.Order, s.Title.In(lang), s.ID, offChartMark(s.Source))
	if g := s.Group.In(lang); g != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Groupe :", "Group:"), g)
	}
	if a := s.Action.In(lang); a != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Action :", "Action:"), a)
	}
	writeRecipients(w, s, in, true, lang)
	fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Condition :", "Condition:"),
		conditionText(s.When, inLang(lang, "toujours requise", "always required"), lang))
	if s.Feature != "" {
		fmt.Fprintf(w, inLang(lang, "%sFonction : %s (l'étape n'existe que si elle est activée)\n",
			"%sFeature: %s (the step exists only when it is on)\n"), in, s.Feature)
	}
	fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Délai :", "Deadline:"), deadlineText(s.Deadline, lang))
	if r := remindText(s.Remind, s.Deadline, lang); r != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Rappels :", "Reminders:"), r)
	}
	fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Base :", "Basis:"), s.Basis.In(lang))
	fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Source :", "Source:"), sourceText(s.Source, lang))
	if n := s.Note.In(lang); n != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, inLang(lang, "Note :", "Note:"), n)
	}
}

// hasOffChart reports whether anything shown of c is not on its chart.
func hasOffChart(c *flows.Chain) bool {
	for _, q := range c.Questions {
		if offChartMark(q.Source) != "" {
			return true
		}
	}
	for _, s := range c.Steps {
		if offChartMark(s.Source) != "" {
			return true
		}
		for _, r := range s.Recipients {
			if offChartMark(r.Contact.Source) != "" {
				return true
			}
		}
	}
	return false
}
