package bot_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
)

// TestFeatureOff: a step or a question that exists only with a switch
// (nis2) that is off for the incident is refused with the switch named and
// how to turn it on, never with an empty reason; "detail" shows the step.
func TestFeatureOff(t *testing.T) {
	for _, tc := range []struct {
		lang                       flows.Lang
		open, done, answer, detail string
		want                       []string
	}{
		{flows.FR, "ouvrir Test", "fait 4 via=email", "repondre Q9 oui", "detail 4",
			[]string{"nis2", "--nis2", "features"}},
		{flows.EN, "open Test", "done 4 via=email", "answer Q9 yes", "detail 4",
			[]string{"nis2", "--nis2", "features"}},
	} {
		h := newHarness(t, bot.Config{Lang: tc.lang, Chain: "nouvelle-aquitaine/es-esms"})
		h.ok(tc.open)
		for _, cmd := range []string{tc.done, tc.answer} {
			r := h.do(cmd)
			if !r.Error {
				t.Errorf("%s: %q taken: %s", tc.lang, cmd, r.Text)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.Text, w) {
					t.Errorf("%s: %q: no %q in %q", tc.lang, cmd, w, r.Text)
				}
			}
			for _, bad := range []string{": .", "si .", "when .", " : ."} {
				if strings.Contains(r.Text, bad) {
					t.Errorf("%s: %q: empty reason in %q", tc.lang, cmd, r.Text)
				}
			}
		}
		r := h.do(tc.detail)
		if r.Error || r.Message == nil {
			t.Fatalf("%s: %q refused: %s", tc.lang, tc.detail, r.Text)
		}
		text := render(*r.Message)
		for _, w := range []string{"nis2-alerte-precoce", "nis2", "--nis2"} {
			if !strings.Contains(text, w) {
				t.Errorf("%s: %q: no %q in\n%s", tc.lang, tc.detail, w, text)
			}
		}
		if len(bottestButtons(*r.Message)) != 0 {
			t.Errorf("%s: %q offers buttons for a step switched off: %v", tc.lang, tc.detail, bottestButtons(*r.Message))
		}
	}
}

// TestDetailQuestionButtons: "detail Qn" offers the answers the card
// offers: not the one already given.
func TestDetailQuestionButtons(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	h.ok("ouvrir Test")
	h.ok("repondre malicious inconnu")
	r := h.ok("detail malicious")
	got := bottestButtons(*r.Message)
	inc := h.incident("2026-0001")
	card := bottestButtons(h.chat.Message(inc.Messages[bot.RoleCard]))
	var want []string
	for _, b := range card {
		if strings.Contains(b, "malicious") {
			want = append(want, b)
		}
	}
	if len(want) != 2 || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("detail offers %q, the card %q", got, want)
	}
}
