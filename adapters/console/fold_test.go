package console_test

import (
	"context"
	"crypto/ed25519"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/adapters/console"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// foldRun runs typed on a console of 120×40 over the builtin chains
// deployed as d, and returns what it printed (the screen's text on a
// terminal).
func foldRun(t *testing.T, cfg bot.Config, d flows.Deployment, tty bool, typed string) string {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if cat, err = cat.Deploy(d); err != nil {
		t.Fatal(err)
	}
	var out io.Writer
	var plain strings.Builder
	screen := bottest.NewScreen(120)
	out = &plain
	if tty {
		out = screen
	}
	if cfg.Lang == "" {
		cfg.Lang = flows.FR
	}
	c := console.New(console.Options{In: strings.NewReader(typed), Out: out, TTY: tty, User: rssi, Lang: cfg.Lang,
		Dir: t.TempDir(), Width: 120, Height: 40})
	now := nightT0.Add(20 * time.Minute)
	cfg.Now = func() time.Time { return now }
	cfg.Bare = true
	b := bot.New(cfg, bottest.NewStore(), c, cat, ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)), nil)
	if err := c.Run(context.Background(), b); err != nil {
		t.Fatal(err)
	}
	if tty {
		return screen.Text()
	}
	return plain.String()
}

// lastScreen is what the last command typed printed, with its line; not
// the prompt after it (on a terminal).
func lastScreen(transcript string) []string {
	s := screens(transcript)
	last := s[len(s)-1]
	for len(last) > 0 && (last[len(last)-1] == "" || last[len(last)-1] == "vigie>") {
		last = last[:len(last)-1]
	}
	return last
}

// rowsOf counts the rows lines take on a 120-column screen, with the next
// prompt.
func rowsOf(lines []string) int {
	n := 1
	for _, l := range lines {
		n += (max(1, bottest.Columns(l)) + 119) / 120
	}
	return n
}

// TestFoldKeepsRecipientsAndDeadlines: a screen folded to fit 40 rows
// never folds away a pending step's recipient and deadline, whatever
// else must go.
func TestFoldKeepsRecipientsAndDeadlines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cfg   bot.Config
		d     flows.Deployment
		typed string
		want  []string
	}{
		{"ose-nis2-region", bot.Config{Chain: "national/ose", Features: map[string]bool{"nis2": true}},
			flows.Deployment{Region: "pays-de-la-loire"}, "ouvrir Test\n",
			[]string{"→ ARS Pays de la Loire", "ars44-alerte@ars.sante.fr", "→ CERT Santé", "→ ANSSI"}},
		{"es-esms-en-picker", bot.Config{Lang: flows.EN}, flows.Deployment{}, "open Test\nd\n",
			[]string{"→ CERT Santé", "→ Regional health agency concerned"}},
		{"na-cnil", bot.Config{Chain: "nouvelle-aquitaine/es-esms"}, flows.Deployment{},
			"ouvrir Test\nc\nf\nl\nrepondre personal_data_breach oui\n",
			[]string{"12 · cnil", "→ CNIL", "(T0 + 72h)"}},
	} {
		for _, tty := range []bool{false, true} {
			name := tc.name + "-plain"
			if tty {
				name = tc.name + "-tty"
			}
			t.Run(name, func(t *testing.T) {
				got := lastScreen(foldRun(t, tc.cfg, tc.d, tty, tc.typed))
				text := strings.Join(got, "\n")
				defer func() {
					if t.Failed() {
						t.Log("the screen:\n" + text)
					}
				}()
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("no %q on the screen", w)
					}
				}
				// Every pending step shown (⬜ or 🔴 with its buttons)
				// says to whom and by when, right under its title.
				for i, l := range got {
					if !strings.HasPrefix(l, "⬜ ") && !strings.HasPrefix(l, "🔴 ") {
						continue
					}
					if strings.Contains(l, "[") { // a recall of its buttons
						continue
					}
					rest := strings.Join(got[i+1:min(i+6, len(got))], "\n")
					deadline := "Échéance"
					if tc.cfg.Lang == flows.EN {
						deadline = "Deadline"
					}
					if !strings.Contains(rest, "→ ") || !strings.Contains(rest, deadline) {
						t.Errorf("step %q without its recipient or deadline", l)
					}
				}
				if n := rowsOf(got); n > 40 {
					t.Errorf("%d rows", n)
				}
			})
		}
	}
}

// TestFoldedClosingSaysHowToSeeIt: the closing report folded to fit the
// screen names the incident in its hint, and the hint typed shows it: in
// the channel, no incident is open any more.
func TestFoldedClosingSaysHowToSeeIt(t *testing.T) {
	for _, tc := range []struct {
		lang        bot.Lang
		typed, hint string
	}{
		{flows.FR, "ouvrir Test\nclore confirmer\n", "(en entier : #2026-0001 statut)"},
		{flows.EN, "open Test\nclose confirmer\n", "(in full: #2026-0001 status)"},
	} {
		cfg := bot.Config{Lang: tc.lang, Chain: "nouvelle-aquitaine/es-esms"}
		got := lastScreen(foldRun(t, cfg, flows.Deployment{}, false, tc.typed))
		text := strings.Join(got, "\n")
		if !strings.Contains(text, "… (+") || !strings.Contains(text, tc.hint) {
			t.Errorf("%s: want a folded report and %q:\n%s", tc.lang, tc.hint, text)
		}
		cmd := strings.TrimSuffix(tc.hint[strings.Index(tc.hint, "#"):], ")")
		got = lastScreen(foldRun(t, cfg, flows.Deployment{}, false, tc.typed+cmd+"\n"))
		text = strings.Join(got, "\n")
		if !strings.Contains(text, "#2026-0001") || strings.Contains(text, "⚠️") || strings.Contains(text, "… (+") {
			t.Errorf("%s: %q does not show the report whole:\n%s", tc.lang, cmd, text)
		}
	}
}
