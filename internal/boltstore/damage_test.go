package boltstore_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/internal/boltstore"
)

// goodFile returns the bytes of a closed database holding a few incidents.
func goodFile(t *testing.T) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "good.db")
	s, err := boltstore.Open(path, boltstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	fill(t, s)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// useAll reads everything a command reads from s, and checks it.
func useAll(s *boltstore.Store) error {
	ctx := context.Background()
	incs, err := s.All(ctx)
	if err != nil {
		return err
	}
	for _, inc := range incs {
		if _, err := s.Entries(ctx, inc.ID, 0, 0); err != nil {
			return err
		}
	}
	if _, err := s.Open(ctx, ""); err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := s.Backup(&buf); err != nil {
		return err
	}
	return s.Check()
}

// TestDamagedFilesAreRefused: a file that is not a whole database gets a
// sentence naming the file and what is wrong, never a panic or a fault,
// and is left as it was.
func TestDamagedFilesAreRefused(t *testing.T) {
	good := goodFile(t)
	if len(good) < 5*4096 {
		t.Fatalf("the fixture is only %d bytes", len(good))
	}
	random := make([]byte, 64<<10)
	for i := range random {
		random[i] = byte(rand.N(256))
	}
	tests := []struct {
		name   string
		bytes  []byte // nil: a directory
		reason string
	}{
		{"empty", []byte{}, "it is empty (0 bytes)"},
		{"one byte", []byte{0}, "shorter than a database header"},
		{"truncated to 100 bytes", good[:100], "it is truncated"},
		{"truncated to one page", good[:4096], "it is truncated (4096 bytes"},
		{"truncated to two pages", good[:8192], "it is truncated (8192 bytes"},
		{"truncated to 20000 bytes", good[:20000], "it is truncated (20000 bytes"},
		{"truncated by half", good[:len(good)/2], "it is truncated"},
		{"directory", nil, "it is a directory"},
		{"random bytes", random, "no bbolt signature"},
		{"text", []byte(strings.Repeat("vigie\n", 1000)), "no bbolt signature"},
		{"both headers zeroed", append(make([]byte, 8192), good[8192:]...), "no bbolt signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vigie.db")
			if tt.bytes == nil {
				if err := os.Mkdir(path, 0o700); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(path, tt.bytes, 0o600); err != nil {
				t.Fatal(err)
			}
			for _, ro := range []bool{false, true} {
				s, err := boltstore.Open(path, boltstore.Options{ReadOnly: ro})
				if err == nil {
					s.Close()
					t.Fatalf("Open (read-only %v) succeeded", ro)
				}
				if !errors.Is(err, boltstore.ErrDamaged) || !strings.Contains(err.Error(), tt.reason) ||
					!strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "Nothing was changed") {
					t.Fatalf("Open (read-only %v): %v; want ErrDamaged naming %s and %q", ro, err, path, tt.reason)
				}
			}
			if tt.bytes != nil {
				if after, _ := os.ReadFile(path); !bytes.Equal(after, tt.bytes) {
					t.Fatal("the refused file was changed")
				}
			}
		})
	}
}

// TestDamagedPages: garbage written over any one page of a database never
// panics: Open refuses the file, or every read and the consistency check
// answer with an error (ErrDamaged where bbolt panicked) or succeed.
func TestDamagedPages(t *testing.T) {
	good := goodFile(t)
	const ps = 4096
	for page := 2; page < len(good)/ps; page++ {
		for _, fill := range []byte{0x00, 0xff, 0x41} {
			b := bytes.Clone(good)
			for i := page*ps + 10; i < (page+1)*ps; i++ {
				b[i] = fill
			}
			path := filepath.Join(t.TempDir(), "vigie.db")
			if err := os.WriteFile(path, b, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
			if err != nil {
				if !errors.Is(err, boltstore.ErrDamaged) {
					t.Errorf("page %d filled with %#x: Open: %v, want ErrDamaged", page, fill, err)
				}
				continue
			}
			err = useAll(s)
			s.Close()
			if err != nil && !strings.Contains(err.Error(), path) {
				t.Errorf("page %d filled with %#x: %v does not name the file", page, fill, err)
			}
		}
	}
}
