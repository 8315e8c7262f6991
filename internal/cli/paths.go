package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"

	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/hotcopy"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// stateDir is where Vigie keeps its database and signing key when --db is
// not given: $XDG_STATE_HOME/vigie, else ~/.local/state/vigie (on macOS,
// ~/Library/Application Support/vigie).
func stateDir(env Env) (string, error) {
	if d := env.Getenv("XDG_STATE_HOME"); d != "" {
		return filepath.Join(d, "vigie"), nil
	}
	home := env.Getenv("HOME")
	if home == "" {
		h, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no state directory: set --db or HOME (%w)", err)
		}
		home = h
	}
	if runtime.GOOS == "darwin" {
		return filepath.Join(home, "Library", "Application Support", "vigie"), nil
	}
	return filepath.Join(home, ".local", "state", "vigie"), nil
}

// dbPath returns the database file (--db, else $VIGIE_DB, else vigie.db in
// the state directory) and the data directory beside it, which
// also holds the signing key and console exports. The directory is created
// with mode 0700.
func (g *Globals) dbPath(env Env) (db, dir string, err error) {
	if db, dir, err = g.dbFile(env); err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("data directory: %w", err)
	}
	return db, dir, nil
}

// dbFile is dbPath without creating anything, for vigie doctor.
func (g *Globals) dbFile(env Env) (db, dir string, err error) {
	if g.DB == "" && env.Getenv != nil {
		// In a container the database is given by the environment, so
		// that serve, export and backup all find it.
		g.DB = env.Getenv("VIGIE_DB")
	}
	if g.DB != "" {
		return g.DB, filepath.Dir(g.DB), nil
	}
	if dir, err = stateDir(env); err != nil {
		return "", "", err
	}
	return filepath.Join(dir, "vigie.db"), dir, nil
}

// openReadOnly opens the database for a tool that only reads it (export,
// stats, backup): it must not initialise a missing file nor change one. A
// Vigie holding the file is named, with what to do instead (hint).
func openReadOnly(env Env, g *Globals, hint string) (*boltstore.Store, string, error) {
	db, dir, err := g.dbPath(env)
	if err != nil {
		return nil, "", err
	}
	if _, err := os.Stat(db); err != nil {
		return nil, "", fmt.Errorf("no database at %s (set --db): %w", db, err)
	}
	s, err := boltstore.Open(db, boltstore.Options{ReadOnly: true})
	if errors.Is(err, boltstore.ErrInUse) && hint != "" {
		return nil, "", fmt.Errorf("%w (%s)", err, hint)
	}
	if err != nil {
		return nil, "", err
	}
	return s, dir, nil
}

// outputFormat settles a --format flag: given, it must be accepted; absent,
// it comes from the -o file's extension, else md.
func outputFormat(format, out string, accepted []string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
		if !slices.Contains(accepted, format) {
			format = "md"
		}
	}
	if !slices.Contains(accepted, format) {
		return "", usagef("unknown --format %q (accepted: %s)", format, strings.Join(accepted, ", "))
	}
	return format, nil
}

// checkOutput refuses, before anything is written, a file a command would
// replace that must not be: Vigie's own database, signing key or socket
// (an export written over the database would destroy every incident), or
// something that is not a plain file (a device, a pipe, a directory, a
// symbolic link, which the atomic rename would replace rather than follow).
func checkOutput(env Env, g *Globals, file string) error {
	db, dir, err := g.dbPath(env)
	if err != nil {
		return err
	}
	abs, err := filepath.Abs(file)
	if err != nil {
		return usagef("%s: %v", file, err)
	}
	fi, statErr := os.Lstat(abs)
	if statErr == nil && !fi.Mode().IsRegular() {
		return usagef("%s is %s, not a plain file: give the path of a file to write (nothing was written)", file, kindOf(fi.Mode()))
	}
	for _, own := range []struct{ path, what string }{
		{db, "the database"}, {filepath.Join(dir, keyfile.Name), "the signing key"}, {filepath.Join(dir, hotcopy.Name), "the backup socket"},
	} {
		ownAbs, _ := filepath.Abs(own.path)
		same := ownAbs == abs
		if oi, err := os.Stat(own.path); err == nil && statErr == nil {
			same = same || os.SameFile(oi, fi)
		}
		if same {
			return usagef("%s is %s of this Vigie: choose another file (nothing was written)", file, own.what)
		}
	}
	return nil
}

// kindOf names what a path that is not a plain file is.
func kindOf(m os.FileMode) string {
	switch {
	case m&os.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a directory"
	case m&os.ModeDevice != 0:
		return "a device"
	case m&os.ModeNamedPipe != 0:
		return "a named pipe"
	case m&os.ModeSocket != 0:
		return "a socket"
	}
	return "a special file"
}
