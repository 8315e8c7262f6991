package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// nightScriptEN is the night of nightScript typed by an English-speaking
// crisis cell with --lang en: open, answer (once wrongly), done, note,
// point, not applicable, snooze, details, T0, a draft, the exports, close.
const nightScriptEN = `help
open Ransomware on the PACS t0=02:10
a
answer malicious yes
answer personal_data_breach unknown
answer malicious maybe
answer nosuch yes
done cert-sante via=portal ref=CS-1234 at=02:25 ticket received
done ars via=email ref="mail 02:27"
done police-gendarmerie via=pigeon
note PACS cut off from the network, degraded mode
point conditions="PACS stopped" actions="paper fallback" needs="IT staff"
na ror no bed closed
snooze cnil 2h
status
detail Q1
t0 02:05
draft cnil people="patients, about 12,000"
export md
export pdf
close
close confirm
`

// frenchMarks are French typography and words that the bot's own English
// must not show: guillemets, a space before a colon, the console's and the
// exports' French words.
var frenchMarks = regexp.MustCompile(`[«»]|\S :( |$)|\b(?:Tapez|inchangés?|Annulé|Aucun|Titre|Chaîne d'alerte|Chronologie|Ouvert|Statut|Entrées|Réponse|Étape|Échéance|Exporté|Empreinte)\b`)

// TestConsoleNightEnglish: the whole night in English, as a golden
// transcript; no French in the bot's words, on screen or in the Markdown
// export.
func TestConsoleNightEnglish(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	saved := now
	now = func() time.Time { return time.Date(2026, 11, 23, 1, 30, 0, 0, time.UTC) } // 02:30 in Paris
	t.Cleanup(func() { now = saved })
	var out, errs bytes.Buffer
	env := Env{Stdin: strings.NewReader(nightScriptEN), Stdout: &out, Stderr: &errs,
		Getenv: func(k string) string { return map[string]string{"USER": "rssi"}[k] }}
	code := Run(context.Background(), env, []string{"--db", db, "--lang", "en", "console", "--flow", "nouvelle-aquitaine/es-esms", "--sweep", "0"})
	if code != ExitOK || errs.Len() > 0 {
		t.Fatalf("console: exit %d, stderr:\n%s\nstdout:\n%s", code, errs.String(), out.String())
	}
	got := strings.ReplaceAll(out.String(), filepath.Dir(db), "$DATA")
	checkGolden(t, "console-night-en", got)

	md, err := os.ReadFile(filepath.Join(filepath.Dir(db), "exports", "main-courante-2026-0001-12.md"))
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"transcript": got, "markdown export": string(md)} {
		for i, line := range strings.Split(text, "\n") {
			if m := frenchMarks.FindString(line); m != "" {
				t.Errorf("%s line %d: %q is French: %s", name, i+1, m, line)
			}
		}
	}
	// On the server, vigie --lang en export writes the same report in English.
	var exp, experr bytes.Buffer
	env = Env{Stdout: &exp, Stderr: &experr, Getenv: func(string) string { return "" }}
	if code := Run(context.Background(), env, []string{"--db", db, "--lang", "en", "export", "2026-0001", "--format", "md"}); code != ExitOK {
		t.Fatalf("export: exit %d: %s", code, experr.String())
	}
	for _, want := range []string{"| Title | Ransomware on the PACS |", "| Closed | 2026-11-23 02:30:00 CET, by @rssi |", "## Closing report", "## Annex — hashes and signature"} {
		if !strings.Contains(exp.String(), want) {
			t.Errorf("vigie --lang en export lacks %q", want)
		}
	}

	for _, want := range []string{
		"e.g.: open Ransomware on the PACS t0=02:10",
		"T0 (awareness): 2026-11-23 02:10",
		"Still offered:",
		`Answer refused: question malicious does not accept "maybe" (accepted: yes, no, unknown).`,
		`Unknown means "pigeon" (accepted: portal, email, phone, letter, other).`,
		"main courante exported (pdf)",
		"Incident #2026-0001 closed.",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("transcript lacks %q", want)
		}
	}
}

// TestConsoleConfigLang: the console speaks the configuration's lang:, as
// serve does and as doctor and config check show it; --lang wins over it.
func TestConsoleConfigLang(t *testing.T) {
	dir := t.TempDir()
	conf := filepath.Join(dir, "vigie.yaml")
	if err := os.WriteFile(conf, []byte("lang: en\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--config", conf}, "Which kind of structure is hit?"},
		{[]string{"--config", conf, "--lang", "fr"}, "Quel type de structure est touché ?"},
	} {
		var out, errs bytes.Buffer
		env := Env{Stdin: strings.NewReader("open Test\n"), Stdout: &out, Stderr: &errs, Getenv: func(string) string { return "" }}
		args := append([]string{"--db", filepath.Join(t.TempDir(), "vigie.db")}, tc.args...)
		if code := Run(context.Background(), env, append(args, "console", "--sweep", "0")); code != ExitOK || !strings.Contains(out.String(), tc.want) {
			t.Errorf("%q: exit %d, stderr %q, want %q:\n%s", tc.args, code, errs.String(), tc.want, out.String())
		}
	}
}
