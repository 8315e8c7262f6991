// Package bot is Vigie's platform-neutral core: the domain of an incident
// (answers, steps, proofs of notification, the main courante), the
// conversation that drives it, the user-facing errors, and the interfaces it
// needs from a chat and from a store.
//
// Adapters (console, Mattermost, Slack) turn platform events into Inbound
// values and render the Messages the bot produces; internal/boltstore keeps
// the state. Imports point inward: adapters and internal import bot, bot
// imports flows, and nothing here knows a platform.
package bot
