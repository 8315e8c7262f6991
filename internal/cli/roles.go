package cli

import (
	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/config"
)

// rolesOf are the crisis cell's roles of a deployment: Vigie's own, in
// their order, each with what the configuration gives it (names, duties,
// a holder at opening), then the configuration's own roles in its order.
func rolesOf(cfg *config.Config) []bot.Role {
	if len(cfg.Roles) == 0 {
		return nil // bot.DefaultRoles
	}
	given := map[string]config.Role{}
	for _, r := range cfg.Roles {
		given[r.Key] = r
	}
	over := func(def bot.Role, c config.Role) bot.Role {
		def.Name = text(def.Name, c.FR, c.EN)
		def.Duties = text(def.Duties, c.DutiesFR, c.DutiesEN)
		def.Holder, def.Deputy = c.Holder, c.Deputy
		return def
	}
	var out []bot.Role
	for _, def := range bot.DefaultRoles {
		if c, ok := given[def.Key]; ok {
			def = over(def, c)
		}
		out = append(out, def)
	}
	for _, c := range cfg.Roles {
		if isDefaultRole(c.Key) {
			continue
		}
		out = append(out, over(bot.Role{Key: c.Key}, c))
	}
	return out
}

// text is t with what the configuration gives over it; a French name
// alone serves in English too.
func text(t flows.Text, fr, en string) flows.Text {
	if fr != "" {
		t.FR = fr
		if en == "" {
			t.EN = fr
		}
	}
	if en != "" {
		t.EN = en
	}
	return t
}

func isDefaultRole(key string) bool {
	for _, r := range bot.DefaultRoles {
		if r.Key == key {
			return true
		}
	}
	return false
}

// declarationsOf is who may record a declaration, as configured.
func declarationsOf(cfg *config.Config) bot.Declarations {
	return bot.Declarations{Owner: cfg.Declarations.Owner, FourEyes: cfg.Declarations.FourEyes}
}
