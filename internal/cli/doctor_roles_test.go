package cli

import (
	"strings"
	"testing"
)

func TestDoctorRoles(t *testing.T) {
	yaml := "organisation: {chain: nouvelle-aquitaine/es-esms}\nroles: [{key: dpo, holder: \"@jdupont\", deputy: \"@amartin\"}]\ndeclarations: {owner: propose, four_eyes: true}\n"
	_, out, _ := runDoctor(t, readyDir(t), yaml)
	want := "✓ roles: 7 roles (directeur-crise, rssi, dsi, dpo, communication, direction-soins, main-courante); every step's owner is one of them; " +
		"from each opening: dpo @jdupont, dpo deputy @amartin; someone else's declaration of a step waits for its owner's confirmation; four eyes: a second person confirms each declaration"
	if !strings.Contains(out, want) {
		t.Errorf("doctor lacks\n%s\nin:\n%s", want, out)
	}
	// No configuration file: the defaults, and nobody holds a role.
	_, out, _ = runDoctor(t, readyDir(t), "")
	if !strings.Contains(out, "✓ roles: 7 roles (") || !strings.Contains(out, "nobody holds a role when an incident opens (role ROLE takes one); anyone of the channel records a declaration") {
		t.Errorf("doctor without configuration:\n%s", out)
	}
}
