package cli

import (
	"slices"
	"testing"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/internal/config"
)

// TestRoleKeys: the configuration knows Vigie's own roles by the keys the
// bot gives them.
func TestRoleKeys(t *testing.T) {
	var keys []string
	for _, r := range bot.DefaultRoles {
		keys = append(keys, r.Key)
	}
	if !slices.Equal(keys, config.RoleKeys) {
		t.Fatalf("bot.DefaultRoles %v, config.RoleKeys %v", keys, config.RoleKeys)
	}
}

func TestRolesOf(t *testing.T) {
	if got := rolesOf(&config.Config{}); got != nil {
		t.Fatalf("no roles configured: %v, want nil (the defaults)", got)
	}
	got := rolesOf(&config.Config{Roles: []config.Role{
		{Key: "juridique", FR: "Juridique", DutiesFR: "Prépare la plainte.", Holder: "@avocat"},
		{Key: "dpo", Holder: "@jdupont", EN: "Data protection officer"},
	}})
	if len(got) != len(bot.DefaultRoles)+1 {
		t.Fatalf("%d roles: %+v", len(got), got)
	}
	dpo, legal := got[3], got[len(got)-1]
	if dpo.Key != "dpo" || dpo.Holder != "@jdupont" || dpo.Name.FR != "DPO" || dpo.Name.EN != "Data protection officer" || dpo.Duties != bot.DefaultRoles[3].Duties || len(dpo.Aliases) == 0 {
		t.Errorf("dpo: %+v", dpo)
	}
	if legal.Key != "juridique" || legal.Name.EN != "Juridique" || legal.Duties.FR != "Prépare la plainte." || legal.Holder != "@avocat" {
		t.Errorf("juridique: %+v", legal)
	}
}
