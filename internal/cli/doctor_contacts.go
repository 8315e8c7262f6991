package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/flows/builtin"
	"github.com/vigie-sante/vigie/internal/config"
)

// This file holds the contacts check of vigie doctor: the regional contacts
// the national chains take from where Vigie runs (region.go). The ARS is
// required: its step is due at once, and when the portal is down the
// arrêté of 30/10/2017 has the ARS reached "par tout moyen", that is by
// phone. A regional CSIRT is help Vigie offers where it knows one.

// requiredContacts are the regional contacts a deployment must give, with
// the kinds of means each needs: the ARS by e-mail and, without internet,
// by phone.
var requiredContacts = map[string][]string{"ars": {"email", "phone"}}

// contacts checks the regional contacts of the chains a structure of this
// deployment may follow: organisation.chain, else every chain the
// structure picker offers.
func (d *doctor) contacts(cfg *config.Config) {
	const name = "contacts"
	set, ok := d.settings(name, cfg)
	if !ok {
		return
	}
	cat, t := set.cat, d.now()
	chains := cat.Structures(t)
	if id := cfg.Organisation.Chain; id != "" {
		c, err := cat.Current(id, t)
		if err != nil {
			d.skip(name, "not checked: "+err.Error())
			return
		}
		chains = []*flows.Chain{c}
	}
	where := "no region (region:)"
	if r := cat.Region(); r != "" {
		where = "region " + r
		switch {
		case cfg.Region == "":
			where += " (that of organisation.chain)"
		case !shipsContacts(cat, r):
			where += " (Vigie ships no contacts for it)"
		}
	}
	// What each regional contact is bound to, from the first chain using it.
	bound := map[string]*flows.Contact{}
	var order []string
	for _, c := range chains {
		for _, id := range c.Regional {
			for _, s := range c.Steps {
				for _, r := range s.Recipients {
					if bound[id] == nil && contactFor(c, r.Contact, id) {
						bound[id] = r.Contact
						order = append(order, id)
					}
				}
			}
		}
	}
	if len(order) == 0 {
		d.ok(name, "%s; the chain %s goes to its region's own contacts", where, chainsOf(chains))
		return
	}
	slices.Sort(order)
	var found, todo []string
	for _, id := range order {
		ct := bound[id]
		kinds := requiredContacts[id]
		if ct.Scope == flows.ScopeNational {
			if kinds == nil {
				found = append(found, fmt.Sprintf("%s: none for this region, the chains name « %s » (optional: contacts.%s)", id, ct.Name.In(d.g.lang()), id))
				continue
			}
			found = append(found, fmt.Sprintf("%s: none, the chains name « %s » without an address", id, ct.Name.In(d.g.lang())))
			todo = append(todo, fmt.Sprintf("contacts.%s.%s", id, strings.Join(kinds, " and contacts."+id+".")))
			continue
		}
		var missing []string
		for _, k := range kinds {
			if !slices.ContainsFunc(ct.Means, func(m flows.Means) bool { return m.Kind == k }) {
				missing = append(missing, k)
			}
		}
		found = append(found, fmt.Sprintf("%s: %s — %s (%s)", id, ct.Name.In(d.g.lang()), meansList(ct), contactOrigin(ct)))
		if len(missing) > 0 {
			found[len(found)-1] += ", without " + strings.Join(missing, " nor ")
			todo = append(todo, "contacts."+id+"."+strings.Join(missing, " and contacts."+id+"."))
		}
	}
	if len(todo) > 0 {
		add := "add " + strings.Join(todo, ", ") + " to the configuration (the alert address of your ARS and its 24/7 number, from the ARS's website)"
		if cat.Region() == "" {
			add = "set region: to your ARS's region; Vigie ships the ARS's contacts of " + strings.Join(arsRegions(cat), ", ") + "; for another, also " + add
		}
		d.fail(name, where+"; "+strings.Join(found, "; "), add+"; then run vigie doctor again")
		return
	}
	d.ok(name, "%s; %s", where, strings.Join(found, "; "))
}

// arsRegions are the regions Vigie ships an ARS contact for.
func arsRegions(cat *flows.Catalog) []string {
	var out []string
	for _, s := range cat.Scopes() {
		if cat.RegionContact(s, "ars") != nil {
			out = append(out, s)
		}
	}
	return out
}

// contactFor reports whether ct, a recipient of c, is what c's regional
// contact id is bound to.
func contactFor(c *flows.Chain, ct *flows.Contact, id string) bool {
	if ct.Scope == flows.ScopeNational {
		return c.StandIn(ct) && ct.ID == id
	}
	return ct.ID == id || ct.Role == id
}

func chainsOf(cs []*flows.Chain) string {
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return strings.Join(ids, ", ")
}

func meansList(ct *flows.Contact) string {
	var vs []string
	for _, m := range ct.Means {
		vs = append(vs, m.Address())
	}
	return strings.Join(vs, ", ")
}

// contactOrigin says where a bound contact comes from.
func contactOrigin(ct *flows.Contact) string {
	switch {
	case ct.Scope == flows.ScopeDeployment:
		return "from the configuration"
	case !ct.Checked.IsZero():
		return "shipped with Vigie, checked " + dayOf(ct.Checked)
	default:
		return "shipped with Vigie"
	}
}

// settings are the deployment's settings as serve makes them, for the
// check name; false, the check said why it was skipped.
func (d *doctor) settings(name string, cfg *config.Config) (*settings, bool) {
	if cfg == nil {
		d.skip(name, "not checked: the configuration does not load")
		return nil, false
	}
	base, err := builtin.Catalog()
	if err != nil {
		d.skip(name, "not checked: the chains do not load")
		return nil, false
	}
	set, err := checkSettings(cfg, base)
	if err != nil {
		d.skip(name, "not checked: the configuration does not check")
		return nil, false
	}
	return set, true
}
