package boltstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"

	"github.com/vigie-sante/vigie/bot"
	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/storetest"
)

// The store is what the conversation asks for; the package itself does not
// import the conversation, so the check lives here.
var (
	_ bot.Store         = (*boltstore.Store)(nil)
	_ bot.ReminderStore = (*boltstore.Store)(nil)
	_ bot.PastStore     = (*boltstore.Store)(nil)
)

var t0 = time.Date(2026, 3, 28, 1, 10, 0, 0, time.UTC)

// MustOpen opens a store on a new file in t.TempDir() and, at cleanup,
// checks the file's consistency and closes it.
func MustOpen(t testing.TB) *boltstore.Store {
	t.Helper()
	return MustOpenAt(t, filepath.Join(t.TempDir(), "vigie.db"))
}

// MustOpenAt is MustOpen on a given path.
func MustOpenAt(t testing.TB, path string) *boltstore.Store {
	t.Helper()
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Check(); err != nil {
			t.Errorf("consistency: %v", err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	// The suite runs under each write mode so that the batched path, with
	// its retries, is held to the same contract as the plain one.
	for _, m := range []struct {
		name string
		mode boltstore.WriteMode
	}{{"group", boltstore.ModeGroup}, {"update", boltstore.ModeUpdate}, {"batch", boltstore.ModeBatch}} {
		t.Run(m.name, func(t *testing.T) {
			storetest.Run(t, func(t *testing.T) bot.Store {
				s := MustOpen(t)
				boltstore.SetWriteMode(s, m.mode)
				return s
			})
		})
	}
}

// fill creates three incidents with a few entries, one closed.
func fill(t *testing.T, s *boltstore.Store) []*incident.Incident {
	t.Helper()
	ctx := context.Background()
	var out []*incident.Incident
	for i, ch := range []string{"A", "B", "A"} {
		inc, err := s.Create(ctx, storetest.NewIncident(ch, t0.Add(time.Duration(i)*time.Minute)),
			[]incident.Entry{storetest.Entry(incident.KindOpened, "ouverture "+ch, t0.Add(time.Duration(i)*time.Minute))})
		if err != nil {
			t.Fatal(err)
		}
		for j := range 3 {
			if _, err := s.Update(ctx, inc.ID, func(inc *incident.Incident) ([]incident.Entry, error) {
				inc.Points++
				return []incident.Entry{storetest.Entry(incident.KindNote, "note "+strconv.Itoa(j), t0)}, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, inc)
	}
	if _, err := s.Update(ctx, out[0].ID, func(inc *incident.Incident) ([]incident.Entry, error) {
		inc.Status, inc.ClosedBy, inc.ClosedAt = incident.StatusClosed, incident.User{ID: "u1", Name: "rssi"}, t0 // as the closing says
		return []incident.Entry{storetest.Entry(incident.KindClosed, "clôture", t0)}, nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// snapshot is everything a store holds, as JSON, to compare two stores.
func snapshot(t *testing.T, s *boltstore.Store) string {
	t.Helper()
	ctx := context.Background()
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, inc := range all {
		b.WriteString(mustJSON(t, inc))
		b.WriteString(mustJSON(t, storetest.VerifyChain(t, s, inc.ID)))
	}
	open, err := s.Open(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	b.WriteString(mustJSON(t, open))
	return b.String()
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestReopenKeepsEverything(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s)
	want := snapshot(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s = MustOpenAt(t, path)
	if got := snapshot(t, s); got != want {
		t.Errorf("after reopening:\n%s\nwant\n%s", got, want)
	}
	inc, err := s.Create(context.Background(), storetest.NewIncident("A", t0), nil)
	if err != nil || inc.ID != "2026-0004" {
		t.Errorf("Create after reopening: %v, %v; want 2026-0004", inc, err)
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	MustOpenAt(t, path)
	s, err := boltstore.Open(path, boltstore.Options{Timeout: 100 * time.Millisecond})
	if err == nil {
		s.Close()
		t.Fatal("second Open of a locked file succeeded")
	}
	if !errors.Is(err, boltstore.ErrInUse) || !errors.Is(err, berrors.ErrTimeout) {
		t.Errorf("error %v does not match ErrInUse and bbolt's ErrTimeout", err)
	}
	if want := "database in use by another Vigie: " + path; err.Error() != want {
		t.Errorf("error %q, want %q", err, want)
	}
}

func TestBackupIsAHotConsistentCopy(t *testing.T) {
	s := MustOpen(t)
	incs := fill(t, s)
	ctx := context.Background()

	// Writers keep going while the copy is taken.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for _, inc := range incs {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := s.Update(ctx, inc.ID, func(*incident.Incident) ([]incident.Entry, error) {
					return []incident.Entry{storetest.Entry(incident.KindNote, "pendant "+strconv.Itoa(i), t0)}, nil
				}); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	var buf bytes.Buffer
	n, err := s.Backup(&buf)
	close(stop)
	wg.Wait()
	if err != nil || n != int64(buf.Len()) || n == 0 {
		t.Fatalf("Backup: %d bytes (buffer %d), %v", n, buf.Len(), err)
	}
	path := filepath.Join(t.TempDir(), "backup.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	b := MustOpenAt(t, path)
	for _, inc := range incs {
		es := storetest.VerifyChain(t, b, inc.ID)
		if len(es) < 4 {
			t.Errorf("backup of %s holds %d entries", inc.ID, len(es))
		}
	}

	// At rest, the copy holds exactly the same data.
	buf.Reset()
	if _, err := s.Backup(&buf); err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(t.TempDir(), "rest.db")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, want := snapshot(t, MustOpenAt(t, path)), snapshot(t, s); got != want {
		t.Errorf("backup differs from the store:\n%s\nwant\n%s", got, want)
	}
}

// rawPut writes key=value in bucket of a closed store's file, as another
// tool or a newer Vigie might.
func rawPut(t *testing.T, path, bucket, key, value string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucketIfNotExists([]byte(bucket))
		if err != nil {
			return err
		}
		return b.Put([]byte(key), []byte(value))
	}); err != nil {
		t.Fatal(err)
	}
}

func TestNewerSchemaIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s)
	s.Close()
	rawPut(t, path, "meta", "schema", strconv.Itoa(boltstore.SchemaVersion+1))
	s, err = boltstore.Open(path, boltstore.Options{})
	if err == nil {
		s.Close()
		t.Fatal("Open of a newer schema succeeded")
	}
	if !errors.Is(err, boltstore.ErrNewerSchema) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "upgrade Vigie") {
		t.Errorf("error %q: want ErrNewerSchema naming the file and the remedy", err)
	}
	// The refused file is left as it was, and unlocked.
	rawPut(t, path, "meta", "schema", strconv.Itoa(boltstore.SchemaVersion))
	MustOpenAt(t, path)
}

func TestForeignFileIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "other.db")
	rawPut(t, path, "etcd", "k", "v")
	if s, err := boltstore.Open(path, boltstore.Options{}); err == nil {
		s.Close()
		t.Fatal("Open of a bbolt file that is not Vigie's succeeded")
	} else if !strings.Contains(err.Error(), "not a Vigie database") {
		t.Errorf("error %q", err)
	}
}

func TestFreshFileHasEveryBucket(t *testing.T) {
	path := filepath.Join(t.TempDir(), "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := bolt.Open(path, 0o600, &bolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var names []string
	var schema string
	db.View(func(tx *bolt.Tx) error {
		schema = string(tx.Bucket([]byte("meta")).Get([]byte("schema")))
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error { names = append(names, string(name)); return nil })
	})
	want := []string{"clickexp", "clicks", "incidents", "log", "meta", "open", "outbox", "past", "reminders", "revs", "search", "sent", "seq"}
	if !slices.Equal(names, want) || schema != "1" {
		t.Errorf("buckets %v schema %q, want %v schema 1", names, schema, want)
	}
}

func TestIDFormat(t *testing.T) {
	for n, want := range map[uint64]string{1: "2026-0001", 42: "2026-0042", 9999: "2026-9999", 10000: "2026-10000"} {
		if got := boltstore.FormatID(2026, n); got != want {
			t.Errorf("FormatID(2026, %d) = %q, want %q", n, got, want)
		}
	}
	ordered := []string{"2025-0002", "2025-0010", "2026-0001", "2026-9999", "2026-10000", "2027-0001"}
	for i := range ordered {
		for j := range ordered {
			if got := boltstore.IDLess(ordered[i], ordered[j]); got != (i < j) {
				t.Errorf("IDLess(%s, %s) = %v", ordered[i], ordered[j], got)
			}
		}
	}
}

func TestReadOnly(t *testing.T) {
	dir := t.TempDir()
	if _, err := boltstore.Open(filepath.Join(dir, "none.db"), boltstore.Options{ReadOnly: true}); err == nil {
		t.Error("read-only Open of a missing file succeeded")
	}
	path := filepath.Join(dir, "vigie.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s)
	want := snapshot(t, s)
	s.Close()

	// Tools share the file with each other, and see everything.
	r1, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer r1.Close()
	r2, err := boltstore.Open(path, boltstore.Options{ReadOnly: true, Timeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("second read-only Open: %v", err)
	}
	defer r2.Close()
	if got := snapshot(t, r2); got != want {
		t.Errorf("read-only store holds\n%s\nwant\n%s", got, want)
	}
	if err := r1.Check(); err != nil {
		t.Error(err)
	}
	if _, err := r1.Create(context.Background(), storetest.NewIncident("A", t0), nil); !errors.Is(err, berrors.ErrDatabaseReadOnly) {
		t.Errorf("Create on a read-only store: %v", err)
	}
	// But not with a running Vigie.
	if _, err := boltstore.Open(path, boltstore.Options{Timeout: 100 * time.Millisecond}); !errors.Is(err, boltstore.ErrInUse) {
		t.Errorf("read-write Open beside read-only ones: %v, want ErrInUse", err)
	}
}
