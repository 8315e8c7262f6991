package cli_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/vigie-sante/vigie/internal/cli"
)

// TestDamagedDatabaseThroughEveryCommand: whatever is wrong with the file,
// every command that opens it answers with one sentence naming the file
// and exits 1; no stack trace, and the file is left as it was.
func TestDamagedDatabaseThroughEveryCommand(t *testing.T) {
	good, err := os.ReadFile(exportDB(t))
	if err != nil {
		t.Fatal(err)
	}
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rand.N(256))
	}
	future := filepath.Join(t.TempDir(), "future.db")
	if err := os.WriteFile(future, good, 0o600); err != nil {
		t.Fatal(err)
	}
	setSchema(t, future, "99")
	futureBytes, _ := os.ReadFile(future)
	files := []struct {
		name  string
		bytes []byte // nil: a directory
		want  string
	}{
		{"empty", []byte{}, "it is empty (0 bytes)"},
		{"truncated to 20000 bytes", good[:20000], "it is truncated (20000 bytes"},
		{"truncated to 8192 bytes", good[:8192], "it is truncated"},
		{"truncated to 100 bytes", good[:100], "it is truncated"},
		{"random bytes", random, "no bbolt signature"},
		{"directory", nil, "it is a directory"},
		{"newer schema", futureBytes, "database schema is newer than this Vigie (schema 99, this Vigie reads 1)"},
	}
	commands := [][]string{
		{"console", "--sweep", "0"}, {"export", "2026-0001"}, {"stats", "--year", "2026"},
		{"backup", "COPY"}, {"check"}, {"liste"}, {"cherche", "PACS"},
	}
	for _, f := range files {
		for _, cmd := range commands {
			t.Run(f.name+"/"+cmd[0], func(t *testing.T) {
				dir := t.TempDir()
				db := filepath.Join(dir, "vigie.db")
				if f.bytes == nil {
					if err := os.Mkdir(db, 0o700); err != nil {
						t.Fatal(err)
					}
				} else if err := os.WriteFile(db, f.bytes, 0o600); err != nil {
					t.Fatal(err)
				}
				args := append([]string{"--db", db}, cmd...)
				for i, a := range args {
					if a == "COPY" {
						args[i] = filepath.Join(dir, "copy.db")
					}
				}
				code, out, errs := runVigie(t, "note x\n", args...)
				if code != cli.ExitFailure || !strings.Contains(errs, f.want) || !strings.Contains(errs, db) ||
					strings.Count(strings.TrimSpace(errs), "\n") > 0 || strings.Contains(errs, "goroutine") || out != "" {
					t.Fatalf("exit %d, stdout %q, stderr %q; want exit 1 and one line naming %s and %q", code, out, errs, db, f.want)
				}
				if strings.Contains(errs, "run vigie check") {
					t.Errorf("stderr %q sends to vigie check, which would say the same", errs)
				}
				if f.bytes != nil {
					if after, _ := os.ReadFile(db); !bytes.Equal(after, f.bytes) {
						t.Fatal("the file was changed")
					}
				}
				if _, err := os.Stat(filepath.Join(dir, "copy.db")); err == nil {
					t.Fatal("backup left a copy of a damaged database")
				}
			})
		}
	}
}

// setSchema writes the schema version of a database, as a newer Vigie would.
func setSchema(t *testing.T, path, v string) {
	t.Helper()
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Update(func(tx *bolt.Tx) error { return tx.Bucket([]byte("meta")).Put([]byte("schema"), []byte(v)) }); err != nil {
		t.Fatal(err)
	}
	if _, err := strconv.Atoi(v); err != nil {
		t.Fatal(err)
	}
}
