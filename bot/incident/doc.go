// Package incident is Vigie's domain: an incident followed by a crisis
// cell (its answers, steps and proofs of notification) and its main
// courante, the append-only log whose entries are chained by SHA-256 and
// whose head is signed with ed25519.
//
// It is the bottom room of the house: pure values and functions, no I/O
// beyond io.Reader and io.Writer. It imports flows (a chain's answers and
// inputs) and nothing else of ours; every other package may import it.
package incident
