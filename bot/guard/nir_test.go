package guard_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/vigie-sante/vigie/bot/guard"
	"github.com/vigie-sante/vigie/flows"
)

func TestValidNIR(t *testing.T) {
	tests := []struct {
		nir  string
		want bool
	}{
		// Valid keys: 97 − (13 digits mod 97).
		{"185057800608491", true},
		{"1 85 05 78 006 084 91", true},
		{"1.85.05.78.006.084.91", true},
		{"1-85-05-78-006-084-91", true},
		{"1\u00a085\u00a005\u00a078\u00a0006\u00a0084\u00a091", true},
		{"1850578006084 91", true},
		{"2 69 04 99 350 210 78", true}, // born abroad (99)
		{"7 85 10 99 123 045 04", true}, // provisional number
		{"8 93 01 33 063 050 85", true},
		{"1 23 45 67 890 123 11", true}, // month 45: incomplete civil record
		// Corsica: 2A counts as 19, 2B as 18.
		{"1 85 05 2A 006 084 35", true},
		{"185052A00608435", true},
		{"1 85 05 2a 006 084 35", true},
		{"1 85 05 2B 006 084 62", true},
		{"1 85 05 2A 006 084 62", false}, // 2B's key on 2A
		{"1 85 05 2B 006 084 35", false},
		{"1 85 05 2C 006 084 35", false},
		// Invalid keys.
		{"1 85 05 78 006 084 92", false},
		{"1 85 05 78 006 084 90", false},
		{"1 85 05 78 006 084 00", false},
		{"1 85 05 78 006 084 98", false},
		// Valid key, impossible shape.
		{"3 85 05 78 006 084 88", false},  // sex 3
		{"1 85 13 78 006 084 25", false},  // month 13
		{"1 85 00 78 006 084 11", false},  // month 00
		{"1  85 05 78 006 084 91", false}, // two separators
		{"1 85 05 78 006 084 9", false},
		{"185057800608491 ", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := guard.ValidNIR(tt.nir); got != tt.want {
			t.Errorf("ValidNIR(%q) = %v, want %v", tt.nir, got, tt.want)
		}
	}
}

func TestFindNIRs(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		{"Patient NIR 185057800608491 admis aux urgences", []string{"185057800608491"}},
		{"NIR:1 85 05 78 006 084 91.", []string{"1 85 05 78 006 084 91"}},
		{"(185057800608491)", []string{"185057800608491"}},
		{"«1 85 05 2A 006 084 35» et 2 69 04 99 350 210 78", []string{"1 85 05 2A 006 084 35", "2 69 04 99 350 210 78"}},
		{"sécu 1.85.05.78.006.084.91\nrappeler", []string{"1.85.05.78.006.084.91"}},
		{"1 85 05 78 006 084 91 5", []string{"1 85 05 78 006 084 91"}},
		// False positives the key and the boundaries keep out.
		{"Appeler le 06 12 34 56 78 ou le +33 6 12 34 56 78", nil},
		{"05 56 79 58 00 05 56 79 58 01 05 56 79 58 02", nil},
		{"Le 2026-11-23 à 02:10, puis le 23/11/2026 02:10", nil},
		{"20261123021000 20261123", nil},
		{"FINESS 330781196, FINESS juridique 330000000", nil},
		{"SIRET 26330004500012", nil},
		{"réf. CS-2026-000123, ticket INC0012345678", nil},
		{"ticket 123456789012345", nil}, // 15 digits, key 45 instead of 11
		{"IBAN FR76 3000 6000 0112 3456 7890 189", nil},
		{"1850578006084910", nil},  // 16 digits
		{"91850578006084916", nil}, // inside a longer number
		{"A185057800608491", nil},  // glued to a word
		{"185057800608491B", nil},
		{"CS185057800608491", nil},
	}
	for _, tt := range tests {
		got := guard.NIRs(tt.text)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("FindNIRs(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestMaskIdentifiers(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Patient 1 85 05 78 006 084 91 transféré", "Patient [NIR masqué] transféré"},
		{"IPP 12345678 et NIR 185057800608491.", "[IPP masqué] et NIR [NIR masqué]."},
		{"ipp n° 00123456 au bloc", "[IPP masqué] au bloc"},
		{"IPP: 2024 seulement", "[IPP masqué] seulement"},
		{"rappeler le 06 12 34 56 78", "rappeler le 06 12 34 56 78"},
		{"IPPO 12345", "IPPO 12345"},
	}
	for _, tt := range tests {
		if got := guard.Mask(tt.in, guard.DefaultIPP, flows.FR); got != tt.want {
			t.Errorf("MaskIdentifiers(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := guard.MaskNIRs("NIR 185057800608491", flows.EN); got != "NIR [NIR masked]" {
		t.Errorf("MaskNIRs in English = %q", got)
	}
}

// refNIRs is a second, independent reading of the rule, for the fuzz test:
// every substring made of the seven groups (one optional separator between
// them), standing alone, with a valid sex, month and key.
func refNIRs(s string) []string {
	var out []string
	isSep := func(r rune) bool { return r == ' ' || r == '.' || r == '-' || r == '\u00a0' || r == '\u202f' }
	alnum := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	rs := []rune(s)
	for i := range rs {
		if i > 0 && alnum(rs[i-1]) {
			continue
		}
		var chars []rune
		j := i
		groups := []int{1, 2, 2, 2, 3, 3, 2}
		ok := true
		for g, n := range groups {
			if g > 0 && j < len(rs) && isSep(rs[j]) {
				j++
			}
			for k := 0; k < n; k++ {
				if j >= len(rs) {
					ok = false
					break
				}
				chars = append(chars, rs[j])
				j++
			}
			if !ok {
				break
			}
		}
		if !ok || (j < len(rs) && alnum(rs[j])) {
			continue
		}
		str := string(chars)
		dept := strings.ToUpper(str[5:7])
		digits := str[:5] + str[7:]
		if strings.IndexFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) >= 0 {
			continue
		}
		if !strings.ContainsRune("1278", rune(str[0])) {
			continue
		}
		switch {
		case dept == "2A":
			dept = "19"
		case dept == "2B":
			dept = "18"
		case dept[0] < '0' || dept[0] > '9' || dept[1] < '0' || dept[1] > '9':
			continue
		}
		month := int(str[3]-'0')*10 + int(str[4]-'0')
		if month == 0 || (month > 12 && month < 20) {
			continue
		}
		num := str[:5] + dept + str[7:13]
		var n uint64
		for _, c := range num {
			n = n*10 + uint64(c-'0')
		}
		key := uint64(str[13]-'0')*10 + uint64(str[14]-'0')
		if key == 97-n%97 {
			out = append(out, string(rs[i:j]))
		}
	}
	return out
}

// FuzzNIR: the detector never panics, agrees with refNIRs on whether a
// text holds a NIR, finds only valid NIRs, and a masked text holds none.
func FuzzNIR(f *testing.F) {
	for _, s := range []string{
		"Patient NIR 185057800608491 admis",
		"1 85 05 2A 006 084 35 et 1 85 05 2B 006 084 62",
		"1 85 05 78 006 084 91 85 05 78 006 084 91",
		"2185057800608491",
		"185057800608491185057800608491",
		"IPP 12345678 185057800608491",
		"06 12 34 56 78",
		"1\u00a085\u202f05 78.006-084 91",
		"\xff1 85 05 78 006 084 91\xfe",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 400 {
			return
		}
		got := guard.NIRs(s)
		for _, n := range got {
			if !guard.ValidNIR(n) {
				t.Fatalf("FindNIRs(%q) returned %q, which ValidNIR rejects", s, n)
			}
		}
		if utf8.ValidString(s) {
			if ref := refNIRs(s); (len(ref) > 0) != (len(got) > 0) {
				t.Fatalf("FindNIRs(%q) = %q but the reference finds %q", s, got, ref)
			}
		}
		masked := guard.Mask(s, guard.DefaultIPP, flows.FR)
		if left := guard.NIRs(masked); len(left) > 0 {
			t.Fatalf("masked %q still holds %q", masked, left)
		}
		if utf8.ValidString(masked) {
			if left := refNIRs(masked); len(left) > 0 {
				t.Fatalf("masked %q still holds %q (reference)", masked, left)
			}
		}
	})
}
