package report

import (
	"github.com/vigie-sante/vigie/flows"
)

// This file chooses the entries whose hashes the annex of the reports
// people read prints. The proof is the signed JSON or CSV export, which
// vigie verify checks entry by entry; paper is compared with it. For that
// a reader needs the head (its hash covers every entry, each hash
// covering the one before), the signature and the key's fingerprint, and
// a few hashes to hold a page of the timeline against the file: printing
// all of them made the annex of a 100 000-entry main courante 2 000 pages
// long, which nobody compares by hand.

// annexMaxRows bounds the checkpoints taken at a regular step: a long main
// courante prints about this many, some ten pages; one this long or
// shorter prints every hash, as it always did.
const annexMaxRows = 500

// annex is the set of entries the annex prints the hash of: one in every
// `every` (all of them when every is 1), the first, the last, and those
// the report cites as the proof of an obligation.
type annex struct {
	every uint64
	last  uint64
	cited map[uint64]bool
}

// newAnnex chooses the checkpoints of a main courante of last entries (the
// head's number) for a report whose obligations cite the entries cited.
// The step is a round number, 1, 2, 5, 10, 20, 50… so that a reader finds
// the next checkpoint without a table: the smallest that keeps the regular
// ones within annexMaxRows.
func newAnnex(last uint64, cited []uint64) *annex {
	a := &annex{every: 1, last: last, cited: map[uint64]bool{}}
	for _, s := range cited {
		if s > 0 {
			a.cited[s] = true
		}
	}
	for step := uint64(1); ; step *= 10 {
		for _, m := range []uint64{1, 2, 5} {
			if last/(m*step) <= annexMaxRows {
				a.every = m * step
				return a
			}
		}
	}
}

// has reports whether the annex prints entry seq's hash.
func (a *annex) has(seq uint64) bool {
	return seq%a.every == 0 || seq == 1 || seq == a.last || a.cited[seq]
}

// intro says which hashes follow: all of them, or the checkpoints.
func (a *annex) intro(lang flows.Lang) string {
	if a.every == 1 {
		return tr(lang, "mc.annex_all")
	}
	return tr(lang, "mc.annex_every", a.every, a.last)
}

// verifySteps are how to check a printed copy of incident id against its
// JSON export, a heading and its steps.
func verifySteps(id string, lang flows.Lang) (string, []string) {
	return tr(lang, "mc.verify_title"), []string{tr(lang, "mc.verify_1", id), tr(lang, "mc.verify_2"), tr(lang, "mc.verify_3")}
}

// citedEntries are the entries the closing report cites: the proof of
// each obligation and of each step settled although not required.
func citedEntries(cl *Closing) []uint64 {
	var out []uint64
	for _, o := range cl.Obligations {
		out = append(out, o.Entry)
	}
	for _, l := range cl.NotRequired {
		out = append(out, l.Entry)
	}
	return out
}
