package incident

import (
	"errors"
	"fmt"
	"strconv"
)

// ChainError is why a main courante is not intact: the first bad entry
// (Seq, its expected position in the chain) or, with Seq 0, something
// around the entries (the head, the file that carries them).
type ChainError struct {
	Seq    uint64
	Reason string
}

func (e *ChainError) Error() string {
	if e.Seq == 0 {
		return e.Reason
	}
	return "entry " + strconv.FormatUint(e.Seq, 10) + ": " + e.Reason
}

// Check checks that entries form the main courante of incident id from its
// first entry, and returns its head. It names the first entry that breaks
// the chain, by the position where it was expected, as a *ChainError.
func Check(id string, entries []Entry) (Head, error) {
	var head Head
	for i := range entries {
		e := &entries[i]
		want := uint64(i) + 1
		bad := func(format string, args ...any) (Head, error) {
			return Head{}, &ChainError{Seq: want, Reason: fmt.Sprintf(format, args...)}
		}
		switch {
		case e.Seq != want:
			return bad("expected seq %d, found %d (removed or reordered?)", want, e.Seq)
		case e.Incident != id:
			return bad("belongs to incident %q, not %q", e.Incident, id)
		case e.Prev != head.Hash && want == 1:
			return bad("prev must be empty for the first entry (entries removed at the start?)")
		case e.Prev != head.Hash:
			return bad("prev does not match the hash of entry %d (entry %d altered?)", want-1, want-1)
		}
		if e.ComputeHash() != e.Hash {
			return bad("hash does not match its content (altered?)")
		}
		head = Head{Seq: e.Seq, Hash: e.Hash}
	}
	return head, nil
}

// ErrBroken is matched (errors.Is) by a BrokenError.
var ErrBroken = errors.New("main courante broken")

// BrokenError says that the stored main courante of an incident does not
// verify, and where it breaks. A store returns it instead of appending
// after the break, which the next entry's hash would seem to vouch for.
type BrokenError struct {
	Incident string
	Where    string // the store: a database file
	Err      error  // the first break, as Check names it
}

func (e *BrokenError) Error() string {
	return fmt.Sprintf("the main courante of incident %s in %s is broken (%v): nothing more is appended to it. "+
		"Restore the last backup, or run vigie check", e.Incident, e.Where, e.Err)
}

// Is makes errors.Is(err, ErrBroken) true.
func (e *BrokenError) Is(target error) bool { return target == ErrBroken }

// Unwrap returns the break.
func (e *BrokenError) Unwrap() error { return e.Err }
