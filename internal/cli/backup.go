package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/internal/boltstore"
	"github.com/vigie-sante/vigie/internal/hotcopy"
)

// This file holds `vigie backup FILE`: a consistent copy of the database,
// checked, and written so that FILE is either absent or complete. When a
// Vigie runs on the database, it makes the copy itself (package hotcopy).

func newBackupCmd(env Env, g *Globals) *cobra.Command {
	var force bool
	c := &cobra.Command{
		Use:   "backup [--force] FILE",
		Short: "write a consistent copy of the database to FILE",
		Long: `Write a consistent copy of the database to FILE, checked (its pages and
every main courante's chain) before it is put in place: FILE is either
absent or complete. While a Vigie runs on the database, it makes the copy.`,
		Example: `  vigie backup /srv/backups/vigie-$(date +%F).db
  vigie --db /srv/vigie/vigie.db backup --force last.db`,
		RunE: func(c *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usagef("missing FILE (usage: %s)", c.UseLine())
			case 1:
				return runBackup(c.Context(), env, g, args[0], force)
			}
			return usagef("one FILE only, got also %q (usage: %s)", args[1], c.UseLine())
		},
	}
	c.Flags().BoolVar(&force, "force", false, "overwrite FILE if it exists")
	return c
}

func runBackup(ctx context.Context, env Env, g *Globals, file string, force bool) error {
	if err := checkOutput(env, g, file); err != nil {
		return err
	}
	if _, err := os.Lstat(file); err == nil && !force {
		return usagef("%s exists (use --force to overwrite it)", file)
	}

	db, dir, err := g.dbPath(env)
	if err != nil {
		return err
	}
	copyDB := func(w io.Writer) (int64, error) {
		s, _, err := openReadOnly(env, g, "")
		if errors.Is(err, boltstore.ErrInUse) {
			// A running Vigie holds the file: it makes the copy itself.
			n, ferr := hotcopy.Fetch(ctx, dir, w)
			if errors.Is(ferr, hotcopy.ErrNoServer) {
				return n, fmt.Errorf("%w, which does not answer vigie backup (%v): stop it for the copy", err, ferr)
			}
			return n, ferr
		}
		if err != nil {
			return 0, err
		}
		defer s.Close() // read-only: nothing to lose on close
		return s.Backup(w)
	}
	n, summary, err := writeBackup(copyDB, file, force)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "backup: %d bytes of %s → %s, checked: %s\n", n, db, file, summary)
	return nil
}

// writeBackup copies the database with copyDB to a temporary file beside
// file, syncs it, opens and checks the copy (pages and every chain), then
// moves it into place: with force by rename (an older backup stays intact
// until the new one is complete), without by hard link, which fails rather
// than overwrite a file created meanwhile. It returns the size and what
// the check found.
func writeBackup(copyDB func(io.Writer) (int64, error), file string, force bool) (int64, string, error) {
	dir := filepath.Dir(file)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(file)+".tmp-*")
	if err != nil {
		return 0, "", fmt.Errorf("backup to %s: %w", file, dirError(dir, err))
	}
	defer os.Remove(tmp.Name()) // gone after rename or link; cleanup on failure
	n, err := copyDB(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, "", fmt.Errorf("backup to %s: %w", file, err)
	}
	summary, err := checkCopy(tmp.Name())
	if err != nil {
		return n, "", fmt.Errorf("backup to %s: the copy does not check, nothing was written: %w", file, err)
	}
	if force {
		err = os.Rename(tmp.Name(), file)
	} else {
		err = os.Link(tmp.Name(), file)
	}
	if errors.Is(err, fs.ErrExist) {
		return n, "", usagef("%s exists (use --force to overwrite it)", file)
	}
	if err != nil {
		return n, "", fmt.Errorf("backup to %s: %w", file, err)
	}
	if d, err := os.Open(dir); err == nil { // make the new name durable too
		_ = d.Sync() // best effort: not every file system syncs directories
		_ = d.Close()
	}
	return n, summary, nil
}

// checkCopy opens a copy read-only and checks it as vigie check does: its
// pages, bbolt's consistency check, and every main courante's chain.
func checkCopy(path string) (string, error) {
	s, err := boltstore.Open(path, boltstore.Options{ReadOnly: true})
	if err != nil {
		return "", err
	}
	defer s.Close()
	if err := s.Check(); err != nil {
		return "", err
	}
	var broken []string
	n, err := s.Audit(context.Background(), nil, func(be *incident.BrokenError) { broken = append(broken, be.Incident) })
	if err != nil {
		return "", err
	}
	if len(broken) > 0 {
		return "", fmt.Errorf("the main courante of %s is broken in the copy (run vigie check on the database)", strings.Join(broken, ", "))
	}
	return fmt.Sprintf("%d incident(s), every main courante intact", n), nil
}
