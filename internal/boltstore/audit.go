package boltstore

import (
	"context"
	"errors"
	"fmt"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/bot/incident"
)

// The main courante is what Vigie promises a regulator or a judge. An entry
// altered or removed inside the file (by hand, by a disk) must not go
// unnoticed until someone exports: Audit checks the chain of every incident,
// and an incident whose chain is broken refuses new entries rather than
// appending after a break it would then seem to vouch for.

// ErrBroken is matched by the error of an Update refused because the
// incident's stored main courante does not verify (incident.BrokenError).
var ErrBroken = incident.ErrBroken

// brokenSet is the incidents found broken, refused by Update, and those
// verified intact since Open, which Update need not verify again.
type brokenSet struct {
	mu       sync.Mutex // guards m and verified
	m        map[string]error
	verified map[string]bool
}

func (b *brokenSet) isVerified(id string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.verified[id]
}

func (b *brokenSet) setVerified(id string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.verified == nil {
		b.verified = map[string]bool{}
	}
	b.verified[id] = true
}

func (b *brokenSet) get(id string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.m[id]
}

func (b *brokenSet) set(id string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.m == nil {
		b.m = map[string]error{}
	}
	b.m[id] = err
}

// VerifyChain checks the stored main courante of incident id from its first
// entry: the chain (incident.Check) and that it ends at the incident's
// head. A break is returned as an *incident.BrokenError, and the incident refuses
// new entries from then on.
func (s *Store) VerifyChain(ctx context.Context, id string) error {
	var (
		inc     *incident.Incident
		entries []incident.Entry
	)
	err := s.view(func(tx *bolt.Tx) error { // one snapshot: the record and its entries agree
		var err error
		if inc, err = getIncident(tx, id); err != nil {
			return err
		}
		entries, err = readEntries(ctx, tx, id, 0, 0)
		return err
	})
	var d *DamagedError
	if errors.As(err, &d) {
		err = &incident.BrokenError{Where: s.path, Incident: id, Err: err}
		s.broken.set(id, err)
		return err
	}
	if err != nil {
		return wrap("verify "+id, err)
	}
	head, err := incident.Check(id, entries)
	if err == nil && head != inc.Head {
		err = fmt.Errorf("the entries end at #%d %.12s but the incident's head is #%d %.12s (entries removed at the end?)",
			head.Seq, head.Hash, inc.Head.Seq, inc.Head.Hash)
	}
	if err == nil {
		// The record's T0 drives every deadline: it must say what the
		// entries say, as must its title, chain and status.
		if rerr := incident.CheckRecord(inc, entries); rerr != nil {
			err = fmt.Errorf("the incident's record: %w (record edited?)", rerr)
		}
	}
	if err != nil {
		be := &incident.BrokenError{Where: s.path, Incident: id, Err: err}
		s.broken.set(id, be)
		return be
	}
	s.broken.setVerified(id)
	return nil
}

// Audit verifies the chain of every incident that keep selects (nil: all),
// in ID order, and calls found for each one broken. It stops at the first
// error that is not a broken chain (a damaged file, a cancelled ctx).
func (s *Store) Audit(ctx context.Context, keep func(*incident.Incident) bool, found func(*incident.BrokenError)) (checked int, err error) {
	incs, err := s.All(ctx)
	if err != nil {
		return 0, err
	}
	for _, inc := range incs {
		if err := ctx.Err(); err != nil {
			return checked, err
		}
		if keep != nil && !keep(inc) {
			continue
		}
		if s.broken.isVerified(inc.ID) {
			checked++
			continue // verified by an append since Open
		}
		err := s.VerifyChain(ctx, inc.ID)
		var be *incident.BrokenError
		switch {
		case errors.As(err, &be):
			found(be)
		case err != nil:
			return checked, err
		}
		checked++
	}
	return checked, nil
}

// checkTail is the cheap check each Update makes: the last stored entry is
// the incident's head and still hashes to it. A chain altered elsewhere is
// Audit's to find.
func checkTail(lb *bolt.Bucket, head incident.Head) error {
	if head.Seq == 0 {
		return nil
	}
	k, v := lb.Cursor().Last()
	var e incident.Entry
	switch {
	case k == nil:
		return fmt.Errorf("no entry, where the head is #%d", head.Seq)
	case decodeEntry(v, &e) != nil:
		return fmt.Errorf("entry %x cannot be read", k)
	case e.Seq != head.Seq || e.Hash != head.Hash:
		return fmt.Errorf("the last entry is #%d, where the head is #%d %.12s (entries removed at the end?)", e.Seq, head.Seq, head.Hash)
	case e.ComputeHash() != e.Hash:
		return fmt.Errorf("entry %d: hash does not match its content (altered?)", e.Seq)
	}
	return nil
}
