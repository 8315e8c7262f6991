package console_test

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/adapters/console"
	"github.com/vigie-sante/vigie/bot"
)

// The terminal's forms: a dialog asked field by field.

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
	h := &handler{HandleFn: clickDone}
	tt := runTTY(t, "fait cert-sante\n\n9\n2\n\n\nticket reçu\n", h)
	via := "  Moyen utilisé (1=portail, 2=e-mail, 3=téléphone) : "
	checkOutput(t, tt.screen.Text(), banner+
		"vigie> fait cert-sante\n"+
		"Preuve : Déclarer l'incident au CERT Santé\n"+
		"(Entrée vide : valeur entre crochets ; « annuler » ou Ctrl-C : abandonner le formulaire)\n"+
		strings.TrimRight(via, " ")+"\n"+
		"  ⚠️ « Moyen utilisé » est obligatoire.\n"+
		via+"9\n"+
		"  ⚠️ « 9 » n'est pas un choix proposé (tapez son numéro ou son nom).\n"+
		via+"2\n"+
		"  Référence — Par exemple le n° donné par le portail :\n"+
		"  Fait à [02:25] :\n"+
		"  Note : ticket reçu\n"+
		"Incident #2026-0001 : « Déclarer l'incident au CERT Santé » faite. ✅\n\n"+
		"vigie>\n\n")
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
		{"value", "email\n\n10:00\nrappelé\n", map[string]string{"via": "email", "at": "10:00", "note": "rappelé"}},
		{"label", "E-Mail\n\n\n\n", map[string]string{"via": "email", "at": "02:25"}},
		{"not an option", "pigeon\n0\nportail\n\n\n\n", map[string]string{"via": "portail", "at": "02:25"}},
		{"tab completes a choice", "t\t\n\n\n\n", map[string]string{"via": "telephone", "at": "02:25"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &handler{HandleFn: clickDone}
			runTTY(t, "fait cert-sante\n"+tc.typed, h)
			if len(h.events) != 2 || !maps.Equal(h.events[1].Fields, tc.want) {
				t.Errorf("events %+v, want a submission with %v", h.events, tc.want)
			}
		})
	}
}

func TestDialogCancel(t *testing.T) {
	for _, tc := range []struct{ name, typed string }{
		{"annuler", "1\nannuler\nstatut\n"},
		{"cancel", "1\ncancel\nstatut\n"},
		{"dot", "1\n.\nstatut\n"},
		{"ctrl-c", "1\nCS-\x03statut\n"},
		{"ctrl-d", "1\n\x04"},
		{"end of input", "1\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &handler{HandleFn: clickDone}
			tt := runTTY(t, "fait cert-sante\n"+tc.typed, h)
			if !strings.Contains(tt.screen.Text(), "Formulaire abandonné : rien n'a été enregistré.\n") {
				t.Errorf("no « Formulaire abandonné » in:\n%s", tt.screen.Text())
			}
			want := []string{"fait cert-sante"}
			if strings.Contains(tc.typed, "statut") {
				want = append(want, "statut") // the console goes on
			}
			if texts := h.texts(); !slices.Equal(texts, want) {
				t.Errorf("handled %q, want %q: a dropped form submits nothing", texts, want)
			}
		})
	}
}

// checker is a handler that checks the fields of proofDialog as the bot
// does: "at" must be a time of day in the past.
type checker struct {
	handler
	checked []string
}

func (c *checker) CheckField(ctx context.Context, ev bot.Event, d *bot.Dialog, name, value string) (string, error) {
	c.checked = append(c.checked, name+"="+value)
	if name == "at" && value == "25:99" {
		return "", bot.Errorf(bot.EInvalid, "Heure illisible « 25:99 ». Accepté : 02:10, 2h10.")
	}
	if name == "at" && value == "23:00" {
		return "", bot.Errorf(bot.EInvalid, "L'heure « 23:00 » est encore à venir aujourd'hui.")
	}
	if name == "via" && value == "" {
		return "", bot.Errorf(bot.EInvalid, "« Moyen utilisé » est obligatoire.")
	}
	return value, nil
}

// TestFormReasksBadField: a field refused by the bot's rule is asked again
// with the reason; what was typed before is kept, and the form goes on.
func TestFormReasksBadField(t *testing.T) {
	h := &checker{handler: handler{HandleFn: clickDone}}
	tt := runTTY(t, "fait cert-sante\n1\nCS-1234\n25:99\n23:00\n02:20\nappel\n", h)
	got := tt.screen.Text()
	for _, want := range []string{
		"  Fait à [02:25] : 25:99\n  ⚠️ Heure illisible « 25:99 ». Accepté : 02:10, 2h10.\n  Fait à [02:25] : 23:00\n" +
			"  ⚠️ L'heure « 23:00 » est encore à venir aujourd'hui.\n  Fait à [02:25] : 02:20\n  Note : appel\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("no %q in:\n%s", want, got)
		}
	}
	want := map[string]string{"via": "portail", "ref": "CS-1234", "at": "02:20", "note": "appel"}
	if len(h.events) != 2 || !maps.Equal(h.events[1].Fields, want) {
		t.Errorf("events %+v, want one submission with %v", h.events, want)
	}
	if !slices.Equal(h.checked, []string{"via=portail", "ref=CS-1234", "at=25:99", "at=23:00", "at=02:20", "note=appel"}) {
		t.Errorf("checked %q", h.checked)
	}
}

// reasonDialog is the dialog of sans-objet without a reason.
func reasonDialog(ev bot.Event) bot.Reply {
	if ev.Fields == nil && ev.Text == "sans-objet plan-crise-ars" {
		return bot.Reply{Dialog: &bot.Dialog{Title: "Sans objet", Action: "#2026-0001 sans-objet plan-crise-ars",
			Fields: []bot.DialogField{{Name: "reason", Label: "Raison", Kind: "textarea"}}}}
	}
	return bot.Reply{Text: "ok " + ev.Text}
}

// TestCommandAtFieldPrompt: a command typed at a field's prompt (the whole
// command again, with its reason) is not taken as the value without a yes.
func TestCommandAtFieldPrompt(t *testing.T) {
	for _, tc := range []struct {
		name, typed string
		want        map[string]string // the submission; nil: none
	}{
		{"no, then the reason", "sans-objet plan-crise-ars ARS informée\nn\nplan non déclenché\n", map[string]string{"reason": "plan non déclenché"}},
		{"yes", "/incident fait ror\noui\n", map[string]string{"reason": "/incident fait ror"}},
		{"cancel", "statut\nannuler\n", nil},
		{"not a command", "aucun lit fermé\n", map[string]string{"reason": "aucun lit fermé"}},
		{"neither yes nor no", "statut\nfait ror\nn\nplan non déclenché\n", map[string]string{"reason": "plan non déclenché"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := &handler{HandleFn: reasonDialog}
			tt := runTTY(t, "sans-objet plan-crise-ars\n"+tc.typed, h)
			got := tt.screen.Text()
			if tc.name != "not a command" && !strings.Contains(got, "ressemble à une commande : est-ce bien « Raison » ? (o/n) :") {
				t.Errorf("not asked:\n%s", got)
			}
			if tc.name == "neither yes nor no" && !strings.Contains(got, "Répondez o (oui) ou n (non), ou « annuler ».") {
				t.Errorf("an answer that is neither yes nor no is not told so:\n%s", got)
			}
			if tc.name == "no, then the reason" && !strings.Contains(got, "Pas pris. La commande se tape après le formulaire (ou « annuler » d'abord).\n  Raison : plan non déclenché\n") {
				t.Errorf("not asked again:\n%s", got)
			}
			var sub map[string]string
			if len(h.events) == 2 {
				sub = h.events[1].Fields
			}
			if !maps.Equal(sub, tc.want) || len(h.events) > 2 {
				t.Errorf("events %+v, want a submission with %v", h.events, tc.want)
			}
		})
	}
}
