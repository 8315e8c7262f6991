package hotcopy_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vigie-sante/vigie/internal/hotcopy"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// shortDir is a temporary directory whose socket path fits the system's
// limit (t.TempDir's names are long).
func shortDir(t *testing.T) string {
	dir, err := os.MkdirTemp("", "hc")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func TestFetch(t *testing.T) {
	dir := shortDir(t)
	want := bytes.Repeat([]byte("bbolt"), 100_000)
	s, err := hotcopy.Listen(dir, func(w io.Writer) (int64, error) {
		n, err := w.Write(want)
		return int64(n), err
	}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(dir, hotcopy.Name)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket %v, %v: want mode 0600", fi, err)
	}
	// A second Vigie on the same directory is refused.
	if _, err := hotcopy.Listen(dir, nil, quiet); err == nil || !strings.Contains(err.Error(), "another Vigie answers") {
		t.Fatalf("second Listen: %v", err)
	}
	var got bytes.Buffer
	n, err := hotcopy.Fetch(context.Background(), dir, &got)
	if err != nil || n != int64(len(want)) || !bytes.Equal(got.Bytes(), want) {
		t.Fatalf("Fetch = %d, %v; got %d bytes", n, err, got.Len())
	}
	// Anything but "backup" is refused, and says what is accepted.
	c, err := net.Dial("unix", filepath.Join(dir, hotcopy.Name))
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(c, "delete\n")
	answer, _ := io.ReadAll(c)
	c.Close()
	if !strings.Contains(string(answer), `error unknown request "delete" (accepted: backup)`) {
		t.Errorf("answer %q", answer)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, hotcopy.Name)); err == nil {
		t.Error("Close left the socket file")
	}
	if _, err := hotcopy.Fetch(context.Background(), dir, io.Discard); !errors.Is(err, hotcopy.ErrNoServer) {
		t.Errorf("Fetch with no server: %v", err)
	}
}

// TestStaleSocket: a socket file left by a Vigie that died is replaced.
func TestStaleSocket(t *testing.T) {
	dir := shortDir(t)
	ln, err := net.Listen("unix", filepath.Join(dir, hotcopy.Name))
	if err != nil {
		t.Fatal(err)
	}
	ln.(*net.UnixListener).SetUnlinkOnClose(false)
	ln.Close() // the file stays, nobody answers
	s, err := hotcopy.Listen(dir, func(w io.Writer) (int64, error) { return 0, nil }, quiet)
	if err != nil {
		t.Fatalf("Listen over a stale socket: %v", err)
	}
	s.Close()
}
