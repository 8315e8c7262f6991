package search_test

import (
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/bot/search"
)

func TestFold(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"PACS", "pacs"},
		{"Rançongiciel sur le PACS", "rancongiciel sur le pacs"},
		{"ÉCHEC À L'ÉTÉ", "echec a l'ete"},
		{"Œdème, cæcum, Straße", "oedeme, caecum, strasse"},
		{"l’hôpital", "l'hopital"},                     // typographic apostrophe
		{"réf.\u00a0:\u202fCS-1234", "ref. : cs-1234"}, // no-break spaces
		{"e\u0301te\u0301", "ete"},                     // decomposed accents
		{"ÀÂÄÇÈÉÊËÎÏÔÖÙÛÜŸ", "aaaceeeeiioouuuy"},
		{"Ελληνικά", "ελληνικα"},
		{"", ""},
	} {
		if got := search.Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMatcher(t *testing.T) {
	m := search.NewMatcher("hopital")
	for _, tt := range []struct {
		text string
		want bool
	}{
		{"L'HÔPITAL est fermé", true},
		{"hôpitaux", false},
		{"l’Hôpital", true},
		{"", false},
	} {
		if got := m.Match([]byte(tt.text)); got != tt.want {
			t.Errorf("Match(%q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestIndex(t *testing.T) {
	for _, tt := range []struct {
		s, q, want string
	}{
		{"PACS isolé du réseau", "reseau", "réseau"},
		{"PACS isolé du réseau", "ISOLE DU", "isolé du"},
		{"Œdème", "oe", "Œ"},
		{"Œdème", "edeme", "Œdème"}, // a match starting inside a letter that folds to two
		{"cæcum", "aec", "æc"},
		{"rien", "pacs", ""},
	} {
		i, j := search.Index(tt.s, search.Fold(tt.q))
		got := ""
		if i >= 0 {
			got = tt.s[i:j]
		}
		if got != tt.want {
			t.Errorf("Index(%q, %q) = %q, want %q", tt.s, tt.q, got, tt.want)
		}
	}
}

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("avant ", 20) + "PACS isolé" + strings.Repeat(" après", 20)
	for _, tt := range []struct {
		s, q, want string
	}{
		{"PACS isolé du réseau", "isole", "PACS isolé du réseau"},
		{long, "pacs", "…avant avant avant avant avant PACS isolé après après après après…"},
		{"ligne 1\nligne\t2 PACS", "pacs", "ligne 1 ligne 2 PACS"},
		{"rien", "pacs", ""},
	} {
		if got := search.Excerpt(tt.s, search.Fold(tt.q), 30); got != tt.want {
			t.Errorf("Excerpt(%q, %q) =\n%q, want\n%q", tt.s, tt.q, got, tt.want)
		}
	}
}
