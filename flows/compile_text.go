package flows

import "fmt"

// The checks of a file's texts. Every text a screen shows exists in French
// and in English, so that a person who reads English never meets a French
// sentence in the middle of an English screen (and the other way round).
// Titles, questions, bases and notes were always written {fr, en}: one
// language missing is an error. Sources and the channels described in
// words were plain strings before; a plain string is still read, as
// French, with a warning (Catalog.Warnings, shown by `vigie flows
// validate`), and the built-in files have none.

// text checks that a required text has both languages.
func (f *parsed) text(p string, t Text) {
	if t.FR == "" {
		f.errorf(p, "missing French text at %s (both fr and en are required)", p)
	}
	if t.EN == "" {
		f.errorf(p, "missing English text at %s (both fr and en are required)", p)
	}
}

// optText checks that an optional text, when given, has both languages.
func (f *parsed) optText(p string, t Text) {
	if !t.IsZero() {
		f.text(p, t)
	}
}

// warnf records a warning at the YAML path p: the file loads, but a
// screen will show something less than it should.
func (f *parsed) warnf(p string, format string, args ...any) {
	f.warns = append(f.warns, &Error{File: f.name, Line: f.line(p), Msg: fmt.Sprintf(format, args...)})
}

// frenchOnly checks a text that may be a plain string: French is
// required when it is given, English is warned about when missing.
func (f *parsed) frenchOnly(p, what string, t Text) {
	switch {
	case t.IsZero():
	case t.FR == "":
		f.errorf(p, "missing French text at %s (French is the first language)", p)
	case t.EN == "":
		f.warnf(p, "%s at %s is in French only: write {fr: …, en: …}, or English screens show it in French", what, p)
	}
}

// source checks the source of an item: the keyword chart, or a reference
// in both languages.
func (f *parsed) source(p string, t Text) {
	if !IsChart(t) {
		f.frenchOnly(p, "source", t)
	}
}

// meansValue checks a means' value: an address is the same in both
// languages, words describing a channel are not.
func (f *parsed) meansValue(p, kind string, t Text) {
	if t.FR == "" && t.EN != "" {
		f.errorf(p, "missing French text at %s (French is the first language)", p)
	}
	if wordsKinds[kind] {
		f.frenchOnly(p, "the "+kind+" channel, described in words,", t)
	}
}

// wordsKinds are the kinds of means whose value is words rather than an
// address: a channel described in words, a letter and what it holds.
var wordsKinds = map[string]bool{"other": true, "post": true}

// Warnings returns what the files compiled into c lack without being
// wrong, in file and line order: texts written in French only.
func (c *Catalog) Warnings() Errors { return append(Errors(nil), c.warnings...) }
