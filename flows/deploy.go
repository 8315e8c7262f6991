package flows

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// This file binds the national chains to where Vigie runs. A chain with
// `regional: [ars, csirt]` goes to contacts that differ by region: the
// ARS's alert address and number, the regional CSIRT. Compiled, those steps
// name the national stand-ins ("the ARS concerned"), which say what to
// look for but give no address. Deploy binds them to the deployment's
// region (its contacts file) and to the contacts its configuration gives.

// ScopeDeployment is the scope of the contacts a deployment's
// configuration gives.
const ScopeDeployment = "configuration"

// Deployment is where Vigie runs.
type Deployment struct {
	// Region is the deployment's region, a contacts scope such as
	// auvergne-rhone-alpes; "" for none. A region with no contacts file is
	// accepted: the national chains keep their stand-ins there, unless
	// Contacts gives them.
	Region string
	// Contacts are the deployment's own, by the id of the regional contact
	// each stands for (ars, csirt). One replaces, kind by kind, the means of
	// the region's contact (every means of the national stand-in), and its
	// name when it has one; its Scope is set to ScopeDeployment.
	Contacts map[string]*Contact
}

// Deploy returns the catalog as a deployment sees it: the national chains'
// regional contacts bound to d, and the structure picker offering the
// chains of d's region and the national ones only (every chain when d has
// no region). The receiver is not changed; deploying a deployed catalog
// starts again from the compiled one.
func (c *Catalog) Deploy(d Deployment) (*Catalog, error) {
	base := c
	if c.base != nil {
		base = c.base
	}
	if d.Region != "" && (d.Region == ScopeNational || !idPattern.MatchString(d.Region)) {
		return nil, fmt.Errorf("bad region %q (accepted: a region id such as auvergne-rhone-alpes)", d.Region)
	}
	slots := base.Regional()
	keys := make([]string, 0, len(d.Contacts))
	for k := range d.Contacts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		o := d.Contacts[k]
		if !slices.Contains(slots, k) {
			return nil, fmt.Errorf("contact %q: no chain takes it from the deployment (accepted: %s)", k, strings.Join(slots, ", "))
		}
		if o == nil || len(o.Means) == 0 {
			return nil, fmt.Errorf("contact %q: no means of reaching it", k)
		}
	}
	bound := map[string]*Contact{}
	for _, slot := range slots {
		bound[slot] = base.bind(d, slot)
	}
	out := &Catalog{versions: map[string][]*Chain{}, contacts: base.contacts, ids: base.ids, base: base, region: d.Region, warnings: base.warnings}
	for id, vs := range base.versions {
		nvs := make([]*Chain, len(vs))
		for i, v := range vs {
			nvs[i] = v.bind(bound)
		}
		out.versions[id] = nvs
	}
	return out, nil
}

// Region is the region the catalog was deployed in, "" when none.
func (c *Catalog) Region() string { return c.region }

// Regional returns the ids of the contacts the chains take from the
// deployment, sorted.
func (c *Catalog) Regional() []string {
	var out []string
	for _, vs := range c.versions {
		for _, v := range vs {
			for _, id := range v.Regional {
				if !slices.Contains(out, id) {
					out = append(out, id)
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// RegionContact returns the contact of region that stands for the
// regional contact id: the region's contact with that id, else the one
// whose role it is; nil when the region has none.
func (c *Catalog) RegionContact(region, id string) *Contact {
	if region == "" || region == ScopeNational {
		return nil
	}
	if ct := c.contacts[region][id]; ct != nil {
		return ct
	}
	for _, ct := range c.contacts[region] {
		if ct.Role == id {
			return ct
		}
	}
	return nil
}

// bind returns the contact a deployment uses for the regional contact
// slot: the configuration's over the region's over the national stand-in.
func (c *Catalog) bind(d Deployment, slot string) *Contact {
	base := c.contacts[ScopeNational][slot]
	if ct := c.RegionContact(d.Region, slot); ct != nil {
		base = ct
	}
	o := d.Contacts[slot]
	if o == nil {
		return base
	}
	out := &Contact{ID: base.ID, Scope: ScopeDeployment, Role: slot, Name: base.Name, About: base.About, Source: o.Source, Checked: o.Checked}
	if !o.Name.IsZero() {
		out.Name = o.Name
	}
	// The configuration's means take the place of the region's of the
	// same kind; the region's other kinds stay, with their source. The
	// stand-in's means are words, not an address: none stays.
	given := map[string]bool{}
	for _, m := range o.Means {
		given[m.Kind] = true
	}
	placed := map[string]bool{}
	if base.Scope != ScopeNational {
		for _, m := range base.Means {
			if !given[m.Kind] {
				if m.Source.IsZero() {
					m.Source = base.Source
				}
				out.Means = append(out.Means, m)
				continue
			}
			if !placed[m.Kind] {
				placed[m.Kind] = true
				for _, om := range o.Means {
					if om.Kind == m.Kind {
						out.Means = append(out.Means, om)
					}
				}
			}
		}
	}
	for _, om := range o.Means {
		if !placed[om.Kind] {
			out.Means = append(out.Means, om)
		}
	}
	return out
}

// bind returns ch with the recipients that are stand-ins of its regional
// contacts replaced by bound's; ch itself when it has none.
func (ch *Chain) bind(bound map[string]*Contact) *Chain {
	if len(ch.Regional) == 0 {
		return ch
	}
	nc := *ch
	nc.Steps = make([]*Step, len(ch.Steps))
	nc.steps = make(map[string]*Step, len(ch.steps))
	for i, s := range ch.Steps {
		ns := s
		for j, r := range s.Recipients {
			if !ch.StandIn(r.Contact) {
				continue
			}
			if ns == s {
				cp := *s
				cp.Recipients = slices.Clone(s.Recipients)
				ns = &cp
			}
			ct := bound[r.Contact.ID]
			ns.Recipients[j] = Recipient{Contact: ct, Means: ct.Means}
		}
		nc.Steps[i] = ns
		nc.steps[ns.ID] = ns
	}
	return &nc
}

// StandIn reports whether ct is the national stand-in of one of the
// chain's regional contacts: a chain still showing it tells "the ARS
// concerned" without an address, and the deployment should give one.
func (ch *Chain) StandIn(ct *Contact) bool {
	return ct != nil && ct.Scope == ScopeNational && slices.Contains(ch.Regional, ct.ID)
}

// StandIns returns the stand-ins the chain's steps still go to, in the
// order of its regional list.
func (ch *Chain) StandIns() []*Contact {
	var out []*Contact
	for _, id := range ch.Regional {
	steps:
		for _, s := range ch.Steps {
			for _, r := range s.Recipients {
				if r.Contact.ID == id && ch.StandIn(r.Contact) {
					out = append(out, r.Contact)
					break steps
				}
			}
		}
	}
	return out
}
