package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds `vigie liste`: the incidents of the database, latest T0
// first, filtered by the year of their T0 and their state, read without
// changing the file. The chat's liste shows a channel's last ones; this is
// every one, for the administrator.

// listeFlags are liste's flags, each in French and English.
type listeFlags struct {
	annee, year, etat, state string
}

func newListeCmd(env Env, g *Globals) *cobra.Command {
	var o listeFlags
	c := &cobra.Command{
		Use:     "liste [--annee AAAA] [--etat ouvert|clos]",
		Aliases: []string{"list"},
		Short:   "the incidents of the database, latest first: id, state, T0, opening, title, chain",
		Long: `The incidents of the database, open and closed, the latest T0 first: each
one's id, state, T0 (prise de connaissance) and opening in Paris time,
title and alert chain, then how many. --annee keeps the incidents whose T0
falls in a year, Paris time (as vigie stats counts them), --etat the open
or the closed ones. The flags have English names too (--year, --state
open|closed). It reads the database without changing it.`,
		Example: `  vigie liste
  vigie liste --annee 2026 --etat clos
  vigie list --year 2026 --state open`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runListe(c.Context(), c, env, g, &o)
		},
	}
	f := c.Flags()
	f.StringVar(&o.annee, "annee", "", "only the incidents whose T0 falls in the `AAAA` year, Paris time")
	f.StringVar(&o.year, "year", "", "same as --annee (`YYYY`)")
	f.StringVar(&o.etat, "etat", "", "only the incidents in this state: `ouvert|clos`")
	f.StringVar(&o.state, "state", "", "same as --etat (`open|closed`)")
	for _, name := range []string{"etat", "state"} {
		completeFixed(c, name, "ouvert", "clos", "open", "closed")
	}
	return c
}

// pairedFlag settles a flag that has a French and an English name: the
// one given, or both when they say the same (same tells). It returns the
// name given, for the messages, and its value; "" and "" when neither is.
func pairedFlag(c *cobra.Command, fr, en, frValue, enValue string, same func(a, b string) bool) (name, value string, err error) {
	frSet, enSet := c.Flags().Changed(fr), c.Flags().Changed(en)
	switch {
	case frSet && enSet && !same(frValue, enValue):
		return "", "", usagef("--%s %s and --%s %s disagree: give one", fr, frValue, en, enValue)
	case frSet:
		return fr, frValue, nil
	case enSet:
		return en, enValue, nil
	}
	return "", "", nil
}

// listeFilter is what liste keeps: a year of T0 (0: every one) and a
// state ("": both).
type listeFilter struct {
	year  int
	state incident.Status
}

// parse checks liste's flags.
func (o *listeFlags) parse(c *cobra.Command) (listeFilter, error) {
	var f listeFilter
	name, v, err := pairedFlag(c, "annee", "year", o.annee, o.year, func(a, b string) bool { return a == b })
	if err != nil {
		return f, err
	}
	if name != "" {
		y, err := strconv.Atoi(v)
		if err != nil || y < 2000 || y > 9999 {
			return f, usagef("bad --%s %q (accepted: a year such as 2026)", name, v)
		}
		f.year = y
	}
	name, v, err = pairedFlag(c, "etat", "state", o.etat, o.state, func(a, b string) bool { return statusOf(a) == statusOf(b) })
	if err != nil {
		return f, err
	}
	if name != "" {
		if f.state = statusOf(v); f.state == "" {
			return f, usagef("bad --%s %q (accepted: ouvert, clos, open, closed)", name, v)
		}
	}
	return f, nil
}

// statusOf is the status a state is written for, in either language:
// ouvert and open say open; "" for any other word.
func statusOf(s string) incident.Status {
	switch strings.ToLower(s) {
	case "ouvert", "open":
		return incident.StatusOpen
	case "clos", "closed":
		return incident.StatusClosed
	}
	return ""
}

// keeps says whether the filter keeps an incident.
func (f listeFilter) keeps(s incident.Summary) bool {
	return (f.year == 0 || s.T0.In(incident.Paris).Year() == f.year) && (f.state == "" || s.Status == f.state)
}

// describe says the filter in words: "T0 en 2026, clos".
func (f listeFilter) describe(lang flows.Lang) string {
	var parts []string
	if f.year != 0 {
		parts = append(parts, tr(lang, "liste.year", f.year))
	}
	if f.state != "" {
		parts = append(parts, tr(lang, "liste.state."+string(f.state)))
	}
	return strings.Join(parts, ", ")
}

func runListe(ctx context.Context, c *cobra.Command, env Env, g *Globals, o *listeFlags) error {
	f, err := o.parse(c)
	if err != nil {
		return err
	}
	s, _, err := openReadOnly(env, g, "list in the chat with /incident liste, or from a copy made with vigie backup")
	if err != nil {
		return err
	}
	defer s.Close()
	past, err := s.Past(ctx, "")
	if err != nil {
		return err
	}
	kept := past[:0] // filtered in place
	for _, p := range past {
		if f.keeps(p) {
			kept = append(kept, p)
		}
	}
	// Buffered: ten thousand lines written to a terminal or a pipe one
	// cell at a time took 200 ms of system calls.
	w := bufio.NewWriter(env.Stdout)
	if err := writeListe(w, kept, len(past), f, g.lang()); err != nil {
		return err
	}
	return w.Flush()
}

// writeListe writes the incidents kept, one a line, then how many: of how
// many, with the filter, when one was given.
func writeListe(w *bufio.Writer, kept []incident.Summary, total int, f listeFilter, lang flows.Lang) error {
	var t table
	if len(kept) > 0 {
		t.add(strings.Split(tr(lang, "liste.header"), "\t")...)
	}
	// The words once: the catalogue's lookup costs more than a line.
	states := map[incident.Status]string{incident.StatusOpen: tr(lang, "liste.open"), incident.StatusClosed: tr(lang, "liste.closed")}
	for _, s := range kept {
		state, ok := states[s.Status]
		if !ok {
			state = string(s.Status)
		}
		title := oneLine(s.Title)
		if s.Exercise {
			title = tr(lang, "liste.exercise", title)
		}
		t.add(s.ID, state, i18n.When(s.T0, lang), i18n.When(s.OpenedAt, lang), title, orDash(s.Chain))
	}
	if err := t.write(w); err != nil {
		return err
	}
	if d := f.describe(lang); d != "" {
		_, err := fmt.Fprintln(w, tr(lang, "liste.count_of", len(kept), total, d))
		return err
	}
	_, err := fmt.Fprintln(w, tr(lang, "liste.count", len(kept)))
	return err
}

// oneLine writes a text typed in the chat on one line of a table: its
// line breaks and tabs would break the columns. Most titles are one line
// already, and are kept as they are.
func oneLine(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r != ' ' && unicode.IsSpace(r) }) && !strings.Contains(s, "  ") && s == strings.TrimSpace(s) {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
