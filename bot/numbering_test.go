package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
)

// TestStepsByNumberOrKey: a step is named by the number the checklist
// shows or by its key, wherever a step is named; questions by Qn or their
// key; an unknown reference says what is accepted.
func TestStepsByNumberOrKey(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(5 * time.Minute)
	h.ok("fait 1 via=portail ref=CS-1")
	h.ok("sans-objet 2 l'ARS a appelé elle-même")
	h.ok("repondre q1 oui")
	h.ok("repondre Q3 oui")
	h.ok("rappel 9 1h") // police, asked once malicious is yes
	inc := h.incident("2026-0001")
	if st := inc.Steps["cert-sante"]; st == nil || st.Status != incident.StepDone {
		t.Errorf("fait 1 did not settle cert-sante: %+v", st)
	}
	if st := inc.Steps["ars"]; st == nil || st.Status != incident.StepNA {
		t.Errorf("sans-objet 2 did not settle the ARS step: %+v", inc.Steps)
	}
	if a, ok := inc.Answer("capacity_impact"); !ok || a.Value != "yes" {
		t.Errorf("repondre q1 oui: capacity_impact = %+v", a)
	}
	if a, ok := inc.Answer("malicious"); !ok || a.Value != "yes" {
		t.Errorf("repondre Q3 oui: malicious = %+v", a)
	}
	for _, e := range h.entries("2026-0001") {
		if s, ok := e.Data["step"]; ok && (s == "1" || s == "2" || s == "9") {
			t.Errorf("entry #%d records the number %q, not the step's key", e.Seq, s)
		}
	}
	for _, c := range []struct{ cmd, want string }{
		{"fait 99 via=email", "1 à 15"},
		{"fait x via=email", "cert-sante"},
		{"repondre q99 oui", "Q1 à Q10"},
	} {
		r := h.do(c.cmd)
		if !r.Error || !strings.Contains(r.Text, c.want) {
			t.Errorf("%s: %q, want a refusal naming %q", c.cmd, r.Text, c.want)
		}
	}
}

// TestChecklistShowsNumberAndKey: each step line shows its number and the
// key `fait` takes; each question its Qn and key.
func TestChecklistShowsNumberAndKey(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	inc := h.incident("2026-0001")
	list := h.chat.Message(inc.Messages[bot.RoleChecklist])
	card := h.chat.Message(inc.Messages[bot.RoleCard])
	if !strings.Contains(list.Blocks[0].Title, "1 · cert-sante") {
		t.Errorf("first step title %q lacks its number and key", list.Blocks[0].Title)
	}
	if !strings.Contains(card.Blocks[1].Title, "Q1 · capacity_impact") {
		t.Errorf("first question title %q lacks Q1 and its key", card.Blocks[1].Title)
	}
}

// lines renders a message as a terminal would, one line per title and
// text line, for length checks.
func lines(m *bot.Message) []string {
	out := []string{m.Title}
	for _, b := range m.Blocks {
		if b.Title != "" {
			out = append(out, b.Title)
		}
		if b.Text != "" {
			out = append(out, strings.Split(b.Text, "\n")...)
		}
		if len(b.Buttons) > 0 {
			out = append(out, "buttons")
		}
	}
	return out
}

// TestStatusShortAndFull: "statut" says what is late, what is next and
// which questions are open in a few lines; "statut complet" and "detail"
// give every detail: to whom and how, why, the source.
func TestStatusShortAndFull(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(20 * time.Minute)
	short := h.ok("statut")
	text := strings.Join(lines(short.Message), "\n")
	for _, want := range []string{"À faire sans délai (2)", "1 · cert-sante", "À faire (1)", "15 · resolution", "Questions ouvertes (4)", "Q1 · capacity_impact", "detail 1"} {
		if !strings.Contains(text, want) {
			t.Errorf("statut lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Pourquoi") || len(lines(short.Message)) > 16 {
		t.Errorf("statut is not short (%d lines):\n%s", len(lines(short.Message)), text)
	}
	full := strings.Join(lines(h.ok("statut complet").Message), "\n")
	for _, want := range []string{"Pourquoi : requis dans tous les cas", "Destinataire : CERT Santé (ANS)", "Au clavier : /incident repondre capacity_impact"} {
		if !strings.Contains(full, want) {
			t.Errorf("statut complet lacks %q", want)
		}
	}
	step := strings.Join(lines(h.ok("detail cert-sante").Message), "\n")
	if !strings.Contains(step, "Pourquoi") || !strings.Contains(step, "09 72 43 91 25") {
		t.Errorf("detail cert-sante:\n%s", step)
	}
	q := strings.Join(lines(h.ok("detail Q1").Message), "\n")
	if !strings.Contains(q, "Décide des étapes 7, 8") || !strings.Contains(q, "Par exemple") {
		t.Errorf("detail Q1:\n%s", q)
	}
	waiting := strings.Join(lines(h.ok("detail 12").Message), "\n")
	if !strings.Contains(waiting, "Requise seulement si personal_data_breach") {
		t.Errorf("detail of a step waiting on an answer:\n%s", waiting)
	}
	for _, bad := range []string{"statut bref", "detail", "detail 99"} {
		if r := h.do(bad); !r.Error {
			t.Errorf("%q accepted: %s", bad, r.Text)
		}
	}
}

// TestNAFormOnlyForAStep: "sans-objet X" without a reason, from a person
// who can fill forms, is refused at once when X names no step, instead of
// asking a reason that will be thrown away; a step named by its number
// opens a form whose action names the step's key.
func TestNAFormOnlyForAStep(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	ev := bot.Event{Channel: "crise", User: h.user, Text: "sans-objet plainte", Dialogs: true}
	if r := h.bot.Handle(t.Context(), ev); !r.Error || r.Dialog != nil {
		t.Errorf("sans-objet of no step: %+v", r)
	}
	ev.Text = "sans-objet 2"
	r := h.bot.Handle(t.Context(), ev)
	if r.Dialog == nil || !strings.HasSuffix(r.Dialog.Action, "sans-objet ars") {
		t.Errorf("sans-objet 2: %+v", r)
	}
}

// TestSettledBeforeTheAnswer: a step done, or declared not applicable,
// while the answer that decides it is awaited stays in view, counted.
func TestSettledBeforeTheAnswer(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(5 * time.Minute)
	h.ok("fait 12 via=email ref=CNIL-1")
	h.ok("sans-objet 3 pas un ESMS")
	inc := h.incident("2026-0001")
	list := h.chat.Message(inc.Messages[bot.RoleChecklist])
	text := strings.Join(lines(&list), "\n")
	for _, want := range []string{"✅ 12 · cnil", "réf. CNIL-1", "➖ 3 · esms-autorite", "Requise ou non selon Q5 personal_data_breach"} {
		if !strings.Contains(text, want) {
			t.Errorf("checklist lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "→ étapes 12, 13, 14") {
		t.Errorf("the CNIL step is still listed as waiting:\n%s", text)
	}
	sum := strings.Join(lines(h.ok("statut").Message), "\n")
	if !strings.Contains(sum, "Faites : 1 · sans objet : 1 · en attente d'une réponse : 7") {
		t.Errorf("statut counts:\n%s", sum)
	}
}

// TestT0NotAfterAProof: T0 cannot be moved after a declaration already
// recorded, which would then predate the structure's awareness.
func TestT0NotAfterAProof(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(40 * time.Minute)
	h.ok("fait 1 via=portail at=02:20")
	before := h.snapshot("2026-0001")
	r := h.do("t0 02:30")
	if !r.Error || !strings.Contains(r.Text, "Déclarer l'incident au CERT Santé") {
		t.Errorf("t0 after a proof: %+v", r)
	}
	if h.snapshot("2026-0001") != before {
		t.Error("a refused T0 changed the incident")
	}
	h.ok("t0 02:05") // earlier: fine
}
