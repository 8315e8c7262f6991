package cli

import (
	"fmt"
	"strings"

	"github.com/vigie-sante/vigie/flows"
	"github.com/vigie-sante/vigie/internal/config"
)

// This file turns the configuration's region: and contacts: into the
// deployment the chains are bound to (flows/deploy.go): the national
// chains' ARS and regional CSIRT come from the contacts file Vigie ships
// for the region, overridden or completed by the configuration's own.

// configContacts are the configuration keys of the regional contacts, by
// the id the chains know them under.
func configContacts(cfg *config.Config) map[string]*config.Contact {
	return map[string]*config.Contact{"ars": cfg.Contacts.ARS, "csirt": cfg.Contacts.CSIRT}
}

// deployment returns where cfg deploys Vigie: region:, else the region of
// organisation.chain; and the contacts the configuration gives.
func deployment(cfg *config.Config, cat *flows.Catalog) (flows.Deployment, error) {
	d := flows.Deployment{Region: cfg.Region}
	if id := cfg.Organisation.Chain; id != "" {
		if c, err := cat.Current(id, now()); err == nil && c.Region != "" {
			switch {
			case d.Region == "":
				d.Region = c.Region
			case d.Region != c.Region:
				return d, fmt.Errorf("config: region: %q, but organisation.chain %s is the chain of region %s: set one region for both", d.Region, id, c.Region)
			}
		}
	}
	for id, cc := range configContacts(cfg) {
		if cc == nil {
			continue
		}
		if d.Contacts == nil {
			d.Contacts = map[string]*flows.Contact{}
		}
		d.Contacts[id] = configContact(id, cc)
	}
	return d, nil
}

// configContact is the contact the configuration gives for id, as the
// chains show it: its name, its e-mail and its phone, the phone of the ARS
// being the way to reach it when the portal and e-mail are down.
func configContact(id string, cc *config.Contact) *flows.Contact {
	ct := &flows.Contact{Source: flows.Text{
		FR: fmt.Sprintf("Configuration de ce déploiement de Vigie (contacts.%s)", id),
		EN: fmt.Sprintf("Configuration of this Vigie deployment (contacts.%s)", id)}}
	if cc.Name != "" {
		ct.Name = flows.Text{FR: cc.Name, EN: cc.Name}
	}
	if cc.Email != "" {
		ct.Means = append(ct.Means, flows.Means{Kind: "email", Value: flows.Text{FR: cc.Email},
			Label: flows.Text{FR: "donné par la configuration", EN: "given by the configuration"}})
	}
	if cc.Phone != "" {
		m := flows.Means{Kind: "phone", Value: flows.Text{FR: strings.ReplaceAll(cc.Phone, ".", " ")},
			Label: flows.Text{FR: "donné par la configuration", EN: "given by the configuration"}}
		if id == "ars" {
			m.Fallback = true
			m.Label = flows.Text{FR: "donné par la configuration ; sans portail ni messagerie", EN: "given by the configuration; when the portal and e-mail are down"}
		}
		ct.Means = append(ct.Means, m)
	}
	return ct
}

// deploy returns cat as cfg deploys it, with errors naming the key.
func deploy(cfg *config.Config, cat *flows.Catalog) (*flows.Catalog, error) {
	d, err := deployment(cfg, cat)
	if err != nil {
		return nil, err
	}
	dc, err := cat.Deploy(d)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return dc, nil
}

// shipsContacts reports whether Vigie ships a contacts file for region.
func shipsContacts(cat *flows.Catalog, region string) bool {
	for _, s := range cat.Scopes() {
		if s == region && s != flows.ScopeNational {
			return true
		}
	}
	return false
}
