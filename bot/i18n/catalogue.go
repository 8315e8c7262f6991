package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"reflect"
	"regexp"
	"slices"
	"strconv"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"

	"github.com/vigie-sante/vigie/flows"
)

// Catalogue holds a room's messages in French and in English, read from
// its message files (fr.toml and en.toml, embedded in the room's package).
// Each room keeps its own (the conversation's replies, the reports'
// labels, the drafts' headings…), so that a package owns the words it
// shows; the words several rooms share are in this package's files, and
// every catalogue falls back on them.
//
// The files are go-i18n message files. A message is a string with printf
// verbs (%s, %d…) standing for the arguments, in the same order in both
// languages; the texts are not templates. A message that depends on a
// number is a table of CLDR plural forms (one, other; in French "one"
// covers 0 and 1), and the form is chosen by the message's first argument
// of an integer type, its count.
type Catalogue struct {
	loc  map[flows.Lang]*goi18n.Localizer
	msgs map[flows.Lang]map[string]*goi18n.Message
}

// langs are the languages of every catalogue, French first, with their
// tags and message files.
var langs = []struct {
	lang flows.Lang
	tag  language.Tag
	file string
}{
	{flows.FR, language.French, "fr.toml"},
	{flows.EN, language.English, "en.toml"},
}

// Load reads the message files fr.toml and en.toml at the root of fsys.
func Load(fsys fs.FS) (Catalogue, error) {
	b := goi18n.NewBundle(language.French)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := Catalogue{loc: map[flows.Lang]*goi18n.Localizer{}, msgs: map[flows.Lang]map[string]*goi18n.Message{}}
	for _, l := range langs {
		f, err := b.LoadMessageFileFS(fsys, l.file)
		if err != nil {
			return Catalogue{}, fmt.Errorf("load %s: %w", l.file, err)
		}
		if f.Tag != l.tag {
			return Catalogue{}, fmt.Errorf("load %s: language %s, want %s", l.file, f.Tag, l.tag)
		}
		m := make(map[string]*goi18n.Message, len(f.Messages))
		for _, msg := range f.Messages {
			m[msg.ID] = msg
		}
		c.msgs[l.lang] = m
		c.loc[l.lang] = goi18n.NewLocalizer(b, l.tag.String())
	}
	return c, nil
}

// MustLoad is Load for a room's embedded files, found in dir of fsys; it
// panics when they cannot be read, which the room's tests show.
func MustLoad(fsys fs.FS, dir string) Catalogue {
	sub, err := fs.Sub(fsys, dir)
	if err == nil {
		var c Catalogue
		if c, err = Load(sub); err == nil {
			return c
		}
	}
	panic(fmt.Sprintf("i18n: %s: %v", dir, err))
}

//go:embed locales/*.toml
var locales embed.FS

// words are the texts several rooms show alike: answers, means of
// notification, kinds of contact, deadlines, countdowns.
var words = MustLoad(locales, "locales")

// lang is the language of a catalogue lang stands for: English, or else
// French.
func lang(l flows.Lang) flows.Lang {
	if l == flows.EN {
		return flows.EN
	}
	return flows.FR
}

// T returns the message key in lang, formatted with args: from c, else from
// the shared words, else the key itself (a test checks no key is missing).
func (c Catalogue) T(l flows.Lang, key string, args ...any) string {
	l = lang(l)
	if !c.has(key) {
		if !words.has(key) {
			return key
		}
		c = words
	}
	lc := &goi18n.LocalizeConfig{MessageID: key, TemplateParser: template.IdentityParser{}}
	if plural(c.msgs[l][key]) {
		lc.PluralCount = count(args)
	}
	s, err := c.loc[l].Localize(lc)
	if s == "" && err != nil {
		return key
	}
	if len(args) == 0 {
		return s
	}
	return fmt.Sprintf(s, args...)
}

// count is the count of a message with plural forms: its first argument
// of an integer type, else 0 (Lint and the rooms' tests see it is there).
func count(args []any) any {
	for _, a := range args {
		v := reflect.ValueOf(a)
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return v.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
			return strconv.FormatUint(v.Uint(), 10)
		}
	}
	return 0
}

// plural reports whether m has plural forms besides "other".
func plural(m *goi18n.Message) bool {
	return m != nil && (m.Zero != "" || m.One != "" || m.Two != "" || m.Few != "" || m.Many != "")
}

// forms are the texts of m, one per plural form it has, "other" first.
func forms(m *goi18n.Message) []string {
	var out []string
	for _, s := range []string{m.Other, m.Zero, m.One, m.Two, m.Few, m.Many} {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// has reports whether c itself holds key.
func (c Catalogue) has(key string) bool {
	_, ok := c.msgs[flows.FR][key]
	if !ok {
		_, ok = c.msgs[flows.EN][key]
	}
	return ok
}

// Has reports whether c, or the shared words, hold key.
func (c Catalogue) Has(key string) bool { return c.has(key) || words.has(key) }

// Plural reports whether the message key has plural forms, and so takes a
// count.
func (c Catalogue) Plural(key string) bool {
	if !c.has(key) {
		c = words
	}
	return plural(c.msgs[flows.FR][key]) || plural(c.msgs[flows.EN][key])
}

// Keys lists the keys of c, sorted, without the shared words.
func (c Catalogue) Keys() []string {
	set := map[string]bool{}
	for _, l := range langs {
		for k := range c.msgs[l.lang] {
			set[k] = true
		}
	}
	return slices.Sorted(maps.Keys(set))
}

// Words is the catalogue of the shared words.
func Words() Catalogue { return words }

// T returns one of the shared words in lang, formatted with args.
func T(lang flows.Lang, key string, args ...any) string { return words.T(lang, key, args...) }

// verbs are the formatting verbs of a message, which both languages must
// carry in the same order.
var verbs = regexp.MustCompile(`%[-+# 0-9.]*(?:\[\d+\])?[-+# 0-9.]*[a-zA-Z%]`)

// Verbs returns the formatting verbs of s, in order ("%%" included).
func Verbs(s string) []string { return verbs.FindAllString(s, -1) }

// Lint returns what is wrong with c, one line a problem: a message missing
// a language, whose languages or plural forms carry different verbs (fmt
// would then print garbage in one of them), or with plural forms that lack
// "one" or "other".
func (c Catalogue) Lint() []string {
	var out []string
	for _, key := range c.Keys() {
		fr, en := c.msgs[flows.FR][key], c.msgs[flows.EN][key]
		if fr == nil || en == nil || len(forms(fr)) == 0 || len(forms(en)) == 0 {
			out = append(out, key+": missing a language")
			continue
		}
		if plural(fr) || plural(en) {
			for _, m := range []struct {
				lang flows.Lang
				m    *goi18n.Message
			}{{flows.FR, fr}, {flows.EN, en}} {
				if m.m.One == "" || m.m.Other == "" {
					out = append(out, fmt.Sprintf("%s: %s plural forms lack one or other", key, m.lang))
				}
			}
		}
		want := Verbs(fr.Other)
		for _, m := range []*goi18n.Message{fr, en} {
			for _, s := range forms(m) {
				if got := Verbs(s); !slices.Equal(got, want) {
					lang := flows.FR
					if m == en {
						lang = flows.EN
					}
					out = append(out, fmt.Sprintf("%s: verbs differ: fr %v, %s %v", key, want, lang, got))
					break
				}
			}
		}
	}
	return out
}

// Shadowed lists the keys of c that are also shared words: a room that
// redefines one would show it differently from the others.
func (c Catalogue) Shadowed() []string {
	if c.loc[flows.FR] == words.loc[flows.FR] {
		return nil
	}
	var out []string
	for _, key := range c.Keys() {
		if words.has(key) {
			out = append(out, key)
		}
	}
	return out
}
