package cli

import (
	"strings"
	"testing"
)

// TestFlowsReadTheConfiguration: vigie flows show, eval and graph read
// --config as the other commands do, so that a national chain shows the
// ARS and CSIRT of the deployment's region (region:) and its own contacts
// (contacts:), not the generic "ARS concernée"; without a configuration
// they show the chain as shipped.
func TestFlowsReadTheConfiguration(t *testing.T) {
	useTestClock(t)
	region := writeConfig(t, "region: pays-de-la-loire\n")
	own := writeConfig(t, "region: bretagne\ncontacts:\n  ars: {name: \"ARS Bretagne (point focal régional)\", email: ars-alerte@example.org, phone: \"09 00 00 00 00\"}\n")
	for _, tc := range []struct {
		name string
		args []string
		want []string
	}{
		{"show, region", []string{"--config", region, "flows", "show", "national/es-esms"},
			[]string{"ARS Pays de la Loire (point focal régional)", "ars44-alerte@ars.sante.fr", "0 800 277 303"}},
		{"eval, region", []string{"--config", region, "flows", "eval", "national/es-esms", "malicious=non"},
			[]string{"ARS Pays de la Loire (point focal régional)", "ars44-alerte@ars.sante.fr"}},
		{"eval, --config after the subcommand", []string{"flows", "eval", "national/ose", "--config", region},
			[]string{"ars44-alerte@ars.sante.fr"}},
		{"show, own contacts", []string{"--config", own, "flows", "show", "national/ose"},
			[]string{"ARS Bretagne (point focal régional)", "ars-alerte@example.org", "09 00 00 00 00"}},
		{"graph, region", []string{"--config", region, "flows", "graph", "national/es-esms"},
			[]string{"ARS Pays de la Loire"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := mustRun(t, tc.args...)
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("vigie %s lacks %q:\n%s", strings.Join(tc.args, " "), w, out)
				}
			}
			if strings.Contains(out, "ARS concernée") {
				t.Errorf("vigie %s shows the generic ARS:\n%s", strings.Join(tc.args, " "), out)
			}
		})
	}
	if out := mustRun(t, "flows", "show", "national/es-esms"); !strings.Contains(out, "ARS concernée") || strings.Contains(out, "ars44-alerte") {
		t.Errorf("without --config, flows show is not the chain as shipped:\n%s", out)
	}
	// A configuration that does not load is an error, as for vigie fiche.
	bad := writeConfig(t, "region: [\n")
	if code, _, errs := runCLI(t, "--config", bad, "flows", "show", "national/es-esms"); code == ExitOK || errs == "" {
		t.Errorf("a broken --config: exit %d, stderr %q", code, errs)
	}
}
