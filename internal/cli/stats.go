package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/vigie-sante/vigie/bot/incident"
	"github.com/vigie-sante/vigie/bot/report"
	"github.com/vigie-sante/vigie/flows"
)

// This file holds `vigie stats`: the structure's own yearly figures of the
// incidents in the database, small counts suppressed (bot/report/stats.go),
// read without changing it.

func newStatsCmd(env Env, g *Globals) *cobra.Command {
	var year, format, out string
	c := &cobra.Command{
		Use:   "stats --year YYYY [--format csv|md] [-o FILE]",
		Short: "the structure's own yearly figures of its incidents (csv or md), small counts suppressed",
		Long: `The structure's own figures of the incidents whose T0 (Paris time) falls in
a year: counts and delays only, a count of 1 or 2 written "< 3". No text asks
a structure for them: CSP art. D1111-16-3 puts the yearly statistical report
on anonymised reports on the GIP (ANS). Exercises (ouvrir … exercice,
EX-2026-0001) are left out of every figure; the output says how many. It
reads the database without changing it.`,
		Example: `  vigie stats --year 2026
  vigie stats --year 2026 -o stats-2026.csv`,
		Args: noArgs,
		RunE: func(c *cobra.Command, args []string) error {
			return runStats(c.Context(), env, g, c.UseLine(), year, format, out)
		},
	}
	c.Flags().StringVar(&year, "year", "", "the `YYYY` year of the incidents' T0, Paris time (required)")
	c.Flags().StringVar(&format, "format", "", "output format, `csv|md` (default: from -o's extension, else md)")
	c.Flags().StringVarP(&out, "output", "o", "", "write to `FILE`, atomically, instead of stdout")
	completeFixed(c, "format", report.StatsFormats...)
	return c
}

func runStats(ctx context.Context, env Env, g *Globals, usage, yearFlag, formatFlag, outFlag string) error {
	year, format, out := &yearFlag, &formatFlag, &outFlag
	y, err := strconv.Atoi(*year)
	if *year == "" {
		return usagef("missing --year, such as --year 2026 (usage: %s)", usage)
	}
	if err != nil || y < 2000 || y > 9999 {
		return usagef("bad --year %q (accepted: a year such as 2026)", *year)
	}
	f, err := outputFormat(*format, *out, report.StatsFormats)
	if err != nil {
		return err
	}
	*format = f
	s, _, err := openReadOnly(env, g, "stop that Vigie, or count from a copy made with vigie backup")
	if err != nil {
		return err
	}
	defer s.Close()
	incs, err := s.All(ctx)
	if err != nil {
		return err
	}
	cat, err := flowsCatalog()
	if err != nil {
		return err
	}
	chainOf := func(inc *incident.Incident) *flows.Chain {
		if inc.Chain == "" {
			return nil
		}
		if c, err := cat.Version(inc.Chain, inc.Version); err == nil {
			return c
		}
		c, _ := cat.Current(inc.Chain, inc.T0)
		return c
	}
	var buf bytes.Buffer
	if err := report.WriteStats(&buf, *format, report.ComputeStats(incs, y, chainOf), g.lang()); err != nil {
		return err
	}
	if *out == "" {
		_, err := env.Stdout.Write(buf.Bytes())
		return err
	}
	if err := checkOutput(env, g, *out); err != nil {
		return err
	}
	if err := writeExportFile(*out, func(w io.Writer) error { _, err := w.Write(buf.Bytes()); return err }); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "stats: %d → %s\n", y, *out)
	return nil
}
