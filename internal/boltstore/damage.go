package boltstore

import (
	"errors"
	"fmt"
	"runtime/debug"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// bbolt reads the mapped file as it finds it: a damaged page makes it
// panic (slice bounds out of range, invalid page type), and a file cut
// short under a running Vigie makes the read fault. Every transaction of
// the store runs under guard, so that either becomes a DamagedError for the
// caller, with a sentence, instead of a stack trace that ends the process.

// errCorrupt marks records that contradict each other or cannot be
// decoded: an index naming a missing incident, an entry that is not JSON.
var errCorrupt = errors.New("inconsistent records")

// corrupt reports records found inconsistent; the transaction turns it
// into a DamagedError.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errCorrupt}, args...)...)
}

// view runs fn in a read transaction, guarded.
func (s *Store) view(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.guard(&err)
	return s.damaged(s.db.View(fn))
}

// damaged turns an error of inconsistent records into a DamagedError.
func (s *Store) damaged(err error) error {
	if errors.Is(err, errCorrupt) {
		return &DamagedError{Path: s.path, Reason: strings.TrimPrefix(err.Error(), errCorrupt.Error()+": ")}
	}
	return err
}

// wrap names the operation that failed, unless err is a DamagedError,
// which is a whole sentence already.
func wrap(op string, err error) error {
	if errors.Is(err, ErrDamaged) {
		return err
	}
	return fmt.Errorf("boltstore: %s: %w", op, err)
}

// write runs fn in a write transaction that is durable when write returns
// nil, guarded. Concurrent writes share commits (see committer), so fn may
// run more than once: it must decode what it needs from tx each time and
// keep its results only in variables it overwrites.
func (s *Store) write(fn func(*bolt.Tx) error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.guard(&err)
	switch s.mode {
	case modeUpdate:
		return s.damaged(s.db.Update(fn))
	case modeBatch:
		return s.damaged(s.db.Batch(fn))
	default:
		return s.damaged(s.commit.write(fn))
	}
}

// guard turns a panic of bbolt into a DamagedError. Panics of the callers'
// own code never reach it: Update runs its fn under callerPanics.
func (s *Store) guard(err *error) {
	if p := recover(); p != nil {
		*err = &DamagedError{Path: s.path, Reason: fmt.Sprintf("reading it failed (%v)", p)}
	}
}

// callerPanic carries a panic of a caller's fn out of the transaction, to
// be raised again in the caller once the transaction is over: a bug in the
// bot is not a damaged file.
type callerPanic struct{ value any }

func (callerPanic) Error() string { return "boltstore: the update function panicked" }

// callerPanics runs fn, returning its panic as a *callerPanic error.
func callerPanics[T any](fn func() (T, error)) (v T, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &callerPanic{value: p}
		}
	}()
	return fn()
}
