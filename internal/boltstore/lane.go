package boltstore

import (
	"runtime/debug"
	"slices"
	"sync"

	"github.com/vigie-sante/vigie/bot/incident"
	bolt "go.etcd.io/bbolt"
)

// Changes to one incident are pipelined. An optimistic change (Change)
// that started from the stored copy would go stale whenever another change
// to the same incident was waiting for its commit: of the changes to one
// incident that share a commit, only the first could be written, so an
// incident took one change per fsync and the others ran again and again.
// Instead, the changes to an incident take turns in its lane: each starts
// from what the previous one made (already encoded, so decoded once more),
// is queued for the commit right behind it, and lets the next one start
// while both wait for the disk. The write transaction still checks the
// incident's revision and, for a change made on one not yet written, that
// very record: a change whose predecessor was not written (its commit
// failed, or a change from the store took its place) goes stale and starts
// again from the store, as before.

// lane orders the changes to one incident.
type lane struct {
	mu      sync.Mutex // held from a change's start to its queueing; guards the fields below but n
	last    *made      // the last change queued, written or on its way; nil: start from the store
	lines   uint64     // lines started: changes that started from the store
	pending []*made    // changes queued and not yet done, in their order
	n       int        // changes using the lane, queued or waiting; guarded by lanes.mu
}

// lanes are the lanes of the incidents being changed, dropped when idle.
type lanes struct {
	mu sync.Mutex // guards m and every lane's n
	m  map[string]*lane
}

// take returns id's lane, counted as used until leave.
func (ls *lanes) take(id string) *lane {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.m == nil {
		ls.m = map[string]*lane{}
	}
	l := ls.m[id]
	if l == nil {
		l = &lane{}
		ls.m[id] = l
	}
	l.n++
	return l
}

// leave ends a use of id's lane, dropping the lane when nobody uses it:
// then the store holds its last change.
func (ls *lanes) leave(id string, l *lane) {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if l.n--; l.n == 0 {
		delete(ls.m, id)
	}
}

// forget makes the next change start from the store when m was not
// written and the last change queued started from it, or from one that
// did (its line): then that one will not be written either. Clearing only
// when m is the last would keep later changes starting from the line of an
// unwritten one, and each would go stale in turn.
func (l *lane) forget(m *made) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if m == nil || (l.last != nil && l.last.line == m.line) {
		l.last = nil
	}
}

// done drops m from the changes pending, once its write is over.
func (l *lane) done(m *made) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if i := slices.Index(l.pending, m); i >= 0 {
		l.pending = slices.Delete(l.pending, i, i+1)
	}
}

// repeatPending says whether the click of ch repeats the person's last
// click on that message among the changes pending (known: one of them is
// that person's last click there; else the store knows).
func (l *lane) repeatPending(ch incident.Change) (repeat, known bool) {
	for _, m := range slices.Backward(l.pending) {
		if m.click.Where == ch.Click.Where {
			return m.click.What == ch.Click.What && ch.Click.At.Sub(m.click.At) < ch.ClickWindow, true
		}
	}
	return false, false
}

// tryLane is one attempt of Change in id's lane; stale when the revision
// it started from is not the stored one when its turn to write comes.
func (s *Store) tryLane(l *lane, id string, ch incident.Change, seen *incident.Incident, fn func(*incident.Incident) ([]incident.Entry, error)) (*incident.Incident, bool, error) {
	m, found, wait, err := s.queueInLane(l, id, ch, seen, fn)
	if err != nil {
		return nil, false, err
	}
	err = wait()
	if err != nil || found.stale || found.repeated {
		l.forget(m)
	}
	l.done(m)
	switch {
	case err != nil:
		return nil, false, err
	case found.repeated:
		return nil, false, &fnError{incident.ErrRepeatClick}
	case found.stale:
		s.stale.Add(1)
		return nil, true, nil
	}
	s.wrote(m)
	return m.inc, false, nil
}

// found is what a change queued found at its write: the stored incident
// was no longer the one it started from (stale), or its click had been
// taken meanwhile (repeated). Nothing was written then.
type found struct{ stale, repeated bool }

// queueInLane makes the change on what the lane's last change made (or
// the store's copy), and queues its write right behind it, holding the
// lane meanwhile: released however fn returns, a panic included, so that
// a bug in one action does not stop every later change to the incident.
func (s *Store) queueInLane(l *lane, id string, ch incident.Change, seen *incident.Incident, fn func(*incident.Incident) ([]incident.Entry, error)) (*made, *found, func() error, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if err := s.repeatedClick(l, id, ch); err != nil {
		return nil, nil, nil, err
	}
	inc, after, err := s.laneBase(l, id, ch, seen)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := prepare(id, inc, fn)
	if err != nil {
		return nil, nil, nil, err
	}
	s.decoded.made(m)
	m.after, m.click = after, ch.Click
	if after != nil {
		m.line = l.last.line
	} else {
		l.lines++
		m.line = l.lines
	}
	out := &found{}
	wait := s.queue(func(tx *bolt.Tx) error {
		out.stale, out.repeated = !m.current(tx), false
		if out.stale {
			return nil // nothing written: the caller tries again
		}
		// A click repeating one whose change was not yet written when
		// this one started: the store's copy was not read, so the
		// check is here too.
		if out.repeated = repeats(tx, id, ch); out.repeated {
			return nil
		}
		return m.write(tx, ch)
	})
	if s.mode == modeGroup { // the only mode where writes keep their order
		l.last = m
		l.pending = append(l.pending, m)
	}
	return m, out, wait, nil
}

// repeatedClick refuses a click that repeats the person's last click on
// that message, pending in the lane or stored, before it is queued: found
// only at its write, it would make every change queued after it go stale.
func (s *Store) repeatedClick(l *lane, id string, ch incident.Change) error {
	if ch.Click.Where == "" {
		return nil
	}
	repeat, known := l.repeatPending(ch)
	if !known && l.last != nil { // else readForChange checks the store
		err := s.view(func(tx *bolt.Tx) error {
			repeat = repeats(tx, id, ch)
			return nil
		})
		if err != nil {
			return err
		}
	}
	if repeat {
		return &fnError{incident.ErrRepeatClick}
	}
	return nil
}

// laneBase is what a change in lane l starts from: a copy of what the
// last change queued made, or seen when it is that, or else the store's
// copy as readForChange reads it. after is the record the change must find
// stored when its turn to write comes: the last change's, which may not
// have been written. Its revision number alone would not do: when it was
// not written, another change may have taken that number.
func (s *Store) laneBase(l *lane, id string, ch incident.Change, seen *incident.Incident) (inc *incident.Incident, after []byte, err error) {
	if last := l.last; last != nil {
		if seen != nil && seen.ID == id && seen.Rev == last.rev+1 {
			return seen, nil, nil // read from the store, once a change took that revision
		}
		if inc, err = s.decode(id, last.record); err != nil {
			return nil, nil, err // it was encoded a moment ago: a bug, not damage
		}
		inc.Rev = last.rev + 1
		return inc, last.record, nil
	}
	err = s.view(func(tx *bolt.Tx) error {
		var err error
		inc, err = s.readForChange(tx, id, ch, seen)
		return err
	})
	return inc, nil, err
}

// queue queues fn for a write transaction, after the writes queued before
// it, and returns the wait for its result. Only group commit keeps that
// order; in the other modes, the write happens when waited for.
func (s *Store) queue(fn func(*bolt.Tx) error) (wait func() error) {
	if s.mode != modeGroup {
		return func() error { return s.write(fn) }
	}
	me, lead := s.commit.enqueue(fn)
	return func() (err error) {
		defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
		defer s.guard(&err)
		return s.damaged(s.commit.wait(me, lead))
	}
}
