// Package report holds what is read out of incidents once they are
// recorded: the exports of a main courante (Markdown, CSV, JSON, PDF) with
// their signed head, the closing report of an incident (its obligations
// against their legal deadlines, computed from the incident as its
// entries tell it), the offline verification of an exported file, the
// reflex sheet a crisis cell prints before it needs it, and the yearly
// statistics.
//
// A regulator runs its verification with no chat anywhere, so it must not
// import the conversation (bot), any adapter or any store: it imports the
// domain (incident), the catalogue (i18n) and flows, and nothing else of
// ours.
package report
