package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// dialog clicks action with dialogs on and returns the dialog it opens.
func (h *harness) dialog(action string) *bot.Dialog {
	h.t.Helper()
	r := h.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: action, Dialogs: true})
	if r.Dialog == nil {
		h.t.Fatalf("%q opened no dialog: %+v", action, r)
	}
	return r.Dialog
}

func (h *harness) check(d *bot.Dialog, field, value string) (string, string) {
	h.t.Helper()
	v, err := h.bot.CheckField(context.Background(), bot.Event{Channel: "crise", User: h.user}, d, field, value)
	if err == nil {
		return v, ""
	}
	msg, ok := bot.ErrorMessage(err)
	if !ok {
		h.t.Fatalf("%s=%q: %v is not for the person", field, value, err)
	}
	return v, msg
}

// TestCheckField: each field of a dialog is checked alone, as the handler
// of the submitted dialog checks it, and read as it will read it.
func TestCheckField(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(10 * time.Minute) // 02:20
	proof := h.dialog("fait cert-sante")
	na := h.dialog("sans-objet cert-sante")
	point := h.dialog("point")
	facts := h.dialog("brouillon cnil")
	for _, tc := range []struct {
		d            *bot.Dialog
		field, typed string
		want, err    string
	}{
		{proof, "via", "E-mail", "email", ""},
		{proof, "via", "courriel", "email", ""}, // as via= takes it
		{proof, "via", "portail", "portail", ""},
		{proof, "via", "pigeon", "", "« pigeon » n'est pas un choix de « Moyen utilisé » (accepté : portail, e-mail, téléphone, courrier, autre moyen)."},
		{proof, "via", "", "", "« Moyen utilisé » est obligatoire."},
		{proof, "at", "02:15", "02:15", ""},
		{proof, "at", "", "", ""},
		{proof, "at", "25:99", "", "Heure illisible « 25:99 »"},
		{proof, "at", "03:00", "", "L'heure « 03:00 » est encore à venir aujourd'hui"},
		{proof, "at", "02:05", "", "antérieure au T0 (23/11/2026 02:10)"},
		{proof, "at", "02:04", "", "Donnez l'heure où c'était fait, après le T0"},
		{proof, "ref", " CS-1234 ", "CS-1234", ""},
		{proof, "ref", strings.Repeat("r", 201), "", "Référence trop longue (200 caractères au plus)."},
		{proof, "note", "appel\x1b[2J", "", "caractère refusé en position 6"},
		{na, "reason", "", "", "« Raison » est obligatoire."},
		{na, "reason", strings.Repeat("r", 4001), "", "Raison trop longue"},
		{point, "actions", strings.Repeat("a", 4001), "", "« actions » est trop long"},
		{point, "besoins", "", "", ""},
		{facts, "siren", "267 500 452", "267500452", ""},
		{facts, "siren", "123", "", "SIREN refusé « 123 » : 9 chiffres attendus"},
		{facts, "structure", "CH d'Exemple", "CH d'Exemple", ""},
	} {
		got, msg := h.check(tc.d, tc.field, tc.typed)
		if got != tc.want || !strings.Contains(msg, tc.err) || (tc.err == "") != (msg == "") {
			t.Errorf("%s %s=%q: got %q, %q; want %q, %q", tc.d.Action, tc.field, tc.typed, got, msg, tc.want, tc.err)
		}
	}
	// A fact left empty says how to get the draft with blanks instead.
	for _, f := range facts.Fields {
		if f.Optional {
			continue
		}
		if _, msg := h.check(facts, f.Name, ""); !strings.Contains(msg, "#2026-0001 brouillon cnil incomplet=oui") || !strings.Contains(msg, f.Label) {
			t.Errorf("%s left empty: %q", f.Name, msg)
		}
	}
	// A field names no typed option: the form has no at=.
	if _, msg := h.check(proof, "at", "02:05"); strings.Contains(msg, "at=") {
		t.Errorf("a field's error names at=: %q", msg)
	}
	// The title of a form names its step.
	if !strings.Contains(na.Title, "Déclarer l'incident au CERT Santé") {
		t.Errorf("sans-objet form titled %q, without its step", na.Title)
	}
	// A dialog about a step that is not there is refused at its first
	// field, not after the whole form.
	bogus := *na
	bogus.Action = "#2026-0001 sans-objet plainte"
	if _, msg := h.check(&bogus, "reason", "pas d'assurance"); !strings.Contains(msg, "Étape inconnue « plainte »") {
		t.Errorf("unknown step: %q", msg)
	}
}

// TestCheckFieldAgreesWithHandler: a proof's time, reference or means is
// accepted alone exactly when the submitted dialog is accepted with it.
func TestCheckFieldAgreesWithHandler(t *testing.T) {
	for _, tc := range []struct{ field, typed string }{
		{"at", "02:15"}, {"at", "2h15"}, {"at", "03:00"}, {"at", "02:05"}, {"at", "hier"}, {"at", "23/11/2026 02:12"},
		{"ref", "CS-1"}, {"ref", strings.Repeat("r", 200)}, {"ref", strings.Repeat("r", 201)},
		{"via", "mail"}, {"via", "pigeon"}, {"via", "Téléphone"},
	} {
		h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
		h.ok("ouvrir Rançongiciel")
		h.now = t0.Add(10 * time.Minute)
		d := h.dialog("fait cert-sante")
		v, msg := h.check(d, tc.field, tc.typed)
		fields := map[string]string{"via": "portail"}
		if msg == "" {
			fields[tc.field] = v
		} else {
			fields[tc.field] = tc.typed
		}
		r := h.bot.Handle(context.Background(), bot.Event{Channel: "crise", User: h.user, Text: d.Action, Fields: fields})
		if r.Error != (msg != "") {
			t.Errorf("%s=%q: CheckField says %q, the submitted dialog says %q", tc.field, tc.typed, msg, r.Text)
		}
	}
}

// TestFutureTimeInTheChat: at= later today is refused as still to come,
// in the chat as in the console.
func TestFutureTimeInTheChat(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Rançongiciel t0=02:10")
	h.now = t0.Add(4 * time.Hour) // 06:10
	h.ok("repondre capacity_impact oui")
	r := h.do("fait ror via=autre at=07:30")
	if !r.Error || !strings.Contains(r.Text, "L'heure « 07:30 » est encore à venir aujourd'hui (il est 23/11/2026 06:10)") ||
		!strings.Contains(r.Text, "22/11/2026 07:30") || strings.Contains(r.Text, "T0") {
		t.Fatalf("at= later today: %+v", r)
	}
	h.ok("fait ror via=autre at=06:00")
}
