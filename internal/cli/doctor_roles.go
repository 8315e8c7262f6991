package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/config"
)

// roles checks that every step's owner in the chains in force is one of
// the deployment's roles (a step whose owner no role has calls the
// channel), and says who holds what from each opening and who may record
// a declaration.
func (d *doctor) roles(cfg *config.Config) {
	const name = "roles"
	if cfg == nil {
		d.skip(name, "not checked: the configuration does not load")
		return
	}
	base, err := builtin.Catalog()
	if err != nil {
		d.skip(name, "not checked: the chains do not load")
		return
	}
	set, err := checkSettings(cfg, base)
	if err != nil {
		d.skip(name, "not checked: the configuration does not check")
		return
	}
	roles := rolesOf(cfg)
	if roles == nil {
		roles = bot.DefaultRoles
	}
	keys := make([]string, len(roles))
	for i, r := range roles {
		keys[i] = r.Key
	}
	chains := set.cat.Structures(d.now())
	if id := cfg.Organisation.Chain; id != "" {
		if c, err := set.cat.Current(id, d.now()); err == nil {
			chains = []*flows.Chain{c}
		}
	}
	var missing []string
	for _, c := range chains {
		for _, s := range c.Steps {
			if s.Owner != "" && !slices.Contains(keys, s.Owner) {
				missing = append(missing, fmt.Sprintf("%s step %s is owned by role %q", c.ID, s.ID, s.Owner))
			}
		}
	}
	if len(missing) > 0 {
		d.fail(name, strings.Join(missing, "; ")+", which the deployment's roles lack: its reminders call the channel",
			"add the role under roles: (key, fr, duties_fr), or correct the chain's owner:")
		return
	}
	var held []string
	for _, r := range roles {
		if r.Holder != "" {
			held = append(held, r.Key+" "+r.Holder)
		}
		if r.Deputy != "" {
			held = append(held, r.Key+" deputy "+r.Deputy)
		}
	}
	from := "nobody holds a role when an incident opens (role ROLE takes one)"
	if len(held) > 0 {
		from = "from each opening: " + strings.Join(held, ", ")
	}
	who := "anyone of the channel records a declaration"
	switch d := cfg.Declarations; {
	case d.Owner == bot.OwnerPropose:
		who = "someone else's declaration of a step waits for its owner's confirmation"
	case d.Owner == bot.OwnerRefuse:
		who = "only a step's owner records its declaration"
	}
	if cfg.Declarations.FourEyes {
		who += "; four eyes: a second person confirms each declaration"
	}
	d.ok(name, "%d roles (%s); every step's owner is one of them; %s; %s", len(roles), strings.Join(keys, ", "), from, who)
}
