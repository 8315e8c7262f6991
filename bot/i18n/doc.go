// Package i18n is what makes Vigie speak French first and English second:
// the message catalogue (T, Has) and the words several rooms share, how an
// instant reads in Paris time, a countdown, an answer, a means of
// notification, a reference.
//
// It imports the domain (incident, for the Paris time zone) and flows (a
// text in both languages), and must not import the conversation, the
// reports, the drafts or any adapter.
package i18n
