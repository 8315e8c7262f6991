// Package i18n is what makes Vigie speak French first and English second:
// the message catalogues (Catalogue: T, Has, Lint, read from each room's
// embedded locales/fr.toml and locales/en.toml with go-i18n, CLDR plural
// forms included) and the words several rooms share (locales/ here), how an
// instant reads in Paris time, a countdown, an answer, a means of
// notification, a reference.
//
// It imports the domain (incident, for the Paris time zone), flows (the
// languages) and go-i18n, and must not import the conversation, the
// reports, the drafts or any adapter.
package i18n
