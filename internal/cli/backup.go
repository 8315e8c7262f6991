package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/vigie-sante/vigie/internal/boltstore"
)

// This file holds `vigie backup FILE`: a consistent copy of the database,
// written so that FILE is either absent or complete.

const backupUsage = "vigie backup [--force] FILE"

func init() {
	commands["backup"] = command{
		summary: "write a consistent copy of the database to FILE",
		run:     runBackup,
	}
}

func runBackup(_ context.Context, env Env, g *Globals, args []string) error {
	fset := flag.NewFlagSet("backup", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	force := fset.Bool("force", false, "overwrite FILE if it exists")
	// Flags may come before or after FILE: parse, take FILE, parse again.
	if err := fset.Parse(args); err != nil {
		return usagef("%v (usage: %s)", err, backupUsage)
	}
	if fset.NArg() == 0 {
		return usagef("missing FILE (usage: %s)", backupUsage)
	}
	file := fset.Arg(0)
	if err := fset.Parse(fset.Args()[1:]); err != nil {
		return usagef("%v (usage: %s)", err, backupUsage)
	}
	if fset.NArg() > 0 {
		return usagef("one FILE only, got also %q (usage: %s)", fset.Arg(0), backupUsage)
	}
	if _, err := os.Lstat(file); err == nil && !*force {
		return usagef("%s exists (use --force to overwrite it)", file)
	}

	s, _, err := openReadOnly(env, g, "a running Vigie holds the file: stop it for the copy")
	if err != nil {
		return err
	}
	defer s.Close() // read-only: nothing to lose on close
	n, err := writeBackup(s, file, *force)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup: %d bytes → %s\n", n, file)
	return nil
}

// writeBackup copies the database to a temporary file beside file, syncs
// it, then moves it into place: with force by rename (an older backup stays
// intact until the new one is complete), without by hard link, which fails
// rather than overwrite a file created meanwhile.
func writeBackup(s *boltstore.Store, file string, force bool) (int64, error) {
	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".tmp-*")
	if err != nil {
		return 0, fmt.Errorf("backup to %s: %w", file, err)
	}
	defer os.Remove(tmp.Name()) // gone after rename or link; cleanup on failure
	n, err := s.Backup(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, fmt.Errorf("backup to %s: %w", file, err)
	}
	if force {
		err = os.Rename(tmp.Name(), file)
	} else {
		err = os.Link(tmp.Name(), file)
	}
	if errors.Is(err, fs.ErrExist) {
		return n, usagef("%s exists (use --force to overwrite it)", file)
	}
	if err != nil {
		return n, fmt.Errorf("backup to %s: %w", file, err)
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable too
		_ = d.Sync() // best effort: not every file system syncs directories
		_ = d.Close()
	}
	return n, nil
}
