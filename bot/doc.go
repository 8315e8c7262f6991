// Package bot is the conversation with the crisis cell: the events people
// send and the replies they get, the command table, the incident's card and
// checklist, answers, steps done or not applicable, notes, situation
// points, roles, hand-overs between shifts, messages to stakeholders,
// reminders and their sweeps, and the consumer-side interfaces it
// needs from a chat (Chat and its optional abilities) and from a store
// (Store, ReminderStore).
//
// The house, from the bottom up (each room imports only rooms below it):
//
//	flows                     the alert chains (imports nothing of ours)
//	bot/incident              the domain: incident, main courante, signed head
//	bot/i18n                  the catalogue and the words the rooms share
//	bot/guard, bot/draft      patient identifiers; declaration drafts
//	bot/notice                messages to stakeholders from a situation point
//	bot/report                exports, verification of files, reflex sheet, stats
//	bot                       this package: the conversation
//	adapters/*, internal/*    implement Chat and Store; only internal/cli wires
//
// bot must not import an adapter, a store or the command line, and holds
// no export format, verification of files, PDF, statistics, draft or
// message writing or identifier detection: it asks the packages below for
// them.
package bot
