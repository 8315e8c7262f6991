package config

import (
	"strings"
	"testing"
)

// TestRegionAndContacts: region: takes the ARS regions only; contacts.ars
// and contacts.csirt take an e-mail address, a phone number, a name, from
// the file or the VIGIE_CONTACTS_* variables, and errors name the key.
func TestRegionAndContacts(t *testing.T) {
	c, err := Load(write(t, "vigie.yaml", `
region: bretagne
contacts:
  ars: {name: "ARS Bretagne (point focal)", email: ars-alerte@example.org, phone: "0 800 00 00 00"}
`), env(map[string]string{"VIGIE_CONTACTS_CSIRT_PHONE": "0 800 11 11 11"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Region != "bretagne" || c.Contacts.ARS == nil || c.Contacts.ARS.Email != "ars-alerte@example.org" || c.Contacts.ARS.Phone != "0 800 00 00 00" ||
		c.Contacts.CSIRT == nil || c.Contacts.CSIRT.Phone != "0 800 11 11 11" {
		t.Fatalf("config %+v, contacts %+v %+v", c, c.Contacts.ARS, c.Contacts.CSIRT)
	}
	if out := c.Masked(); !strings.Contains(out, "region: bretagne") || !strings.Contains(out, "ars-alerte@example.org") {
		t.Errorf("config check does not show the region and contacts:\n%s", out)
	}
	// Left out, they stay out of config check.
	c, err = Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if out := c.Masked(); strings.Contains(out, "region") || strings.Contains(out, "contacts") {
		t.Errorf("config check shows unset keys:\n%s", out)
	}
	c, err = Load("", env(map[string]string{"VIGIE_REGION": "ile-de-france", "VIGIE_CONTACTS_ARS_EMAIL": "ars75@example.org"}))
	if err != nil || c.Region != "ile-de-france" || c.Contacts.ARS.Email != "ars75@example.org" || c.Contacts.CSIRT != nil {
		t.Fatalf("from the environment: %+v, %v", c, err)
	}

	for _, tc := range []struct{ yaml, want string }{
		{"region: Bretagne\n", `region: "Bretagne" is not a region (accepted: auvergne-rhone-alpes,`},
		{"region: paca\n", `region: "paca" is not a region`},
		{"contacts: {ars: {name: ARS}}\n", "contacts.ars: give email, phone or both"},
		{"contacts: {ars: {email: 'mailto:a@b.fr'}}\n", "contacts.ars.email: \"mailto:a@b.fr\": write the plain address"},
		{"contacts: {ars: {email: ars35-alerte}}\n", `contacts.ars.email: "ars35-alerte" is not an e-mail address`},
		{"contacts: {csirt: {phone: 'appeler le 15'}}\n", `contacts.csirt.phone: "appeler le 15" is not a phone number`},
		{"contacts: {ars: {phone: '15', name: \"" + strings.Repeat("x", 121) + "\"}}\n", "contacts.ars.name"},
		{"contacts: {samu: {phone: '15'}}\n", `unknown field "samu"`},
		{"contacts: {ars: {tel: '15'}}\n", `unknown field "tel"`},
	} {
		if _, err := Load(write(t, "c.yaml", tc.yaml), env(nil)); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: error %v, want %q", tc.yaml, err, tc.want)
		}
	}
	for _, ok := range []string{"0 800 32 42 62", "0800.277.303", "+33 1 23 45 67 89", "17"} {
		if err := (&Contact{Phone: ok}).validate("contacts.ars"); err != nil {
			t.Errorf("phone %q refused: %v", ok, err)
		}
	}
}
