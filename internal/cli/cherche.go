package cli

import (
	"bufio"
	"context"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/i18n"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/search"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/boltstore"
)

// This file holds `vigie cherche`: a search of the incidents' titles and
// of what people wrote in their main courantes (notes, situation points,
// the references and notes of proofs), without regard to case or accents,
// read without changing the database.

// Bounds of what is searched.
const (
	minQuery = 2   // characters, folded: one letter finds everything
	maxQuery = 200 // characters: a title's length
	// excerptWidth is how many characters of context an excerpt shows on
	// each side of the match.
	excerptWidth = 40
)

func newChercheCmd(env Env, g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:     "cherche TEXTE",
		Aliases: []string{"search"},
		Short:   "search the titles, notes, situation points and proofs of every incident",
		Long: `Searches the incidents' titles and what people wrote in their main courantes:
notes, situation points, and the references and notes of proofs (not the
words Vigie writes around them). Case and accents do not count: "hopital"
finds "l'Hôpital". Each hit is shown with its incident, its entry number,
its time (Paris), its kind and the text around the match, the latest
incidents first; then how many. Several words are searched together, as
one text. It reads the database without changing it.`,
		Example: `  vigie cherche PACS
  vigie cherche CS-1234
  vigie search "disque de secours"`,
		Args: cobra.ArbitraryArgs,
		RunE: func(c *cobra.Command, args []string) error {
			q, err := searchQuery(args, c.UseLine())
			if err != nil {
				return err
			}
			return runCherche(c.Context(), env, g, q)
		},
	}
}

// searchQuery checks what is searched: the words given, joined by spaces.
func searchQuery(args []string, usage string) (string, error) {
	q := strings.TrimSpace(strings.Join(args, " "))
	if q == "" {
		return "", usagef("missing TEXT to search, such as: vigie cherche PACS (usage: %s)", usage)
	}
	pos := 0
	for i, r := range q {
		pos++
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(q[i:]); size == 1 {
				return "", usagef("TEXT is not valid UTF-8 at position %d (accepted: text in UTF-8)", pos)
			}
		}
		if unicode.IsControl(r) {
			return "", usagef("TEXT holds a control character at position %d (accepted: letters, digits, punctuation and spaces)", pos)
		}
	}
	if n := utf8.RuneCountInString(q); n > maxQuery {
		return "", usagef("TEXT is too long: %d characters (accepted: %d at most)", n, maxQuery)
	}
	if utf8.RuneCountInString(search.Fold(q)) < minQuery {
		return "", usagef("TEXT %q is too short (accepted: %d characters or more)", q, minQuery)
	}
	return q, nil
}

func runCherche(ctx context.Context, env Env, g *Globals, q string) error {
	s, _, err := openReadOnly(env, g, "search a copy made with vigie backup, or stop that Vigie")
	if err != nil {
		return err
	}
	defer s.Close()
	found, err := s.Search(ctx, search.NewMatcher(q).Match)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(env.Stdout) // as liste's: one cell at a time is a system call each
	if err := writeHits(w, found, q, g.lang()); err != nil {
		return err
	}
	return w.Flush()
}

// writeHits writes each hit on a line: incident, entry (— for a title),
// time, kind and excerpt; then how many, in how many incidents.
func writeHits(w *bufio.Writer, found []boltstore.Found, q string, lang flows.Lang) error {
	if len(found) == 0 {
		_, err := fmt.Fprintln(w, tr(lang, "cherche.none", q))
		return err
	}
	needle := search.Fold(q)
	var t table
	t.add(strings.Split(tr(lang, "cherche.header"), "\t")...)
	incidents := 0
	kinds := map[string]string{} // the words once: the catalogue's lookup costs more than a line
	for i, f := range found {
		if i == 0 || f.ID != found[i-1].ID {
			incidents++
		}
		entry := "—"
		if f.Seq > 0 {
			entry = fmt.Sprintf("#%d", f.Seq)
		}
		excerpt := ""
		for _, t := range f.Texts {
			if excerpt = search.Excerpt(t, needle, excerptWidth); excerpt != "" {
				break
			}
		}
		exercise := incident.IsExerciseID(f.ID)
		kind, ok := kinds[f.Kind+strconv.FormatBool(exercise)]
		if !ok {
			kind = kindWord(f.Kind, lang)
			if exercise { // an exercise is marked wherever it shows
				kind = tr(lang, "cherche.exercise", kind)
			}
			kinds[f.Kind+strconv.FormatBool(exercise)] = kind
		}
		t.add(f.ID, entry, i18n.When(f.Time, lang), kind, excerpt)
	}
	if err := t.write(w); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, tr(lang, "cherche.hits", len(found))+" "+tr(lang, "cherche.in", incidents))
	return err
}

// kindWord names the kind of a hit: titre, note, point, preuve.
func kindWord(kind string, lang flows.Lang) string {
	switch kind {
	case "title", "note", "point", "done":
		return tr(lang, "cherche.kind."+kind)
	}
	return kind
}
