// Package flows holds Vigie's alert chains: the YAML schema, strict loading,
// validation, compilation into an immutable graph, and the pure evaluator
// that turns a few answers about an incident into the plan of mandatory
// notifications with their deadlines and reasons, the steps still waiting
// on an answer, and those the answers leave out with the rule that does.
//
// The package does no I/O beyond reading the files it is given, keeps no
// clock and does not log: Evaluate takes the instants it needs, so that the
// same answers always give the same plan. The bot runs what the plan says.
//
// Chains are data. A chain pins an id and a version; an incident records
// both at opening, so that editing a YAML file never rewrites history. The
// file format is described in README.md beside this file.
//
// flows is the foundation of the house: it imports nothing of ours.
package flows
