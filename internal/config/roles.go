package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// Role is one role of the crisis cell as the configuration gives it (roles:
// in the file; there is no environment variable for it). A key of Vigie's
// own roles (RoleKeys) keeps its names and duties unless given here, and
// mostly sets who holds it when an incident opens; a new key adds a role,
// with its names and duties.
type Role struct {
	Key      string `yaml:"key"`
	FR       string `yaml:"fr,omitempty"`        // its name in French
	EN       string `yaml:"en,omitempty"`        // in English (default: the French)
	DutiesFR string `yaml:"duties_fr,omitempty"` // one sentence: what its holder answers for
	DutiesEN string `yaml:"duties_en,omitempty"`
	// Holder holds it from the opening of each incident: @username, or a
	// Slack mention <@U…>.
	Holder string `yaml:"holder,omitempty"`
	// Deputy is its deputy (suppléant) from the opening, written as Holder.
	Deputy string `yaml:"deputy,omitempty"`
}

// RoleKeys are the keys of Vigie's own roles (bot.DefaultRoles, which
// internal/cli holds this list to).
var RoleKeys = []string{"directeur-crise", "rssi", "dsi", "dpo", "communication", "direction-soins", "main-courante"}

var (
	roleKey    = regexp.MustCompile(`^[a-z][a-z0-9-]{1,31}$`)
	roleHolder = regexp.MustCompile(`^(@[\pL\pN._-]{1,64}|<@[A-Z0-9]{2,32}(\|[^<>|]{1,80})?>)$`)
)

// validateRoles names the first role at fault (roles[2].holder…).
func validateRoles(roles []Role) error {
	seen := map[string]bool{}
	for i, r := range roles {
		bad := func(sub, format string, args ...any) error {
			return fmt.Errorf("config: roles[%d]%s: %s", i, sub, fmt.Sprintf(format, args...))
		}
		if !roleKey.MatchString(r.Key) {
			return bad(".key", "%q is not a role key: lower-case letters, digits and dashes, 2 to 32 (e.g. dpo, juridique; Vigie's: %s)", r.Key, strings.Join(RoleKeys, ", "))
		}
		if seen[r.Key] {
			return bad(".key", "%q is given twice", r.Key)
		}
		seen[r.Key] = true
		if !slices.Contains(RoleKeys, r.Key) && (r.FR == "" || r.DutiesFR == "") {
			return bad("", "%q is not one of Vigie's roles (%s): a new role needs fr: (its name) and duties_fr: (what its holder answers for)", r.Key, strings.Join(RoleKeys, ", "))
		}
		for _, f := range []struct {
			key, v string
			max    int
		}{{".fr", r.FR, 60}, {".en", r.EN, 60}, {".duties_fr", r.DutiesFR, 240}, {".duties_en", r.DutiesEN, 240}} {
			if utf8.RuneCountInString(f.v) > f.max || strings.ContainsFunc(f.v, func(c rune) bool { return c < ' ' }) || !utf8.ValidString(f.v) {
				return bad(f.key, "%q: one line of at most %d characters", f.v, f.max)
			}
		}
		for _, h := range []struct{ key, v string }{{".holder", r.Holder}, {".deputy", r.Deputy}} {
			if h.v != "" && !roleHolder.MatchString(h.v) {
				return bad(h.key, "%q names nobody: write @username (e.g. \"@jdupont\", quoted: @ starts no YAML value) or a Slack mention <@U…>", h.v)
			}
		}
	}
	return nil
}

// Declarations says who may record that a step owned by a role was done
// (declarations: in the file). Absent: anyone of the channel.
type Declarations struct {
	// Owner: propose (someone else's "fait" waits for the holder's
	// confirmation) or refuse (it is refused, naming the holder).
	Owner string `yaml:"owner,omitempty"`
	// FourEyes: every declaration waits for a second person's confirmation.
	FourEyes bool `yaml:"four_eyes,omitempty"`
}

func (d Declarations) validate() error {
	if d.Owner != "" && d.Owner != "propose" && d.Owner != "refuse" {
		return fmt.Errorf("config: declarations.owner: %q is not accepted (accepted: propose, refuse; absent: anyone may record a declaration)", d.Owner)
	}
	return nil
}
