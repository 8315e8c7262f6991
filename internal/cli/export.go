package cli

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/internal/keyfile"
)

// This file holds `vigie export`: the main courante of one incident, signed,
// on stdout or in a file, read from the database without changing it.

func newExportCmd(env Env, g *Globals) *cobra.Command {
	var format, out string
	c := &cobra.Command{
		Use:   "export ID [--format md|csv|json|pdf] [-o FILE]",
		Short: "write the signed main courante of incident ID (md, csv, json or pdf)",
		Long: `Write the main courante of incident ID, signed with this Vigie's key, on
stdout or atomically in FILE (mode 0600). It reads the database without
changing it; while a Vigie runs on it, export from the chat instead
(/incident exporter). vigie verify checks a json or csv export offline.`,
		Example: `  vigie export 2026-0001
  vigie export 2026-0001 -o main-courante.pdf
  vigie --db /srv/vigie/vigie.db export 2026-0001 --format json -o 2026-0001.json`,
		ValidArgsFunction: cobra.NoFileCompletions,
		RunE: func(c *cobra.Command, args []string) error {
			switch len(args) {
			case 0:
				return usagef("missing incident ID, such as 2026-0001 (usage: %s)", c.UseLine())
			case 1:
				return runExport(c.Context(), env, g, strings.TrimPrefix(args[0], "#"), format, out) // # as the chat writes it
			}
			return usagef("one ID only, got also %q (usage: %s)", args[1], c.UseLine())
		},
	}
	c.Flags().StringVar(&format, "format", "", "output format, `md|csv|json|pdf` (default: from -o's extension, else md)")
	c.Flags().StringVarP(&out, "output", "o", "", "write to `FILE`, atomically, instead of stdout")
	completeFixed(c, "format", report.ExportFormats...)
	return c
}

func runExport(ctx context.Context, env Env, g *Globals, id, format, outFile string) error {
	out := &outFile
	f, err := outputFormat(format, *out, report.ExportFormats)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := checkOutput(env, g, *out); err != nil {
			return err
		}
	}
	format = f
	s, dir, err := openReadOnly(env, g, "export from the chat with /incident exporter, or stop that Vigie")
	if err != nil {
		return err
	}
	defer s.Close() // read-only: nothing to lose on close
	inc, err := s.Incident(ctx, id)
	if errors.Is(err, incident.ErrNotFound) {
		return fmt.Errorf("no incident %q in %s; %s", id, s.Path(), heldIncidents(ctx, s))
	}
	if err != nil {
		return err
	}
	// Exports are signed with the deployment's key: a database copied
	// elsewhere without it must not get a new key of its own, whose
	// signatures nobody could check against the published fingerprint.
	if _, err := os.Stat(filepath.Join(dir, keyfile.Name)); err != nil {
		return fmt.Errorf("no signing key %s beside %s: copy the deployment's key there (exports are checked against its published fingerprint); nothing was exported",
			keyfile.Name, s.Path())
	}
	key, err := keyfile.Load(dir)
	if err != nil {
		return err
	}
	// The reports people read show the chain's obligations and the
	// structure, as the drafts name it (--config or VIGIE_ORG_*), and the
	// national chains' ARS as this deployment binds it (region.go).
	base, err := flowsCatalog()
	if err != nil {
		return err
	}
	cfg, err := localConfig(env, g)
	if err != nil {
		return err
	}
	settleLang(g, cfg) // --lang, else the configuration's lang:
	cat, err := deploy(cfg, base)
	if err != nil {
		return err
	}
	org, _ := orgOf(cfg)
	x := &report.Exporter{Key: key, Catalog: cat, Org: org}
	src := report.Pages(ctx, s, id)
	if *out == "" {
		_, err := x.Export(env.Stdout, format, g.lang(), inc, src, time.Now())
		return err
	}
	var head incident.Head
	err = writeExportFile(*out, func(w io.Writer) (err error) {
		head, err = x.Export(w, format, g.lang(), inc, src, time.Now())
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "export: incident %s, %s, head %s, signed by %s → %s\n",
		id, entries(int(head.Seq)), head.Short(), keyfile.Fingerprint(key.Public().(ed25519.PublicKey)), *out)
	return nil
}

// writeExportFile has write fill file so that file is either as it was or
// complete: a synced temporary file beside it, then a rename; write's
// errors are returned as they are. The mode is
// 0600, since a main courante names people and what happened to a health
// structure.
func writeExportFile(file string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".tmp-*")
	if err != nil {
		return fmt.Errorf("export to %s: %w", file, dirError(filepath.Dir(file), err))
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if err := write(tmp); err != nil {
		tmp.Close()
		var pe *fs.PathError
		if errors.As(err, &pe) { // the disk, not the content
			return fmt.Errorf("export to %s: %w", file, pe.Err)
		}
		return err
	}
	err = tmp.Sync()
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("export to %s: %w", file, err)
	}
	return nil
}

// dirError says why a file could not be created in dir, without the name
// of the temporary file the error of os.CreateTemp carries.
func dirError(dir string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("no directory %s (nothing was written)", dir)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("no permission to write in %s (nothing was written)", dir)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return fmt.Errorf("cannot write in %s: %w (nothing was written)", dir, err)
}

// shownIncidents is how many incidents an unknown ID's error names.
const shownIncidents = 5

// heldIncidents names the latest incidents a database holds, for an ID
// not found: "it holds 12, the latest: 2026-0012 « Titre », …".
func heldIncidents(ctx context.Context, s interface {
	All(context.Context) ([]*incident.Incident, error)
}) string {
	incs, err := s.All(ctx)
	switch {
	case err != nil:
		return "its incidents could not be listed: " + err.Error()
	case len(incs) == 0:
		return "it holds no incident yet"
	}
	latest := incs[max(0, len(incs)-shownIncidents):]
	var names []string
	for i := len(latest) - 1; i >= 0; i-- {
		names = append(names, fmt.Sprintf("%s « %s »", latest[i].ID, latest[i].Title))
	}
	if len(incs) > len(latest) {
		return fmt.Sprintf("it holds %d, the latest: %s", len(incs), strings.Join(names, ", "))
	}
	return fmt.Sprintf("it holds %d: %s", len(incs), strings.Join(names, ", "))
}
