package config

import (
	"fmt"
	"regexp"
	"strings"
)

// Contacts are the regional contacts a deployment gives itself: its ARS's
// alert address and number (the national chains' ARS step; the arrêté of
// 30/10/2017 has the ARS reached "par tout moyen" when the portal is
// down), its regional CSIRT.
type Contacts struct {
	ARS   *Contact `yaml:"ars,omitempty" env:"ARS"`
	CSIRT *Contact `yaml:"csirt,omitempty" env:"CSIRT"`
}

// Contact is one regional contact: an e-mail address, a phone number, and
// the name shown (default: the one Vigie ships, else a generic one). Each
// replaces the one of its kind Vigie ships; the others stay.
type Contact struct {
	Name  string `yaml:"name,omitempty" env:"NAME"`
	Email string `yaml:"email,omitempty" env:"EMAIL"`
	Phone string `yaml:"phone,omitempty" env:"PHONE"`
}

// Regions are the regions of the ARS (one agency each), as region: takes
// them.
var Regions = []string{
	"auvergne-rhone-alpes", "bourgogne-franche-comte", "bretagne", "centre-val-de-loire", "corse",
	"grand-est", "guadeloupe", "guyane", "hauts-de-france", "ile-de-france", "la-reunion",
	"martinique", "mayotte", "normandie", "nouvelle-aquitaine", "occitanie", "pays-de-la-loire",
	"provence-alpes-cote-d-azur",
}

var (
	emailPattern = regexp.MustCompile(`^[^\s@<>"':;,]+@[^\s@<>"':;,]+\.[^\s@<>"':;,]+$`)
	phonePattern = regexp.MustCompile(`^\+?[0-9]([0-9 .]*[0-9])?$`)
)

// validate names the first key of c at fault (contacts.ars…).
func (c *Contact) validate(key string) error {
	bad := func(sub, format string, args ...any) error {
		return fmt.Errorf("config: %s%s: %s", key, sub, fmt.Sprintf(format, args...))
	}
	if c.Email == "" && c.Phone == "" {
		return bad("", "give email, phone or both (e.g. email: ars35-alerte@ars.sante.fr, phone: \"0 800 00 00 00\")")
	}
	if c.Email != "" {
		if strings.HasPrefix(strings.ToLower(c.Email), "mailto:") {
			return bad(".email", "%q: write the plain address, not a mailto: link", c.Email)
		}
		if !emailPattern.MatchString(c.Email) {
			return bad(".email", "%q is not an e-mail address (e.g. ars35-alerte@ars.sante.fr)", c.Email)
		}
	}
	if c.Phone != "" && !phonePattern.MatchString(c.Phone) {
		return bad(".phone", "%q is not a phone number (digits, spaces or dots, e.g. \"0 800 00 00 00\")", c.Phone)
	}
	if len([]rune(c.Name)) > 120 || strings.ContainsFunc(c.Name, func(r rune) bool { return r < ' ' }) {
		return bad(".name", "%q: one line of at most 120 characters", c.Name)
	}
	return nil
}
