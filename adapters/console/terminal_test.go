package console_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/adapters/console"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/bottest"
)

// tty is a console at a terminal 120×40: what it writes goes to a Screen,
// which shows what a person sees, and to raw, which keeps the escape
// sequences.
type tty struct {
	c      *console.Console
	screen *bottest.Screen
	raw    *bottest.Buffer
}

func newTTY(in io.Reader, opts ...func(*console.Options)) *tty {
	tt := &tty{screen: bottest.NewScreen(120), raw: &bottest.Buffer{}}
	o := console.Options{In: in, Out: io.MultiWriter(tt.screen, tt.raw), TTY: true, User: rssi, Width: 120, Height: 40}
	for _, f := range opts {
		f(&o)
	}
	tt.c = console.New(o)
	return tt
}

// runTTY types input at a terminal until its end and returns the screen.
func runTTY(t *testing.T, input string, h console.Handler, opts ...func(*console.Options)) *tty {
	t.Helper()
	tt := newTTY(strings.NewReader(input), opts...)
	if err := tt.c.Run(context.Background(), h); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return tt
}

const banner = "Vigie — console. « aide » : les commandes · Tab : compléter · ↑ : commandes tapées · « quitter » ou Ctrl-D : sortir\n\n"

func TestTerminalShowsPromptAndStyles(t *testing.T) {
	h := &handler{HandleFn: statusOrNote}
	tt := runTTY(t, "statut\n", h)
	// What was typed stays after its prompt: the terminal echoes it.
	checkOutput(t, tt.screen.Text(), banner+"vigie> statut\n"+cardText+"\nvigie>\n\n")
	raw := tt.raw.String()
	for _, want := range []string{"\x1b[1m━━ 🚨 Incident #2026-0001 — Rançongiciel ━━\x1b[0m", "\x1b[36m  [a] Oui  [b] Non\x1b[0m"} {
		if !strings.Contains(raw, want) {
			t.Errorf("no %q in %q", want, raw)
		}
	}
	if len(h.events) != 1 || !h.events[0].Dialogs {
		t.Errorf("events %+v: a terminal can fill dialogs", h.events)
	}
}

// TestTerminalWrapsBetweenWords: a long line is broken between words and
// indented under its text, never in the middle of a phone number.
func TestTerminalWrapsBetweenWords(t *testing.T) {
	long := bot.Message{Blocks: []bot.Block{{Text: strings.Repeat("appeler le CERT Santé au 09 72 43 91 25 ; ", 4)}}}
	h := &handler{HandleFn: func(bot.Event) bot.Reply { return bot.Reply{Message: &long} }}
	tt := runTTY(t, "statut\n", h)
	rows := tt.screen.Rows()
	i := slices.Index(rows, "vigie> statut")
	if i < 0 || !strings.HasPrefix(rows[i+1], "  appeler") || !strings.HasPrefix(rows[i+2], "    ") {
		t.Fatalf("rows:\n%s", strings.Join(rows, "\n"))
	}
	for _, r := range rows[i+1 : i+3] {
		if len([]rune(r)) > 120 || strings.HasSuffix(r, " 09") || strings.HasSuffix(r, " 72") {
			t.Errorf("row %q cut badly", r)
		}
	}
}

// TestTerminalKeepsKeysWithLabels: a line of buttons broken to fit the
// width keeps each key with its label.
func TestTerminalKeepsKeysWithLabels(t *testing.T) {
	m := bot.Message{Blocks: []bot.Block{{Title: "❓ Q5 · personal_data_breach — L'incident constitue-t-il une violation ?",
		Buttons: []bot.Button{{Label: "Oui", Action: "#1 repondre q oui"}, {Label: "Non", Action: "#1 repondre q non"},
			{Label: "Je ne sais pas encore", Action: "#1 repondre q inconnu"}}}}}
	h := &handler{HandleFn: func(bot.Event) bot.Reply { return bot.Reply{Message: &m} }}
	tt := runTTY(t, "statut\n", h, func(o *console.Options) { o.Width = 30 })
	text := tt.screen.Text()
	for _, want := range []string{"[a] Oui", "[b] Non", "[c] Je ne sais pas encore"} {
		found := false
		for _, r := range tt.screen.Rows() {
			found = found || strings.Contains(r, want)
		}
		if !found {
			t.Errorf("%q broken:\n%s", want, text)
		}
	}
	if strings.Contains(tt.raw.String(), "\u00a0") {
		t.Errorf("a no-break space printed: %q", tt.raw.String())
	}
}

// TestCtrlC: at the prompt, Ctrl-C drops the line being typed; a second
// Ctrl-C in a row leaves.
func TestCtrlC(t *testing.T) {
	h := &handler{HandleFn: statusOrNote}
	tt := runTTY(t, "note PAC\x03statut\n\x03\x03note jamais\n", h)
	if texts := h.texts(); !slices.Equal(texts, []string{"statut"}) {
		t.Errorf("handled %q, want only statut", texts)
	}
	got := tt.screen.Text()
	if !strings.Contains(got, "vigie> note PAC^C\n(Ctrl-C encore, Ctrl-D ou « quitter » pour sortir de Vigie)\nvigie> statut\n") {
		t.Errorf("screen:\n%s", got)
	}
}

func TestQuitAndCtrlD(t *testing.T) {
	for _, input := range []string{"statut\nquitter\nnote x\n", "statut\nquit\nnote x\n", "statut\n\x04note x\n"} {
		h := &handler{HandleFn: statusOrNote}
		tt := runTTY(t, input, h)
		if texts := h.texts(); !slices.Equal(texts, []string{"statut"}) {
			t.Errorf("%q: handled %q, want only statut", input, texts)
		}
		// The shell's prompt comes on a line of its own.
		if raw := tt.raw.String(); !strings.HasSuffix(raw, "\n") {
			t.Errorf("%q: the output ends without a newline: …%q", input, raw[max(0, len(raw)-40):])
		}
	}
}

// completer is a handler that completes verbs and step keys.
type completer struct {
	handler
	lines []string
}

func (c *completer) Complete(ctx context.Context, channel, line string, lang bot.Lang) []string {
	c.lines = append(c.lines, line)
	words := strings.Fields(line)
	if strings.HasSuffix(line, " ") {
		words = append(words, "")
	}
	var cands []string
	switch len(words) {
	case 0, 1:
		cands = []string{"fait", "sans-objet", "statut"}
	case 2:
		cands = []string{"cert-sante", "cert-sante-resolution", "ars"}
	}
	var out []string
	for _, c := range cands {
		if strings.HasPrefix(c, words[len(words)-1]) {
			out = append(out, c)
		}
	}
	return out
}

// TestTabCompletes: Tab completes a word alone, completes what the
// candidates share, and lists them when it can add nothing.
func TestTabCompletes(t *testing.T) {
	h := &completer{handler: handler{HandleFn: statusOrNote}}
	tt := runTTY(t, "fa\tc\t\t-r\t\nqu\t\n", h)
	if texts := h.texts(); !slices.Equal(texts, []string{"fait cert-sante-resolution"}) {
		t.Errorf("handled %q", texts)
	}
	if !strings.Contains(tt.screen.Text(), "Possibles : cert-sante  cert-sante-resolution\nvigie> fait cert-sante-resolution\n") {
		t.Errorf("screen:\n%s", tt.screen.Text())
	}
	if !slices.Equal(h.lines[:2], []string{"fa", "fait c"}) {
		t.Errorf("completer asked %q", h.lines)
	}
}

// TestHistoryFile: the commands typed are kept in a file, 0600, bounded,
// and come back with ↑ in the next session; form values, lines cut by
// Ctrl-C and lines starting with a space are not kept.
func TestHistoryFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "console-history")
	withHistory := func(o *console.Options) { o.History = file }
	h := &handler{HandleFn: func(ev bot.Event) bot.Reply {
		if ev.Text == "sans-objet ror" && ev.Fields == nil {
			return bot.Reply{Dialog: &bot.Dialog{Action: "#1 sans-objet ror", Fields: []bot.DialogField{{Name: "reason", Label: "Raison"}}}}
		}
		return bot.Reply{Text: "ok"}
	}}
	runTTY(t, "statut\nnote secret\x03 note cachée\nsans-objet ror\npas de lits\nnote PACS isolé\n", h, withHistory)
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if got := string(data); got != "statut\nsans-objet ror\nnote PACS isolé\n" {
		t.Errorf("history file:\n%s", got)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	// Next session: ↑ ↑ Enter runs the command before last.
	h2 := &handler{HandleFn: func(bot.Event) bot.Reply { return bot.Reply{Text: "ok"} }}
	runTTY(t, "\x1b[A\x1b[A\x1b[A\x1b[B\r", h2, withHistory)
	if texts := h2.texts(); !slices.Equal(texts, []string{"sans-objet ror"}) {
		t.Errorf("↑↑↑↓ ran %q, want sans-objet ror", texts)
	}

	// Bounded: a file grown past twice the bound is cut to the last ones.
	var long strings.Builder
	for i := range 2*console.HistoryMax + 5 {
		fmt.Fprintf(&long, "note %d\n", i)
	}
	if err := os.WriteFile(file, []byte(long.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	runTTY(t, "statut\n", h2, withHistory)
	data, _ = os.ReadFile(file)
	lines := strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
	if len(lines) != console.HistoryMax || lines[len(lines)-1] != "statut" || lines[0] != fmt.Sprintf("note %d", console.HistoryMax+6) {
		t.Errorf("history cut to %d lines, from %q to %q", len(lines), lines[0], lines[len(lines)-1])
	}
	if fi, _ := os.Stat(file); fi.Mode().Perm() != 0o600 {
		t.Errorf("history file mode %v, want 0600 again", fi.Mode().Perm())
	}
}

// TestReminderAbovePrompt: a reminder posted while the person types is
// printed above the prompt, which is drawn again with what was typed.
func TestReminderAbovePrompt(t *testing.T) {
	in, typing := io.Pipe()
	tt := newTTY(in)
	h := &handler{HandleFn: statusOrNote}
	done := make(chan error, 1)
	go func() { done <- tt.c.Run(context.Background(), h) }()
	waitRow := func(want string) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			rows := tt.screen.Rows()
			if last := rows[len(rows)-1]; last == want {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("last row never %q; screen:\n%s", want, tt.screen.Text())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	io.WriteString(typing, "note PACS is")
	waitRow("vigie> note PACS is")
	nag := bot.Message{Title: "⏰ Rappel — incident #2026-0001", Blocks: []bot.Block{{Text: "Déclarer l'incident au CERT Santé"}}}
	if _, err := tt.c.Post(context.Background(), console.Channel, nag); err != nil {
		t.Fatal(err)
	}
	waitRow("vigie> note PACS is")
	io.WriteString(typing, "olé\n")
	waitRow("vigie>")
	typing.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	want := banner + "━━ ⏰ Rappel — incident #2026-0001 ━━\n  Déclarer l'incident au CERT Santé\n\n" +
		"vigie> note PACS isolé\nIncident #2026-0001 : note consignée (entrée 2).\n\nvigie>\n\n"
	checkOutput(t, tt.screen.Text(), want)
	if texts := h.texts(); !slices.Equal(texts, []string{"note PACS isolé"}) {
		t.Errorf("handled %q", texts)
	}
}

// TestPostsWhileTyping has a reminder goroutine post while the person
// types: every reminder reaches the screen whole, and under -race the
// terminal is never written from two goroutines at once.
func TestPostsWhileTyping(t *testing.T) {
	const n = 100
	h := &handler{HandleFn: func(bot.Event) bot.Reply { return bot.Reply{Text: "ok"} }}
	tt := newTTY(strings.NewReader(strings.Repeat("zz\n", n) + strings.Repeat("note x\n", n)))
	done := make(chan struct{})
	posted := 0
	var wg sync.WaitGroup
	wg.Go(func() {
		for ; ; posted++ {
			select {
			case <-done:
				return
			default:
			}
			nag := bot.Message{Title: "⏰ Rappel", Blocks: []bot.Block{{Text: fmt.Sprintf("rappel %d", posted)}}}
			if _, err := tt.c.Post(context.Background(), console.Channel, nag); err != nil {
				t.Error(err)
				return
			}
		}
	})
	err := tt.c.Run(context.Background(), h)
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	rows := tt.screen.Rows()
	for i := range posted {
		if !slices.Contains(rows, fmt.Sprintf("  rappel %d", i)) {
			t.Fatalf("reminder %d not printed whole:\n%s", i, around(rows, fmt.Sprintf("rappel %d", i-1)))
		}
	}
	count := func(s string) int {
		k := 0
		for _, r := range rows {
			if r == s {
				k++
			}
		}
		return k
	}
	if c := count("⚠️ Aucun bouton [zz] affiché."); c != n {
		t.Errorf("%d whole warnings, want %d", c, n)
	}
	if c := count("ok"); c != n {
		t.Errorf("%d whole answers, want %d", c, n)
	}
}

// around returns the rows around the first that contains s.
func around(rows []string, s string) string {
	i := slices.IndexFunc(rows, func(r string) bool { return strings.Contains(r, s) })
	return strings.Join(rows[max(0, i-10):min(len(rows), i+20)], "\n")
}

// TestDialogAfterDialog: a dialog answered by another (a draft's facts, a
// few at a time) is asked in turn, then the reply shown.
func TestDialogAfterDialog(t *testing.T) {
	step := func(name string) *bot.Dialog {
		return &bot.Dialog{Title: name, Action: "#1 brouillon cnil", Fields: []bot.DialogField{{Name: name, Label: name}}}
	}
	h := &handler{HandleFn: func(ev bot.Event) bot.Reply {
		switch {
		case ev.Fields == nil:
			return bot.Reply{Dialog: step("personnes")}
		case ev.Fields["personnes"] != "":
			return bot.Reply{Dialog: step("donnees")}
		}
		return bot.Reply{Text: "Brouillon prêt."}
	}}
	tt := runTTY(t, "brouillon cnil\npatients\nidentité\n", h)
	if !strings.Contains(tt.screen.Text(), "  donnees : identité\nBrouillon prêt.\n") || len(h.events) != 3 {
		t.Errorf("events %+v; screen:\n%s", h.events, tt.screen.Text())
	}
}

// TestStopWhileReading: the end of ctx (a stop signal) ends Run while it
// waits for a key.
func TestStopWhileReading(t *testing.T) {
	in, typing := io.Pipe()
	defer typing.Close()
	tt := newTTY(in)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- tt.c.Run(ctx, &handler{}) }()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(tt.screen.Text(), "vigie>") {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt:\n%s", tt.screen.Text())
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run still waits for a key after ctx ended")
	}
}
