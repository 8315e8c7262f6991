package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/vigie-sante/vigie/internal/config"
)

// This file holds the scheduled backups of a running Vigie (backups: in the
// configuration): a copy every so often, checked as vigie backup checks
// it, the oldest removed past the number to keep.

// backupPrefix and backupExt frame the names of scheduled copies, which
// sort by time: vigie-20261206T150000Z.db.
const (
	backupPrefix = "vigie-"
	backupExt    = ".db"
)

// scheduleBackups starts the scheduled backups, if any, until Close.
func (a *app) scheduleBackups(cfg config.Backups) error {
	every := time.Duration(cfg.Every)
	if every <= 0 {
		return nil
	}
	dir := cfg.Dir
	if dir == "" {
		dir = filepath.Join(a.dir, "backups")
	}
	keep := cfg.Keep
	if keep == 0 {
		keep = 7
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	a.audits.Go(func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-a.bg.Done():
				return
			case <-t.C:
				a.backupOnce(dir, keep, now())
			}
		}
	})
	return nil
}

// backupOnce writes one checked copy into dir and keeps the keep newest.
func (a *app) backupOnce(dir string, keep int, at time.Time) {
	file := filepath.Join(dir, backupPrefix+at.UTC().Format("20060102T150405Z")+backupExt)
	n, summary, err := writeBackup(a.store.Backup, file, false)
	if err != nil {
		a.log.Error("scheduled backup", "file", file, "err", err)
		return
	}
	a.log.Info("scheduled backup", "file", file, "bytes", n, "check", summary)
	entries, err := os.ReadDir(dir)
	if err != nil {
		a.log.Error("scheduled backups: list", "dir", dir, "err", err)
		return
	}
	var copies []string
	for _, e := range entries {
		if name := e.Name(); strings.HasPrefix(name, backupPrefix) && strings.HasSuffix(name, backupExt) && e.Type().IsRegular() {
			copies = append(copies, name)
		}
	}
	slices.Sort(copies)
	for len(copies) > keep {
		if err := os.Remove(filepath.Join(dir, copies[0])); err != nil {
			a.log.Error("scheduled backups: remove the oldest", "file", copies[0], "err", err)
		}
		copies = copies[1:]
	}
}
