package cli

import (
	"strings"
	"testing"
)

// TestFlowsFrenchWords: flows show and flows eval, in French, write the
// answers as one types them in French (oui, non, inconnu) and dates as
// dd/mm/yyyy; in English, yes/no/unknown and ISO dates.
func TestFlowsFrenchWords(t *testing.T) {
	for _, tc := range []struct {
		args      []string
		want, not []string
	}{
		{[]string{"flows", "show", "national/es-esms"},
			[]string{"Réponses : oui, non, inconnu", "Posée : capacity_impact = oui", "Condition : esms = oui et esms_serious_dysfunction = oui",
				"en vigueur depuis le 24/04/2023", "Coordonnées vérifiées le 06/12/2026"},
			[]string{"yes", "= no\n", "unknown", "2023-04-24", "2026-12-06"}},
		{[]string{"flows", "eval", "nouvelle-aquitaine/es-esms", "personal_data_breach=oui", "high_risk=non"},
			[]string{"écartée par high_risk = non", "Réponses : personal_data_breach = oui, high_risk = non", "Pourquoi : personal_data_breach = oui"},
			[]string{"= yes", "= no\n", "= no,"}},
		{[]string{"--lang", "en", "flows", "show", "national/es-esms"},
			[]string{"Answers: yes, no, unknown", "2023-04-24"}, nil},
	} {
		code, out, stderr := runCLI(t, tc.args...)
		if code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr)
		}
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%v lacks %q", tc.args, w)
			}
		}
		for _, n := range tc.not {
			if strings.Contains(out, n) {
				t.Errorf("%v shows %q", tc.args, n)
			}
		}
	}
}
