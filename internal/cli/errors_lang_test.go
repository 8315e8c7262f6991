package cli

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/internal/boltstore"
)

// TestCommandErrorsEnglish: the command line's errors to the operator are
// in English whatever the language (locales/fr.toml; README, Languages),
// as vigie stats and vigie export word theirs: vigie liste and vigie
// cherche, though their listings follow --lang, give the same error under
// --lang fr, --lang en and the French default.
func TestCommandErrorsEnglish(t *testing.T) {
	db := pastDB(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"cherche", "x"}, `vigie cherche: TEXT "x" is too short (accepted: 2 characters or more)`},
		{[]string{"search", "x"}, `vigie cherche: TEXT "x" is too short (accepted: 2 characters or more)`},
		{[]string{"liste", "--etat", "fermé"}, `vigie liste: bad --etat "fermé" (accepted: ouvert, clos, open, closed)`},
		{[]string{"liste", "--annee", "deux"}, `vigie liste: bad --annee "deux" (accepted: a year such as 2026)`},
		{[]string{"stats", "--year", "deux"}, `vigie stats: bad --year "deux" (accepted: a year such as 2026)`},
		{[]string{"export", "2026-0099"}, `vigie export: no incident "2026-0099"`},
	} {
		for _, lang := range [][]string{nil, {"--lang", "fr"}, {"--lang", "en"}} {
			args := append(append([]string{"--db", db}, lang...), tt.args...)
			code, _, errs := runCLI(t, args...)
			if code == ExitOK || !strings.HasPrefix(errs, tt.want) {
				t.Errorf("vigie %s: exit %d, %q; want %q", strings.Join(args, " "), code, errs, tt.want)
			}
		}
	}
}

// TestListeChercheWhileInUse: a running Vigie holds the database; liste
// and cherche say so in English, as export and stats do, and where else
// to look, after the lock timeout.
func TestListeChercheWhileInUse(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the lock timeout")
	}
	db := pastDB(t)
	s, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--lang", "fr", "liste"}, "vigie liste: database in use by another Vigie: " + db + " (list in the chat with /incident liste, or from a copy made with vigie backup)"},
		{[]string{"--lang", "fr", "cherche", "PACS"}, "vigie cherche: database in use by another Vigie: " + db + " (search a copy made with vigie backup, or stop that Vigie)"},
	} {
		code, out, errs := runCLI(t, append([]string{"--db", db}, tt.args...)...)
		if code != ExitFailure || strings.TrimSpace(errs) != tt.want || out != "" {
			t.Errorf("vigie %s: exit %d, %q, stdout %q; want %d and %q", strings.Join(tt.args, " "), code, errs, out, ExitFailure, tt.want)
		}
	}
}
