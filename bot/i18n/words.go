package i18n

import "github.com/vigie-sante/vigie/flows"

// Value is an answer as people read it: oui, non, inconnu.
func Value(v flows.Value, lang flows.Lang) string {
	switch v {
	case flows.Yes:
		return T(lang, "value.yes")
	case flows.No:
		return T(lang, "value.no")
	case flows.Unknown:
		return T(lang, "value.unknown")
	}
	return string(v)
}

// Means is a means of notification (incident.Means) as people read it; a
// means the catalogue does not know is shown as recorded.
func Means(m string, lang flows.Lang) string {
	if words.has("means." + m) {
		return T(lang, "means."+m)
	}
	return m
}

// Ref is the reference a recipient gave, as a proof line ends with it;
// empty without one.
func Ref(ref string, lang flows.Lang) string {
	if ref == "" {
		return ""
	}
	return T(lang, "ref", ref)
}
