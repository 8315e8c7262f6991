package draft

import (
	"sort"
	"strings"

	"github.com/vigie-sante/vigie/flows"
)

// fact is one piece of information a declaration needs.
type fact struct {
	key     string   // canonical (French) key: typed, stored, dialog field name
	aliases []string // English and accented spellings, accepted when typed
	long    bool     // a textarea in dialogs
}

// facts are every fact a draft may use, in the order they are asked.
var facts = []fact{
	{key: "structure", aliases: []string{"organisation", "organization"}},
	{key: "finess"},
	{key: "siren"},
	{key: "declarant", aliases: []string{"déclarant", "reporter"}},
	{key: "contact"},
	{key: "dpo"},
	{key: "description", long: true},
	{key: "perimetre", aliases: []string{"périmètre", "scope"}, long: true},
	{key: "systemes", aliases: []string{"systèmes", "systems"}, long: true},
	{key: "donnees", aliases: []string{"données", "data"}, long: true},
	{key: "service", long: true},
	{key: "nature", long: true},
	{key: "personnes", aliases: []string{"people"}},
	{key: "enregistrements", aliases: []string{"records"}},
	{key: "impact_donnees", aliases: []string{"impact_données", "impact_data"}, long: true},
	{key: "impact_personnes", aliases: []string{"impact_people"}, long: true},
	{key: "impact_systemes", aliases: []string{"impact_systèmes", "impact_systems"}, long: true},
	{key: "impact_structure", aliases: []string{"impact_operations"}, long: true},
	{key: "utilisateurs", aliases: []string{"users"}},
	{key: "duree", aliases: []string{"durée", "duration"}},
	{key: "portee", aliases: []string{"portée", "spread"}},
	{key: "transfrontalier", aliases: []string{"cross_border"}},
	{key: "consequences", aliases: []string{"conséquences"}, long: true},
	{key: "causes", long: true},
	{key: "mesures", aliases: []string{"measures"}, long: true},
	{key: "attenuation", aliases: []string{"atténuation", "mitigation"}, long: true},
	{key: "information_personnes", aliases: []string{"persons_informed"}, long: true},
	{key: "retard", aliases: []string{"delay_reasons"}, long: true},
}

// factKey maps every accepted spelling of a fact to its key.
var factKey = func() map[string]string {
	m := map[string]string{}
	for _, f := range facts {
		m[f.key] = f.key
		for _, a := range f.aliases {
			m[a] = f.key
		}
	}
	return m
}()

// FactKey returns the key of the fact a person typed, in any accepted
// spelling ("périmètre", "scope" and "perimetre" are one fact).
func FactKey(typed string) (string, bool) {
	k, ok := factKey[strings.ToLower(typed)]
	return k, ok
}

// Facts returns the keys of every fact, in the order they are asked.
func Facts() []string {
	out := make([]string, len(facts))
	for i, f := range facts {
		out[i] = f.key
	}
	return out
}

func factOf(key string) fact {
	for _, f := range facts {
		if f.key == key {
			return f
		}
	}
	return fact{key: key}
}

// Long reports whether the fact key is a text of several lines (a
// textarea in dialogs).
func Long(key string) bool { return factOf(key).long }

// Label is the fact key as a form names it, in lang.
func Label(key string, lang flows.Lang) string { return tr(lang, "fact."+key) }

// Help says what the fact key is and how to give it, in lang.
func Help(key string, lang flows.Lang) string { return tr(lang, "fact."+key+".help") }

// Options are the key=value words "brouillon" understands: every spelling
// of every fact, and incomplet=oui (partial=yes) to write a draft with
// blanks.
var Options = func() []string {
	out := []string{"incomplet", "partial"}
	for k := range factKey {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}()

// TypedKey is the key a person types for fact k in their language: the
// French key, or its plain English alias in English.
func TypedKey(k string, lang flows.Lang) string {
	if lang == flows.EN {
		for _, a := range factOf(k).aliases {
			if isASCIIWord(a) && a != k {
				return a
			}
		}
	}
	return k
}

func isASCIIWord(s string) bool {
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// Valid says whether v is well formed for the fact key, spaces ignored.
// Only identifiers have a form: a SIREN is 9 digits whose Luhn sum is a
// multiple of 10 (INSEE's rule; La Poste's 356000000, the one exception,
// passes); a FINESS number is 9 characters, a département (two digits,
// 2A or 2B) then 7 digits. Everything else is the cell's own words.
func Valid(key, v string) bool {
	v = Normalize(key, v)
	switch key {
	case "siren":
		return len(v) == 9 && allDigits(v) && (luhn(v) || v == "356000000")
	case "finess":
		return len(v) == 9 && (allDigits(v[:2]) || v[:2] == "2A" || v[:2] == "2B") && allDigits(v[2:])
	}
	return true
}

// Normalize is v as stored for the fact key: identifiers without their
// spaces, in capitals (2a → 2A); other facts as typed.
func Normalize(key, v string) string {
	if key != "siren" && key != "finess" {
		return v
	}
	return strings.ToUpper(strings.Join(strings.Fields(v), ""))
}

func allDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// luhn reports whether the digits of s pass the Luhn check.
func luhn(s string) bool {
	sum := 0
	for i := range len(s) {
		d := int(s[len(s)-1-i] - '0')
		if i%2 == 1 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}
