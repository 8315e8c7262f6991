package console_test

import (
	"bytes"
	"context"
	"fmt"
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

// cardText is card as printed without a terminal, buttons keyed from a.
const cardText = `━━ 🚨 Incident #2026-0001 — Rançongiciel ━━
  T0 : 23/11/2026 02:10
  État : ouvert
❓ L'incident est-il d'origine malveillante ?
  Par exemple : rançongiciel.
  Au clavier : /incident repondre malicious oui|non
  [a] Oui  [b] Non
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

func TestButtonKeysAreStable(t *testing.T) {
	c, out := newConsole("b\nd\na\n", false)
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
	if !strings.Contains(got, "[c] Fait  [b] Non, finalement\n") {
		t.Errorf("keys not stable across messages:\n%s", got)
	}
	want := []string{"#2026-0001 repondre malicious no", "#2026-0001 repondre malicious yes"}
	if got := h.texts(); !slices.Equal(got, want) {
		t.Errorf("clicks sent %q, want %q", got, want)
	}
	if !strings.Contains(got, "vigie> d\n⚠️ Aucun bouton [d] affiché.\n\n") {
		t.Errorf("key d was never shown, yet:\n%s", got)
	}
	for _, ev := range h.events {
		if !ev.Click {
			t.Errorf("%q: a key typed is a click", ev.Text)
		}
	}
}

// TestKeysAreLettersNotVerbs: keys run a, b… z, aa…, and skip the words
// that are commands ("na" is sans-objet in English).
func TestKeysAreLettersNotVerbs(t *testing.T) {
	c, out := newConsole("", false)
	var btns []bot.Button
	for i := range 400 {
		btns = append(btns, bot.Button{Label: fmt.Sprint(i), Action: fmt.Sprintf("#1 note %d", i)})
	}
	if _, err := c.Post(context.Background(), console.Channel, bot.Message{Blocks: []bot.Block{{Buttons: btns}}}); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	for _, want := range []string{"[a] 0 ", "[z] 25 ", "[aa] 26 ", "[az] 51 ", "[ba] 52 ", "[mz] 363 ", "[nb] 364 "} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in %s", want, got)
		}
	}
	if strings.Contains(got, "[na]") {
		t.Errorf("key na given, which is a command:\n%s", got)
	}
}

// TestNumbersAreNotButtons: a number typed alone is a step's number on a
// checklist, never a button; the console says buttons are letters.
func TestNumbersAreNotButtons(t *testing.T) {
	c, out := newConsole("7\nzz\n", false)
	h := &handler{}
	checkOutput(t, run(t, c, out, h), "vigie> 7\n⚠️ Aucun bouton [7] : les boutons se tapent par leur lettre entre crochets, par exemple a pour [a].\n\n"+
		"vigie> zz\n⚠️ Aucun bouton [zz] affiché.\n\n")
	if len(h.events) != 0 {
		t.Errorf("handler called with %+v", h.events)
	}
}

// TestStaleKeyDoesNotAct: once a card no longer offers a button, its key
// says so and sends nothing, though it was on screen a moment ago.
func TestStaleKeyDoesNotAct(t *testing.T) {
	ctx := context.Background()
	c, out := newConsole("a\nb\n", false)
	ref, err := c.Post(ctx, console.Channel, card)
	if err != nil {
		t.Fatal(err)
	}
	answered := card
	answered.Blocks = []bot.Block{card.Blocks[0], {Title: "Réponses", Text: "• Malveillant ? Oui (@rssi)"}}
	if err := c.Update(ctx, console.Channel, ref, answered); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	h := &handler{}
	got := run(t, c, out, h)
	checkOutput(t, got, "vigie> a\n⚠️ Le bouton [a] « Oui » n'est plus proposé : le message a changé depuis. Rien n'a été fait ; « statut » montre l'état à jour.\n\n"+
		"vigie> b\n⚠️ Le bouton [b] « Non » n'est plus proposé : le message a changé depuis. Rien n'a été fait ; « statut » montre l'état à jour.\n\n")
	if len(h.events) != 0 {
		t.Errorf("a stale key acted: %+v", h.events)
	}
}

// TestStaleKeyOfAStatus: a button the card withdraws is stale in the
// copy of the card that statut printed before, too.
func TestStaleKeyOfAStatus(t *testing.T) {
	ctx := context.Background()
	c, out := newConsole("statut\nnote x\na\n", false)
	ref, err := c.Post(ctx, console.Channel, card)
	if err != nil {
		t.Fatal(err)
	}
	h := &handler{HandleFn: func(ev bot.Event) bot.Reply {
		switch ev.Text {
		case "statut":
			return bot.Reply{Message: &card}
		case "note x": // the question is answered meanwhile
			answered := card
			answered.Blocks = card.Blocks[:1]
			if err := c.Update(ctx, console.Channel, ref, answered); err != nil {
				t.Error(err)
			}
		}
		return bot.Reply{Text: "clicked " + ev.Text}
	}}
	got := run(t, c, out, h)
	if !strings.Contains(got, "⚠️ Le bouton [a] « Oui » n'est plus proposé") {
		t.Errorf("a key of the statut acted though the card withdrew it:\n%s", got)
	}
}

// TestUpdatePrintsWhatChanged: an updated card shows its changed lines,
// and recalls on one line each the blocks whose buttons are still offered.
func TestUpdatePrintsWhatChanged(t *testing.T) {
	ctx := context.Background()
	c, out := newConsole("", false)
	two := card
	two.Blocks = append(append([]bot.Block(nil), card.Blocks...), bot.Block{
		Title: "❓ Violation de données ?", Text: "Au clavier : /incident repondre personal_data_breach oui|non",
		Buttons: []bot.Button{{Label: "Oui", Action: "#2026-0001 repondre personal_data_breach yes"}},
	})
	ref, err := c.Post(ctx, console.Channel, two)
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

	answered := two
	answered.Blocks = []bot.Block{
		{Fields: []bot.Field{{Label: "T0", Value: "23/11/2026 02:10"}, {Label: "État", Value: "ouvert"}, {Label: "Main courante", Value: "#2"}}},
		two.Blocks[2],
		{Title: "Réponses", Text: "• Malveillant ? Oui (@rssi)"},
	}
	checkOutput(t, update(answered), "━━ ↻ 🚨 Incident #2026-0001 — Rançongiciel ━━\n"+
		"  Main courante : #2\n"+
		"Réponses\n  • Malveillant ? Oui (@rssi)\n"+
		"Toujours proposé :\n  ❓ Violation de données ?  [c] Oui\n\n")

	checkOutput(t, update(answered), "") // nothing changed: nothing printed

	// A step done: the same block (its icon aside) shows its new lines.
	step := bot.Message{Title: "📋 Notifications", Blocks: []bot.Block{{
		Title: "🔴 1. CERT Santé", Text: "Portail : https://signalement\nÉchéance : sans délai — en retard de 20 min",
		Buttons: []bot.Button{{Label: "Fait", Action: "#2026-0001 fait cert-sante"}},
	}}}
	ref2, _ := c.Post(ctx, console.Channel, step)
	out.Reset()
	done := bot.Message{Title: "📋 Notifications", Blocks: []bot.Block{{
		Title: "✅ 1. CERT Santé", Text: "Portail : https://signalement\nÉchéance : sans délai\n✅ Fait à 02:25",
	}}}
	if err := c.Update(ctx, console.Channel, ref2, done); err != nil {
		t.Fatal(err)
	}
	checkOutput(t, out.String(), "━━ ↻ 📋 Notifications ━━\n✅ 1. CERT Santé\n  Échéance : sans délai\n  ✅ Fait à 02:25\n\n")

	// A list that only lost lines prints no heading with nothing under it.
	waiting := bot.Message{Title: "📋 Notifications", Blocks: []bot.Block{done.Blocks[0],
		{Title: "En attente d'une réponse", Text: "• Q1 capacity_impact → étapes 7, 8\n• Q3 malicious → étape 9"}}}
	if err := c.Update(ctx, console.Channel, ref2, waiting); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	fewer := waiting
	fewer.Blocks = []bot.Block{done.Blocks[0], {Title: "En attente d'une réponse", Text: "• Q3 malicious → étape 9"}}
	if err := c.Update(ctx, console.Channel, ref2, fewer); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "En attente") {
		t.Errorf("a heading without lines:\n%s", out.String())
	}
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

// TestUpload: exports land in the export directory, for the crisis cell
// only.
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
