package draft

import "testing"

func TestValid(t *testing.T) {
	for _, tc := range []struct {
		key, v string
		ok     bool
	}{
		{"siren", "267500452", true},    // AP-HP: Luhn
		{"siren", "267 500 452", true},  // as printed on a Kbis
		{"siren", "356000000", true},    // La Poste
		{"siren", "267500453", false},   // bad key
		{"siren", "26330000", false},    // 8 digits
		{"siren", "26330000A", false},   // a letter
		{"siren", "", false},            // nothing
		{"finess", "330000000", true},   // Gironde
		{"finess", "2A0000000", true},   // Corse-du-Sud
		{"finess", "2b 000 0000", true}, // spaced, lower case
		{"finess", "970000000", true},   // overseas
		{"finess", "33000000", false},   // 8 characters
		{"finess", "3A0000000", false},  // not a département
		{"finess", "33000000X", false},
		{"structure", "CH d'Exemple", true}, // free text
	} {
		if got := Valid(tc.key, tc.v); got != tc.ok {
			t.Errorf("Valid(%s, %q) = %v, want %v", tc.key, tc.v, got, tc.ok)
		}
	}
	if got := Normalize("finess", " 2a 000 0000 "); got != "2A0000000" {
		t.Errorf("Normalize = %q", got)
	}
}
