package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/incident"
)

// This file holds `vigie check`: what is damaged in a database, if
// anything. It reads the file only; a running Vigie must be stopped (or
// checked on a copy made with vigie backup).

func newCheckCmd(env Env, g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "check the database: its pages (bbolt's consistency check) and every main courante's chain",
		Long: `Check the database: its pages (bbolt's consistency check) and every main
courante's chain of hashes. It only reads the file; stop the Vigie that
runs on it, or check a copy made with vigie backup.`,
		Example: `  vigie --db /srv/vigie/vigie.db check
  vigie --db copy.db check`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error { return runCheck(c.Context(), env, g) },
	}
}

func runCheck(ctx context.Context, env Env, g *Globals) error {
	s, _, err := openReadOnly(env, g, "stop that Vigie, or check a copy made with vigie backup")
	if err != nil {
		return err
	}
	defer s.Close() // read-only: nothing to lose on close
	if err := s.Check(); err != nil {
		return err
	}
	var broken []*incident.BrokenError
	n, err := s.Audit(ctx, nil, func(be *incident.BrokenError) { broken = append(broken, be) })
	if err != nil {
		return err
	}
	if len(broken) > 0 {
		for _, be := range broken {
			fmt.Fprintf(env.Stdout, "BROKEN: incident %s: %v\n", be.Incident, be.Err)
		}
		return fmt.Errorf("%s: %d of %d main courantes are broken; nothing was changed. Restore the last backup made before the damage (vigie check it first)",
			s.Path(), len(broken), n)
	}
	noun := "main courantes"
	if n == 1 {
		noun = "main courante"
	}
	fmt.Fprintf(env.Stdout, "OK: %s: pages consistent, %d %s intact\n", s.Path(), n, noun)
	return nil
}
