package bot_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/bot"
)

// TestComplete: Tab offers the verbs in both languages, then the step and
// question keys of the channel's incident, the values and the options.
func TestComplete(t *testing.T) {
	h := newHarness(t, bot.Config{Chain: "nouvelle-aquitaine/es-esms"})
	complete := func(line string, lang bot.Lang) []string {
		return h.bot.Complete(context.Background(), "crise", line, lang)
	}
	// Before any incident: verbs only.
	if got := complete("fait ", ""); len(got) != 0 {
		t.Errorf("no incident, yet step keys %q", got)
	}
	h.ok("ouvrir Rançongiciel")
	h.now = t0.Add(10 * time.Minute)
	h.ok("repondre malicious oui")
	h.ok("fait ars via=email")
	for _, tc := range []struct {
		line string
		lang bot.Lang
		want []string
	}{
		{"", "", nil}, // checked below: every verb
		{"s", "", []string{"statut", "sans-objet", "status", "snooze"}},
		{"R", "", []string{"repondre", "rappel", "role", "releve"}},
		{"fait ", "", []string{"cert-sante", "police-gendarmerie", "resolution"}},
		{"fait p", "", []string{"police-gendarmerie"}},
		{"#2026-0001 fait c", "", []string{"cert-sante"}},
		{"fait cert-sante v", "", []string{"via="}},
		{"fait cert-sante via=", "", []string{"via=portail", "via=email", "via=telephone", "via=courrier", "via=autre"}},
		{"fait cert-sante via=t", "", []string{"via=telephone"}},
		{"repondre ", "", []string{"capacity_impact", "insured", "personal_data_breach", "esms", "malicious"}},
		{"repondre insured ", "", []string{"oui", "non", "inconnu"}},
		{"answer insured ", "en", []string{"yes", "no", "unknown"}},
		{"detail c", "", []string{"cert-sante", "cnil", "capacity_impact", "crisis_plan"}},
		{"detail q", "", []string{"Q1", "Q2", "Q3", "Q4", "Q5", "Q6", "Q7", "Q8", "Q9", "Q10"}},
		{"detail Q1", "", []string{"Q1", "Q10"}},
		{"detail r", "", []string{"ror", "registre-violations", "resolution"}},
		{"exporter p", "", []string{"pdf"}},
		{"message ", "", []string{"direction", "ars", "personnel", "presse"}},
		{"message p", "", []string{"personnel", "presse"}},
		{"message ", "en", []string{"management", "ars", "staff", "press"}},
		{"clore ", "", []string{"confirmer"}},
		{"close ", "en", []string{"confirm"}},
		{"note PACS ", "", nil},
	} {
		got := complete(tc.line, tc.lang)
		if tc.line == "" {
			if !slices.Contains(got, "ouvrir") || !slices.Contains(got, "open") || !slices.Contains(got, "sans-objet") || !slices.Contains(got, "na") {
				t.Errorf("first word: %q, want the verbs in French and English", got)
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestLooksLikeCommand(t *testing.T) {
	for line, want := range map[string]bool{
		"sans-objet plan-crise-ars ARS informée": true,
		"#2026-0001 fait ror via=email":          true,
		"Statut":                                 true,
		"ARS informée par téléphone":             false,
		"":                                       false,
		"notes prises":                           false,
	} {
		if got := bot.LooksLikeCommand(line); got != want {
			t.Errorf("%q: %v, want %v", line, got, want)
		}
	}
}
