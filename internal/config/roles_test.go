package config

import (
	"strings"
	"testing"
)

func TestRoles(t *testing.T) {
	yaml := `roles:
  - key: dpo
    holder: "@jdupont"
  - key: directeur-crise
    holder: "<@U0G9QF9C6|cmoreau>"
  - key: juridique
    fr: Juridique
    en: Legal
    duties_fr: Conseille la direction et prépare la plainte.
declarations:
  owner: propose
  four_eyes: true
`
	c, err := Load(write(t, "c.yaml", yaml), env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Declarations != (Declarations{Owner: "propose", FourEyes: true}) {
		t.Errorf("declarations: %+v", c.Declarations)
	}
	if len(c.Roles) != 3 || c.Roles[0] != (Role{Key: "dpo", Holder: "@jdupont"}) || c.Roles[2].EN != "Legal" {
		t.Fatalf("roles: %+v", c.Roles)
	}
	for _, tc := range []struct{ yaml, want string }{
		{"roles: [{key: DPO}]\n", `roles[0].key: "DPO" is not a role key`},
		{"roles: [{key: dpo}, {key: dpo}]\n", `roles[1].key: "dpo" is given twice`},
		{"roles: [{key: juridique, fr: Juridique}]\n", `roles[0]: "juridique" is not one of Vigie's roles (directeur-crise, rssi, dsi, dpo, communication, direction-soins, main-courante): a new role needs fr: (its name) and duties_fr:`},
		{"roles: [{key: dpo, holder: jdupont}]\n", `roles[0].holder: "jdupont" names nobody: write @username`},
		{"roles: [{key: dpo, fr: " + strings.Repeat("x", 61) + "}]\n", `roles[0].fr: "xxx`},
		{"roles: [{key: dpo, rank: 1}]\n", `unknown field "rank"`},
		{"roles: [{key: dpo, deputy: \"@\"}]\n", `roles[0].deputy: "@" names nobody`},
		{"declarations: {owner: dpo}\n", `declarations.owner: "dpo" is not accepted (accepted: propose, refuse`},
		{"declarations: {four_eyes: maybe}\n", `line 1: cannot unmarshal string`},
	} {
		_, err := Load(write(t, "c.yaml", tc.yaml), env(nil))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
}
