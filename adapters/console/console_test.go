package console_test

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/vigie-sante/vigie/adapters/console"
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// handler is a hand-written console.Handler: it records the events it is
// given and answers with HandleFn (an empty reply when nil).
type handler struct {
	HandleFn func(ev bot.Event) bot.Reply

	mu     sync.Mutex // guards events
	events []bot.Event
}

func (h *handler) Handle(ctx context.Context, ev bot.Event) bot.Reply {
	h.mu.Lock()
	h.events = append(h.events, ev)
	h.mu.Unlock()
	if h.HandleFn == nil {
		return bot.Reply{}
	}
	return h.HandleFn(ev)
}

// texts returns the Text of each event handled, in order.
func (h *handler) texts() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, ev := range h.events {
		out = append(out, ev.Text)
	}
	return out
}

var rssi = incident.User{ID: "u1", Name: "rssi"}

// card is a small incident card: a block of fields and a question with
// buttons.
var card = bot.Message{
	Title: "🚨 Incident #2026-0001 — Rançongiciel",
	Blocks: []bot.Block{
		{Fields: []bot.Field{{Label: "T0", Value: "23/11/2026 02:10"}, {Label: "État", Value: "ouvert"}}},
		{
			Title: "❓ L'incident est-il d'origine malveillante ?",
			Text:  "Par exemple : rançongiciel.\nAu clavier : /incident repondre malicious oui|non",
			Buttons: []bot.Button{
				{Label: "Oui", Action: "#2026-0001 repondre malicious yes"},
				{Label: "Non", Action: "#2026-0001 repondre malicious no"},
			},
		},
	},
}

// cardText is card as printed without a terminal, buttons numbered from 1.
const cardText = `━━ 🚨 Incident #2026-0001 — Rançongiciel ━━
  T0 : 23/11/2026 02:10
  État : ouvert
❓ L'incident est-il d'origine malveillante ?
  Par exemple : rançongiciel.
  Au clavier : /incident repondre malicious oui|non
  [1] Oui  [2] Non
`

// newConsole returns a console reading input and the buffer it writes to.
func newConsole(input string, tty bool) (*console.Console, *bytes.Buffer) {
	var out bytes.Buffer
	return console.New(console.Options{In: strings.NewReader(input), Out: &out, TTY: tty, User: rssi}), &out
}

// run runs a console on input until EOF and returns what it printed.
func run(t *testing.T, c *console.Console, out *bytes.Buffer, h console.Handler) string {
	t.Helper()
	if err := c.Run(context.Background(), h); err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.String()
}

func checkOutput(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("output:\n%s\nwant:\n%s\n(quoted: %q)", got, want, got)
	}
}

// statusOrNote answers "statut" with the card and anything else with a line.
func statusOrNote(ev bot.Event) bot.Reply {
	if ev.Text == "statut" {
		return bot.Reply{Message: &card}
	}
	return bot.Reply{Text: "Incident #2026-0001 : note consignée (entrée 2)."}
}

func TestPlainOutputEchoesCommands(t *testing.T) {
	c, out := newConsole("statut\n\nnote PACS isolé\n", false)
	h := &handler{HandleFn: statusOrNote}
	got := run(t, c, out, h)
	checkOutput(t, got, "vigie> statut\n"+cardText+"\n"+
		"vigie> note PACS isolé\nIncident #2026-0001 : note consignée (entrée 2).\n\n")
	if strings.Contains(got, "\x1b") {
		t.Errorf("ANSI codes without a terminal: %q", got)
	}
	for _, ev := range h.events {
		if ev.Channel != console.Channel || ev.User != rssi || ev.Dialogs {
			t.Errorf("event %+v: want channel %q, user %v, no dialogs", ev, console.Channel, rssi)
		}
	}
}

func TestTerminalShowsPromptAndStyles(t *testing.T) {
	c, out := newConsole("statut\n", true)
	h := &handler{HandleFn: statusOrNote}
	got := run(t, c, out, h)
	const (
		b   = "\x1b[1m"
		cy  = "\x1b[36m"
		end = "\x1b[0m"
	)
	// Typed lines are not echoed: the terminal shows them.
	want := "Vigie — console. Tapez « aide » pour les commandes, Ctrl-D pour quitter.\n\n" +
		"vigie> " + b + "━━ 🚨 Incident #2026-0001 — Rançongiciel ━━" + end + "\n" +
		"  T0 : 23/11/2026 02:10\n  État : ouvert\n" +
		b + "❓ L'incident est-il d'origine malveillante ?" + end + "\n" +
		"  Par exemple : rançongiciel.\n  Au clavier : /incident repondre malicious oui|non\n" +
		"  " + cy + "[1] Oui  [2] Non" + end + "\n\n" +
		"vigie> "
	checkOutput(t, got, want)
	if len(h.events) != 1 || !h.events[0].Dialogs {
		t.Errorf("events %+v: a terminal can fill dialogs", h.events)
	}
}

func TestButtonKeysAreStable(t *testing.T) {
	c, out := newConsole("2\n4\n1\n", false)
	ctx := context.Background()
	if _, err := c.Post(ctx, console.Channel, card); err != nil {
		t.Fatal(err)
	}
	// A later message with the same action shows the same key; a new
	// action gets the next one.
	checklist := bot.Message{Title: "📋 Notifications", Blocks: []bot.Block{{
		Title: "🔴 1. CERT Santé",
		Buttons: []bot.Button{
			{Label: "Fait", Action: "#2026-0001 fait cert-sante"},
			{Label: "Non, finalement", Action: "#2026-0001 repondre malicious no"},
		},
	}}}
	if _, err := c.Post(ctx, console.Channel, checklist); err != nil {
		t.Fatal(err)
	}
	h := &handler{}
	got := run(t, c, out, h)
	if !strings.Contains(got, "[3] Fait  [2] Non, finalement\n") {
		t.Errorf("keys not stable across messages:\n%s", got)
	}
	want := []string{"#2026-0001 repondre malicious no", "#2026-0001 repondre malicious yes"}
	if got := h.texts(); !slices.Equal(got, want) {
		t.Errorf("clicks sent %q, want %q", got, want)
	}
	if !strings.Contains(got, "vigie> 4\n⚠️ Aucun bouton [4] affiché.\n\n") {
		t.Errorf("key 4 was never shown, yet:\n%s", got)
	}
}

func TestUnknownButton(t *testing.T) {
	c, out := newConsole("7\n", false)
	h := &handler{}
	checkOutput(t, run(t, c, out, h), "vigie> 7\n⚠️ Aucun bouton [7] affiché.\n\n")
	if len(h.events) != 0 {
		t.Errorf("handler called with %+v", h.events)
	}
}

func TestUpdatePrintsWhatChanged(t *testing.T) {
	ctx := context.Background()
	c, out := newConsole("", false)
	ref, err := c.Post(ctx, console.Channel, card)
	if err != nil {
		t.Fatal(err)
	}
	out.Reset()
	update := func(m bot.Message) string {
		t.Helper()
		if err := c.Update(ctx, console.Channel, ref, m); err != nil {
			t.Fatal(err)
		}
		s := out.String()
		out.Reset()
		return s
	}

	answered := card
	answered.Blocks = []bot.Block{card.Blocks[0], {Title: "Réponses", Text: "• Malveillant ? Oui (@rssi)"}}
	checkOutput(t, update(answered), "━━ ↻ 🚨 Incident #2026-0001 — Rançongiciel ━━\n"+
		"Réponses\n  • Malveillant ? Oui (@rssi)\n  (1 bloc inchangé)\n\n")

	checkOutput(t, update(answered), "") // nothing changed: nothing printed

	more := answered
	more.Blocks = append(append([]bot.Block(nil), answered.Blocks...), bot.Block{Text: "Main courante : #3"})
	checkOutput(t, update(more), "━━ ↻ 🚨 Incident #2026-0001 — Rançongiciel ━━\n"+
		"  Main courante : #3\n  (2 blocs inchangés)\n\n")

	// A block gone is a change too, even with nothing new to show.
	checkOutput(t, update(answered), "━━ ↻ 🚨 Incident #2026-0001 — Rançongiciel ━━\n  (2 blocs inchangés)\n\n")
}

// TestRestartDoesNotReuseRefs: the bot stores the refs of its card and
// checklist. After a restart, the new console must not take an old ref for
// one of its own messages, or the card's update would be diffed against a
// reminder and hide blocks this session never showed.
func TestRestartDoesNotReuseRefs(t *testing.T) {
	ctx := context.Background()
	before, _ := newConsole("", false)
	cardRef, err := before.Post(ctx, console.Channel, card)
	if err != nil {
		t.Fatal(err)
	}
	after, out := newConsole("", false)
	nag := bot.Message{Title: "⏰ Rappel", Blocks: card.Blocks[1:]}
	nagRef, err := after.Post(ctx, console.Channel, nag)
	if err != nil {
		t.Fatal(err)
	}
	if nagRef == cardRef {
		t.Fatalf("two runs gave the same ref %q", nagRef)
	}
	out.Reset()
	if err := after.Update(ctx, console.Channel, cardRef, card); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.String(), strings.Replace(cardText, "━━ ", "━━ ↻ ", 1)+"\n")
}

// proofDialog is the dialog behind a "Fait" button.
var proofDialog = &bot.Dialog{
	Title:  "Preuve : Déclarer l'incident au CERT Santé",
	Submit: "Enregistrer",
	Action: "#2026-0001 fait cert-sante",
	Fields: []bot.DialogField{
		{Name: "via", Label: "Moyen utilisé", Kind: "select", Options: []bot.Option{
			{Label: "portail", Value: "portail"}, {Label: "e-mail", Value: "email"}, {Label: "téléphone", Value: "telephone"},
		}},
		{Name: "ref", Label: "Référence", Kind: "text", Optional: true, Help: "Par exemple le n° donné par le portail."},
		{Name: "at", Label: "Fait à", Kind: "text", Optional: true, Default: "02:25"},
		{Name: "note", Label: "Note", Kind: "textarea", Optional: true},
	},
}

// clickDone opens proofDialog on the first event and records the
// submission.
func clickDone(ev bot.Event) bot.Reply {
	if ev.Fields == nil {
		return bot.Reply{Dialog: proofDialog}
	}
	return bot.Reply{Text: "Incident #2026-0001 : « Déclarer l'incident au CERT Santé » faite. ✅"}
}

func TestDialogAskedFieldByField(t *testing.T) {
	c, out := newConsole("fait cert-sante\n\n9\n2\n\n\nticket reçu\n", true)
	h := &handler{HandleFn: clickDone}
	got := run(t, c, out, h)
	const b, end = "\x1b[1m", "\x1b[0m"
	via := "  Moyen utilisé (1=portail, 2=e-mail, 3=téléphone) : "
	checkOutput(t, got, "Vigie — console. Tapez « aide » pour les commandes, Ctrl-D pour quitter.\n\n"+
		"vigie> "+b+"Preuve : Déclarer l'incident au CERT Santé"+end+"\n"+
		via+via+via+ // empty, then out of range: asked again
		"  Référence — Par exemple le n° donné par le portail. : "+
		"  Fait à [02:25] : "+
		"  Note : "+
		"Incident #2026-0001 : « Déclarer l'incident au CERT Santé » faite. ✅\n\n"+
		"vigie> ")
	if len(h.events) != 2 {
		t.Fatalf("events %+v, want the click and the submission", h.events)
	}
	sub := h.events[1]
	want := map[string]string{"via": "email", "at": "02:25", "note": "ticket reçu"}
	if sub.Text != proofDialog.Action || !maps.Equal(sub.Fields, want) || sub.Channel != console.Channel || sub.User != rssi {
		t.Errorf("submission %+v, want Text %q and Fields %v", sub, proofDialog.Action, want)
	}
}

func TestDialogAnswers(t *testing.T) {
	for _, tc := range []struct {
		name  string
		typed string // after the command
		want  map[string]string
	}{
		{"numbers", "3\nCS-1\n\n\n", map[string]string{"via": "telephone", "ref": "CS-1", "at": "02:25"}},
		{"value", "email\n\n10:00\nrappel\n", map[string]string{"via": "email", "at": "10:00", "note": "rappel"}},
		{"label", "E-Mail\n\n\n\n", map[string]string{"via": "email", "at": "02:25"}},
		{"not an option", "pigeon\n0\nportail\n\n\n\n", map[string]string{"via": "portail", "at": "02:25"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, out := newConsole("fait cert-sante\n"+tc.typed, true)
			h := &handler{HandleFn: clickDone}
			run(t, c, out, h)
			if len(h.events) != 2 || !maps.Equal(h.events[1].Fields, tc.want) {
				t.Errorf("events %+v, want a submission with %v", h.events, tc.want)
			}
		})
	}
}

func TestDialogCancel(t *testing.T) {
	for _, tc := range []struct{ name, typed string }{
		{"dot", "1\n.\nstatut\n"},
		{"end of input", "1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, out := newConsole("fait cert-sante\n"+tc.typed, true)
			h := &handler{HandleFn: clickDone}
			got := run(t, c, out, h)
			if !strings.Contains(got, "Annulé.\n\n") {
				t.Errorf("no « Annulé. » in:\n%s", got)
			}
			want := []string{"fait cert-sante"}
			if strings.Contains(tc.typed, "statut") {
				want = append(want, "statut") // the console goes on
			}
			if texts := h.texts(); !slices.Equal(texts, want) {
				t.Errorf("handled %q, want %q: a cancelled dialog submits nothing", texts, want)
			}
		})
	}
}

func TestUpload(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "exports") // not there yet
	c := console.New(console.Options{In: strings.NewReader(""), Out: &bytes.Buffer{}, Dir: dir})
	data := []byte(`{"incident":"2026-0001"}`)
	// The name is the bot's, but only its base is used: nothing lands
	// outside the export directory.
	path, err := c.Upload(context.Background(), console.Channel, "../main-courante-2026-0001.json", data)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(dir, "main-courante-2026-0001.json"); path != want {
		t.Errorf("path %s, want %s", path, want)
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("file holds %q (%v), want %q", got, err, data)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600: exports are for the crisis cell only", fi.Mode().Perm())
	}
	if es, _ := os.ReadDir(dir); len(es) != 1 {
		t.Errorf("export directory holds %d files, want 1 (no temporary left)", len(es))
	}
}

func TestTriggerIsStripped(t *testing.T) {
	for _, tc := range []struct {
		trigger, typed string
		want           []string
	}{
		{"", "/incident note PACS isolé\n/incident   statut\nstatut\n", []string{"note PACS isolé", "statut", "statut"}},
		{"", "/incident\n/incidents\n", []string{"", "/incidents"}},
		{"/vigie", "/vigie aide\n/incident aide\n", []string{"aide", "/incident aide"}},
	} {
		var out bytes.Buffer
		c := console.New(console.Options{In: strings.NewReader(tc.typed), Out: &out, Trigger: tc.trigger})
		h := &handler{}
		run(t, c, &out, h)
		if got := h.texts(); !slices.Equal(got, tc.want) {
			t.Errorf("trigger %q, typed %q: handled %q, want %q", tc.trigger, tc.typed, got, tc.want)
		}
	}
}

func TestCommentsAreNotCommands(t *testing.T) {
	c, out := newConsole("// la nuit du 23 novembre\n   // indenté\nstatut\n", false)
	h := &handler{HandleFn: func(bot.Event) bot.Reply { return bot.Reply{Text: "ok"} }}
	got := run(t, c, out, h)
	if texts := h.texts(); !slices.Equal(texts, []string{"statut"}) {
		t.Errorf("handled %q, want only statut", texts)
	}
	// The transcript keeps them, so that a script reads as it was typed.
	checkOutput(t, got, "vigie> // la nuit du 23 novembre\nvigie>    // indenté\nvigie> statut\nok\n\n")
}

func TestEndOfInput(t *testing.T) {
	for _, tc := range []struct {
		input string
		want  []string
	}{
		{"", nil},
		{"\n\n", nil},
		{"statut", []string{"statut"}}, // a last line without newline is a command
		{"note a\r\nstatut\r\n", []string{"note a", "statut"}},
	} {
		c, out := newConsole(tc.input, false)
		h := &handler{}
		run(t, c, out, h) // returns nil at EOF
		if got := h.texts(); !slices.Equal(got, tc.want) {
			t.Errorf("input %q: handled %q, want %q", tc.input, got, tc.want)
		}
	}
}

// TestPostsWhileTyping has a reminder goroutine post while the person
// types: every write to the terminal is whole, and under -race the output
// is never written from two goroutines at once.
func TestPostsWhileTyping(t *testing.T) {
	const n = 200
	c, out := newConsole(strings.Repeat("9\n", n)+strings.Repeat("note x\n", n), true)
	h := &handler{HandleFn: func(bot.Event) bot.Reply { return bot.Reply{Text: "ok"} }}
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
			if _, err := c.Post(context.Background(), console.Channel, nag); err != nil {
				t.Error(err)
				return
			}
		}
	})
	err := c.Run(context.Background(), h)
	close(done)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for i := range posted {
		if !strings.Contains(got, fmt.Sprintf("\x1b[1m━━ ⏰ Rappel ━━\x1b[0m\n  rappel %d\n\n", i)) {
			t.Fatalf("reminder %d not printed whole", i)
		}
	}
	// A reminder may come between a prompt and its answer, not inside
	// either.
	if c := strings.Count(got, "⚠️ Aucun bouton [9] affiché.\n\n"); c != n {
		t.Errorf("%d whole warnings, want %d", c, n)
	}
	if c := strings.Count(got, "ok\n\n"); c != n {
		t.Errorf("%d whole answers, want %d", c, n)
	}
}

func TestCanceledContextEndsRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	c, _ := newConsole("statut\n", false)
	h := &handler{}
	if err := c.Run(ctx, h); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(h.events) != 0 {
		t.Errorf("handled %+v after the context ended", h.events)
	}
}
