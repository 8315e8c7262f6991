package flows

// Lang is a language the chains are written in.
type Lang string

// The languages every text must carry. French is the first language.
const (
	FR Lang = "fr"
	EN Lang = "en"
)

// ParseLang accepts "fr" or "en" (case-insensitive, with region suffixes
// such as fr-FR or en_GB) and reports whether it knew the language.
func ParseLang(s string) (Lang, bool) {
	if len(s) >= 2 {
		switch s[:2] {
		case "fr", "FR", "Fr":
			return FR, true
		case "en", "EN", "En":
			return EN, true
		}
	}
	return FR, false
}

// Text is a string in French and in English.
type Text struct {
	FR string `yaml:"fr" json:"fr"`
	EN string `yaml:"en" json:"en"`
}

// In returns the text in lang, falling back to French.
func (t Text) In(lang Lang) string {
	if lang == EN && t.EN != "" {
		return t.EN
	}
	return t.FR
}

// IsZero reports whether neither language is set.
func (t Text) IsZero() bool { return t.FR == "" && t.EN == "" }
