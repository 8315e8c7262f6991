// Package hotcopy lets `vigie backup` copy the database of a Vigie that is
// running. bbolt locks its file for one process, and a read-only open waits
// for the lock, so the running process makes the copy itself: it listens on
// a Unix socket in the data directory, reachable by the same user only
// (the socket's mode, and the peer's credentials where the system gives
// them), and answers a request with a consistent copy, made in one read
// transaction while the bot keeps writing.
//
// The protocol is one line each way: the client sends "backup\n"; the
// server answers "ok\n" followed by the copy until it closes, or "error
// <sentence>\n".
//
// It imports nothing of ours: the caller gives the function that copies.
package hotcopy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Name is the socket's file name in the data directory.
const Name = "vigie.sock"

// maxPath is the longest socket path the systems Vigie runs on accept.
const maxPath = 100

// ErrNoServer is matched by Fetch's error when no Vigie listens.
var ErrNoServer = errors.New("no running Vigie answers")

// Copier writes a consistent copy of the database to w.
type Copier func(w io.Writer) (int64, error)

// Server answers backup requests on the socket.
type Server struct {
	ln   net.Listener
	path string
	copy Copier
	log  *slog.Logger
	wg   sync.WaitGroup
}

// Listen listens on the socket in dir. A socket file left by a Vigie that
// died is replaced; one a live process answers on is not.
func Listen(dir string, copy Copier, log *slog.Logger) (*Server, error) {
	path := filepath.Join(dir, Name)
	if len(path) > maxPath {
		return nil, fmt.Errorf("hot backups: socket path %s is longer than %d bytes: put the database in a shorter directory", path, maxPath)
	}
	if c, err := net.DialTimeout("unix", path, time.Second); err == nil {
		c.Close()
		return nil, fmt.Errorf("hot backups: another Vigie answers on %s", path)
	}
	_ = os.Remove(path) // a socket file left behind
	ln, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("hot backups: %w", err)
	}
	if err := os.Chmod(path, 0o600); err != nil {
		ln.Close()
		return nil, fmt.Errorf("hot backups: %w", err)
	}
	s := &Server{ln: ln, path: path, copy: copy, log: log}
	s.wg.Go(s.serve)
	return s, nil
}

func (s *Server) serve() {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return // closed
		}
		s.wg.Go(func() { s.answer(c) })
	}
}

func (s *Server) answer(c net.Conn) {
	defer c.Close()
	if err := samePeer(c); err != nil {
		s.log.Warn("hot backup refused", "err", err)
		fmt.Fprintf(c, "error %v\n", err)
		return
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	line, err := bufio.NewReader(io.LimitReader(c, 64)).ReadString('\n')
	if err != nil || strings.TrimSpace(line) != "backup" {
		fmt.Fprintf(c, "error unknown request %q (accepted: backup)\n", strings.TrimSpace(line))
		return
	}
	_ = c.SetDeadline(time.Time{})
	if _, err := io.WriteString(c, "ok\n"); err != nil {
		return
	}
	n, err := s.copy(c)
	if err != nil {
		s.log.Error("hot backup", "err", err)
		return // the client sees a short copy, which its check refuses
	}
	s.log.Info("hot backup sent", "bytes", n)
}

// Close stops listening, waits for copies under way, and removes the
// socket file.
func (s *Server) Close() error {
	err := s.ln.Close()
	s.wg.Wait()
	_ = os.Remove(s.path)
	return err
}

// Fetch asks the Vigie listening in dir for a copy of its database and
// writes it to w.
func Fetch(ctx context.Context, dir string, w io.Writer) (int64, error) {
	path := filepath.Join(dir, Name)
	var d net.Dialer
	c, err := d.DialContext(ctx, "unix", path)
	if err != nil {
		return 0, fmt.Errorf("%w on %s: %v", ErrNoServer, path, err)
	}
	defer c.Close()
	stop := context.AfterFunc(ctx, func() { c.Close() })
	defer stop()
	if _, err := io.WriteString(c, "backup\n"); err != nil {
		return 0, fmt.Errorf("hot backup: %w", err)
	}
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		return 0, fmt.Errorf("hot backup: the running Vigie did not answer: %w", err)
	}
	if line != "ok\n" {
		return 0, fmt.Errorf("hot backup: the running Vigie refused: %s", strings.TrimPrefix(strings.TrimSpace(line), "error "))
	}
	n, err := io.Copy(w, r)
	if err != nil {
		return n, fmt.Errorf("hot backup: %w", err)
	}
	return n, nil
}
