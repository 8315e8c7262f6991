// Package bottest holds the hand-written doubles the tests of the
// conversation and of the adapters share: a Chat that records what the bot
// shows, an in-memory Store with the semantics of internal/boltstore
// (checked by internal/storetest), a reader of PDFs for the report tests,
// and a Screen that shows what a line editor drew, as a terminal would.
//
// It is for tests only. It imports the conversation (bot) and the domain
// (incident), and must not import an adapter, a store or the command line.
package bottest
