package console

import (
	"bufio"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// history keeps the commands typed at the prompt, most recent last, in a
// file when it has one: one command a line, mode 0600 (they are the crisis
// cell's words), at most max of them. A command is appended as it is
// typed; the file is rewritten with the last max only when it holds twice
// as many, so that typing stays one small write. Empty lines, a repeat of
// the line before and lines starting with a space (as in a shell) are not
// kept.
type history struct {
	path    string
	max     int
	entries []string
	inFile  int // lines in the file
}

// openHistory reads the history file at path, creating it; "" keeps the
// history in memory only.
func openHistory(path string, max int) (*history, error) {
	h := &history{path: path, max: max}
	if path == "" {
		return h, nil
	}
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return h, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil {
		return h, err
	} else if !fi.Mode().IsRegular() {
		return h, &fs.PathError{Op: "open", Path: path, Err: errors.New("not a regular file")}
	} else if fi.Mode().Perm() != 0o600 {
		if err := os.Chmod(path, 0o600); err != nil {
			return h, err
		}
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); l != "" {
			h.entries = append(h.entries, l)
			h.inFile++
		}
	}
	if err := sc.Err(); err != nil {
		return h, err
	}
	if len(h.entries) > max {
		h.entries = h.entries[len(h.entries)-max:]
	}
	return h, nil
}

func (h *history) add(entry string) {
	entry = strings.TrimRight(entry, " \t") // a completion's space
	if strings.TrimSpace(entry) == "" || strings.HasPrefix(entry, " ") || strings.ContainsAny(entry, "\r\n") {
		return
	}
	if n := len(h.entries); n > 0 && h.entries[n-1] == entry {
		return
	}
	h.entries = append(h.entries, entry)
	if len(h.entries) > h.max {
		h.entries = h.entries[len(h.entries)-h.max:]
	}
	if h.path == "" {
		return
	}
	// A history that cannot be written is not worth stopping the
	// console for: ↑ still works for the session.
	if h.inFile+1 > 2*h.max {
		_ = h.rewrite()
		return
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return
	}
	if _, err := f.WriteString(entry + "\n"); err == nil {
		h.inFile++
	}
	f.Close()
}

// rewrite replaces the file by the entries kept.
func (h *history) rewrite() error {
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(strings.Join(h.entries, "\n") + "\n"); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), h.path); err != nil {
		return err
	}
	h.inFile = len(h.entries)
	return nil
}

func (h *history) len() int { return len(h.entries) }

// at is the entry i steps back: 0 is the last typed.
func (h *history) at(i int) string { return h.entries[len(h.entries)-1-i] }
