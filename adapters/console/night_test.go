package console_test

import (
	"context"
	"crypto/ed25519"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/adapters/console"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
)

// update rewrites the golden transcripts (go test ./adapters/console
// -update): review the diff before committing it.
var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// session is a run of the console on the night's store: its time, whether
// the reminders are swept before the person types, and what they type.
type session struct {
	at    time.Time
	sweep bool
	typed string
}

// t0 is 02:10 in Paris on the night of design.md §1.
var nightT0 = time.Date(2026, 11, 23, 1, 10, 0, 0, time.UTC)

// The night of design.md §1, as typed in the terminal: the card's questions
// answered by their buttons' letters, proofs, a note and a situation point,
// a stale key, an export, a close refused; then, 26 hours later, the
// reminders due and the DPO's answer that brings the CNIL step.
var nightFR = []session{
	{at: nightT0.Add(20 * time.Minute), typed: `ouvrir Rançongiciel sur le PACS t0=02:10
a
repondre malicious oui
i
k
fait cert-sante via=portail ref=CS-1234 at=02:25 ticket reçu
fait ars via=email ref="mail 02:27"
note PACS isolé du réseau, bascule en mode dégradé
point conditions="PACS arrêté" actions="bascule papier" besoins="renfort DSI"
a
fait ror via=autre at=03:00
exporter json
clore
`},
	{at: nightT0.Add(26*time.Hour + 30*time.Minute), sweep: true, typed: `repondre personal_data_breach oui
`},
}

var nightEN = []session{
	{at: nightT0.Add(20 * time.Minute), typed: `open Ransomware on the PACS t0=02:10
a
answer malicious yes
i
k
done cert-sante via=portal ref=CS-1234 at=02:25 ticket received
done ars via=email ref="mail 02:27"
note PACS cut off the network, running degraded
point conditions="PACS down" actions="paper fallback" needs="IT support"
a
done ror via=other at=03:00
export json
close
`},
	{at: nightT0.Add(26*time.Hour + 30*time.Minute), sweep: true, typed: `answer personal_data_breach yes
`},
}

// The same night at a terminal: "Fait" is clicked and its form filled,
// with a time refused and asked again; a reason is asked for, and the
// command typed again at its prompt is not taken without a yes.
var nightTTYFR = []session{
	{at: nightT0.Add(20 * time.Minute), typed: `ouvrir Rançongiciel sur le PACS t0=02:10
a
repondre malicious oui
i
k
m
1
CS-1234
25:99
03:00
02:25
ticket reçu
sans-objet plan-crise-ars
sans-objet plan-crise-ars ARS informée
n
plan blanc non déclenché
note PACS isolé du réseau, bascule en mode dégradé
a
clore
`},
	{at: nightT0.Add(26*time.Hour + 30*time.Minute), sweep: true, typed: `repondre personal_data_breach oui
`},
}

var nightTTYEN = []session{
	{at: nightT0.Add(20 * time.Minute), typed: `open Ransomware on the PACS t0=02:10
a
answer malicious yes
i
k
m
1
CS-1234
25:99
03:00
02:25
ticket received
na plan-crise-ars
na plan-crise-ars ARS told
n
no white plan
note PACS cut off the network, running degraded
a
close
`},
	{at: nightT0.Add(26*time.Hour + 30*time.Minute), sweep: true, typed: `answer personal_data_breach yes
`},
}

// runNight runs the sessions on one store and returns the transcript.
func runNight(t *testing.T, lang bot.Lang, tty bool, sessions []session) string {
	t.Helper()
	cat, err := builtin.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	store := bottest.NewStore()
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	dir := t.TempDir()
	var transcript strings.Builder
	for i, s := range sessions {
		now := s.at
		var out io.Writer
		var screen *bottest.Screen
		var plainOut strings.Builder
		if tty {
			screen = bottest.NewScreen(120)
			out = screen
		} else {
			out = &plainOut
		}
		c := console.New(console.Options{In: strings.NewReader(s.typed), Out: out, TTY: tty, User: rssi, Lang: lang,
			Dir: filepath.Join(dir, "exports"), Width: 120, Height: 40})
		b := bot.New(bot.Config{Lang: lang, Chain: "nouvelle-aquitaine/es-esms", Now: func() time.Time { return now }}, store, c, cat, key, nil)
		if s.sweep {
			if _, err := b.Sweep(context.Background(), now); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Run(context.Background(), b); err != nil {
			t.Fatal(err)
		}
		text := plainOut.String()
		if tty {
			text = screen.Text()
		}
		fmt.Fprintf(&transcript, "════ session %d, %s ════\n%s", i+1, now.Format(time.RFC3339), strings.ReplaceAll(text, dir, "$DATA"))
	}
	return transcript.String()
}

// screens splits a transcript at each command typed: the command's line
// and what it printed, up to the next prompt.
func screens(transcript string) [][]string {
	var out [][]string
	for _, l := range strings.Split(transcript, "\n") {
		if strings.HasPrefix(l, "vigie> ") || strings.HasPrefix(l, "════") || out == nil {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], l)
	}
	return out
}

func TestNight(t *testing.T) {
	for _, tc := range []struct {
		name     string
		lang     bot.Lang
		tty      bool
		sessions []session
	}{
		{"fr-plain", flows.FR, false, nightFR},
		{"en-plain", flows.EN, false, nightEN},
		{"fr-tty", flows.FR, true, nightTTYFR},
		{"en-tty", flows.EN, true, nightTTYEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := runNight(t, tc.lang, tc.tty, tc.sessions)
			golden(t, "night-"+tc.name, got)
			// Each screen of the fresh incident (the first session) fits a
			// 40-row terminal: the command, what it printed, the next prompt.
			first := strings.Split(got, "════ session 2")[0]
			for _, s := range screens(first) {
				n := 1 // the next prompt
				for _, l := range s {
					n += (max(1, bottest.Columns(l)) + 119) / 120
				}
				if n > 40 {
					t.Errorf("%d rows after %q:\n%s", n, s[0], strings.Join(s, "\n"))
				}
			}
		})
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	bottest.Golden(t, filepath.Join("testdata", name+".golden"), []byte(got))
}
