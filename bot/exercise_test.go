package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/flows"
)

// in runs a command in channel, in lang ("": the deployment's).
func (h *harness) in(channel string, lang flows.Lang, text string) bot.Reply {
	h.t.Helper()
	return h.bot.Handle(ctxb(), bot.Event{Channel: channel, User: h.user, Text: text, Lang: lang})
}

// TestOpenExercise: "exercice" at the end of the opening (or
// exercice=oui) opens an exercise, numbered apart from the incidents,
// which keep their numbers without gaps; the opening entry records the
// mark; a bad value is refused, naming what is accepted, and opens
// nothing.
func TestOpenExercise(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.in("c1", "", "ouvrir Rançongiciel sur le PACS")
	r := h.in("c2", "", "ouvrir Exercice rançongiciel exercice")
	if r.Error || !strings.Contains(r.Text, "EX-2026-0001") || !strings.Contains(r.Text, "EXERCICE") {
		t.Fatalf("open exercise: %+v", r)
	}
	h.in("c3", "", "ouvrir Panne du serveur de messagerie exercice=non")
	h.in("c4", "", "ouvrir exercice=oui Plan blanc")
	if r := h.in("c5", flows.EN, "open Drill exercise"); !strings.Contains(r.Text, "EX-2026-0003") || !strings.Contains(r.Text, "EXERCISE") {
		t.Fatalf("open … exercise in English: %+v", r)
	}
	want := map[string]string{"2026-0001": "Rançongiciel sur le PACS", "EX-2026-0001": "Exercice rançongiciel",
		"2026-0002": "Panne du serveur de messagerie", "EX-2026-0002": "Plan blanc", "EX-2026-0003": "Drill"}
	for id, title := range want {
		inc := h.incident(id)
		if inc.Title != title || inc.Exercise != incident.IsExerciseID(id) {
			t.Errorf("%s: title %q exercise %v, want %q", id, inc.Title, inc.Exercise, title)
		}
		es := h.entries(id)
		if got := es[0].Data["exercise"]; (got == "yes") != inc.Exercise {
			t.Errorf("%s: opening entry data exercise=%q", id, got)
		}
		if err := incident.CheckRecord(inc, es); err != nil {
			t.Errorf("%s: %v", id, err)
		}
	}
	all, _ := h.store.All(ctxb())
	r = h.in("c6", "", "ouvrir Test exercice=peut-être")
	if !r.Error || !strings.Contains(r.Text, "peut-être") || !strings.Contains(r.Text, "exercice=oui") {
		t.Errorf("bad exercice= value: %+v", r)
	}
	if after, _ := h.store.All(ctxb()); len(after) != len(all) {
		t.Errorf("a refused opening opened an incident: %d → %d", len(all), len(after))
	}
	// Without a title, an exercise is called one.
	h.in("c7", "", "ouvrir exercice")
	if inc := h.incident("EX-2026-0004"); inc.Title != "Exercice de crise cyber" {
		t.Errorf("default title of an exercise: %q", inc.Title)
	}
}

// TestExerciseMarkedEverywhere: the card, the checklist, the status, the
// replies, a reminder, a draft and the closing report of an exercise say
// EXERCICE; a real incident's say nothing of it.
func TestExerciseMarkedEverywhere(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Exercice rançongiciel exercice")
	inc := h.incident("EX-2026-0001")
	for role, m := range map[string]bot.Message{
		"card": h.chat.Message(inc.Messages[bot.RoleCard]), "checklist": h.chat.Message(inc.Messages[bot.RoleChecklist]),
	} {
		if !strings.HasPrefix(m.Title, "🧪 EXERCICE — ") {
			t.Errorf("%s title %q is not marked", role, m.Title)
		}
	}
	if r := h.ok("note PACS isolé"); !strings.HasPrefix(r.Text, "🧪 EXERCICE — ") {
		t.Errorf("note reply %q is not marked", r.Text)
	}
	for _, cmd := range []string{"statut", "statut complet"} {
		if r := h.ok(cmd); r.Message == nil || !strings.HasPrefix(r.Message.Title, "🧪 EXERCICE — ") {
			t.Errorf("%s: %+v is not marked", cmd, r.Message)
		}
	}
	n := len(h.chat.Posts)
	h.sweep(15*time.Minute + time.Second)
	if got := h.postsSince(n); len(got) != 1 || !strings.HasPrefix(got[0], "🧪 EXERCICE — ⏰ Rappel — incident #EX-2026-0001") {
		t.Errorf("reminder: %q", got)
	}
	n = len(h.chat.Posts)
	h.sweep(time.Hour + time.Second)
	if got := h.postsSince(n); len(got) != 1 || !strings.HasPrefix(got[0], "🧪 EXERCICE — 🚨 Escalade") {
		t.Errorf("escalation: %q", got)
	}

	r := h.ok("brouillon cnil incomplet=oui")
	if r.Message == nil || !strings.HasPrefix(r.Message.Title, "🧪 EXERCICE — ") {
		t.Fatalf("draft title not marked: %+v", r.Message)
	}
	draft := r.Message.Blocks[0].Text
	lines := strings.Split(draft, "\n")
	const banner = "*** EXERCICE EXERCICE EXERCICE — NE PAS ENVOYER : brouillon d'un exercice de crise, ce n'est pas une déclaration ***"
	if lines[0] != banner || lines[len(lines)-1] != banner {
		t.Errorf("draft does not open and end with the banner:\n%s", draft)
	}
	if !strings.Contains(lines[1], "EXERCICE") {
		t.Errorf("draft heading %q is not marked", lines[1])
	}

	// The hand-over and the messages to stakeholders, text pasted
	// elsewhere, carry the mark in their text.
	h.ok(`point conditions="PACS arrêté" actions="bascule papier" besoins="renfort"`)
	n = len(h.chat.Posts)
	h.ok("releve")
	if got := h.postsSince(n); len(got) == 0 || !strings.HasPrefix(got[len(got)-1], "🧪 EXERCICE — 🔄 Relève") {
		t.Errorf("hand-over posts: %q", got)
	}
	es := h.entries("EX-2026-0001")
	if ho := es[len(es)-1]; ho.Kind != incident.KindHandover || !strings.HasPrefix(ho.Data["text"], "🧪 EXERCICE — ") {
		t.Errorf("hand-over entry: %+v", ho)
	}
	for _, a := range []string{"direction", "ars", "personnel", "presse"} {
		text := h.ok("message " + a).Message.Blocks[0].Text
		const mark = "*** EXERCICE EXERCICE EXERCICE — NE PAS ENVOYER : message d'un exercice de crise, pas d'un incident réel ***"
		if !strings.HasPrefix(text, mark+"\n") || !strings.HasSuffix(text, "\n"+mark) {
			t.Errorf("message %s does not open and end with the mark:\n%s", a, text)
		}
	}

	h.ok("clore confirmer")
	inc = h.incident("EX-2026-0001")
	if m := h.chat.Message(inc.Messages[bot.RoleClosing]); !strings.HasPrefix(m.Title, "🧪 EXERCICE — ") {
		t.Errorf("closing report title %q is not marked", m.Title)
	}

	// A real incident says nothing of exercises.
	h.in("c2", "", "ouvrir Rançongiciel")
	real := h.incident("2026-0001")
	for _, m := range []bot.Message{h.chat.Message(real.Messages[bot.RoleCard]), h.chat.Message(real.Messages[bot.RoleChecklist])} {
		if strings.Contains(render(m), "EXERCICE") {
			t.Errorf("a real incident's message is marked:\n%s", render(m))
		}
	}
	if r := h.in("c2", "", "brouillon cnil incomplet=oui"); strings.Contains(r.Message.Blocks[0].Text, "EXERCICE") {
		t.Errorf("a real incident's draft is marked:\n%s", r.Message.Blocks[0].Text)
	}
}

// TestRealIncidentDuringExercise: an exercise open in the channel does not
// hide how to open a real incident: the refusal says it is an exercise and
// how to go on.
func TestRealIncidentDuringExercise(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Exercice exercice")
	r := h.do("ouvrir Rançongiciel réel")
	if !r.Error || !strings.Contains(r.Text, "exercice #EX-2026-0001") || !strings.Contains(r.Text, "#EX-2026-0001 clore confirmer") {
		t.Errorf("real incident during an exercise: %+v", r)
	}
	// The terminal is one channel: another incident needs another base.
	h = newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms", Bare: true})
	h.ok("ouvrir Exercice exercice")
	if r := h.do("ouvrir Rançongiciel réel"); !r.Error || !strings.Contains(r.Text, "#EX-2026-0001 clore confirmer") || !strings.Contains(r.Text, "vigie --db") {
		t.Errorf("real incident during an exercise, in the terminal: %+v", r)
	}
}

// TestCompleteExercise: the opening offers exercice= and its values.
func TestCompleteExercise(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	if got := h.bot.Complete(ctxb(), "crise", "ouvrir Test ex", ""); !contains(got, "exercice=") {
		t.Errorf("ouvrir … ex → %v, want exercice=", got)
	}
	if got := h.bot.Complete(ctxb(), "crise", "ouvrir Test exercice=", ""); !contains(got, "exercice=oui") || !contains(got, "exercice=non") {
		t.Errorf("ouvrir … exercice= → %v, want oui and non", got)
	}
}
