package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
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

// dbPath returns the database file and the data directory beside it, which
// also holds the signing key and console exports. The directory is created
// with mode 0700.
func (g *Globals) dbPath(env Env) (db, dir string, err error) {
	if g.DB != "" {
		db = g.DB
		dir = filepath.Dir(db)
	} else {
		if dir, err = stateDir(env); err != nil {
			return "", "", err
		}
		db = filepath.Join(dir, "vigie.db")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", "", fmt.Errorf("data directory: %w", err)
	}
	return db, dir, nil
}
