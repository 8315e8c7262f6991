package i18n

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/vigie-sante/vigie/flows"
)

// Catalogue maps message keys to their text in French and in English.
// Each room keeps its own (the conversation's replies, the reports' labels,
// the drafts' headings…), so that a package owns the words it shows; the
// words several rooms share are here, and every catalogue falls back on
// them.
type Catalogue map[string]flows.Text

// T returns the message key in lang, formatted with args: from c, else from
// the shared words, else the key itself (a test checks no key is missing).
func (c Catalogue) T(lang flows.Lang, key string, args ...any) string {
	t, ok := c[key]
	if !ok {
		if t, ok = words[key]; !ok {
			return key
		}
	}
	if len(args) == 0 {
		return t.In(lang)
	}
	return fmt.Sprintf(t.In(lang), args...)
}

// Has reports whether c, or the shared words, hold key.
func (c Catalogue) Has(key string) bool {
	_, ok := c[key]
	if !ok {
		_, ok = words[key]
	}
	return ok
}

// T returns one of the shared words in lang, formatted with args.
func T(lang flows.Lang, key string, args ...any) string { return Catalogue(nil).T(lang, key, args...) }

// words are the texts several rooms show alike: answers, means of
// notification, kinds of contact, deadlines, countdowns.
var words = Catalogue{
	"ref":           {FR: ", réf. %s", EN: ", ref. %s"},
	"step.fallback": {FR: "[secours]", EN: "[fallback]"},
	"deadline.none": {FR: "dans les meilleurs délais", EN: "as soon as possible"},
	"time.in":       {FR: "dans %s", EN: "in %s"},
	"time.now":      {FR: "maintenant", EN: "now"},
	"time.late":     {FR: "en retard de %s", EN: "overdue by %s"},

	"value.yes":     {FR: "Oui", EN: "Yes"},
	"value.no":      {FR: "Non", EN: "No"},
	"value.unknown": {FR: "Je ne sais pas encore", EN: "Not known yet"},

	"means.portail":   {FR: "portail", EN: "portal"},
	"means.email":     {FR: "e-mail", EN: "e-mail"},
	"means.telephone": {FR: "téléphone", EN: "phone"},
	"means.courrier":  {FR: "courrier", EN: "letter"},
	"means.autre":     {FR: "autre moyen", EN: "other means"},

	"kind.portal": {FR: "Portail :", EN: "Portal:"},
	"kind.form":   {FR: "Formulaire :", EN: "Form:"},
	"kind.web":    {FR: "Site :", EN: "Website:"},
	"kind.email":  {FR: "E-mail :", EN: "E-mail:"},
	"kind.phone":  {FR: "Téléphone :", EN: "Phone:"},
	"kind.post":   {FR: "Courrier :", EN: "Post:"},
	"kind.chat":   {FR: "Tchat :", EN: "Chat:"},
	"kind.other":  {FR: "Voie :", EN: "Channel:"},
}

// verbs are the formatting verbs of a message, which both languages must
// carry in the same order.
var verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z]`)

// Lint returns what is wrong with c, one line a problem: a message missing
// a language, or whose languages carry different verbs (fmt would then
// print garbage in one of them).
func (c Catalogue) Lint() []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(c)) {
		m := c[key]
		if m.FR == "" || m.EN == "" {
			out = append(out, key+": missing a language")
		}
		fr, en := verbs.FindAllString(m.FR, -1), verbs.FindAllString(m.EN, -1)
		if !slices.Equal(fr, en) {
			out = append(out, fmt.Sprintf("%s: verbs differ: fr %v, en %v", key, fr, en))
		}
	}
	return out
}

// Shadowed lists the keys of c that are also shared words: a room that
// redefines one would show it differently from the others.
func (c Catalogue) Shadowed() []string {
	var out []string
	for _, key := range slices.Sorted(maps.Keys(c)) {
		if _, ok := words[key]; ok {
			out = append(out, key)
		}
	}
	return out
}
