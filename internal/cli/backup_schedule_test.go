package cli

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/vigie-sante/vigie/internal/boltstore"
)

// TestScheduledBackupsKeepTheNewest: each scheduled copy is checked and
// named by its time; past keep, the oldest go.
func TestScheduledBackupsKeepTheNewest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "vigie.db")
	st, err := boltstore.Open(db, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a := &app{store: st, dir: filepath.Dir(db), log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	dir := filepath.Join(t.TempDir(), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 6, 3, 0, 0, 0, time.UTC)
	for i := range 4 {
		a.backupOnce(dir, 2, at.Add(time.Duration(i)*6*time.Hour))
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{"vigie-20261206T150000Z.db", "vigie-20261206T210000Z.db"}
	if !slices.Equal(names, want) {
		t.Fatalf("backups %v, want %v", names, want)
	}
	if _, err := checkCopy(filepath.Join(dir, want[1])); err != nil {
		t.Fatalf("the newest copy does not check: %v", err)
	}
}
