package cli

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/flows"
)

// flowsShow prints a chain in full: where it comes from, its questions and
// its steps with every recipient and means, condition, deadline, reminders,
// basis and source. A national chain's regional contacts are the
// deployment's (deployedCatalog).
func flowsShow(env Env, g *Globals, w io.Writer, lang flows.Lang, o *flowsFlags, pos []string, usage string) error {
	version := &o.version
	cat, err := deployedCatalog(env, g)
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
	fmt.Fprintf(w, "\n%s (%d)\n", tr(lang, "flows.questions"), len(c.Questions))
	if len(c.Questions) == 0 {
		fmt.Fprintf(w, "  %s\n", tr(lang, "flows.none"))
	}
	for _, q := range c.Questions {
		writeChainQuestion(w, c, q, lang)
	}
	fmt.Fprintf(w, "\n%s (%d)\n", tr(lang, "flows.steps"), len(c.Steps))
	for _, s := range c.Steps {
		writeChainStep(w, c, s, lang)
	}
	fmt.Fprintf(w, "\n%s %s\n", tr(lang, "flows.end"), c.End.In(lang))
	if l := offChartLegend(c, lang); l != "" && hasOffChart(c) {
		fmt.Fprintf(w, "\n%s\n", l)
	}
	return nil
}

func writeChainHeader(w io.Writer, cat *flows.Catalog, c *flows.Chain, t time.Time, lang flows.Lang) {
	fmt.Fprintf(w, "%s — %s\n", c.ID, c.Title.In(lang))
	fmt.Fprintf(w, "Version %s, %s", c.Version, versionState(cat, c, t, lang))
	var others []string
	for _, v := range cat.Versions(c.ID) {
		if v != c {
			others = append(others, fmt.Sprintf("%s (%s)", v.Version, dayIn(v.Effective, lang)))
		}
	}
	if len(others) > 0 {
		fmt.Fprintf(w, tr(lang, "flows.other_versions"), strings.Join(others, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, tr(lang, "flows.profile_region"), orDash(c.Profile), orDash(c.Region))
	if len(c.Regional) > 0 {
		fmt.Fprintf(w, tr(lang, "flows.regional"), strings.Join(c.Regional, ", "))
	}
	doc := c.Source.Document.In(lang)
	if ref := c.Source.Ref.In(lang); ref != "" {
		doc += " — " + ref
	}
	fmt.Fprintf(w, "%s %s\n", tr(lang, "flows.source_document"), doc)
	if note := c.Source.Note.In(lang); note != "" {
		fmt.Fprintf(w, "  %s\n", note)
	}
	fmt.Fprintf(w, "%s %s\n", tr(lang, "flows.file"), embeddedPrefix+c.File)
	if d := c.Description.In(lang); d != "" {
		fmt.Fprintf(w, "\n%s\n", d)
	}
}

// versionState says whether c is the version in force at t, a version to
// come, or one replaced by a later version.
func versionState(cat *flows.Catalog, c *flows.Chain, t time.Time, lang flows.Lang) string {
	if c.Effective.After(t) {
		return fmt.Sprintf(tr(lang, "flows.upcoming_from"), dayIn(c.Effective, lang))
	}
	if current, _ := cat.Current(c.ID, t); current == c {
		return tr(lang, "flows.in_force_since") + dayIn(c.Effective, lang)
	}
	var next *flows.Chain                  // the version that replaced c
	for _, v := range cat.Versions(c.ID) { // newest first: the latest revision of an edition comes first
		if v == c {
			break
		}
		if v.Effective.Equal(c.Effective) {
			return fmt.Sprintf(tr(lang, "flows.revised"), dayIn(c.Effective, lang), v.Version)
		}
	}
	for _, v := range cat.Versions(c.ID) {
		if v.Effective.After(c.Effective) && (next == nil || v.Effective.Before(next.Effective)) {
			next = v
		}
	}
	if next == nil { // cannot happen: a newer version in force replaced c
		return tr(lang, "flows.in_force_from") + dayIn(c.Effective, lang)
	}
	return fmt.Sprintf(tr(lang, "flows.replaced"), dayIn(c.Effective, lang), dayIn(next.Effective, lang), next.Version)
}

func writeChainQuestion(w io.Writer, c *flows.Chain, q *flows.Question, lang flows.Lang) {
	fmt.Fprintf(w, "- %s%s%s%s\n", q.ID, offChartMark(c, q.Source), tr(lang, "flows.sep"), q.Text.In(lang))
	if h := q.Help.In(lang); h != "" {
		fmt.Fprintf(w, "    %s %s\n", tr(lang, "flows.help"), h)
	}
	fmt.Fprintf(w, "    %s %s\n", tr(lang, "flows.answers"), valuesText(q.Answers, lang))
	fmt.Fprintf(w, "    %s %s\n", tr(lang, "flows.asked"),
		conditionText(q.When, tr(lang, "flows.always"), lang))
	if q.Feature != "" {
		fmt.Fprintf(w, tr(lang, "flows.question_feature"), q.Feature)
	}
	if q.Reask > 0 {
		fmt.Fprintf(w, tr(lang, "flows.asked_again_when_unknown"),
			flows.FormatDuration(q.Reask))
	}
	fmt.Fprintf(w, "    %s %s\n", tr(lang, "flows.source"), sourceText(c, q.Source, lang))
}

func writeChainStep(w io.Writer, c *flows.Chain, s *flows.Step, lang flows.Lang) {
	const in = "   "
	fmt.Fprintf(w, "%d. %s [%s]%s\n", s.Order, s.Title.In(lang), s.ID, offChartMark(c, s.Source))
	if g := s.Group.In(lang); g != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.group"), g)
	}
	if a := s.Action.In(lang); a != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.action"), a)
	}
	writeRecipients(w, c, s, in, true, lang)
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.condition"),
		conditionText(s.When, tr(lang, "flows.always_required"), lang))
	for _, q := range sortedKeys(s.NotRequired) {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.not_required_when", q), s.NotRequired[q].In(lang))
	}
	if s.Feature != "" {
		fmt.Fprintf(w, tr(lang, "flows.step_feature"), in, s.Feature)
	}
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.deadline"), deadlineText(s.Deadline, lang))
	if r := remindText(c, s.Remind, s.Deadline, lang); r != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.reminders"), r)
	}
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.basis"), s.Basis.In(lang))
	fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.source"), sourceText(c, s.Source, lang))
	if n := s.Note.In(lang); n != "" {
		fmt.Fprintf(w, "%s%s %s\n", in, tr(lang, "flows.note"), n)
	}
}

// hasOffChart reports whether anything shown of c is not on its chart.
func hasOffChart(c *flows.Chain) bool {
	for _, q := range c.Questions {
		if offChartMark(c, q.Source) != "" {
			return true
		}
	}
	for _, s := range c.Steps {
		if offChartMark(c, s.Source) != "" {
			return true
		}
		for _, r := range s.Recipients {
			if offChartMark(c, r.Contact.Source) != "" {
				return true
			}
		}
	}
	return false
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
