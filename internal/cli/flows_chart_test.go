package cli

import (
	"strings"
	"testing"
)

// TestFlowsNationalWording: a national chain built from the texts has no
// chart, so `flows show`, `flows eval` and `flows graph` mark nothing of
// it "hors schéma" and print no legend for the mark: each item cites its
// text. The regional charts keep their marks; the 2016 authorities'
// chains, which transcribe article D1111-16-3, mark what is not in that
// text, in words that do not call it a regional chart.
func TestFlowsNationalWording(t *testing.T) {
	useTestClock(t)
	for _, tc := range []struct {
		args    []string
		without []string
		with    []string
	}{
		{[]string{"flows", "show", "national/es-esms"}, []string{"hors schéma", " *\n", "* :"}, []string{"Source : Code pénal, art. 323-1"}},
		{[]string{"flows", "eval", "national/ose", "malicious=oui"}, []string{"hors schéma", " *\n"}, []string{"Source : CSP art. D1111-16-3 I"}},
		{[]string{"flows", "graph", "national/ps-liberal"}, []string{" *\""}, nil},
		{[]string{"--lang", "en", "flows", "show", "national/ose"}, []string{"not on the chart", " *\n", "*:"}, nil},
		{[]string{"flows", "show", "nouvelle-aquitaine/es-esms"}, nil, []string{"* hors schéma : ", "* : hors du schéma d'alerte source"}},
		{[]string{"flows", "show", "national/gip", "--version", "2016-09.1"}, []string{"hors schéma", "schéma d'alerte"}, []string{"* hors du texte source : ", "texte source de la chaîne"}},
	} {
		out := mustRun(t, tc.args...)
		for _, w := range tc.without {
			if strings.Contains(out, w) {
				t.Errorf("vigie %s shows %q:\n%s", strings.Join(tc.args, " "), w, out)
			}
		}
		for _, w := range tc.with {
			if !strings.Contains(out, w) {
				t.Errorf("vigie %s lacks %q:\n%s", strings.Join(tc.args, " "), w, out)
			}
		}
	}
}
