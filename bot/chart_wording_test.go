package bot_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
)

// TestStepSourceWording: a step says where it comes from in the words of
// its chain. On a regional chart, a step added by Vigie is "hors schéma
// régional" with its source; a national chain has no chart, so each step
// just cites its source; the 2016 authorities' chains transcribe a text,
// not a regional chart.
func TestStepSourceWording(t *testing.T) {
	for _, tc := range []struct {
		chain, lang, step string
		want, not         []string
	}{
		{"nouvelle-aquitaine/es-esms", "fr", "plainte-assurance",
			[]string{"Hors schéma régional — source : Code des assurances"}, nil},
		{"national/es-esms", "fr", "cert-sante",
			[]string{"Source : CSP art. D1111-16-3 I"}, []string{"schéma"}},
		{"national/ose", "en", "cert-sante",
			[]string{"Source: CSP art. D1111-16-3 I"}, []string{"chart"}},
		{"national/gip", "fr", "resolution",
			nil, []string{"schéma régional"}},
	} {
		cfg := bot.Config{Chain: tc.chain, Lang: bot.Lang(flows.Lang(tc.lang))}
		h := newHarness(t, cfg)
		open, detail := "ouvrir Rançongiciel", "detail "
		if tc.lang == "en" {
			open, detail = "open Ransomware", "detail "
		}
		h.ok(open)
		if tc.chain == "nouvelle-aquitaine/es-esms" {
			h.ok("repondre malicious oui")
			h.ok("repondre insured oui")
		}
		got := strings.Join(lines(h.ok(detail+tc.step).Message), "\n")
		for _, w := range tc.want {
			if !strings.Contains(got, w) {
				t.Errorf("%s %s: detail %s lacks %q:\n%s", tc.chain, tc.lang, tc.step, w, got)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(got, w) {
				t.Errorf("%s %s: detail %s says %q:\n%s", tc.chain, tc.lang, tc.step, w, got)
			}
		}
	}
}
