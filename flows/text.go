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

// Text is a string in French and in English. In a chain file it is a
// mapping {fr: …, en: …}; a plain string is French only, which the
// compiler refuses for the texts that always need both (titles, bases,
// notes…) and reports as a warning for sources and channels described in
// words, which older files wrote as plain strings. A plain string that is
// an address (a URL, an e-mail, a number) reads the same in both
// languages, and In falls back to it.
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

// UnmarshalYAML reads a Text from a mapping {fr, en}, decoded strictly
// like the rest of the file (an unknown language is an error with its
// line), or from a plain string, which is French only.
func (t *Text) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	switch s := v.(type) {
	case nil:
		*t = Text{}
		return nil
	case string:
		*t = Text{FR: s}
		return nil
	}
	// A mapping, or a value of another type, which decoding into the
	// struct refuses with its line.
	type plain Text // without this method, so that decoding does not recurse
	var p plain
	if err := unmarshal(&p); err != nil {
		return err
	}
	*t = Text(p)
	return nil
}
