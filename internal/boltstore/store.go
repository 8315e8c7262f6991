// Package boltstore keeps incidents and their main courante in a single
// bbolt file. It implements the store the conversation declares (bot.Store,
// bot.ReminderStore) on the domain types of package incident alone: it must
// not import the conversation, the reports or any adapter, so that the
// store can be read (export, backup, stats) with no chat anywhere.
//
// # Layout
//
// Every value is JSON with a version field, decoded inside the transaction
// that reads it. The top-level buckets are:
//
//	meta                     "schema" → decimal schema version (currently 1)
//	incidents/<id>           {"v":1,"incident":{…}}, the incident.Incident with its Head
//	log/<id>/<seq BE>        {"v":1,"entry":{…}}, one main-courante entry per key;
//	                         a sub-bucket per incident, keys are 8-byte big-endian
//	                         sequence numbers, so an append writes one path of its
//	                         B+tree (plus the incident record) and costs the same
//	                         at entry 10 and entry 100 000
//	open/<channel>\x00<id>   empty value: the index of open incidents by channel
//	seq/<year>               8-byte big-endian counter behind IDs such as 2026-0001
//	seq/EX-<year>            the same for exercises: EX-2026-0001
//	reminders/<wake BE><id>  empty value: the index of incident.Incident.Wake, the next
//	                         instant the reminder sweep must look at an incident
//	                         (8-byte big-endian Unix nanoseconds), read from its
//	                         start so that a sweep reads only what is due
//	outbox/<id>              empty value: the incidents whose channel is owed their
//	                         card and checklist (head past Incident.Shown), written
//	                         in the transaction that appends the entries
//	sent                     reserved for inbound dedup (platform retries); the
//	                         reminders' own sent-log is Incident.Reminded, written
//	                         in the same transaction as the wake that follows it
//	revs/<id>                8-byte big-endian revision of incidents/<id>, bumped by
//	                         every write of it: Change's optimistic check
//	clicks/<id>\x00<where>   8-byte big-endian Unix nanoseconds, then what: the last
//	                         click of a person on a message (incident.Click), written
//	                         with the change it made, so that a repeat changes nothing
//	clickexp/<at BE><key>    empty value: clicks by time, to forget them after
//	                         their window, a few at each click
//	past/<channel>\x00<id>   the incident.Summary of each incident, which
//	                         listings read (past.go has the value's layout)
//	search/<id>\x00<seq BE>  what people wrote, for searches: the title under
//	                         seq 0, and each entry's incident.Entry.Searchable
//	                         texts (past.go has the value's layout)
//
// # Writes
//
// Create and Change (Update) each write in one transaction: the incident,
// its entries sealed after its head (incident.Seal), the indexes and the
// click change together or not at all, and are on disk (fsync) when the
// call returns nil. Change reads and runs fn before that transaction, and
// writes only if the incident's revision is still the one it read (see
// Change). Concurrent writes share commits (group commit, see committer).
// A caller's fn may run more than once, always on a fresh copy; an error
// from fn comes back unchanged.
//
// The file is locked while open: a second Vigie on the same file fails with
// ErrInUse after Options.Timeout instead of hanging. Run one replica.
package boltstore

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strconv"
	"sync/atomic"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// SchemaVersion is the layout this package reads and writes. A file with a
// newer version was written by a newer Vigie and is refused rather than
// misread.
const SchemaVersion = 1

// DefaultTimeout is how long Open waits for the file lock by default.
const DefaultTimeout = time.Second

// Bucket and key names; see the package documentation.
var (
	bucketMeta      = []byte("meta")
	bucketIncidents = []byte("incidents")
	bucketLog       = []byte("log")
	bucketOpen      = []byte("open")
	bucketSeq       = []byte("seq")
	bucketReminders = []byte("reminders")
	bucketSent      = []byte("sent")
	bucketOutbox    = []byte("outbox")
	bucketRevs      = []byte("revs")
	bucketClicks    = []byte("clicks")
	bucketClickExp  = []byte("clickexp")
	bucketPast      = []byte("past")
	bucketSearch    = []byte("search")
	keySchema       = []byte("schema")

	allBuckets = [][]byte{bucketMeta, bucketIncidents, bucketLog, bucketOpen, bucketSeq, bucketReminders, bucketSent, bucketOutbox, bucketRevs, bucketClicks, bucketClickExp, bucketPast, bucketSearch}
)

// ErrInUse is matched (errors.Is) by the error Open returns when another
// process, or another Open in this one, holds the file. The error also
// matches berrors.ErrTimeout.
var ErrInUse = errors.New("database in use by another Vigie")

// ErrNewerSchema is matched by the error Open returns for a file written by
// a newer Vigie.
var ErrNewerSchema = errors.New("database schema is newer than this Vigie")

// newerSchemaError says what to do with a file from a newer Vigie.
type newerSchemaError struct {
	path    string
	version int
}

func (e *newerSchemaError) Error() string {
	return fmt.Sprintf("%s: %v (schema %d, this Vigie reads %d). Nothing was changed: upgrade Vigie, or restore a backup made by this version",
		e.path, ErrNewerSchema, e.version, SchemaVersion)
}
func (e *newerSchemaError) Is(target error) bool { return target == ErrNewerSchema }

// inUseError names the file so that the operator knows which Vigie to stop.
type inUseError struct{ path string }

func (e *inUseError) Error() string        { return ErrInUse.Error() + ": " + e.path }
func (e *inUseError) Is(target error) bool { return target == ErrInUse }
func (e *inUseError) Unwrap() error        { return berrors.ErrTimeout }

// Options configure Open. There is deliberately no NoSync: every write that
// returns nil is on disk, because the bot acknowledges actions after it.
type Options struct {
	// Timeout is how long to wait for the file lock; zero or negative means
	// DefaultTimeout. Bolt's own zero value waits forever, which would turn
	// a forgotten second Vigie into a silent hang.
	Timeout time.Duration
	// ReadOnly opens the file for tools that must not change it (backup,
	// export, verify). Read-only opens share the lock with each other but
	// not with a running Vigie, and the file must already be initialised.
	ReadOnly bool
}

// writeMode chooses how write transactions are committed. Only tests and
// benchmarks change it: Open always uses group commit.
type writeMode int

const (
	modeGroup  writeMode = iota // committer: group commit, see commit.go
	modeUpdate                  // db.Update: one fsync per call
	modeBatch                   // db.Batch: merged, but lone callers wait MaxBatchDelay
)

// Store is bot.Store on bbolt. It is safe for concurrent use.
type Store struct {
	db       *bolt.DB
	path     string
	readOnly bool
	mode     writeMode // fixed after Open; tests and benchmarks change it
	commit   committer
	broken   brokenSet    // incidents whose main courante does not verify
	tails    tails        // last entries known good (tail.go)
	decoded  decoded      // incidents decoded last (decoded.go)
	lanes    lanes        // the incidents being changed, in order (lane.go)
	stale    atomic.Int64 // changes that went stale and ran again (lane.go)
}

// Open opens or creates the database at path, initialising a fresh file and
// refusing one with a newer schema.
func Open(path string, opts Options) (s *Store, err error) {
	if err := inspect(path); err != nil {
		return nil, err
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	s = &Store{path: path, readOnly: opts.ReadOnly}
	// bbolt reads the freelist and the root at open: a damaged page there
	// panics, here as anywhere.
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.guard(&err)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: timeout, FreelistType: bolt.FreelistMapType, ReadOnly: opts.ReadOnly})
	switch {
	case errors.Is(err, berrors.ErrTimeout):
		return nil, &inUseError{path: path}
	case errors.Is(err, berrors.ErrInvalid), errors.Is(err, berrors.ErrChecksum), errors.Is(err, berrors.ErrVersionMismatch):
		return nil, &DamagedError{Path: path, Reason: err.Error()}
	case err != nil:
		return nil, fmt.Errorf("boltstore: open %s: %w", path, err)
	}
	s.db, s.commit = db, committer{db: db}
	// The tree of pages is walked once, with plain reads, before anything
	// uses it: a damaged page is refused here, with a sentence, rather
	// than found by a command that then writes beside it.
	if err := walkFile(path); err != nil {
		_ = db.Close()
		return nil, err
	}
	if err := s.initSchema(); err != nil {
		_ = db.Close() // the schema error is the one that matters
		return nil, err
	}
	return s, nil
}

// initSchema checks the schema version and creates missing buckets. It
// writes only when something is missing, so that a normal start costs no
// fsync.
func (s *Store) initSchema() error {
	var complete bool
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		complete, err = checkSchema(tx)
		return err
	})
	if ns, ok := errors.AsType[*newerSchemaError](err); ok {
		ns.path = s.path
		return ns
	}
	if errors.Is(err, ErrDamaged) {
		return err
	}
	if err != nil {
		return &DamagedError{Path: s.path, Reason: err.Error()}
	}
	if complete {
		return nil
	}
	if s.readOnly {
		// A file of an older Vigie lacks the newer buckets (outbox, past,
		// search): they are created at the next read-write open, and
		// readers do without.
		var initialised bool
		_ = s.view(func(tx *bolt.Tx) error { initialised = tx.Bucket(bucketMeta) != nil; return nil })
		if initialised {
			return nil
		}
		return &DamagedError{Path: s.path, Reason: "it was never opened by Vigie (no schema): open it once read-write"}
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		if _, err := checkSchema(tx); err != nil {
			return err
		}
		// A file of an older Vigie has its incidents but not their
		// listing and search indexes: they are built once, here.
		rebuild := tx.Bucket(bucketPast) == nil || tx.Bucket(bucketSearch) == nil
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		if rebuild {
			if err := rebuildPast(tx); err != nil {
				return fmt.Errorf("build the listing and search indexes: %w", err)
			}
		}
		return tx.Bucket(bucketMeta).Put(keySchema, []byte(strconv.Itoa(SchemaVersion)))
	})
}

// checkSchema reports whether the file holds the current schema with every
// bucket. A file with no meta bucket is fresh only if it is empty: any
// other bbolt file is not ours to write to.
func checkSchema(tx *bolt.Tx) (complete bool, err error) {
	meta := tx.Bucket(bucketMeta)
	if meta == nil {
		empty := true
		_ = tx.ForEach(func([]byte, *bolt.Bucket) error { empty = false; return nil })
		if !empty {
			return false, errors.New("not a Vigie database (no schema version)")
		}
		return false, nil
	}
	raw := meta.Get(keySchema)
	v, err := strconv.Atoi(string(raw))
	if err != nil || v < 1 {
		return false, fmt.Errorf("bad schema version %q", raw)
	}
	if v > SchemaVersion {
		return false, &newerSchemaError{version: v}
	}
	for _, name := range allBuckets {
		if tx.Bucket(name) == nil {
			return false, nil
		}
	}
	return true, nil
}

// Close releases the file and its lock.
func (s *Store) Close() error {
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("boltstore: close %s: %w", s.path, err)
	}
	return nil
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Backup writes a consistent copy of the whole database to w while the bot
// keeps running: a read transaction sees one commit and does not block
// writers. It returns the number of bytes written.
func (s *Store) Backup(w io.Writer) (int64, error) {
	var n int64
	err := s.view(func(tx *bolt.Tx) error {
		var err error
		n, err = tx.WriteTo(w)
		return err
	})
	if err != nil {
		return n, wrap("backup "+s.path, err)
	}
	return n, nil
}

// Check checks the whole file: that its pages hold together (walkFile),
// then bbolt's consistency check (page reachability, freelist, key order).
// It returns every problem found, joined, as a DamagedError. It uses a
// writable transaction, rolled back, because bbolt's check on a read
// transaction is unsafe while writers run, and so that the file does not
// change while it is walked; writers wait for it. A read-only store has no
// writers and checks in a read transaction.
func (s *Store) Check() (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer s.guard(&err)
	tx, err := s.db.Begin(!s.readOnly)
	if err != nil {
		return fmt.Errorf("boltstore: check %s: %w", s.path, err)
	}
	defer func() { _ = tx.Rollback() }() // read only: nothing to keep
	if err := walkFile(s.path); err != nil {
		return err
	}
	var errs []string
	for err := range tx.Check() {
		if len(errs) < maxProblems {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return &DamagedError{Path: s.path, Reason: "bbolt's consistency check failed: " + joinProblems(errs)}
	}
	return nil
}
